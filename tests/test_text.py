"""The shared text helpers: one numbered-school reading, one alternation, one display width."""

from __future__ import annotations

import re

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
