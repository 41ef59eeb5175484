"""jieba's dictionary, its dictionary-only cut and its part-of-speech tagger, with our words
added: compiled (kg/_cut.c) where it was built, else jieba itself.

The compiled dictionary reads jieba's own dict.txt (the file jieba builds its prefix dictionary
from) in about 50 ms, where jieba's load takes half a second and jieba.posseg's tag table a
quarter more, and then adds our words with jieba.add_word's semantics. Its cut, frequencies,
tags and tagging (`pos_cut`, jieba.posseg.lcut's HMM included, over jieba's own probability
tables) are jieba's, answer for answer (tests/test_nlp.py holds each to jieba proper).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import warnings
from functools import lru_cache
from math import log
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping

try:
    from . import _cut
except ImportError:  # not compiled (setup.py makes it optional): _dictionary says so once
    _cut = None  # type: ignore[assignment]
else:
    Mapping.register(_cut.Tags)


def _jieba_dir() -> Path:
    """jieba's package directory, found without importing jieba (which costs 25 ms)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(spec.origin).parent


def dictionary_file() -> Path:
    """jieba's dictionary file: the one its default tokenizer reads (jieba/dict.txt; jieba
    itself loads its marshalled copy of it from the temporary directory when one is there)."""
    return _jieba_dir() / "dict.txt"


@lru_cache(maxsize=1)
def jieba() -> ModuleType:
    """The jieba module with its dictionary loaded, the gazetteer and suffix words added to it
    (so 平城区 and 有限公司 are single words), and its start-up chatter silenced. The pipeline
    reads the compiled dictionary instead where it was built; this is the reference it is held
    to, and the fallback."""
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


@lru_cache(maxsize=1)
def _posseg() -> tuple[ModuleType, dict[str, str]]:
    jieba()
    import jieba.posseg as posseg

    from .lexicon import user_words

    # Copied before any posseg cut, which adds the boundary words' tags to posseg's table.
    table: dict[str, str] = dict(posseg.dt.word_tag_tab)
    table.update({w: t for w, t in user_words()})
    return posseg, table


def posseg() -> ModuleType:
    """jieba.posseg over the dictionary of `jieba()` (the reference of `pos_cut`)."""
    return _posseg()[0]


@lru_cache(maxsize=1)
def _dictionary() -> _cut.Dictionary | None:
    """The compiled dictionary with our words added as `jieba()` adds them, or None (with a
    warning, once) where kg._cut was not built or cannot read jieba's file."""
    if _cut is None:
        warnings.warn("kg._cut, the compiled cut, is not built (no C compiler when kg was installed?): "
                      "using jieba itself, the same words about ten times slower and a second more to load; "
                      "reinstall kg with a C compiler to build it", RuntimeWarning, stacklevel=4)
        return None
    from .lexicon import boundary_words, user_words

    try:
        found = _cut.Dictionary(str(dictionary_file()))
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        warnings.warn(f"jieba's dictionary file is not as kg._cut reads it ({exc}): using jieba itself",
                      RuntimeWarning, stacklevel=4)
        return None
    for word, tag in user_words():  # exactly as jieba() adds them
        found.add_word(word, max(found.freq(word) or 0, 100000), tag)
        found.set_tag(word, tag)
    for word in boundary_words():
        if not found.freq(word):
            found.add_word(word, 100000, "v")  # a tag for jieba.posseg, not for word_tags()
    return found


def load() -> None:
    """Load the dictionary and the tagger's tables now (before forking workers, so that they
    share them)."""
    if _dictionary() is None:
        jieba()
    _pos_cut()


@lru_cache(maxsize=1)
def word_tags() -> Mapping[str, str]:
    """jieba's part-of-speech tag of each word of its dictionary and of our user words."""
    found = _dictionary()
    # a read-only mapping in C: get, [], in, len and iteration (of a dict it makes) as fast as a dict's
    return found.tags() if found is not None else _posseg()[1]


@lru_cache(maxsize=1)
def _freq() -> Callable[[str], int | None]:
    found = _dictionary()
    return found.freq if found is not None else jieba().get_FREQ


def freq(word: str) -> int | None:
    """jieba's frequency of `word` (jieba().get_FREQ): None for no word, 0 for a prefix of
    words that is no word itself."""
    return _freq()(word)


def _table(module: str) -> Any:
    """The table P of one of jieba.posseg's probability modules, read without importing
    jieba.posseg (which reads the whole dictionary file for its tags, a quarter of a second)."""
    path = _jieba_dir() / "posseg" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"kg._jieba_posseg_{module}", path)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"{path}: not a module")
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found.P


def _hmm_tables() -> tuple[list[tuple[str, str]], dict[str, Any], dict[Any, float], dict[Any, Any], dict[Any, Any]]:
    """jieba.posseg's HMM as Dictionary.set_hmm takes it: the states in the order of their
    tuples (jieba's viterbi takes the max of (probability, state) tuples), its tables."""
    trans = _table("prob_trans")
    return sorted(trans), _table("char_state_tab"), _table("prob_start"), trans, _table("prob_emit")


@lru_cache(maxsize=1)
def _pos_cut() -> Callable[[str], list[tuple[str, str]]]:
    found = _dictionary()
    if found is None:
        return lambda text: [(p.word, p.flag) for p in posseg().cut(text)]
    found.set_hmm(*_hmm_tables())
    return found.pos_cut


def pos_cut(text: str) -> list[tuple[str, str]]:
    """`jieba.posseg.lcut(text)` (with its HMM) over the dictionary of `jieba()`, as (word,
    tag) pairs."""
    return _pos_cut()(text)


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

    def __init__(self, freq: Mapping[str, int], total: int) -> None:
        self.freq = freq
        self.logtotal = log(total)
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
    module = jieba()
    return _Cutter(module.dt.FREQ, module.dt.total)


@lru_cache(maxsize=1)
def _word_ends() -> Callable[[str], list[int]]:
    """The compiled cut, or the Python one if the compiled dictionary is not there."""
    found = _dictionary()
    return python_word_ends if found is None else found.word_ends


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
    return split_at(text, word_ends(text))


def split_at(text: str, ends: list[int]) -> list[str]:
    """The pieces of `text` that end at `ends` (ascending, the last at len(text))."""
    out, start = [], 0
    for end in ends:
        out.append(text[start:end])
        start = end
    return out
