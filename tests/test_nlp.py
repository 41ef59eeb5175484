"""kg.nlp.cut is jieba's dictionary-only cut, word for word, only faster: compiled (kg/_cut.c)
and in Python (the reference and fallback), each held to jieba."""

from __future__ import annotations

import warnings
from math import log
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.nlp
from kg import nlp
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


# --- the words file: jieba's dictionary read chunk by chunk -------------------------------


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> nlp.Words:
    """A words file written from the dictionary in memory, read back."""
    module, stored = nlp._loaded()
    assert stored is None, "this process must hold the dictionary in memory to compare with it"
    path = tmp_path_factory.mktemp("words") / "jieba-words"
    nlp.write_words(path, module.dt.FREQ, module.dt.total, nlp.word_tags(), nlp._added_verbs)
    return nlp.read_words(path)


def _pos_tags_in_memory() -> dict[str, str]:
    """The tags jieba.posseg reads once its user words are in: its table with theirs put over it."""
    module = nlp.posseg()
    return {**module.dt.word_tag_tab, **jieba().dt.user_word_tag_tab}


def test_words_file_holds_every_entry_and_the_total_of_the_dictionary(words: nlp.Words) -> None:
    module = jieba()
    assert words.total == module.dt.total
    assert list(words.freq.items()) == sorted(module.dt.FREQ.items())
    assert list(words.tags.items()) == sorted(nlp.word_tags().items())
    posseg_tags, stored = _pos_tags_in_memory(), words.pos_tags()
    assert nlp._added_verbs and all(stored.get(w) == "v" for w in nlp._added_verbs)
    assert all(stored.get(w) == t for w, t in posseg_tags.items())
    assert not any(w in stored for w in ("平城区平城区", "", "\uffff\uffff"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_words_file_looks_up_as_the_dictionary_in_memory(words: nlp.Words, text: str) -> None:
    module = jieba()
    for i in range(len(text)):
        for j in range(i + 1, min(len(text), i + 6) + 1):
            frag = text[i:j]
            assert (frag in words.freq) == (frag in module.dt.FREQ)
            assert words.freq.get(frag) == module.dt.FREQ.get(frag)
            assert words.tags.get(frag) == nlp.word_tags().get(frag)


def _cutters(words: nlp.Words) -> tuple[nlp._Cutter, nlp._Cutter]:
    module = jieba()
    return nlp._Cutter(module.dt.FREQ, module.dt.total), nlp._Cutter(words.freq, words.total)


def _cutter_ends(cutter: nlp._Cutter, text: str) -> list[int]:
    out: list[int] = []
    for m in nlp._HAN.finditer(text):
        cutter.ends(m.group(), m.start(), out)
    return out


def _posseg_over(words: nlp.Words):
    """A part-of-speech tokenizer of its own over the words file, as jieba() sets one up from it."""
    import jieba as module
    import jieba.posseg as posseg

    tokenizer = module.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = words.freq, words.total, True
    tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = tokenizer, words.pos_tags()
    return tagger


def test_words_file_cuts_and_tags_every_seed_page_as_the_dictionary_in_memory(
        words: nlp.Words, seed_pages: list[Path]) -> None:
    memory, stored = _cutters(words)
    tagger = _posseg_over(words)
    for path in seed_pages:
        text = path.read_text(encoding="utf-8")
        assert _cutter_ends(stored, text) == _cutter_ends(memory, text), path.name
        for line in text.splitlines()[:40]:
            assert [tuple(p) for p in tagger.cut(line)] == [tuple(p) for p in nlp.posseg().cut(line)], line


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_words_file_cuts_and_tags_any_text_as_the_dictionary_in_memory(words: nlp.Words, text: str) -> None:
    memory, stored = _cutters(words)
    assert _cutter_ends(stored, text) == _cutter_ends(memory, text)
    assert [tuple(p) for p in _posseg_over(words).cut(text)] == [tuple(p) for p in nlp.posseg().cut(text)]


@pytest.mark.parametrize("damage", [lambda b: b[:-100], lambda b: b"x" + b[1:], lambda b: b[:-5] + b"00000"])
def test_damaged_words_file_is_reported_deleted_and_not_read(words: nlp.Words, tmp_path: Path, damage) -> None:
    module = jieba()
    path = tmp_path / "jieba-words"
    nlp.write_words(path, {"平城": 5, "平": 0}, 5, {"平城": "ns"}, {})
    assert nlp.read_words(path).freq.get("平城") == 5
    path.write_bytes(damage(path.read_bytes()))
    nlp.use_words(path)
    try:
        assert nlp._open_words() is None
    finally:
        nlp.use_words(None)
    [problem] = nlp.problems()
    assert problem.startswith(f"{path}: damaged copy of jieba's dictionary") and not path.exists()
    assert module is jieba()  # the dictionary in memory is untouched
