"""Dates as printed -> ISO dates and ranges, with the year inferred from the page when it must be.

The paper mostly prints month and day (3月16日) or only a relative word (近日, 连日来).
A page's year comes from evidence on the page, in this order of trust:
  1. the date itself prints a year (2017年3月27日);
  2. an anniversary of a founding year listed in ontology/year_anchors.tsv (中国共产党成立105周年 -> 2026);
  3. a numbered recurring event listed there (第七次全国人口普查 -> 2020);
  4. a year the page prints as the current one (2023年度, 2026年山西省…决赛).
Anything else stays unresolved: the raw text is kept and the ISO fields are None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """'105' -> 105, '七' -> 7, '十六' -> 16, '二十' -> 20; None when it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch]
    return total + current


@dataclass(frozen=True)
class YearAnchor:
    """A phrase that dates the page: a founding year (anniversaries count from it) or an ordinal series."""

    kind: str  # "anniversary" or "ordinal"
    pattern: re.Pattern[str]  # group "n": the anniversary or the ordinal number
    base: int  # the founding year, or the year of ordinal 1
    step: int  # years between ordinals; 0 for an explicit table
    years: tuple[int, ...]  # for an irregular series: the year of ordinal 1, 2, ...
    # `pattern` without its leading look-behinds and groups (_needed), or None: a page it finds
    # nothing in holds no match of `pattern` either, and it is found fast (re skips ahead to its
    # first characters, which what opened it prevented: every anchor tried at every character of
    # every page)
    needed: re.Pattern[str] | None = None


# What may open a pattern and be left out of the test of whether a page can match it: the
# look-behinds (?<!在庆祝)(?<!在纪念), zero-width; and a group with no group inside it, optional or
# not ((?:中国人民解放军)?, (?:新中国|中华人民共和国)), which keeps the rest from starting with a
# literal that re can skip ahead to (each such anchor was a third of infer_year's time).
# Where the pattern matches, the rest matches where the group ends: a page the rest finds
# nothing in holds no match of the pattern.
# (A group repeated, (?:中国)+ or (?:中国){2}, stays: what follows it would not be a pattern of its own.)
_LEADING_SKIPPABLE = re.compile(r"^(?:\(\?<[!=][^()]*\)|\(\?:[^()]*\)(?:\?\??)?(?![*+?{]))+")


def _needed(regex: str) -> re.Pattern[str] | None:
    m = _LEADING_SKIPPABLE.match(regex)
    return re.compile(regex[m.end():]) if m else None


@lru_cache(maxsize=1)
def year_anchors() -> tuple[YearAnchor, ...]:
    """ontology/year_anchors.tsv: kind, regex, base year, step or the series' years."""
    anchors = []
    for line in lexicon.read_text("year_anchors.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, regex, base, series = line.split("\t")
        years = tuple(int(y) for y in series.split(",")) if "," in series else ()
        step = int(series) if not years else 0
        anchors.append(YearAnchor(kind, re.compile(regex), int(base), step, years, _needed(regex)))
    return tuple(anchors)


@dataclass(frozen=True)
class PageYear:
    year: int | None
    basis: str | None  # e.g. "page: 中国共产党成立105周年 -> 2026"
    published: str | None = None  # ISO date the page was published, when known: relative dates count from it


def page_year(text: str, published: str | None = None) -> PageYear:
    """The page's year: its publication date's when known, else what the page's text says (infer_year)."""
    if published:
        return PageYear(int(published[:4]), f"published {published}", published)
    return infer_year(text)


# A year printed as the current one: 2023年度, or a year directly naming an event this year (2026年山西省…决赛).
_CURRENT_YEAR = re.compile(r"((?:19|20)\d\d)年(?:度|[^\d月底初前后以来至间代]{2,30}?(?:决赛|活动|会议|大会|比赛|大赛|工作))")


def infer_year(text: str) -> PageYear:
    """The year a page was printed in, with how it was found; (None, None) when the page does not say."""
    for anchor in year_anchors():
        if anchor.needed is not None and not anchor.needed.search(text):
            continue
        m = anchor.pattern.search(text)
        if not m:
            continue
        n = cn_number(m.group("n"))
        if n is None:
            continue
        if anchor.kind == "anniversary":
            year = anchor.base + n
        elif anchor.years:
            if not 1 <= n <= len(anchor.years):
                continue
            year = anchor.years[n - 1]
        else:
            year = anchor.base + (n - 1) * anchor.step
        return PageYear(year, f"page: {m.group()} -> {year}")
    current = sorted(((int(m.group(1)), m.group()) for m in _CURRENT_YEAR.finditer(text)), reverse=True)
    if current:
        # the latest year the page calls current; an older one is a look back (截至2022年)
        year, said = current[0]
        return PageYear(year, f"page: {said} -> {year}")
    return PageYear(None, None)


@dataclass(frozen=True)
class DateSpan:
    text: str  # as printed
    start: str | None  # ISO date
    end: str | None
    basis: str | None


_YEAR = r"(?:(?P<y{i}>(?:19|20)\d\d)年)?"
_MONTH_DAY = r"(?P<m{i}>1[0-2]|0?[1-9])月(?:(?P<d{i}>3[01]|[12]\d|0?[1-9])日|(?P<part{i}>初|上旬|中旬|下旬|底|末|中))?"
_ONE = _YEAR + _MONTH_DAY
_SEP = r"\s*(?:—|－|-|–|~|～|至|到)+\s*"
# 7月17日—7月23日, 2018年2月18日至2月24日, 5月1日至10日, 持续到7月26日, 3月16日
DATE_RE = re.compile(
    r"(?P<prefix>持续到|截至|直到)?"
    + _ONE.format(i=1)
    + r"(?:"
    + _SEP
    + r"(?:"
    + _ONE.format(i=2)
    + r"|(?P<dd>3[01]|[12]\d|0?[1-9])日))?"
)
# 自今年 and 今年 as two alternatives, not 自?今年: every alternative then opens with a character,
# and re skips ahead to those (the optional one kept it trying the pattern at every character)
RELATIVE_RE = re.compile(r"自今年(?:以来)?|今年(?:以来)?|近日|日前|连日来|近期|这些天|前不久|去年|眼下|当天|当日|近年来|此前")

# After a date: it starts a period still going on (6月以来, 今年5月起).
_SINCE = re.compile(r"以来|起|开始")

_PART_DAYS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, 0), "底": (21, 0), "末": (21, 0)}


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _bounds(year: int, month: int, day: str | None, part: str | None) -> tuple[str | None, str | None]:
    last = calendar.monthrange(year, month)[1]
    if day:
        iso = _iso(year, month, int(day))
        return iso, iso
    lo, hi = _PART_DAYS.get(part or "", (1, 0))
    return _iso(year, month, lo), _iso(year, month, hi or last)


def parse(text: str, page: PageYear | None = None) -> DateSpan:
    """Normalize one date expression; `page` supplies the year when the text prints none.

    >>> parse("7月17日—7月23日", PageYear(2023, "page")).start
    '2023-07-17'
    >>> parse("昨日", PageYear(2024, "published 2024-05-11", "2024-05-11")).start
    '2024-05-10'
    """
    m = DATE_RE.search(text)
    if m and not m.group("m1"):
        m = None
    if not m:
        if page is not None and page.published:
            day = relative_day(text, page.published)
            if day is not None:
                return DateSpan(text, day, day, f"relative to {page.basis}")
            if _RECENT.search(text):
                # 近日 / 连日来: some day not after publication; only the end is known
                return DateSpan(text, None, page.published, f"not after {page.basis}")
        return DateSpan(text, None, None, None)
    y1 = m.group("y1")
    basis: str | None = "printed" if y1 else None
    year = int(y1) if y1 else None
    if year is None and page and page.published:
        year, basis = _year_near(int(m.group("m1")), page.published), page.basis
    elif year is None and page and page.year:
        year, basis = page.year, page.basis
    if year is None:
        return DateSpan(text, None, None, None)
    month = int(m.group("m1"))
    start, end = _bounds(year, month, m.group("d1"), m.group("part1"))
    if m.group("m2"):
        year2 = int(m.group("y2")) if m.group("y2") else year
        month2 = int(m.group("m2"))
        if not m.group("y2") and month2 < month:
            year2 += 1  # 12月28日至1月3日 crosses the new year
        end = _bounds(year2, month2, m.group("d2"), m.group("part2"))[1]
    elif m.group("dd"):
        end = _iso(year, month, int(m.group("dd")))
    if m.group("prefix"):
        start = None  # "持续到7月26日" gives only the end
    elif _SINCE.match(text, m.end()):
        end = None  # "6月以来", "今年5月起" give only the start
    if start is None and end is None:
        return DateSpan(text, None, None, None)
    return DateSpan(text, start, end, basis)


def find(text: str, page: PageYear | None = None) -> list[tuple[int, int, str]]:
    """Every date expression in a sentence, absolute or relative: (start, end, text), in order.

    With a publication date (`page.published`), also the words that count from it: 昨日, 上周五, 7日.
    """
    # every date DATE_RE finds prints 月, and every word _FROM_PUBLICATION finds 日, 天, 周, 星期
    # or 礼拜: most sentences hold none, and are not scanned for them
    found = [(m.start(), m.end(), m.group()) for m in DATE_RE.finditer(text) if m.group("m1")] if "月" in text else []
    relative = [RELATIVE_RE]
    if page is not None and page.published and _MAY_COUNT_FROM_PUBLICATION.search(text):
        relative.append(_FROM_PUBLICATION)
    for pattern in relative:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), m.group()))
    if not found:
        return found
    found.sort()
    # join a relative word straight before an absolute date: 今年5月初
    merged: list[tuple[int, int, str]] = []
    for s, e, t in found:
        if merged and merged[-1][1] == s and not DATE_RE.fullmatch(merged[-1][2]):
            ps, _, pt = merged.pop()
            merged.append((ps, e, pt + t))
        else:
            merged.append((s, e, t))
    # 6月以来, 今年5月起: the period the date opens
    opened: list[tuple[int, int, str]] = []
    for s, e, t in merged:
        since = _SINCE.match(text, e) if DATE_RE.search(t) else None
        opened.append((s, e + len(since.group()), t + since.group()) if since else (s, e, t))
    return opened


# ---------------------------------------------------------------- publication dates

# Words that name a day counted from the day the page was published.
_DAY_OFFSETS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "前日": -2, "明天": 1, "明日": 1}
# Words for some recent days up to publication: the article gives no day, only that it is past.
_RECENT = re.compile(r"^(?:近日|日前|前不久|近期|连日来|这些天)")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# 上周五, 本周三, 周日; 7日 (a day of the publication month), not inside 17日 or a 月…日 date.
_FROM_PUBLICATION = re.compile(
    r"(?:今天|今日|昨天|昨日|前天|明天|明日)"
    r"|(?:上|本|这)?(?:周|星期|礼拜)[一二三四五六日天]"
    r"|(?<![\d月年号.\-/])(?:3[01]|[12]\d|0?[1-9])日(?=[上中下晚早凌午夜]|[，,至到—\-]|起|$)"
)

_MAY_COUNT_FROM_PUBLICATION = re.compile(r"[日天周]|星期|礼拜")


def _year_near(month: int, published: str) -> int:
    """The year of a month printed without one, on a page published on `published`:
    a month well after publication (12月, printed in January) is last year's."""
    year, pub_month = int(published[:4]), int(published[5:7])
    return year - 1 if month > pub_month + 2 else year


def relative_day(text: str, published: str) -> str | None:
    """The ISO day a relative word names, counted from `published`; None for 近日 and the like."""
    import datetime as _dt

    pub = _dt.date.fromisoformat(published)
    m = _FROM_PUBLICATION.search(text)
    if not m:
        return None
    word = m.group()
    if word in _DAY_OFFSETS:
        return (pub + _dt.timedelta(days=_DAY_OFFSETS[word])).isoformat()
    if word[-1] in _WEEKDAYS and ("周" in word or "星期" in word or "礼拜" in word):
        monday = pub - _dt.timedelta(days=pub.weekday())
        if word.startswith("上"):
            monday -= _dt.timedelta(days=7)
        day = monday + _dt.timedelta(days=_WEEKDAYS[word[-1]])
        if not word.startswith(("上", "本", "这")) and day > pub:
            day -= _dt.timedelta(days=7)  # a bare 周五 in news is the last one
        return day.isoformat()
    n = int(word.rstrip("日"))
    year, month = pub.year, pub.month
    if n > pub.day:  # 28日, printed on the 3rd: last month's
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return _iso(year, month, n)


# 2025-09-15, 2024/07/24, 2024.07.24, 2023年6月11日: a full date printed in a header or a date line.
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:[-/.]|年)\s*(1[0-2]|0?[1-9])\s*(?:[-/.]|月)\s*(3[01]|[12]\d|0?[1-9])(?!\d)")


def full_date(text: str) -> str | None:
    """The first complete date (year, month and day) in `text`, as ISO; None without one."""
    for m in _FULL_DATE.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso
    return None


# In a file name: 2024-05-11_p3.txt, 2024_05_11.txt, 20240511.txt.
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(1[0-2]|0[1-9])[-_.]?(3[01]|[12]\d|0[1-9])(?!\d)")
# In a URL: html/2023-06/11/, /2020/1009/, /2024/05/11/, /20240511/, 2024-05-11.
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?:-(1[0-2]|0[1-9])/(3[01]|[12]\d|0[1-9])"
    r"|/(1[0-2]|0[1-9])/?(3[01]|[12]\d|0[1-9])"
    r"|-?(1[0-2]|0[1-9])-?(3[01]|[12]\d|0[1-9]))(?=[/_.\-]|$)"
)


def date_in_name(name: str) -> str | None:
    """The date a page's file name carries, as ISO, or None."""
    for m in _NAME_DATE.finditer(name):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso
    return None


def date_in_url(url: str) -> str | None:
    """The date a page's address carries (e-paper URLs: html/2023-06/11/), as ISO, or None."""
    path = url.split("://", 1)[-1].partition("/")[2]  # the host may hold digits that look like a date
    for m in _URL_DATE.finditer(path):
        month, day = next((m.group(i), m.group(i + 1)) for i in (2, 4, 6) if m.group(i))
        iso = _iso(int(m.group(1)), int(month), int(day))
        if iso:
            return iso
    return None
