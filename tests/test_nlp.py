"""kg.nlp.cut is jieba's dictionary-only cut, word for word, only faster: compiled (kg/_cut.c)
and in Python (the reference and fallback), each held to jieba."""

from __future__ import annotations

import warnings
from math import log
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import kg.nlp
from kg.nlp import cut, jieba, python_word_ends, word_ends

# Characters that exercise every branch: dictionary words and unknown characters, the
# Latin letters and digits jieba joins, the symbols its blocks keep, spaces, \r\n, punctuation.
ALPHABET = "平城区有限公司村社区街道办事处中华人民共和国的了是在abcXY019+#&._%-，。、“”（） \t\r\n\u3000ｘ"


# Pieces whose concatenations tie: 区区区 is 区区|区 or 区|区区 with the same sum of the same two
# log-probabilities, and jieba takes the longer first word (区区|区); Latin and digits join.
TIES = ["区", "区区", "区区区", "城区", "平城", "平城区", "社区", "区社", "a", "1", "X", " ", "\r", "\n", "，"]


def _ends(words: list[str]) -> list[int]:
    return [sum(map(len, words[: k + 1])) for k in range(len(words))]


def test_the_compiled_cut_is_built() -> None:
    # setup.py makes it optional so kg installs without a compiler; here it must have compiled
    assert kg.nlp._cut is not None
    assert kg.nlp._word_ends() != python_word_ends


def test_cut_matches_jieba_on_every_seed_page(seed_pages: list[Path]) -> None:
    for path in seed_pages:
        text = path.read_text(encoding="utf-8")
        words = jieba().lcut(text, HMM=False)
        assert cut(text) == words, path.name
        assert python_word_ends(text) == word_ends(text) == _ends(words), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_cut_matches_jieba_on_any_text(text: str) -> None:
    words = jieba().lcut(text, HMM=False)
    assert cut(text) == words
    assert python_word_ends(text) == _ends(words)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TIES), max_size=25).map("".join))
def test_both_cuts_break_ties_as_jieba_does(text: str) -> None:
    words = jieba().lcut(text, HMM=False)
    assert word_ends(text) == python_word_ends(text) == _ends(words)


def test_a_tie_goes_to_the_longer_first_word() -> None:
    assert jieba().lcut("区区区", HMM=False) == ["区区", "区"]
    assert cut("区区区") == ["区区", "区"] and python_word_ends("区区区") == [2, 3]


def test_word_ends_are_the_offsets_after_each_word() -> None:
    text = "平城区abc12有限公司\r\n村 \r\r\n，x"
    words = cut(text)
    assert word_ends(text) == [sum(map(len, words[: k + 1])) for k in range(len(words))]
    assert "".join(words) == text and "abc12" in words and "\r\n" in words


def test_cut_is_the_same_when_its_memo_is_cleared_as_it_goes(seed_pages: list[Path], monkeypatch) -> None:
    monkeypatch.setattr(kg.nlp, "_MEMO_SIZE", 50)
    text = seed_pages[0].read_text(encoding="utf-8")
    assert python_word_ends(text) == _ends(jieba().lcut(text, HMM=False))
    # cleared before each block once past 50 entries: one block's probes at most on top
    # (a seed page's blocks are short; without the limit the memo would hold thousands)
    assert len(kg.nlp._cutter().known) < 500


def test_the_compiled_cut_is_the_same_when_its_memo_is_cleared_as_it_goes(seed_pages: list[Path]) -> None:
    module = jieba()
    small = kg.nlp._cut.Cutter(module.dt.FREQ, log(module.dt.total), memo_nodes=50)
    whole = kg.nlp._cut.Cutter(module.dt.FREQ, log(module.dt.total))
    for path in seed_pages:
        text = path.read_text(encoding="utf-8")
        assert small.word_ends(text) == whole.word_ends(text) == python_word_ends(text), path.name
        # cleared before each run once past 50 nodes: one run's probes at most on top
        assert small.memo_size() < 500
    assert whole.memo_size() > 500


def test_without_the_compiled_cut_kg_says_so_once_and_cuts_in_python(seed_pages: list[Path], monkeypatch) -> None:
    text = seed_pages[0].read_text(encoding="utf-8")
    compiled = word_ends(text)
    monkeypatch.setattr(kg.nlp, "_cut", None)
    kg.nlp._word_ends.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert word_ends(text) == compiled
            assert word_ends("平城区") == [3]
        assert [str(w.message)[:25] for w in caught] == ["kg._cut, the compiled cut"]
        assert kg.nlp._word_ends() == python_word_ends
    finally:
        kg.nlp._word_ends.cache_clear()  # the compiled cut again for the tests after this one
