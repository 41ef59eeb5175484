"""Small text helpers that several stages share, each defined once.

    >>> alternation(["街道", "街"])
    '街道|街'
    >>> numbered_school("平城区第十四小学校").number
    14
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from .dates import cn_number


def alternation(words: Iterable[str]) -> str:
    """A regex alternative of `words`, longest first (so 街道 is tried before 街), escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A numbered school: optional jurisdiction, optional 第, the number, then its kind.
_SCHOOL = re.compile(
    r"^(?P<where>.*?)(?P<nth>第?)(?P<num>\d+|[一二三四五六七八九十百零]+)"
    r"(?P<kind>小学集团校|小学校|小学|中学校|中学|集团校|学校|校)$"
)


@dataclass(frozen=True)
class NumberedSchool:
    """平城区第十四小学校 -> where 平城区, nth True, number 14, kind 小学校."""

    where: str
    nth: bool  # printed with 第
    number: int
    kind: str


def numbered_school(name: str) -> NumberedSchool | None:
    """The parts of a numbered school's name, or None when `name` is not one."""
    m = _SCHOOL.match(name)
    number = cn_number(m["num"]) if m else None
    if m is None or number is None:
        return None
    return NumberedSchool(m["where"], bool(m["nth"]), number, m["kind"])


def regex_branches(pattern: str) -> list[str]:
    """A regular expression's top-level alternatives: ^a|b$ -> [^a, b$] (a | inside a group,
    a character class or after a backslash is no split)."""
    out, depth, i, n, start = [], 0, 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: skip to its closing ], which may not be its first character
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return out + [pattern[start:]]


# What a pattern's match must hold, read from the parsed pattern: lets a quick test (a set
# look-up of a line's first character, one character-class search) rule a line out before a
# long alternation is tried on it. Anything the reading does not know makes it say None, never
# a wrong set, so a rule-out is always one the pattern itself would make.
try:
    _sre: Any = importlib.import_module("re._constants")
    _sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - a Python without them: no quick tests, same answers
    _sre_parse = None


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters any match of `pattern` starts with, or None when they are not known:
    ^(?:上一版|下一版) -> {上, 下}; [^>]+ -> None."""
    return _pattern_chars(pattern, first=True)


def required_chars(pattern: str) -> frozenset[str] | None:
    """Characters of which every match of `pattern` holds at least one, or None when not known:
    ^[^>]{1,12}(?:\\s*[>»]\\s*x)+$ -> {>, »}."""
    return _pattern_chars(pattern, first=False)


def _pattern_chars(pattern: str, first: bool) -> frozenset[str] | None:
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # a case-folded letter matches more than its own character
    return _sequence_chars(list(parsed), first)


def _sequence_chars(items: list[tuple[object, object]], first: bool) -> frozenset[str] | None:
    for op, av in items:
        if op is _sre.AT:
            continue  # ^, $, \b: they match no character
        found = _item_chars(op, av, first)
        if first or found is not None:
            # the first character comes from the first item that takes one; every item must
            # match, so any item that must hold one of a set makes the whole hold one of it
            return found
    return None


def _item_chars(op: object, av: Any, first: bool) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 256:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None  # negated, a category (\s, \d), a wide range
        return frozenset(chars)
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = av
        return None if add_flags & re.IGNORECASE else _sequence_chars(list(inner), first)
    if op is _sre.BRANCH:
        parts = [_sequence_chars(list(branch), first) for branch in av[1]]
        return None if any(p is None for p in parts) else frozenset(c for p in parts for c in p or ())
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
        return _sequence_chars(list(av[2]), first)
    return None
