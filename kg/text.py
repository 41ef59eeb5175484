"""Small text helpers that several stages share, each defined once.

    >>> alternation(["街道", "街"])
    '街道|街'
    >>> numbered_school("平城区第十四小学校").number
    14
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

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
