"""Pages -> articles: decode page files and cut each page into articles and fragments.

A page is a column-ordered dump of one newspaper page: headlines with or without
markdown `#`, kickers above them, `——` subtitles, bylines, photo captions with
credits, body paragraphs broken at column breaks, and stray pieces of articles
printed elsewhere. `segment` assigns every character of the page to exactly one
article segment or fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .model import Article, Fragment, Page, PageDoc, Passage, Segment, content_id
from .nlp import word_ends

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

# A sentence is complete when it ends in one of these, optionally followed by closing quotes.
_FINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
_CJK_NAME = r"[\u4e00-\u9fff·]{2,5}"
_NAME_LIST = re.compile(_CJK_NAME)
# 本报讯（记者 邸东芳）/ 本报讯 (记者 张鑫 通讯员 李四) / a bare 本报讯 at the start of a body paragraph.
_INLINE_BYLINE = re.compile(r"^本报讯(?:\s*[（(]\s*([^（）()\n]{0,40}?)\s*[）)])?[\s:：]*")
# 本报记者 段雨萌 on a line of its own, at the head or the foot of an article.
_BYLINE_LINE = re.compile(rf"^本报(?:记者|通讯员)[\s\u3000]*({_CJK_NAME}(?:[\s\u3000、，,]+{_CJK_NAME})*)$")
# 段雨萌摄 / 记者 于宏 摄 / 于宏 张三摄
_CREDIT = re.compile(rf"^(?:记者|通讯员)?[\s\u3000]*({_CJK_NAME}(?:[\s\u3000、，,]+{_CJK_NAME})*)[\s\u3000/]*摄影?$")
_LIST_ITEM = re.compile(r"^(?:[-*•·]\s+|\d{1,3}[.、．]\s*\D)")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
_HEADING_MAX = 45  # longest line taken for a headline or kicker, in characters
_CAPTION_MAX = 120


def _strip_final(text: str) -> str:
    return text.rstrip(_CLOSERS + " \u3000")


def ends_sentence(text: str) -> bool:
    """True when text ends a sentence (“…开心。” counts, “…城市格局” does not)."""
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in _FINAL:
        return True
    stripped = _strip_final(t)
    return stripped != t and bool(stripped) and stripped[-1] in _FINAL


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    lines = (ONTOLOGY / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def looks_like_person_name(text: str) -> bool:
    """A bare 2-3 character name with a known family name (闫昌, 欧阳明)."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text):
        return False
    family = surnames()
    return (text[:2] in family and len(text) >= 3) or (text[0] in family and len(text) <= 3)


# ---------------------------------------------------------------- decoding
# Reading and decoding page files, and the text policy, live in kg/pages.py.
from .pages import collect, decode, decode_bytes  # noqa: E402,F401  (kg.ingest's API before the move)


# ---------------------------------------------------------------- lines

@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line in the page
    text_start: int  # offset of the content after markup
    text: str  # content without markup and surrounding blanks
    level: int  # markdown heading level; 0 for plain text
    kind: str  # title byline credit caption list text


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    at = 0
    for raw in text.split("\n"):
        start, at = at, at + len(raw) + 1
        body = raw.strip(" \t\u3000")
        if not body:
            continue
        lead = raw.index(body[0])
        level = 0
        m = re.match(r"#{1,6}[ \t\u3000]*", body)
        if m and len(body) > m.end():
            level = body[: m.end()].count("#")
            lead += m.end()
            body = body[m.end():]
        elif _LIST_ITEM.match(body) and body[0] in "-*•·":
            skip = re.match(r"[-*•·]\s+", body)
            assert skip is not None
            lead += skip.end()
            body = body[skip.end():]
            out.append(_Line(start, start + lead, body, 0, "list"))
            continue
        out.append(_Line(start, start + lead, body, level, _kind(body, level)))
    return _mark_captions(out)


def _kind(text: str, level: int) -> str:
    if _BYLINE_LINE.match(text) or _INLINE_BYLINE.match(text):
        return "byline"
    if len(text) <= 16 and _CREDIT.match(text):
        return "credit"
    if text.startswith(("图为", "图：", "图:", "上图", "下图")) and len(text) <= _CAPTION_MAX:
        return "caption"
    if level:
        return "title"
    if _LIST_ITEM.match(text):
        return "list"
    if len(text) <= _HEADING_MAX and not ends_sentence(text) and text[-1] not in "，,、：:（(“‘《—":
        return "title"
    return "text"


def _mark_captions(lines: list[_Line]) -> list[_Line]:
    """A short line right above a photo credit is that photo's caption."""
    out = list(lines)
    for i in range(len(out) - 1):
        here = out[i]
        if out[i + 1].kind == "credit" and here.kind in ("text", "title") and not here.level and len(here.text) <= _CAPTION_MAX:
            out[i] = _Line(here.start, here.text_start, here.text, 0, "caption")
    return out


def _byline(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(reporters, correspondents) of a byline: 记者 李娜 通讯员 赵鹏 -> ((李娜,), (赵鹏,))."""
    reporters, _, correspondents = text.partition("通讯员")
    return _names(reporters), _names(correspondents)


def _names(text: str) -> tuple[str, ...]:
    """Names in a byline or credit: 记者 张三 通讯员 李四 -> (张三, 李四)."""
    cleaned = re.sub(r"(本报)?(记者|通讯员|实习生|见习记者|摄影|文/|图/)", " ", text)
    return tuple(n for n in _NAME_LIST.findall(cleaned) if n not in ("本报讯", "本报"))


@lru_cache(maxsize=4096)
def _word_spans_break(left: str, right: str) -> bool:
    """Does a word run across the join of `left` and `right`? (有种|菜的 -> 种菜: yes)."""
    a, b = left[-4:], right[:4]
    pos = 0
    for end in word_ends(a + b):
        if pos < len(a) < end:
            return True
        pos = end
    return False


def continues(line: str, following: str) -> bool:
    """Was `line` cut at a column break, so that `following` continues it?"""
    if ends_sentence(line):
        return False
    if line[-1] in "，,、：:“‘《（(—" or line.count("“") > line.count("”") or line.count("（") > line.count("）"):
        return True
    if following[0] in "的地得了着过们、，,。；;：:！？”’）》":
        return True
    return _word_spans_break(line, following)


# ---------------------------------------------------------------- segmentation

class _Draft:
    """An article while its page is being read."""

    def __init__(self, brief: bool = False) -> None:
        self.parts: list[tuple[str, _Line, int]] = []  # (role, line, text offset inside line)
        self.reporters: list[str] = []
        self.photographers: list[str] = []
        self.columnists: list[str] = []
        self.correspondents: list[str] = []
        self.brief = brief  # opened by 本报讯: a news brief
        self.has_body = False

    def add(self, role: str, line: _Line, skip: int = 0) -> None:
        self.parts.append((role, line, skip))
        if role == "body":
            self.has_body = True


def segment(page: Page) -> PageDoc:
    """Cut a page into articles and fragments; every character lands in exactly one."""
    lines = _lines(page.text)
    drafts: list[_Draft] = []
    loose: list[tuple[_Line, str]] = []  # lines that belong to no article, with the reason
    pending: list[_Line] = []  # title-like lines waiting for what follows to say what they are

    def current() -> _Draft | None:
        return drafts[-1] if drafts else None

    def open_article(titles: list[_Line], brief: bool = False) -> _Draft:
        draft = _Draft(brief)
        for role, line in _title_roles(titles):
            if role == "columnist":
                draft.columnists.append(line.text)
                role = "byline"
            draft.add(role, line)
        drafts.append(draft)
        return draft

    def settle(next_line: _Line | None) -> None:
        """Decide what the pending title-like lines are, now that `next_line` follows."""
        nonlocal pending
        if not pending:
            return
        run, pending = pending, []
        confirmed = any(line.level and line.level <= 2 for line in run) or (
            next_line is not None and next_line.kind in ("byline", "caption", "credit")
        )
        draft = current()
        if confirmed or (draft is None and next_line is not None):
            open_article(run)
            return
        if draft is None or next_line is None:
            loose.extend((line, "title-like lines followed by no article text") for line in run)
            return
        # Unconfirmed title-like lines inside an article: in-body headings, or body
        # text cut by a column break when the next line carries the sentence on.
        following = run[1:] + [next_line]
        for line, after in zip(run, following):
            draft.add("body" if continues(line.text, after.text) else "heading", line)

    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if line.kind == "title":
            pending.append(line)
            continue
        settle(line)
        draft = current()
        if line.kind == "byline":
            inline = _INLINE_BYLINE.match(line.text)
            if inline:
                if draft is None or draft.has_body:
                    draft = open_article([], brief=True)
                draft.brief = True
                reporters, correspondents = _byline(inline.group(1) or "")
                draft.reporters.extend(reporters)
                draft.correspondents.extend(correspondents)
                draft.add("byline", line)
                rest = line.text[inline.end():]
                if rest:
                    draft.add("body", line, inline.end())
            else:
                if draft is None:
                    draft = open_article([])
                reporters, correspondents = _byline(line.text[2:])
                draft.reporters.extend(reporters)
                draft.correspondents.extend(correspondents)
                draft.add("byline", line)
        elif line.kind in ("caption", "credit"):
            credit = line if line.kind == "credit" else (nxt if nxt is not None and nxt.kind == "credit" else None)
            names = _names(credit.text[:-1]) if credit is not None else ()
            # A photo after the body of a news brief, by someone other than its reporter,
            # opens the next (headline-less) article: briefs print no photos mid-text.
            starts_new = draft is None or (
                draft.has_body and draft.brief and not set(names) & set(draft.reporters)
            )
            if starts_new:
                draft = open_article([])
            assert draft is not None
            draft.add(line.kind, line)
            if line.kind == "credit":
                draft.photographers.extend(n for n in names if n not in draft.photographers)
        else:
            if draft is None:
                draft = open_article([])
            draft.add("body", line)
    settle(None)
    return _finish(page, drafts, loose)


def _title_roles(run: list[_Line]) -> Iterator[tuple[str, _Line]]:
    """Name each line of a headline block: section, kicker, headline, subtitle, columnist."""
    if not run:
        return
    marked = [line.level for line in run if line.level]
    if marked:
        top = min(marked)
        head = max(i for i, line in enumerate(run) if line.level == top)
    else:
        plain = [i for i, line in enumerate(run) if not line.text.startswith("——")]
        head = plain[-1] if plain else 0
    for i, line in enumerate(run):
        if i < head:
            yield ("kicker" if i == head - 1 else "section"), line
        elif i == head:
            yield "headline", line
        elif not line.level and looks_like_person_name(line.text):
            yield "columnist", line
        else:
            yield "subtitle", line


def _finish(page: Page, drafts: list[_Draft], loose: list[tuple[_Line, str]]) -> PageDoc:
    """Turn drafts into articles: cut segments at line bounds, join column breaks, drop duplicates."""
    text = page.text
    # A segment runs from its own start to the next segment's start, so that markup,
    # line ends and blank lines all belong somewhere; the first one also takes the page's lead.
    starts = sorted(
        [line.text_start + skip if skip else line.start for draft in drafts for _, line, skip in draft.parts]
        + [line.start for line, _ in loose]
    )
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    first = starts[0] if starts else len(text)

    def make(role: str, line: _Line, skip: int) -> Segment:
        start = line.text_start + skip if skip else line.start
        clean = line.text[skip:] if skip else line.text
        if role == "byline" and skip == 0:
            m = _INLINE_BYLINE.match(line.text)
            clean = line.text[: m.end()].rstrip() if m else clean
        seg_start = 0 if start == first else start
        return Segment(role, seg_start, ends[start], clean, line.text_start + skip)

    segmented = [[make(role, line, skip) for role, line, skip in draft.parts] for draft in drafts]
    duplicates = _duplicate_paragraphs(segmented)

    articles: list[Article] = []
    fragments: list[Fragment] = []
    for d, (draft, segments) in enumerate(zip(drafts, segmented)):
        kept = tuple(s for k, s in enumerate(segments) if (d, k) not in duplicates)
        for k, s in enumerate(segments):
            if (d, k) in duplicates:
                fragments.append(_fragment(page, s.start, s.end, "repeats a paragraph printed in another article"))
        if not kept:
            continue
        headline = next((s.text for s in kept if s.role == "headline"), None)
        kicker = " ".join(s.text for s in kept if s.role in ("section", "kicker")) or None
        subtitle = " ".join(s.text.lstrip("—").strip() for s in kept if s.role == "subtitle") or None
        raw = text[kept[0].start: kept[-1].end]
        articles.append(
            Article(
                id=content_id(page.id, headline or "", raw),
                page=page.name,
                page_id=page.id,
                index=len(articles),
                headline=headline,
                kicker=kicker,
                subtitle=subtitle,
                reporters=tuple(dict.fromkeys(draft.reporters)),
                photographers=tuple(dict.fromkeys(draft.photographers)),
                columnists=tuple(draft.columnists),
                correspondents=tuple(dict.fromkeys(draft.correspondents)),
                segments=kept,
                passages=_passages(kept),
            )
        )
    for line, reason in loose:
        start = 0 if line.start == first else line.start
        fragments.append(_fragment(page, start, ends[line.start], reason))
    if not starts and text:
        fragments.append(_fragment(page, 0, len(text), "no text"))
    fragments.sort(key=lambda f: f.start)
    return PageDoc(page, tuple(articles), tuple(fragments))


def _fragment(page: Page, start: int, end: int, reason: str) -> Fragment:
    body = page.text[start:end]
    return Fragment(content_id(page.id, str(start), body), page.name, start, end, body.strip(), reason)


def _passages(segments: tuple[Segment, ...]) -> tuple[Passage, ...]:
    """Group segments into passages, joining body paragraphs broken at a column break."""
    out: list[Passage] = []
    open_body: tuple[str, list[tuple[int, int]]] | None = None
    for s in segments:
        if s.role in ("byline", "credit"):
            continue
        if s.role != "body":
            if s.role != "caption" and open_body is not None:
                out.append(Passage("body", open_body[0], tuple(open_body[1])))
                open_body = None
            out.append(Passage(s.role, s.text, ((0, s.text_start),)))
            continue
        if open_body is not None and not ends_sentence(open_body[0]) and not _LIST_ITEM.match(s.text):
            body, anchors = open_body
            anchors.append((len(body), s.text_start))
            open_body = (body + s.text, anchors)
            continue
        if open_body is not None:
            out.append(Passage("body", open_body[0], tuple(open_body[1])))
        open_body = (s.text, [(0, s.text_start)])
    if open_body is not None:
        out.append(Passage("body", open_body[0], tuple(open_body[1])))
    # Captions sit where the photo was printed; keep passages in reading order, captions after.
    return tuple(sorted(out, key=lambda p: (p.role == "caption",)))


def _duplicate_paragraphs(segmented: list[list[Segment]]) -> set[tuple[int, int]]:
    """Body paragraphs printed twice on a page: keep the copy that fits its article best."""
    seen: dict[str, list[tuple[int, int]]] = {}
    for d, segments in enumerate(segmented):
        for k, s in enumerate(segments):
            if s.role == "body" and len(s.text) >= 30:
                seen.setdefault(re.sub(r"\s+", "", s.text), []).append((d, k))
    drop: set[tuple[int, int]] = set()
    for key, places in seen.items():
        if len(places) < 2:
            continue

        def fit(place: tuple[int, int]) -> float:
            d, k = place
            rest = "".join(s.text for j, s in enumerate(segmented[d]) if j != k)
            grams = {key[i: i + 2] for i in range(len(key) - 1)}
            return sum(1 for g in grams if g in rest) / max(1, len(grams))

        best = max(places, key=lambda p: (fit(p), -p[0]))
        drop.update(p for p in places if p != best)
    return drop
