"""Articles + resolved entities -> sentences with the entity mentions they hold.

Relations and events are read sentence by sentence; both need to know which entity
each stretch of a sentence names, so this view is built once and shared.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from .model import Article, Entity, PageDoc, Passage

# A sentence ends at 。！？； (and their ASCII forms) or at a line end; a closing quote stays with it.
_SENTENCE = re.compile(r"[^。！？；!?;\n]+(?:[。！？；!?;]+[”’」』]?)?|[。！？；!?;]+")


@dataclass(frozen=True)
class Span:
    """One entity mention inside a sentence; offsets are into `Sentence.text`."""

    start: int
    end: int
    surface: str
    type: str
    key: str  # Entity.key


@dataclass(frozen=True)
class Sentence:
    article: Article
    role: str  # the passage role: headline kicker subtitle body caption
    index: int  # order within the article
    text: str
    spans: tuple[Span, ...]  # sorted by start; nested or overlapping mentions keep only the longest
    # The entity types its mentions name: a pattern that needs one skips the sentences without it.
    # Made with the sentence (functools.cached_property takes a lock on each first use).
    types: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", frozenset([sp.type for sp in self.spans]))

    def between(self, a: Span, b: Span) -> str:
        """The text from the end of `a` to the start of `b`."""
        return self.text[a.end : b.start]


_NO_TYPES: frozenset[str] = frozenset()


def _span(start: int, end: int, surface: str, type_: str, key: str) -> Span:
    """`Span(start, end, surface, type_, key)`, made as `_sentence` makes a sentence, without the
    frozen dataclass's __init__ (tests/test_reading_fast.py compares the two)."""
    made = object.__new__(Span)
    made.__dict__.update(start=start, end=end, surface=surface, type=type_, key=key)
    return made


def _sentence(article: Article, role: str, index: int, text: str, spans: tuple[Span, ...]) -> Sentence:
    """`Sentence(article, role, index, text, spans)`, made without the frozen dataclass's __init__,
    which sets each field through object.__setattr__ (about three quarters of the time to make
    one; an article has a dozen sentences): the same fields, `types` made as __post_init__ does
    (tests/test_relations.py compares the two)."""
    made = object.__new__(Sentence)
    made.__dict__.update(article=article, role=role, index=index, text=text, spans=spans,
                         types=frozenset([sp.type for sp in spans]) if spans else _NO_TYPES)
    return made


def _text_offset(passage: Passage, page_offset: int, passage_len: int) -> int | None:
    """Inverse of Passage.page_offset: the index in the passage text of a page offset, if inside."""
    anchors = passage.anchors
    for i, (text_at, page_at) in enumerate(anchors):
        piece_end = anchors[i + 1][0] if i + 1 < len(anchors) else passage_len
        if page_at <= page_offset < page_at + (piece_end - text_at):
            return text_at + (page_offset - page_at)
    return None


def _longest_first(spans: list[Span]) -> list[Span]:
    """Drop mentions inside a longer one (平城区 inside 平城区委统战部)."""
    spans.sort(key=lambda s: (s.start, -(s.end - s.start), s.key))
    kept: list[Span] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


class _Forms:
    """Every printed form of every entity, to take a compound mention apart."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.owner: dict[str, tuple[str, str]] = {}
        for e in sorted(entities, key=lambda e: e.key):
            for form in (e.name, *e.aliases):
                if len(form) >= 2:
                    self.owner.setdefault(form, (e.type, e.key))
        self.own: dict[str, set[str]] = {}
        for e in entities:
            self.own[e.key] = {e.name, *e.aliases}

    def cover(self, text: str) -> list[tuple[int, int, str, str]] | None:
        """`text` as a run of known forms, longest first from the left; None if it is not one."""
        parts: list[tuple[int, int, str, str]] = []
        at = 0
        while at < len(text):
            for end in range(len(text), at + 1, -1):
                hit = self.owner.get(text[at:end])
                if hit:
                    parts.append((at, end, *hit))
                    at = end
                    break
            else:
                return None
        return parts

    def split(self, start: int, surface: str, type_: str, key: str) -> list[tuple[int, int, str, str, str]]:
        """平城区开源街民和社区 printed as one mention of 民和社区 -> 平城区 | 开源街 | 民和社区."""
        for form in sorted(self.own.get(key, ()), key=len, reverse=True):
            if form != surface and surface.endswith(form):
                parts = self.cover(surface[: -len(form)])
                if parts:
                    head = [(start + s, start + e, surface[s:e], t, k) for s, e, t, k in parts]
                    return [*head, (start + len(surface) - len(form), start + len(surface), form, type_, key)]
        return [(start, start + len(surface), surface, type_, key)]


_Part = tuple[int, int, str, str, str]  # start, end, surface, type, key
_Row = tuple[int, int, str, str, str, tuple[_Part, ...]]


class Reader:
    """The sentences of one article at a time, with the mentions resolution gave them."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        forms = _Forms(entities)
        # per article, its mentions as (start, end, surface, type, key, parts): `parts` is how a
        # compound mention splits into known forms, () for a mention that is one form
        self._mentions: dict[str, list[_Row]] = {}
        for e in entities:
            type_, key = e.type, e.key
            parts_of: dict[str, tuple[_Part, ...]] = {}
            for m in e.mentions:
                if m.article:
                    parts = parts_of.get(m.surface)
                    if parts is None:
                        found = forms.split(0, m.surface, type_, key)
                        parts = parts_of[m.surface] = tuple(found) if len(found) > 1 else ()
                    self._mentions.setdefault(m.article, []).append((m.start, m.end, m.surface, type_, key, parts))
        for rows in self._mentions.values():
            rows.sort()

    def signature(self, article: Article) -> tuple[object, ...]:
        """Everything `sentences(article)` depends on, in a value that compares and hashes cheaply.

        `text_id` hashes the page's text, which the passages and the year of relative dates come
        from; the id names the article in the facts, the publication date dates them, and the
        address is an attribute of the article's record (kg/export/reuse.py); the rest is the
        article's resolved mentions and how each compound mention splits into known forms.
        """
        return (article.id, article.text_id, article.page, article.published, article.url,
                self._mentions.get(article.id, []))

    def sentences(self, article: Article) -> list[Sentence]:
        """The article's sentences in order, each with the mentions inside it."""
        mentions = self._mentions.get(article.id, [])
        starts = [row[0] for row in mentions]  # sorted: the rows are
        out: list[Sentence] = []
        for passage in article.passages:
            located: list[_Part] = []
            # The page offsets the passage's pieces cover: a mention starting outside them is not
            # in it, which saves _text_offset's walk over the anchors for every other passage's
            # mentions (it would return None for them).
            anchors, size = passage.anchors, len(passage.text)
            shift: int | None = None
            if len(anchors) == 1:  # most passages: one piece of the page
                (text_at, lo), = anchors
                hi = lo + size - text_at
                shift = text_at - lo  # what _text_offset adds to a page offset in [lo, hi)
            else:
                piece_ends = [t for t, _ in anchors[1:]] + [size]
                lo = min((page_at for _, page_at in anchors), default=0)
                hi = max((page_at + end - text_at for (text_at, page_at), end in zip(anchors, piece_ends)), default=0)
            # the rows starting in [lo, hi), in order: one slice of the sorted rows
            for start, end, surface, type_, key, parts in mentions[bisect_left(starts, lo) : bisect_left(starts, hi)]:
                at = start + shift if shift is not None else _text_offset(passage, start, size)
                if at is not None and passage.text[at : at + len(surface)] == surface:
                    if parts:
                        located.extend((at + s, at + e, f, t, k) for s, e, f, t, k in parts)
                    else:
                        located.append((at, at + len(surface), surface, type_, key))
            role = passage.role
            if not located:  # no mention in the passage: only the sentences' texts
                for whole in _SENTENCE.findall(passage.text):
                    text = whole.strip()
                    if text:
                        out.append(_sentence(article, role, len(out), text, ()))
                continue
            for piece in _SENTENCE.finditer(passage.text):
                whole = piece.group()
                opened = whole.lstrip()
                text = opened.rstrip()
                if not text:
                    continue
                lead = piece.start() + len(whole) - len(opened)
                tail = lead + len(text)
                spans = [
                    _span(s - lead, e - lead, surface, type_, key)
                    for s, e, surface, type_, key in located
                    if lead <= s and e <= tail
                ]
                if spans:
                    # one mention is its own longest
                    out.append(_sentence(article, role, len(out), text, tuple(_longest_first(spans) if len(spans) > 1 else spans)))
                else:
                    out.append(_sentence(article, role, len(out), text, ()))
        return out


def by_article(docs: Sequence[PageDoc], entities: Sequence[Entity]) -> Iterator[tuple[PageDoc, list[Sentence]]]:
    """Each article's sentences with their mentions, in page order; articles without text are skipped."""
    reader = Reader(entities)
    for doc in sorted(docs, key=lambda d: d.page.name):
        for article in doc.articles:
            sents = reader.sentences(article)
            if sents:
                yield doc, sents
