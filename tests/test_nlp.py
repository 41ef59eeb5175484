"""kg.nlp is jieba, answer for answer, only faster: the compiled dictionary (kg/_cut.c) holds
jieba's every entry, frequency, total and tag; its cut is jieba's dictionary-only cut (and so is
the Python one, the reference); pos_cut is jieba.posseg.lcut. Each is held to jieba proper."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.nlp
from kg import nlp
from kg.lexicon import boundary_words, user_words
from kg.nlp import cut, jieba, python_word_ends, word_ends

# Characters that exercise every branch: dictionary words and unknown characters, the
# Latin letters and digits jieba joins, the symbols its blocks keep, spaces, \r\n, punctuation.
ALPHABET = "平城区有限公司村社区街道办事处中华人民共和国的了是在abcXY019+#&._%-，。、“”（） \t\r\n\u3000ｘ"


# Pieces whose concatenations tie: 区区区 is 区区|区 or 区|区区 with the same sum of the same two
# log-probabilities, and jieba takes the longer first word (区区|区); Latin and digits join.
TIES = ["区", "区区", "区区区", "城区", "平城", "平城区", "社区", "区社", "a", "1", "X", " ", "\r", "\n", "，"]


def _ends(words: list[str]) -> list[int]:
    return [sum(map(len, words[: k + 1])) for k in range(len(words))]


def test_the_compiled_dictionary_is_built_and_serves_the_pipeline() -> None:
    # setup.py makes it optional so kg installs without a compiler; here it must have compiled
    assert kg.nlp._cut is not None and nlp._dictionary() is not None
    assert kg.nlp._word_ends() != python_word_ends
    assert not isinstance(nlp.word_tags(), dict) and nlp.pos_cut("平城区") == [("平城区", "ns")]


def test_word_tags_is_a_read_only_mapping() -> None:
    tags = nlp.word_tags()
    assert isinstance(tags, Mapping) and tags["平城区"] == "ns" == tags.get("平城区") and "平城区" in tags
    assert "平城区平城区" not in tags and tags.get("平城区平城区", "?") == "?" and 5 not in tags
    with pytest.raises(KeyError):
        tags["平城区平城区"]
    assert len(tags) == len(list(tags)) == len(tags.keys()) == len(tags.values()) > 300_000


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


def _compiled() -> kg.nlp._cut.Dictionary:
    found = nlp._dictionary()
    assert found is not None
    return found


def test_the_compiled_cut_is_the_same_when_its_memo_is_cleared_as_it_goes(seed_pages: list[Path]) -> None:
    small = kg.nlp._cut.Dictionary(str(nlp.dictionary_file()), memo_nodes=50)
    whole = _compiled()
    for word, tag in user_words():  # as nlp._dictionary adds them
        small.add_word(word, max(small.freq(word) or 0, 100000), tag)
    for word in boundary_words():
        if not small.freq(word):
            small.add_word(word, 100000, "v")
    for path in seed_pages:
        text = path.read_text(encoding="utf-8")
        assert small.word_ends(text) == whole.word_ends(text) == python_word_ends(text), path.name
        # cleared before each run once past 50 nodes: one run's probes at most on top
        assert small.memo_size() < 500
    assert whole.memo_size() > 500


def _reset() -> None:
    for cached in (nlp._dictionary, nlp._word_ends, nlp.word_tags, nlp._freq, nlp._pos_cut):
        cached.cache_clear()


def test_without_the_compiled_dictionary_kg_says_so_once_and_uses_jieba(seed_pages: list[Path], monkeypatch) -> None:
    text = seed_pages[0].read_text(encoding="utf-8")
    compiled = word_ends(text), nlp.pos_cut(text), nlp.freq("平城区"), nlp.word_tags().get("平城区")
    monkeypatch.setattr(kg.nlp, "_cut", None)
    _reset()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert (word_ends(text), nlp.pos_cut(text), nlp.freq("平城区"), nlp.word_tags().get("平城区")) == compiled
            assert word_ends("平城区") == [3]
        assert [str(w.message)[:25] for w in caught] == ["kg._cut, the compiled cut"]
        assert kg.nlp._word_ends() == python_word_ends and isinstance(nlp.word_tags(), dict)
    finally:
        _reset()  # the compiled dictionary again for the tests after this one


# --- the compiled dictionary: jieba's entries, tags and tagger -------------------------------


def _pos_tags() -> dict[str, str]:
    """jieba.posseg's tag table once its user words are in (its first cut moves them in)."""
    module = nlp.posseg()
    module.lcut("平城")
    return dict(module.dt.word_tag_tab)


def test_every_entry_frequency_total_and_tag_is_jiebas() -> None:
    compiled, module = _compiled(), jieba()
    assert compiled.total == module.dt.total
    assert compiled.items("freq") == module.dt.FREQ  # every word and every prefix (frequency 0)
    assert compiled.count("freq") == len(module.dt.FREQ)
    assert compiled.items("tag") == dict(nlp._posseg()[1]) == dict(nlp.word_tags().items())
    assert len(nlp.word_tags()) == len(nlp._posseg()[1])
    assert compiled.items("pos_tag") == _pos_tags()
    # a boundary word is a verb to the tagger and no word of word_tags()
    assert compiled.pos_tag("北延") == "v" and "北延" not in nlp.word_tags() and nlp.freq("北延") == 100000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_every_look_up_is_jiebas(text: str) -> None:
    module, tags, pos_tags, compiled = jieba(), nlp._posseg()[1], nlp.posseg().dt.word_tag_tab, _compiled()
    for i in range(len(text) + 1):
        for j in range(i, min(len(text), i + 6) + 1):
            frag = text[i:j]
            assert nlp.freq(frag) == module.get_FREQ(frag)
            assert nlp.word_tags().get(frag) == tags.get(frag) and (frag in nlp.word_tags()) == (frag in tags)
            assert compiled.pos_tag(frag, "x") == pos_tags.get(frag, "x")


def _jieba_pos(text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in nlp.posseg().lcut(text)]


def test_pos_cut_is_posseg_on_every_line_of_the_seeds(seed_pages: list[Path]) -> None:
    for path in seed_pages:
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            assert nlp.pos_cut(line) == _jieba_pos(line), line


# Unknown names and words that only the HMM tags, Latin, digits and decimals it splits out.
HMM = ["韩梅", "梅说", "赵", "钱孙", "龘", "彧", "3.5", "x1", "_", "+", "#", "点赞", "全面铺开", "最美", "温暖回家路"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=30)
       | st.lists(st.sampled_from(TIES + HMM), max_size=15).map("".join))
def test_pos_cut_is_posseg_on_any_text(text: str) -> None:
    assert nlp.pos_cut(text) == _jieba_pos(text)


def test_pos_cut_tags_what_the_dictionary_lacks_with_the_hmm() -> None:
    # 韩梅梅 is no word: posseg's buffer of single characters goes through its viterbi
    text = "记者韩梅梅报道，温暖回家路3.5km。"
    assert nlp.pos_cut(text) == _jieba_pos(text)
    assert ("韩梅梅", "nr") in nlp.pos_cut(text)


@pytest.fixture(scope="module")
def fresh() -> tuple[Any, Any, Any]:
    """A compiled dictionary and a jieba tokenizer and tagger of their own, without our words,
    for words added to both as a test goes."""
    import jieba as module
    import jieba.posseg as posseg

    jieba()  # jieba's logging quieted
    tokenizer = module.Tokenizer()
    tokenizer.initialize()
    return kg.nlp._cut.Dictionary(str(nlp.dictionary_file())), tokenizer, posseg.POSTokenizer(tokenizer)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(TIES + HMM), min_size=1, max_size=3).map("".join),
                          st.sampled_from([0, 1, 3, 100000, 3000000]), st.sampled_from([None, "", "ns", "v"])),
                max_size=3),
       st.lists(st.sampled_from(TIES + HMM), max_size=15).map("".join))
def test_added_words_cut_and_tag_as_jieba_add_word_makes_them(fresh, added, text: str) -> None:
    compiled, tokenizer, tagger = fresh
    compiled.set_hmm(*nlp._hmm_tables()) if not compiled.has_hmm else None
    for word, count, tag in added:  # the same words into both, before and after cutting
        compiled.add_word(word, count, tag)
        tokenizer.add_word(word, count, tag)
    assert compiled.total == tokenizer.total
    assert compiled.word_ends(text) == _ends(tokenizer.lcut(text, HMM=False))
    assert compiled.pos_cut(text) == [(p.word, p.flag) for p in tagger.lcut(text)]
    for word, _, _ in added:
        assert compiled.freq(word) == tokenizer.FREQ.get(word) and compiled.freq(word[:1]) == tokenizer.FREQ.get(word[:1])


@pytest.mark.parametrize("line, problem", [("平城 5", "not \"word frequency tag\""), ("平城 5 ns x", "not \"word"),
                                           ("平城 五 ns", "the frequency is not"), ("平城  ns", "not \"word"),
                                           (b"\xff\xfe 5 ns", "not UTF-8")])
def test_a_dictionary_file_read_otherwise_than_jieba_might_is_refused(tmp_path: Path, line, problem: str) -> None:
    path = tmp_path / "dict.txt"
    path.write_bytes(b"\xe5\xb9\xb3 3 n\n" + (line if isinstance(line, bytes) else line.encode()) + b"\n")
    with pytest.raises(ValueError, match=f"^{path}: line 2: {problem}"):
        kg.nlp._cut.Dictionary(str(path))


def test_a_small_dictionary_file_reads_as_jieba_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    path.write_bytes("平城区 5 ns\r\n平 0 n\n 平城 2 nz \n平城区 7 n".encode())  # a word twice: the last wins
    compiled = kg.nlp._cut.Dictionary(str(path))
    assert compiled.items("freq") == {"平": 0, "平城": 2, "平城区": 7} and compiled.total == 14
    assert compiled.items("tag") == {"平": "n", "平城": "nz", "平城区": "n"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="平城区中华人民共和国aZ1", min_size=1, max_size=4),
                          st.integers(0, 10**6), st.sampled_from(["n", "ns", "v", "nr"])), min_size=1, max_size=30))
def test_any_dictionary_file_in_any_order_reads_as_jieba_reads_it(tmp_path_factory: pytest.TempPathFactory,
                                                                  lines: list[tuple[str, int, str]]) -> None:
    """Sorted lines take the compiled load's fast path (new nodes without look-ups); these are in
    any order, with words repeated, prefixes after their words, and words after their prefixes."""
    import jieba.posseg as posseg

    path = tmp_path_factory.mktemp("dict") / "dict.txt"
    path.write_text("".join(f"{w} {n} {t}\n" for w, n, t in lines), encoding="utf-8")
    compiled = kg.nlp._cut.Dictionary(str(path))
    with path.open("rb") as f:
        freq, total = jieba().Tokenizer.gen_pfdict(f)
    tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.load_word_tag(path.open("rb"))
    assert compiled.items("freq") == freq and compiled.total == total
    assert compiled.items("tag") == tagger.word_tag_tab == compiled.items("pos_tag")
