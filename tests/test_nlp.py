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
