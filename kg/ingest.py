"""Pages -> articles: decode page files and cut each page into articles and fragments.

A page is a column-ordered dump of one newspaper page: headlines with or without
markdown `#`, kickers above them, `——` subtitles, bylines, photo captions with
credits, body paragraphs broken at column breaks, and stray pieces of articles
printed elsewhere. `segment` assigns every character of the page to exactly one
article segment or fragment.

Pages saved from the sites come in three more shapes, told apart by their lines, not their
file names (the marker words are in ontology/page_shapes.toml): e-paper excerpts (当前版 /
标题导航 navigation), web articles (date, 作者, 来源, 编辑 lines; 本文地址 footers; related
links) and government pages (索引号 … 时效 header). Navigation, table rules and what follows a
footer become fragments; meta lines become the article's data (headline, reporters, publisher,
publication date) and are never body text. An article's publication date comes from its page's
manifest entry, meta lines, address or file name, first found.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from . import dates, lexicon
from .lexicon import page_shapes
from .model import Article, Fragment, Page, PageDoc, Passage, Segment, content_id
from .nlp import word_ends
from .text import first_chars, regex_branches, required_chars


# A sentence is complete when it ends in one of these, optionally followed by closing quotes.
_FINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
_CJK_NAME = r"[\u4e00-\u9fff·]{2,5}"
_NAME_LIST = re.compile(_CJK_NAME)
# 本报讯（记者 邸东芳）/ 本报讯 (记者 张鑫 通讯员 李四) / a bare 本报讯 at the start of a body paragraph;
# the same with a dateline: 本报大同6月5日讯, 新华社太原12月1日电（记者 张三）.
_INLINE_BYLINE = re.compile(
    r"^(?:本报讯|本报[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日[讯电]|[\u4e00-\u9fff]{2,14}?\d{1,2}月\d{1,2}日电(?=\s*[（(:：\s]))"
    r"(?:\s*[（(]\s*([^（）()\n]{0,40}?)\s*[）)])?[\s:：]*"
)
_NAMES = rf"{_CJK_NAME}(?:[\s\u3000、，,]+{_CJK_NAME})*"


@lru_cache(maxsize=1)
def _shapes() -> "_Shapes":
    """The page-shape patterns, compiled from ontology/page_shapes.toml."""
    return _Shapes()


def _fold(text: str) -> str:
    """`text` with the traditional characters of marker words made simplified, same length:
    markers are matched on it, values are cut from the original at the same offsets."""
    shapes = _shapes()
    # translate looks every character up in a dict; most lines hold no traditional character,
    # which a character class finds (or not) several times faster
    return text.translate(shapes.fold) if shapes.traditional.search(text) else text


class _Shapes:
    def __init__(self) -> None:
        data = page_shapes()
        markers = "|".join(re.escape(m) for m in data.byline_markers)
        credit = "|".join(re.escape(m) for m in sorted(data.credit_ends, key=len, reverse=True))
        self.data = data
        self.fold = str.maketrans(data.traditional)
        self.traditional = re.compile("[" + "".join(sorted(map(re.escape, data.traditional))) + "]")
        # 本报记者 段雨萌 / 记者 张三 通讯员 李四 on a line of its own, at the head or the foot of an article.
        self.byline_line = re.compile(rf"^(?:{markers})[\s\u3000:：]*({_NAMES})$")
        # 文/图 张三, 文/李四, 图/王五: who wrote and who took the photos.
        self.slash_byline = re.compile(rf"^(?:(?P<both>文\s*[/／]\s*图|图\s*[/／]\s*文)[\s:：/／]*|(?P<one>文|图)\s*[/／:：]\s*)(?P<names>{_NAMES})$")
        # 段雨萌摄 / 记者 于宏 摄 / 本报记者 戎禹仁摄 / 于宏 张三摄
        # The characters a byline line opens with (None when not known): a line opening with
        # another needs neither pattern tried.
        byline_firsts = [first_chars(self.byline_line.pattern), first_chars(self.slash_byline.pattern)]
        self.byline_firsts = None if None in byline_firsts else frozenset(c for f in byline_firsts for c in f or ())
        self.credit = re.compile(rf"^(?:{markers})?[\s\u3000]*({_NAMES})[\s\u3000/]*(?:{credit})$")
        # …。 本报记者 韩堃摄 at the end of a caption or paragraph
        self.trailing_credit = re.compile(rf"(?<=[。！？!?”’）)])[\s\u3000]*((?:{markers})?[\s\u3000]*{_NAMES}[\s\u3000/]*(?:{credit}))$")
        # …居民。(孙向阳 通讯员安一平) / (记者 张三): the reporters named at the end of a story
        self.trailing_byline = re.compile(r"(?<=[。！？!?”’])[\s\u3000]*([（(][^（）()]{2,30}[）)])$")
        # How a line those two can match ends ($ matches before a final \n too): most lines end
        # otherwise, and need no search of every position.
        self.credit_tails = tuple(data.credit_ends) + tuple(c + "\n" for c in data.credit_ends) if data.credit_ends else ("",)
        self.byline_tails = ("）", ")", "）\n", ")\n")
        self.noise = re.compile("|".join(re.escape(w) for w in data.byline_noise))
        # A line is navigation when any nav pattern, so any of their top-level alternatives,
        # matches it. Those anchored at the line's start are tried there only, together (one
        # alternation searched over the line would try every one at every character); the
        # others are searched.
        branches = [b for n in data.nav for b in regex_branches(n)]
        anchored = [b for b in branches if b.startswith("^")]
        anywhere = [b for b in branches if not b.startswith("^")]
        self.nav_anywhere = re.compile("|".join(f"(?:{n})" for n in anywhere) or "(?!)")
        # Most lines are no navigation, and quick tests tell most of them so: the anchored
        # patterns whose first characters are known are tried only on a line opening with one
        # of them; the others only on a line holding a character every match of one of them holds.
        firsts = {n: first_chars(n) for n in anchored}
        known = [n for n in anchored if firsts[n] is not None]
        self.nav_first = frozenset(c for n in known for c in firsts[n] or ())
        self.nav_known = re.compile("|".join(f"(?:{n})" for n in known) or "(?!)")
        others = [n for n in anchored if firsts[n] is None]
        self.nav_other = re.compile("|".join(f"(?:{n})" for n in others) or "(?!)")
        needed = [required_chars(n) for n in others + anywhere]
        self.nav_gate = re.compile(
            "" if any(n is None for n in needed)  # "" finds a match in any line: no quick test
            else ("[" + "".join(sorted(re.escape(c) for n in needed for c in n or ())) + "]" if needed else "(?!)")
        )
        self.rule = re.compile(f"^[{re.escape(data.rule_chars)}]+$")
        self.rule_chars = frozenset(data.rule_chars)
        self.tail = tuple(data.tail_openers)
        self.address = re.compile(re.escape(data.address_label) + r"\s*[:：]\s*(?P<title>.*?)\s*(?P<url>https?://\S+)?\s*$")
        label_field = {label: field for field, labels in data.meta.items() for label in labels}
        self.label_field = {re.sub(r"\s", "", k): v for k, v in label_field.items()}
        alternatives = sorted(self.label_field, key=len, reverse=True)
        spaced = "|".join(r"[\s\u3000]*".join(re.escape(ch) for ch in label) for label in alternatives)
        # a label opens the line or follows a blank or a |, and is closed by a colon
        self.label = re.compile(rf"(?:^|(?<=[\s\u3000|｜]))(?P<label>{spaced})[\s\u3000]*[:：]")
        self.trailing_date = re.compile(r"\s+(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
        self.date_line = re.compile(
            r"^(?P<date>(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
            r"(?:\s*(?:星期|周)[一二三四五六日天])?)\s*(?:发表|发布|来源)?(?=[\s\u3000|｜]|$)"
        )


# Compiled once: these run per line, segment or name, where re's cache look-up per call was measurable.
_HAN_2_4 = re.compile(r"[\u4e00-\u9fff]{2,4}")
_HEADING_MARK = re.compile(r"#{1,6}[ \t\u3000]*")
_PUBLISHER_DATE = re.compile(r"\s*(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?.*$")  # 来源：大同日报 2024-07-01
_LIST_ITEM = re.compile(r"^(?:[-*•·]\s+|\d{1,3}[.、．]\s*\D)")
_HEADING_MAX = 45  # longest line taken for a headline or kicker, in characters
_CAPTION_MAX = 120
_INLINE_CAPTION_MAX = 50  # a caption printed on one line with its credit


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
    return frozenset(lexicon.read_lines("surnames.txt"))


def looks_like_person_name(text: str) -> bool:
    """A bare 2-3 character name with a known family name (闫昌, 欧阳明)."""
    if not _HAN_2_4.fullmatch(text):
        return False
    family = surnames()
    return (text[:2] in family and len(text) >= 3) or (text[0] in family and len(text) <= 3)


# ---------------------------------------------------------------- lines

class _Line(NamedTuple):
    """A line of a page as read. A named tuple, not a frozen dataclass: one is made per line of
    every page, and a frozen dataclass's __init__ (a guarded setattr per field) cost more than
    deciding some lines' kind."""

    start: int  # offset of the line in the page
    text_start: int  # offset of the content after markup
    text: str  # content without markup and surrounding blanks
    level: int  # markdown heading level; 0 for plain text
    kind: str  # title byline credit caption list text | nav rule meta tail address
    cut: int | None = None  # where a byline or credit printed at the end of the line starts in `text`
    cut_kind: str = ""  # "byline" or "credit"


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    at = 0
    shapes = _shapes()
    rule_chars, rule, fold, traditional = shapes.rule_chars, shapes.rule, shapes.fold, shapes.traditional
    for raw in text.split("\n"):
        start, at = at, at + len(raw) + 1
        body = raw.strip(" \t\u3000")
        if not body:
            continue
        # (a rule is made of rule characters only: a line opening with another is none)
        if body[0] not in rule_chars or not rule.match(body):
            # table cells (| … |) and the box before an e-paper byline (□ 本报记者) are markup
            body = body.strip("|｜ \t\u3000").lstrip("□■").strip(" \t\u3000")
            if not body:
                continue
        lead = raw.index(body[0])
        level = 0
        m = _HEADING_MARK.match(body) if body[0] == "#" else None
        if m and len(body) > m.end():
            level = body[: m.end()].count("#")
            lead += m.end()
            body = body[m.end():]
        elif body[0] in "-*•·" and _LIST_ITEM.match(body):
            skip = re.match(r"[-*•·]\s+", body)
            assert skip is not None
            lead += skip.end()
            body = body[skip.end():]
            out.append(_Line(start, start + lead, body, 0, "list"))
            continue
        key = body.translate(fold) if traditional.search(body) else body  # _fold, inlined: once per line
        kind = _kind(key, level, shapes)
        cut, cut_kind = _cut(key, kind, shapes)
        if cut is not None and kind in ("text", "title"):
            # a caption with its credit on one line: 早市为居民买菜提供了方便。 王晓摄
            # (a longer paragraph with a credit is a photo story's text: body, not caption)
            kind = "caption" if cut_kind == "credit" and cut <= _INLINE_CAPTION_MAX else "text"
        out.append(_Line(start, start + lead, body, level, kind, cut, cut_kind))
    return _mark_captions(out)


def _menu(lines: list[_Line]) -> list[_Line]:
    """Short list items opening a page (- 热门职位 / - 地区招聘) are the site's menu, and a line naming
    the site (大同新闻网) its name: navigation, not the article."""
    shapes = page_shapes()
    run = 0
    while run < len(lines) and lines[run].kind == "list" and len(lines[run].text) <= shapes.menu_item_max \
            and re.fullmatch(r"[\u4e00-\u9fffA-Za-z]+", lines[run].text):
        run += 1
    if run < shapes.menu_run:
        run = 0
    if run < len(lines) and lines[run].kind == "title" and not lines[run].level \
            and re.fullmatch(shapes.site_name, _fold(lines[run].text)):
        run += 1  # 大同新闻网 over the page
    return [line._replace(kind="nav") for line in lines[:run]] + lines[run:]


def _cut(text: str, kind: str, shapes: _Shapes) -> tuple[int | None, str]:
    """Where a credit or byline printed at the end of a text line starts: (offset, kind) or (None, "")."""
    lead = 0
    if kind == "byline":
        inline = _INLINE_BYLINE.match(text)  # 本报讯 近日，…会议。（王强）
        if not inline or inline.end() >= len(text):
            return None, ""
        lead = inline.end()
    elif kind not in ("text", "title", "caption", "list"):
        return None, ""
    m = shapes.trailing_credit.search(text, lead) if text.endswith(shapes.credit_tails) else None
    if m and m.start(1) > lead:
        return m.start(1), "credit"
    m = shapes.trailing_byline.search(text, lead) if text.endswith(shapes.byline_tails) else None
    if m and m.start(1) > lead and _paren_names(m.group(1)):
        return m.start(1), "byline"
    return None, ""


def _paren_names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(孙向阳 通讯员安一平) -> ((孙向阳,), (安一平,)); None when the brackets hold anything but names."""
    inner = text.strip("（）() \u3000")
    reporters, correspondents = _byline(inner)
    names = reporters + correspondents
    rest = _shapes().noise.sub("", _fold(inner))
    for n in names:
        rest = rest.replace(_fold(n), "", 1)
    # after an explicit 记者 a pen name without a family name is a name too: (记者 锦秀)
    marked = re.match(r"(?:本报|特约|见习|实习)?记者", _fold(inner)) is not None
    if not names or len(names) > 4 or rest.strip(" \u3000、，,") or not all(
        looks_like_person_name(n) or (marked and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n)) for n in names
    ):
        return None
    return reporters, correspondents


_URL = re.compile(r"https?://[^\s<>\"'，。]+")
_YEAR = re.compile(r"(?:19|20)\d\d")  # how every date a meta line may open with (_Shapes.date_line) starts
_PEOPLE_FIELDS = ("author", "correspondent", "photographer", "editor")
# The fields of the line printed under a web headline (2024-07-24 作者:… 来源:…), which confirms it.
_DATELINE_FIELDS = frozenset({"date", "author", "correspondent", "photographer", "publisher"})


def _only_names(value: str) -> bool:
    """Does `value` hold only people's names (张诗珩 陈云华, 郭琳、陶冶, 本报记者 谭人玮)?"""
    rest = _shapes().noise.sub(" ", _fold(value))
    parts = [p for p in re.split(r"[\s\u3000、，,;；/]+", rest) if p]
    return bool(parts) and len(parts) <= 8 and all(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", p) for p in parts)


def meta_fields(text: str) -> dict[str, str] | None:
    """The fields of a meta line (发布时间:2025-09-15 10:27 来源:迎宾街道 -> date, publisher), or None.

    A meta line is a run of `label: value` pairs (labels in ontology/page_shapes.toml), optionally
    after a date-time; a bare date-time line is one too.
    """
    if len(text) > 160:
        return None
    if "http" not in text and "：" not in text and ":" not in text and not (
        ("19" in text or "20" in text) and _YEAR.search(text)  # (a year opens with one of those)
    ):
        return None  # the quick check below, before blanking brackets, which changes none of this
    text = text.replace("【", " ").replace("】", " ").strip()  # 【来源：大同日报】【作者：张三】
    shapes = _shapes()
    if "http" not in text and not _YEAR.search(text) and (
        ("：" not in text and ":" not in text) or not shapes.label.search(_fold(text))
    ):
        # most lines: no piece can open with a date or be an address, and no label is anywhere
        # (a label opening a piece is one after a bar or a blank in the line), so no piece is meta.
        # A label is closed by a colon, which folding leaves alone: a line without one needs no
        # search for a label at every position.
        return None
    fields: dict[str, str] = {}
    # 来源：大同日报 | 作者：张晓东 | 2024-07-01 10:00:00: a bar ends a value
    for chunk in re.split(r"[|｜]", text):
        found = _meta_chunk(chunk.strip(" \u3000"))
        if found is None:
            return None
        for field, value in found.items():
            if field in _PEOPLE_FIELDS and fields.get(field):
                fields[field] += " " + value
            else:
                fields.setdefault(field, value)
    return fields or None


def _meta_chunk(text: str) -> dict[str, str] | None:
    """The fields of one bar-separated piece of a meta line; {} for an empty piece, None for text."""
    shapes = _shapes()
    fields: dict[str, str] = {}
    if not text:
        return fields
    if _URL.fullmatch(text):
        return {"url": text}  # the page's address printed on a line of its own
    key = _fold(text)
    at = 0
    lead = shapes.date_line.match(key)
    if lead:
        fields["date"] = lead.group("date")
        at = lead.end()
    labels = list(shapes.label.finditer(key, at))
    if not labels:
        return fields if lead and not text[at:].strip(" \u3000") else None
    if text[at: labels[0].start()].strip(" \u3000"):
        return None
    for m, nxt in zip(labels, labels[1:] + [None]):
        label = re.sub(r"\s", "", m.group("label"))
        field = shapes.label_field[label]
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(" \u3000")
        if field == "date" and (value or label in shapes.data.date_only) and not shapes.date_line.fullmatch(_fold(value)):
            return None  # 时间：2024年3月16日 地点：和阳广场 is a notice in the body, not the page's date
        if field in _PEOPLE_FIELDS and value:
            trailing = shapes.trailing_date.search(value)  # 作者：张三 2024-01-01
            if trailing:
                fields.setdefault("date", trailing.group().strip())
                value = value[: trailing.start()].strip()
            if not _only_names(value):
                return None  # 图：志愿者为游客处理伤口。 is a caption, not a credit
        if field == "headline" and len(value) > _HEADING_MAX * 2:
            return None
        if field == "url" and value and not _URL.fullmatch(value):
            return None
        if field in _PEOPLE_FIELDS and fields.get(field):
            fields[field] += " " + value  # 一审：张三 二审：李四: both are editors
        else:
            fields.setdefault(field, value)
    return fields


def _is_nav(text: str, shapes: _Shapes) -> bool:
    """Is the line navigation: does any of page_shapes.toml's nav patterns match it?"""
    return bool(
        (text[:1] in shapes.nav_first and shapes.nav_known.match(text))
        or (shapes.nav_gate.search(text) and (shapes.nav_other.match(text) or shapes.nav_anywhere.search(text)))
    )


def _kind(text: str, level: int, shapes: _Shapes) -> str:
    """What a line is (its text folded); `shapes` is _shapes(), passed as it is asked for per line."""
    if text[:1] in shapes.rule_chars and shapes.rule.match(text):
        return "rule"
    if shapes.address.search(text):
        return "address"
    if text.startswith(shapes.tail) and len(text) <= 40 and not re.search(f"[{_FINAL}，,]", text):
        return "tail"  # 相关新闻 / 关于我们 网站运营 …, not 相关政策将于下月实施。
    if _is_nav(text, shapes):
        return "nav"
    if not level and meta_fields(text) is not None:
        return "meta"
    if len(text) <= 20 and shapes.credit.match(text):
        return "credit"
    if _INLINE_BYLINE.match(text):
        return "byline"
    firsts = shapes.byline_firsts
    byline = (shapes.byline_line.match(text) or shapes.slash_byline.match(text)) if firsts is None or text[:1] in firsts else None
    # 本报记者 X is a byline whatever X; after a bare 记者 or 文/ the names must look like names (记者手记 is not)
    if byline and (text.startswith("本报") or all(
        looks_like_person_name(n) for n in _names(byline.groupdict().get("names") or byline.group(1))
    )):
        return "byline"
    if text.startswith(shapes.data.caption_starts) and len(text) <= _CAPTION_MAX:
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
    # credits are few: visit the lines above them only (a caption is never a credit, so marking
    # one changes no other line's turn)
    for i in [i for i, line in enumerate(lines) if i and line.kind == "credit"]:
        here = out[i - 1]
        if here.kind in ("text", "title") and not here.level and len(here.text) <= _CAPTION_MAX:
            out[i - 1] = here._replace(level=0, kind="caption")
    return out


def _byline(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(reporters, correspondents) of a byline: 记者 李娜 通讯员 赵鹏 -> ((李娜,), (赵鹏,))."""
    key = _fold(text)
    for label in _shapes().data.meta.get("correspondent", ("通讯员",)):
        at = key.find(label)
        if at >= 0:
            return _names(text[:at]), _names(text[at + len(label):])
    return _names(text), ()


def _names(text: str) -> tuple[str, ...]:
    """Names in a byline or credit, as printed: 记者 张三 通讯员 李四 -> (张三, 李四)."""
    cleaned = _shapes().noise.sub(lambda m: " " * len(m.group()), _fold(text))
    return tuple(text[m.start(): m.end()] for m in _NAME_LIST.finditer(cleaned))


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
        self.parts: list[tuple[str, _Line, int, int | None]] = []  # (role, line, start and stop in line.text)
        self.reporters: list[str] = []
        self.photographers: list[str] = []
        self.columnists: list[str] = []
        self.correspondents: list[str] = []
        self.editors: list[str] = []
        self.meta: dict[str, str] = {}  # field -> value, from the article's meta lines; the first one wins
        self.brief = brief  # opened by 本报讯: a news brief
        self.has_body = False
        self.has_headline = False

    def add(self, role: str, line: _Line, skip: int = 0, stop: int | None = None) -> None:
        self.parts.append((role, line, skip, stop))
        if role == "body":
            self.has_body = True
        if role == "headline":
            self.has_headline = True

    def headline(self) -> str | None:
        return next((line.text for role, line, _, _ in self.parts if role == "headline"), None)

    def take_meta(self, fields: dict[str, str]) -> bool:
        """Record a meta line's fields; True when it names authors (so it reads as a byline)."""
        named = False
        for field, value in fields.items():
            if field in ("author", "correspondent", "photographer", "editor"):
                # 大同日报记者 张三: the paper before 记者 is no one
                people = [n for n in _names(value) if looks_like_person_name(_fold(n))]
                target = {"author": self.reporters, "correspondent": self.correspondents,
                          "photographer": self.photographers, "editor": self.editors}[field]
                target.extend(n for n in people if n not in target)
                named = named or (bool(people) and field != "editor")
            elif value:
                self.meta.setdefault(field, value)
        return named


def _credit_names(text: str) -> tuple[str, ...]:
    """Names in a photo credit: 本报记者 戎禹仁摄 -> (戎禹仁,)."""
    for end in sorted(_shapes().data.credit_ends, key=len, reverse=True):
        if _fold(text).endswith(end):
            text = text[: -len(end)]
            break
    return _names(text)


def segment(page: Page) -> PageDoc:
    """Cut a page into articles and fragments; every character lands in exactly one.

    Navigation lines, table rules and whatever follows the article's footer (标题导航, 本文地址,
    related links) become fragments; meta lines (作者:, 来源:, 发布日期:) become the article's data.
    """
    lines = _menu(_lines(page.text))
    drafts: list[_Draft] = []
    loose: list[tuple[_Line, str]] = []  # lines that belong to no article, with the reason
    pending: list[_Line] = []  # title-like lines waiting for what follows to say what they are

    def current() -> _Draft | None:
        return drafts[-1] if drafts else None

    def open_article(titles: list[_Line], brief: bool = False) -> _Draft:
        draft = current()
        # a draft holding only the page's meta header (索引号 … 标题 …) takes the headline that follows it
        header_only = draft is not None and bool(titles) and all(line.kind == "meta" for _, line, _, _ in draft.parts)
        if draft is None or not header_only:
            draft = _Draft(brief)
            drafts.append(draft)
        draft.brief = draft.brief or brief
        for role, line in _title_roles(titles):
            if role == "columnist":
                draft.columnists.append(line.text)
                role = "byline"
            draft.add(role, line)
        return draft

    def settle(next_line: _Line | None) -> None:
        """Decide what the pending title-like lines are, now that `next_line` follows."""
        nonlocal pending
        if not pending:
            return
        run, pending = pending, []
        draft = current()
        if draft is not None and not draft.has_body and draft.has_headline:
            # under a headline and before the body: the headline printed again, or its subtitle
            rest = []
            for line in run:
                if line.text == draft.headline():
                    draft.add("repeat", line)
                elif line.text.startswith("——"):
                    draft.add("subtitle", line)
                else:
                    rest.append(line)
            run = rest
            if not run:
                return
        confirmed = any(line.level and line.level <= 2 for line in run) or (
            next_line is not None and next_line.kind in ("byline", "caption", "credit", "meta")
        )
        if confirmed and next_line is not None and next_line.kind == "meta" and draft is not None and draft.has_body \
                and _shapes().date_line.fullmatch(next_line.text):
            confirmed = False  # a name over a bare date after the body: the signature of a notice (落款)
        if next_line is not None and next_line.kind == "meta" and not any(line.level for line in run) \
                and not (meta_fields(next_line.text) or {}).keys() & _DATELINE_FIELDS and (draft is None or not draft.has_body):
            # over a government page's 索引号 / 信息分类 / 标题 header: the site's name, not a headline
            loose.extend((line, "site header over the page's meta lines") for line in run)
            return
        if next_line is not None and next_line.kind == "meta" and not any(line.level for line in run):
            # a web page's headline sits right over its date/author line; lines above it are the site's name
            heads = [k for k, line in enumerate(run) if not line.text.startswith("——")]
            if len(heads) > 1:
                loose.extend((line, "site name over the headline") for line in run[: heads[-1]])
                run = run[heads[-1]:]
        if confirmed or (draft is None and next_line is not None) or (
            draft is not None and not draft.has_body and not draft.has_headline and next_line is not None
        ):
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

    def add_credit(draft: _Draft, line: _Line, skip: int = 0) -> None:
        draft.add("credit", line, skip)
        names = _credit_names(line.text[skip:])
        draft.photographers.extend(n for n in names if n not in draft.photographers)

    def add_byline(draft: _Draft, line: _Line, skip: int = 0) -> None:
        text = line.text[skip:]
        slash = _shapes().slash_byline.match(_fold(text))
        if slash:
            names = _names(text[slash.start("names"): slash.end("names")])
            if slash.group("both") or slash.group("one") == "文":
                draft.reporters.extend(names)
            if slash.group("both") or slash.group("one") == "图":
                draft.photographers.extend(n for n in names if n not in draft.photographers)
        else:
            paren = _paren_names(text) if text[:1] in "（(" else None
            reporters, correspondents = paren if paren else _byline(text)
            draft.reporters.extend(reporters)
            draft.correspondents.extend(correspondents)
        draft.add("byline", line, skip)

    def add_cut(draft: _Draft, line: _Line) -> None:
        """The byline or credit printed at the end of `line`, after its text was added."""
        if line.cut is None:
            return
        if line.cut_kind == "credit":
            add_credit(draft, line, line.cut)
        else:
            add_byline(draft, line, line.cut)

    def tail_from(i: int, reason: str) -> None:
        for rest in lines[i:]:
            loose.append((rest, reason))

    i = 0
    read_body = False
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        i += 1
        # a draft never loses its body, so once one has it the drafts need no more looking over
        read_body = read_body or any(d.has_body for d in drafts)
        if line.kind in ("nav", "rule") or (line.kind == "tail" and not read_body):
            loose.append((line, "navigation line" if line.kind != "rule" else "table rule"))
            continue
        if line.kind in ("tail", "address"):
            settle(None)
            draft = current()
            if line.kind == "address" and draft is not None:
                m = _shapes().address.search(_fold(line.text))
                assert m is not None
                if m.group("title"):
                    draft.meta.setdefault("footer_title", line.text[m.start("title"): m.end("title")])
                if m.group("url"):
                    draft.meta.setdefault("url", line.text[m.start("url"): m.end("url")])
                draft.add("meta", line)
            else:
                loose.append((line, "footer"))
            tail_from(i, "navigation or footer after the article")
            break
        if (
            line.kind == "title" and read_body and nxt is not None and nxt.kind == "text"
            and nxt.text.endswith(_shapes().data.teaser_ends) and not nxt.text.endswith("……")
            and (i + 1 >= len(lines) or lines[i + 1].kind == "title")
        ):
            # a related-news list after the article: a title, then a first paragraph cut off with …
            settle(None)
            tail_from(i - 1, "related articles after the article")
            break
        if line.kind == "title":
            pending.append(line)
            continue
        if pending:  # (settle has nothing to decide without)
            settle(line)
        draft = current()
        stop = line.cut
        if line.kind == "meta":
            fields = meta_fields(line.text) or {}
            if draft is None:
                draft = open_article([])
            draft.add("byline" if draft.take_meta(fields) else "meta", line)
        elif line.kind == "byline":
            inline = _INLINE_BYLINE.match(_fold(line.text))
            if inline:
                if draft is None or draft.has_body:
                    draft = open_article([], brief=True)
                draft.brief = True
                reporters, correspondents = _byline(line.text[inline.start(1): inline.end(1)] if inline.group(1) else "")
                draft.reporters.extend(reporters)
                draft.correspondents.extend(correspondents)
                draft.add("byline", line)
                rest = line.text[inline.end():]
                if rest:
                    draft.add("body", line, inline.end(), stop)
                    if line.cut is not None:
                        add_cut(draft, line)
            else:
                if draft is None:
                    draft = open_article([])
                add_byline(draft, line)
        elif line.kind in ("caption", "credit"):
            credit = line if line.kind == "credit" else (nxt if nxt is not None and nxt.kind == "credit" else None)
            names = _credit_names(credit.text) if credit is not None else ()
            if line.cut is not None and line.cut_kind == "credit":
                names = _credit_names(line.text[line.cut:])
            # A photo after the body of a news brief, by someone other than its reporter,
            # opens the next (headline-less) article: briefs print no photos mid-text.
            starts_new = draft is None or (
                draft.has_body and draft.brief and not set(names) & set(draft.reporters)
            )
            if starts_new:
                draft = open_article([])
            assert draft is not None
            if line.kind == "credit":
                add_credit(draft, line)
            else:
                draft.add("caption", line, 0, stop)
                add_cut(draft, line)
        else:
            if draft is None:
                draft = open_article([])
            draft.add("body", line, 0, stop)
            if stop is not None:  # (the line's cut)
                add_cut(draft, line)
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
        # a column name (图片新闻) printed where a headline would be is a kicker: the story has no headline
        plain = [i for i, line in enumerate(run) if not line.text.startswith("——") and _fold(line.text) not in _shapes().data.columns]
        head = plain[-1] if plain else len(run)
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
        [line.text_start + skip if skip else line.start for draft in drafts for _, line, skip, _ in draft.parts]
        + [line.start for line, _ in loose]
    )
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    first = starts[0] if starts else len(text)

    segmented: list[list[Segment]] = []
    for draft in drafts:  # (a loop, not a function called per segment: there are many)
        segments: list[Segment] = []
        for role, line, skip, stop in draft.parts:
            start = line.text_start + skip if skip else line.start
            clean = line.text[skip:stop].rstrip(" \t\u3000") if stop is not None else line.text[skip:]
            if role == "byline" and skip == 0 and stop is None:
                m = _INLINE_BYLINE.match(_fold(line.text))
                clean = line.text[: m.end()].rstrip() if m else clean
            segments.append(Segment(role, 0 if start == first else start, ends[start], clean, line.text_start + skip))
        segmented.append(segments)
    duplicates = _duplicate_paragraphs(segmented)

    articles: list[Article] = []
    fragments: list[tuple[int, int, str]] = []  # (start, end, reason): made Fragments once in order
    for d, (draft, segments) in enumerate(zip(drafts, segmented)):
        kept = tuple(s for k, s in enumerate(segments) if (d, k) not in duplicates) if duplicates else tuple(segments)
        for k, s in enumerate(segments) if duplicates else ():
            if (d, k) in duplicates:
                fragments.append((s.start, s.end, "repeats a paragraph printed in another article"))
        if not kept:
            continue
        meta = draft.meta
        # printed over the story, else the header's 标题:, else the footer's 本文地址:
        headline = next((s.text for s in kept if s.role == "headline"), None) or meta.get("headline") or meta.get("footer_title") or None
        url = page.url or meta.get("url")
        published = page.date or dates.full_date(meta.get("date", "")) or dates.full_date(meta.get("publisher", ""))
        published = published or (dates.date_in_url(url) if url else None) or dates.date_in_name(page.name)
        publisher = (_PUBLISHER_DATE.sub("", meta["publisher"]).strip() or None) if "publisher" in meta else None
        kicker = " ".join(s.text for s in kept if s.role in ("section", "kicker")) or None
        subtitle = " ".join(s.text.lstrip("—").strip() for s in kept if s.role == "subtitle") or None
        raw = text[kept[0].start: kept[-1].end]
        # The id names the article by its page's identity and its headline (the n-th article of
        # the page with that headline, or without one), not by its text: fixing a character of a
        # body keeps every IRI (docs/rdf-sparql.md, "Article IRIs").
        same_headline = sum(1 for a in articles if a.headline == headline)
        articles.append(
            Article(
                id=content_id(page.id, headline or "", str(same_headline)),
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
                published=published,
                url=url,
                publisher=publisher,
                editors=tuple(dict.fromkeys(draft.editors)),
                text_id=content_id(page.digest, headline or "", raw),
            )
        )
    for line, reason in loose:
        start = 0 if line.start == first else line.start
        fragments.append((start, ends[line.start], reason))
    if not starts and text:
        fragments.append((0, len(text), "no text"))
    fragments.sort(key=lambda f: f[0])
    # Like articles, fragments are named by their page's identity and their place (the n-th on the page).
    numbered = tuple(
        Fragment(content_id(page.id, "fragment", str(n)), page.name, start, end, text[start:end].strip(), reason)
        for n, (start, end, reason) in enumerate(fragments)
    )
    return PageDoc(page, tuple(articles), numbered)


def _passages(segments: tuple[Segment, ...]) -> tuple[Passage, ...]:
    """Group segments into passages, joining body paragraphs broken at a column break."""
    out: list[Passage] = []
    open_body: tuple[str, list[tuple[int, int]]] | None = None
    for s in segments:
        if s.role in ("byline", "credit", "meta", "repeat"):
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
    # (a stable partition: what sorting by "is a caption" gave, without a key call per passage)
    return tuple([p for p in out if p.role != "caption"] + [p for p in out if p.role == "caption"])


# A pair of adjacent characters as one 64-bit number: the text encoded four bytes a character,
# read eight bytes at a time from an even and from an odd character. Made and compared in C, the
# numbers cost a fraction of two-character strings sliced one by one; every pair has its own.
def _pair_codes(text: str) -> set[int]:
    """The pairs of adjacent characters in `text`, as numbers."""
    data = text.encode("utf-32-le", "surrogatepass")
    return set(_even_pairs(data)) | set(_odd_pairs(data))


def _even_pairs(data: bytes) -> memoryview:
    n = len(data) // 4
    return memoryview(data[: (n // 2) * 8]).cast("Q")


def _odd_pairs(data: bytes) -> memoryview:
    n = len(data) // 4
    return memoryview(data[4: 4 + ((n - 1) // 2) * 8]).cast("Q")


def _shared_pairs(pairs: set[int], text: str) -> int:
    """How many of `pairs` (from _pair_codes) are pairs of `text`."""
    return _shared_pairs_encoded(pairs, text.encode("utf-32-le", "surrogatepass"))


def _shared_pairs_encoded(pairs: set[int], data: bytes) -> int:
    return len(pairs.intersection(_even_pairs(data)) | pairs.intersection(_odd_pairs(data)))


def _duplicate_paragraphs(segmented: list[list[Segment]]) -> set[tuple[int, int]]:
    """Body paragraphs printed twice on a page: keep the copy that fits its article best."""
    seen: dict[str, list[tuple[int, int]]] = {}
    for d, segments in enumerate(segmented):
        for k, s in enumerate(segments):
            if s.role == "body" and len(s.text) >= 30:
                # the text without blanks: split() drops exactly what \s matches, quicker than re.sub
                seen.setdefault("".join(s.text.split()), []).append((d, k))
    drop: set[tuple[int, int]] = set()
    # an article's text encoded once, with where each segment's bytes start: the rest of the
    # article without one segment is two slices of it (four bytes a character, so they add up)
    encoded: dict[int, tuple[bytes, list[int]]] = {}
    for key, places in seen.items():
        if len(places) < 2:
            continue

        grams = _pair_codes(key)

        def fit(place: tuple[int, int]) -> float:
            d, k = place
            if d not in encoded:
                texts = [s.text for s in segmented[d]]
                bounds = [0]
                for t in texts:
                    bounds.append(bounds[-1] + 4 * len(t))
                encoded[d] = ("".join(texts).encode("utf-32-le", "surrogatepass"), bounds)
            data, bounds = encoded[d]
            rest = data[: bounds[k]] + data[bounds[k + 1]:]
            return _shared_pairs_encoded(grams, rest) / max(1, len(grams))

        best = max(places, key=lambda p: (fit(p), -p[0]))
        drop.update(p for p in places if p != best)
    return drop
