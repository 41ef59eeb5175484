"""Shared access to jieba, initialised once and quietly, and a faster equivalent of its
dictionary-only cut: compiled (kg/_cut.c) where it was built, else in Python."""

from __future__ import annotations

import logging
import re
import warnings
from functools import lru_cache
from math import log
from types import ModuleType
from typing import Callable

try:
    from . import _cut
except ImportError:  # not compiled (setup.py makes it optional): _word_ends says so once
    _cut = None  # type: ignore[assignment]


@lru_cache(maxsize=1)
def jieba() -> ModuleType:
    """The jieba module with its dictionary loaded, the gazetteer and suffix words added to it
    (so 平城区 and 有限公司 are single words), and its start-up chatter silenced."""
    import jieba as module

    from .lexicon import boundary_words, user_words

    module.setLogLevel(logging.WARNING)
    module.initialize()
    for word, tag in user_words():
        # A high frequency makes the user word win over the dictionary's splits.
        module.add_word(word, freq=max(module.get_FREQ(word) or 0, 100000), tag=tag)
    for word in boundary_words():
        if not module.get_FREQ(word):
            module.add_word(word, freq=100000, tag="v")
    return module


# jieba's runs of text that it cuts with its dictionary (jieba.re_han_default); between
# them every character is a word but \r\n (re_skip_default).
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
# Memo marks no log-probability can take, and the memo's size (about 100 bytes an entry).
_PREFIX = 1.0
_UNKNOWN = 2.0
_MEMO_SIZE = 500_000
# jieba.re_eng: single letters and digits that a cut joins into one word
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class _Cutter:
    """jieba's most probable path over its prefix dictionary, without the HMM: the same
    algorithm and the same floating-point sums as `Tokenizer.cut(text, HMM=False)`, so the
    same words, but one backward pass with the dictionary's log-probabilities memoised
    instead of a DAG dict, a route dict and a generator per block (about twice as fast;
    recognition cuts every passage)."""

    def __init__(self, module: ModuleType) -> None:
        self.freq: dict[str, int] = module.dt.FREQ
        self.logtotal = log(module.dt.total)
        # Memo of the dictionary as the search reads it: a word -> log(freq) - log(total),
        # summed as jieba sums it (never above 0); a prefix of words that is no word itself
        # (freq 0) -> _PREFIX; a string jieba does not know -> _UNKNOWN. Cleared when full,
        # so that an archive's text does not grow it without bound.
        self.known: dict[str, float] = {}

    def ends(self, block: str, at: int, out: list[int]) -> None:
        """Append to `out` the end offsets of the words of a block that _HAN matched whole
        and that starts at offset `at`."""
        known, freq, logtotal = self.known, self.freq, self.logtotal
        if len(known) > _MEMO_SIZE:
            known.clear()
        n = len(block)
        score = [0.0] * (n + 1)
        last = list(range(n))  # last[i]: index of the last character of the best word at i
        for idx in range(n - 1, -1, -1):
            best = 0.0
            found = False
            i = idx
            frag = block[idx]
            while True:
                p = known.get(frag)
                if p is None:
                    f = freq.get(frag)
                    p = known[frag] = _UNKNOWN if f is None else log(f) - logtotal if f else _PREFIX
                if p <= 0.0:
                    s = p + score[i + 1]
                    # jieba takes max((score, i)): on a tie the longer word wins
                    if not found or s >= best:
                        best, last[idx], found = s, i, True
                elif p == _UNKNOWN:
                    break  # no word starts so: the end of jieba's DAG at idx
                i += 1
                if i >= n:
                    break
                frag = block[idx : i + 1]
            if not found:
                # jieba's fallback: the single character, scored log(1) - log(total)
                best = 0.0 - logtotal + score[idx + 1]
            score[idx] = best
        x = 0
        in_latin = False  # jieba joins runs of single Latin letters and digits into one word
        while x < n:
            y = last[x] + 1
            if y - x == 1 and block[x] in _ENG:
                in_latin = True
            else:
                if in_latin:
                    out.append(at + x)
                    in_latin = False
                out.append(at + y)
            x = y
        if in_latin:
            out.append(at + n)


@lru_cache(maxsize=1)
def _cutter() -> _Cutter:
    """The cutter over the dictionary as jieba() leaves it (nothing adds words later)."""
    return _Cutter(jieba())


@lru_cache(maxsize=1)
def _word_ends() -> Callable[[str], list[int]]:
    """The compiled cut over the dictionary as jieba() leaves it, or the Python one if kg._cut
    was not built."""
    module = jieba()
    if _cut is None:
        warnings.warn("kg._cut, the compiled cut, is not built (no C compiler when kg was installed?): "
                      "cutting in Python, the same words about ten times slower; reinstall kg with a C "
                      "compiler to build it", RuntimeWarning, stacklevel=3)
        return python_word_ends
    # the same dict and the same log(total) as _Cutter reads, so the same sums
    return _cut.Cutter(module.dt.FREQ, log(module.dt.total)).word_ends


def word_ends(text: str) -> list[int]:
    """The end offset of every word of `jieba.lcut(text, HMM=False)`, in order; the same
    words, faster."""
    return _word_ends()(text)


def python_word_ends(text: str) -> list[int]:
    """word_ends in Python: the reference the compiled cut is tested against, and its fallback."""
    ends = _cutter().ends
    out: list[int] = []
    at = 0
    # split() with a group alternates: text between runs, a run, text between runs, ...
    for k, block in enumerate(_HAN.split(text)):
        n = len(block)
        if k % 2:
            if n == 1:
                out.append(at + 1)
            else:
                ends(block, at, out)
        elif "\r\n" not in block:
            out.extend(range(at + 1, at + n + 1))  # outside the runs every character is a word
        else:
            i = 0
            while i < n:  # ... but \r\n is one
                i += 2 if block.startswith("\r\n", i) else 1
                out.append(at + i)
        at += n
    return out


def cut(text: str) -> list[str]:
    """`jieba.lcut(text, HMM=False)` with the dictionary of `jieba()`, faster."""
    out, start = [], 0
    for end in word_ends(text):
        out.append(text[start:end])
        start = end
    return out
