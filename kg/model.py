"""The data every stage passes on: frozen dataclasses, nothing else.

Offsets are character offsets into `Page.text`, the decoded page with its line
ends normalised to "\\n" and any byte-order mark removed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

# The nine entity types of the gold guideline, in the order reports list them.
ENTITY_TYPES = (
    "AdminArea",
    "Subdistrict",
    "Community",
    "Village",
    "Place",
    "Agency",
    "Company",
    "Organization",
    "Person",
)


def content_id(*parts: str, length: int = 12) -> str:
    """A short stable id from content: the same text always gives the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True)
class Page:
    """One decoded page file."""

    name: str  # file name, e.g. "000_f8335e88f8bab63f.txt"
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"

    @cached_property
    def id(self) -> str:
        # Hashing a whole page is costly on big pages; every article and fragment asks for it.
        return content_id(self.text, length=16)


@dataclass(frozen=True)
class Segment:
    """A stretch of page text with one role; a page's segments partition its text.

    `start`/`end` bound the raw stretch, markup and trailing blank lines included;
    `text` is the clean content, which starts at `text_start` and is contiguous in the page.
    """

    role: str  # section kicker headline subtitle byline caption credit heading body duplicate
    start: int
    end: int
    text: str
    text_start: int


@dataclass(frozen=True)
class Passage:
    """Text handed to extraction: a headline, caption or body paragraph.

    A paragraph broken at a column break is one passage made of several segments;
    `anchors` maps each piece's first character in `text` to its page offset.
    """

    role: str
    text: str
    anchors: tuple[tuple[int, int], ...]  # (offset in text, offset in page), ascending

    def page_offset(self, i: int) -> int:
        """The page offset of character `i` of `text`."""
        at, page_at = self.anchors[0]
        for text_at, p in self.anchors:
            if text_at > i:
                break
            at, page_at = text_at, p
        return page_at + (i - at)


@dataclass(frozen=True)
class Article:
    """One article of a page: headline (or none), byline, captions and body."""

    id: str
    page: str  # Page.name
    page_id: str
    index: int  # order on the page, from 0
    headline: str | None
    kicker: str | None
    subtitle: str | None
    reporters: tuple[str, ...]  # names after 记者 / 本报记者, as printed
    photographers: tuple[str, ...]  # names before 摄
    columnists: tuple[str, ...]  # a column's bare author name under its headline
    correspondents: tuple[str, ...]  # names after 通讯员: named in the byline, not reporters
    segments: tuple[Segment, ...]
    passages: tuple[Passage, ...]

    @property
    def body(self) -> str:
        return "\n".join(p.text for p in self.passages if p.role == "body")

    @property
    def start(self) -> int:
        return self.segments[0].start

    @property
    def end(self) -> int:
        return self.segments[-1].end


@dataclass(frozen=True)
class Fragment:
    """Page text that belongs to no article here, kept with the reason why."""

    id: str
    page: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class PageDoc:
    """A page cut into articles and fragments."""

    page: Page
    articles: tuple[Article, ...]
    fragments: tuple[Fragment, ...]


@dataclass(frozen=True)
class Mention:
    """One occurrence of a name in an article (article "" for a fragment)."""

    type: str  # one of ENTITY_TYPES
    surface: str  # the text as printed
    name: str  # the canonical name it resolves to (filled by resolve)
    article: str  # Article.id
    page: str  # Page.name
    start: int  # page offsets of the surface
    end: int
    sentence: str  # the sentence it stands in
    source: str = ""  # which recognizer found it, for debugging and eval


@dataclass(frozen=True)
class Entity:
    """One real-world thing, with every surface form and mention."""

    type: str
    name: str
    aliases: tuple[str, ...]  # every surface form other than `name`, sorted
    mentions: tuple[Mention, ...]

    @cached_property
    def key(self) -> str:
        # Asked for once per mention by the stages after resolution: 190,000 times at 9,000 articles.
        return f"{self.type}/{self.name}"


@dataclass(frozen=True)
class Relation:
    """A stated link between two entities, keyed by Entity.key."""

    subject: str
    predicate: str  # partOf responsibleFor memberOf locatedIn
    object: str
    evidence: str
    article: str
    role: str | None = None  # for memberOf: the role as printed


@dataclass(frozen=True)
class Event:
    """A concrete happening one or more articles report."""

    name: str
    type: str  # Meeting Campaign Ceremony Lecture Exhibition Performance Inspection Contest Training Service Other
    date_text: str | None
    date_start: str | None  # ISO date, when the text and the page's year allow
    date_end: str | None
    date_basis: str | None  # how the year was inferred
    location: str | None  # Entity.key
    organizers: tuple[str, ...]  # Entity.key
    undertakers: tuple[str, ...]
    participants: tuple[str, ...]
    evidence: str
    articles: tuple[str, ...]  # Article.id

    @property
    def key(self) -> str:
        return f"Event/{self.name}"


@dataclass(frozen=True)
class Extraction:
    """What the extraction stages found across a corpus."""

    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # Per article id, a digest of all its facts depend on: its page's text (which the id hashes)
    # and its resolved mentions. Made only when a build keeps an article memo; derived, so not compared.
    article_keys: dict[str, bytes] = field(default_factory=dict, compare=False)
