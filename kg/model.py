"""The data every stage passes on: frozen dataclasses, nothing else.

Offsets are character offsets into `Page.text`, the decoded page with its line
ends normalised to "\\n" and any byte-order mark removed.
"""

from __future__ import annotations

import hashlib
import operator
import pickle
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from .schema import ENTITY_TYPES  # noqa: F401  (where the pipeline's modules import it from)


def content_id(*parts: str, length: int = 12) -> str:
    """A short stable id from content: the same text always gives the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """A slotted dataclass pickled as its constructor and field values.

    The __getstate__/__setstate__ that `slots=True` adds call dataclasses.fields() for every
    object: unpickling the 31,000 mentions of 1,000 cached pages took 0.10 s that way, 0.05 s
    through the constructor.
    """
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[type[_T], tuple[object, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@dataclass(frozen=True)
class Page:
    """One decoded page file."""

    name: str  # file name, e.g. "000_f8335e88f8bab63f.txt"
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    url: str | None = None  # where the page was published, from a build manifest
    date: str | None = None  # ISO date it was published, from a build manifest
    # Set by kg.pages.identify when another page of the build has the same identity (the same
    # address, or the same file name in another folder) and another text: the id then hashes
    # the text as well, as nothing else tells the two apart.
    shares_identity: bool = False

    @property
    def identity(self) -> str:
        """What the page's IRI and its articles' derive from: its address, else its file name."""
        return self.url or self.name

    @cached_property
    def id(self) -> str:
        """Stable under a fix of the text, so that links to the page and its articles survive one
        (docs/rdf-sparql.md, "Article IRIs")."""
        if self.shares_identity:
            return content_id(self.identity, self.digest, length=16)
        return content_id(self.identity, length=16)

    @cached_property
    def digest(self) -> str:
        """A hash of the text, for what must change with it (caches, records); never an IRI.
        Hashing a whole page is costly on big pages; every article asks for it."""
        return content_id(self.text, length=16)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of page text with one role; a page's segments partition its text.

    `start`/`end` bound the raw stretch, markup and trailing blank lines included;
    `text` is the clean content, which starts at `text_start` and is contiguous in the page.
    """

    role: str  # section kicker headline subtitle byline caption credit heading body meta repeat
    start: int
    end: int
    text: str
    text_start: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
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
    # From the page's meta lines (作者:, 来源:, 发布日期:), its manifest entry, file name or address:
    published: str | None = None  # ISO date of publication (schema:datePublished)
    url: str | None = None  # the article's address (schema:url)
    publisher: str | None = None  # the source as printed after 来源: (schema:publisher)
    editors: tuple[str, ...] = ()  # names after 编辑: / 责任编辑:, recorded, not authors
    # A hash of the page's text, the headline and the article's stretch of text: what a memo of
    # the article's facts is keyed by, as the id no longer changes with the text.
    text_id: str = ""

    @cached_property
    def body(self) -> str:
        return "\n".join(p.text for p in self.passages if p.role == "body")

    @cached_property
    def start(self) -> int:
        return self.segments[0].start

    @cached_property
    def end(self) -> int:
        return self.segments[-1].end

    # Pickled (into the page cache, or from a --jobs worker), an article keeps its segments and
    # passages as one pickled value, unpickled on first use, as an ORM defers a column: a
    # rebuild re-reads only the articles whose resolved mentions changed, and unpickling every
    # segment and passage of 1,000 pages was 0.1 s of a 2.4 s rebuild.
    def __reduce__(self) -> tuple[object, ...]:
        d = self.__dict__
        details = d.get("_details") or pickle.dumps((self.segments, self.passages), protocol=pickle.HIGHEST_PROTOCOL)
        summary = tuple(d[name] for name in _ARTICLE_SUMMARY)
        return _deferred_article, (summary, self.body, self.start, self.end, details)

    if not TYPE_CHECKING:  # a __getattr__ would let mypy accept any attribute name

        def __getattr__(self, name: str) -> object:
            # Reached only for an attribute missing from __dict__: the details of a deferred article.
            d = self.__dict__
            if name not in ("segments", "passages") or "_details" not in d:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            d["segments"], d["passages"] = pickle.loads(d.pop("_details"))
            return d[name]


_ARTICLE_SUMMARY = tuple(f.name for f in fields(Article) if f.name not in ("segments", "passages"))


def _deferred_article(summary: tuple[object, ...], body: str, start: int, end: int, details: bytes) -> Article:
    article = object.__new__(Article)
    article.__dict__.update(zip(_ARTICLE_SUMMARY, summary), body=body, start=start, end=end, _details=details)
    return article


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Fragment:
    """Page text that belongs to no article here, kept with the reason why."""

    id: str
    page: str
    start: int
    end: int
    text: str
    reason: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PageDoc:
    """A page cut into articles and fragments."""

    page: Page
    articles: tuple[Article, ...]
    fragments: tuple[Fragment, ...]


BYLINE = "byline"  # Mention.source of a name a byline or photo credit prints


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Relation:
    """A stated link between two entities, keyed by Entity.key."""

    subject: str
    predicate: str  # partOf responsibleFor memberOf locatedIn; officialPartOf (from the register)
    object: str
    evidence: str  # the sentence; for a fact of the register, its rows
    article: str  # "" for a fact of the register
    role: str | None = None  # for memberOf: the role as printed


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
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
    # (entity key, 12-digit official division code), sorted: the divisions the register knows
    # (kg.divisions), with the chain nodes above them.
    division_codes: tuple[tuple[str, str], ...] = field(default=())
    # The register's partOf chain above them (predicate officialPartOf): facts of the register,
    # kept apart from `relations`, which the articles state.
    official_relations: tuple[Relation, ...] = field(default=())
    # Per article id, a digest of all its facts depend on: its page's text (Article.text_id),
    # publication date and address, and its resolved mentions. Made only when a build keeps an article memo; derived, so not compared.
    article_keys: dict[str, bytes] = field(default_factory=dict, compare=False)
