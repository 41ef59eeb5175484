"""kg.nlp.cut is jieba's dictionary-only cut, word for word, only faster."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.nlp import cut, jieba, word_ends

# Characters that exercise every branch: dictionary words and unknown characters, the
# Latin letters and digits jieba joins, the symbols its blocks keep, spaces, \r\n, punctuation.
ALPHABET = "平城区有限公司村社区街道办事处中华人民共和国的了是在abcXY019+#&._%-，。、“”（） \t\r\n\u3000ｘ"


def test_cut_matches_jieba_on_every_seed_page(seed_pages: list[Path]) -> None:
    for path in seed_pages:
        text = path.read_text(encoding="utf-8")
        assert cut(text) == jieba().lcut(text, HMM=False), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_cut_matches_jieba_on_any_text(text: str) -> None:
    assert cut(text) == jieba().lcut(text, HMM=False)


def test_word_ends_are_the_offsets_after_each_word() -> None:
    text = "平城区abc12有限公司\r\n村 \r\r\n，x"
    words = cut(text)
    assert word_ends(text) == [sum(map(len, words[: k + 1])) for k in range(len(words))]
    assert "".join(words) == text and "abc12" in words and "\r\n" in words


def test_cut_is_the_same_when_its_memo_is_cleared_as_it_goes(seed_pages: list[Path], monkeypatch) -> None:
    import kg.nlp

    monkeypatch.setattr(kg.nlp, "_MEMO_SIZE", 50)
    text = seed_pages[0].read_text(encoding="utf-8")
    assert cut(text) == jieba().lcut(text, HMM=False)
    # cleared before each block once past 50 entries: one block's probes at most on top
    # (a seed page's blocks are short; without the limit the memo would hold thousands)
    assert len(kg.nlp._cutter().known) < 500


# --- the words file: jieba's dictionary read chunk by chunk -------------------------------

import pytest

from kg import nlp


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


def _ends(cutter: nlp._Cutter, text: str) -> list[int]:
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
        assert _ends(stored, text) == _ends(memory, text), path.name
        for line in text.splitlines()[:40]:
            assert [tuple(p) for p in tagger.cut(line)] == [tuple(p) for p in nlp.posseg().cut(line)], line


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40))
def test_words_file_cuts_and_tags_any_text_as_the_dictionary_in_memory(words: nlp.Words, text: str) -> None:
    memory, stored = _cutters(words)
    assert _ends(stored, text) == _ends(memory, text)
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
