"""The shared text helpers: one numbered-school reading, one alternation, one display width."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text import NumberedSchool, alternation, display_width, numbered_school


def test_numbered_school_reads_chinese_arabic_and_full_width_numbers() -> None:
    assert numbered_school("平城区第十四小学校") == NumberedSchool("平城区", True, 14, "小学校")
    assert numbered_school("平城区14校") == NumberedSchool("平城区", False, 14, "校")
    assert numbered_school("第４７小学") == NumberedSchool("", True, 47, "小学")
    assert numbered_school("大同市第一中学校") == NumberedSchool("大同市", True, 1, "中学校")


def test_a_name_without_a_number_before_its_kind_is_no_numbered_school() -> None:
    assert numbered_school("实验小学") is None
    assert numbered_school("平城区第十四小学分校") is None


def test_alternation_tries_the_longer_word_first() -> None:
    found = re.match(alternation(["街", "街道", "a.b"]), "街道办")
    assert found is not None and found.group() == "街道"
    assert re.fullmatch(alternation(["a.b"]), "axb") is None


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("平城 ab") == 7
    assert display_width("（１）") == 6


def test_pattern_chars_read_firsts_and_required_characters() -> None:
    from kg.text import first_chars, required_chars

    assert first_chars("^(?:上一版|下一版)") == frozenset("上下")
    assert first_chars("^~{2,}") == frozenset("~")
    assert first_chars("^[^>]+") is None  # a negated class: any character
    assert first_chars("^x?y") is None  # an optional first item: not known
    assert first_chars("(?i)^a") is None  # case-folded
    assert required_chars(r"^[^\s>»]{1,12}(?:\s*[>»]\s*[^\s>»]{1,12})+$") == frozenset(">»")
    assert required_chars(r"^\d+$") is None
    assert required_chars("a|b") == frozenset("ab")
    assert required_chars("a|b*") is None


PATTERNS = [r"^(?:上一版|下一版)\s*x", r"^[^\s>»]{1,3}(?:\s*[>»]\s*[^\s>»]{1,3})+$", r"~{2,}$", r"本文\s*\d+次",
            r"^(?:【[^】]{1,4}】\s*)+$", r"^(?:a|bc)?d", r"^[a-c]{1,2}[xy]", r"(?:x|y)(?=z)z"]


@given(st.sampled_from(PATTERNS),
       st.lists(st.sampled_from(["上一版", "下一版", "x", " ", ">", "»", "~", "~~", "本文", "1", "次", "【", "】",
                                 "a", "b", "c", "d", "y", "z", "平"]), max_size=10).map("".join))
@settings(max_examples=600, deadline=None)
def test_every_match_opens_with_a_first_char_and_holds_a_required_one(pattern: str, text: str) -> None:
    from kg.text import first_chars, required_chars

    firsts, needed = first_chars(pattern), required_chars(pattern)
    for m in re.finditer(pattern, text):
        if firsts is not None:
            assert text[m.start(): m.start() + 1] in firsts
        if needed is not None:
            assert set(m.group()) & needed
