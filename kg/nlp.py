"""Shared access to jieba, initialised once and quietly, and a faster equivalent of its
dictionary-only cut: compiled (kg/_cut.c) where it was built, else in Python.

jieba's dictionary (its prefix dictionary of 500,000 entries, plus our words) takes about a
second to load, whole, however little text is cut with it. A build that keeps a cache
therefore keeps a copy of it as a words file (`save_words`): every entry and tag, sorted and
stored in small marshalled chunks; a later build that cuts only a changed page or two reads
just the chunks its text looks up (`use_words`). The file holds the very entries and totals
of the dictionary in memory, so every cut and tag is the same (tests/test_nlp.py).
"""

from __future__ import annotations

import io
import logging
import marshal
import os
import re
import tempfile
import warnings
import zlib
from bisect import bisect_right
from functools import lru_cache
from math import log
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator, Mapping

try:
    from . import _cut
except ImportError:  # not compiled (setup.py makes it optional): _word_ends says so once
    _cut = None  # type: ignore[assignment]

# Bump when the words file's layout changes.
_WORDS_MAGIC = b"pckg-words 1\n"
_CHUNK = 32  # entries per chunk: one page's cut read 2,000 chunks, 22 ms (46 ms at 128 a chunk)
_MISSING: Any = object()


class _Lookup(Mapping[str, Any]):
    """A read-only mapping whose `get` does the work: the look-ups jieba makes (`in`, `[]`,
    `get`) and, for tests, iteration."""

    __slots__ = ()

    def get(self, key: str, default: Any = None) -> Any:
        raise NotImplementedError

    def __getitem__(self, key: str) -> Any:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Table(_Lookup):
    """A sorted table of str keys read from a words file chunk by chunk, as the look-ups
    reach them."""

    __slots__ = ("_data", "_firsts", "_offsets", "_chunks")

    def __init__(self, data: bytes, firsts: list[str], offsets: list[int]) -> None:
        self._data, self._firsts, self._offsets = data, firsts, offsets
        self._chunks: dict[int, dict[str, Any]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        i = bisect_right(self._firsts, key) - 1
        if i < 0:
            return default
        chunk = self._chunks.get(i)
        if chunk is None:
            chunk = self._chunks[i] = marshal.loads(self._data[self._offsets[i]: self._offsets[i + 1]])
        return chunk.get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        """Every key, in order (reads every chunk: for tests and checks)."""
        for i in range(len(self._firsts)):
            yield from sorted(marshal.loads(self._data[self._offsets[i]: self._offsets[i + 1]]))


class Words:
    """jieba's dictionary as `jieba()` leaves it, from a words file: word or prefix -> frequency
    (0 for a prefix that is no word), the sum of the frequencies, the tags `word_tags()` gives
    and the tags jieba.posseg looks up."""

    def __init__(self, freq: Table, total: int, tags: Table, pos_extra: dict[str, str]) -> None:
        self.freq, self.total, self.tags, self.pos_extra = freq, total, tags, pos_extra

    def pos_tags(self) -> _Overlay:
        return _Overlay(self.tags, self.pos_extra)


class _Overlay(_Lookup):
    """A table with a few entries put over it: the tags jieba.posseg reads, which add the
    boundary words (tagged v) to `word_tags()`."""

    __slots__ = ("_base", "_top")

    def __init__(self, base: Table, top: dict[str, str]) -> None:
        self._base, self._top = base, top

    def get(self, key: str, default: Any = None) -> Any:
        found = self._top.get(key, _MISSING)
        return self._base.get(key, default) if found is _MISSING else found

    def __contains__(self, key: object) -> bool:
        return key in self._top or key in self._base

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._top, *self._base}))


def _chunked(table: Mapping[str, Any]) -> tuple[list[str], list[bytes]]:
    items = sorted(table.items())
    return [k for k, _ in items[::_CHUNK]], [marshal.dumps(dict(items[i: i + _CHUNK])) for i in range(0, len(items), _CHUNK)]


def write_words(path: Path, freq: Mapping[str, int], total: int, tags: Mapping[str, str],
                pos_extra: Mapping[str, str]) -> None:
    """Write a words file: magic, CRC-32 of the rest, a marshalled header (total, each table's
    first keys and chunk offsets, the posseg extras), then the chunks. Written under a
    temporary name and renamed, so a reader never sees half a file."""
    blobs: list[bytes] = []
    header: dict[str, Any] = {"total": total, "pos_extra": dict(pos_extra)}
    at = 0
    for name, table in (("freq", freq), ("tags", tags)):
        firsts, chunks = _chunked(table)
        offsets = [at]
        for chunk in chunks:
            at += len(chunk)
            offsets.append(at)
        header[name] = (firsts, offsets)
        blobs += chunks
    head = marshal.dumps(header)
    body = len(head).to_bytes(8, "little") + head + b"".join(blobs)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_WORDS_MAGIC + zlib.crc32(body).to_bytes(4, "little") + body)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def read_words(path: Path) -> Words:
    """The dictionary of a words file; ValueError when the file is damaged, OSError when it
    cannot be read."""
    data = path.read_bytes()
    start = len(_WORDS_MAGIC) + 4
    if not data.startswith(_WORDS_MAGIC):
        raise ValueError("not a words file (bad header)")
    body = memoryview(data)[start:]
    if zlib.crc32(body) != int.from_bytes(data[start - 4: start], "little"):
        raise ValueError("checksum mismatch (truncated or overwritten)")
    size = int.from_bytes(body[:8], "little")
    header = marshal.loads(body[8: 8 + size])
    chunks = bytes(body[8 + size:])
    return Words(Table(chunks, *header["freq"]), header["total"], Table(chunks, *header["tags"]), header["pos_extra"])


# The words file the next first call of jieba() reads instead of loading jieba's dictionary.
_words_path: Path | None = None
# Boundary words jieba() added (tagged v), which jieba.posseg's tags hold and word_tags() does not.
_added_verbs: dict[str, str] = {}
_problems: list[str] = []


def use_words(path: Path | None) -> None:
    """Read jieba's dictionary from the words file at `path` (when it is there and sound) the
    first time it is needed, instead of loading it whole. A process keeps the dictionary it
    loaded first: either gives the same cuts."""
    global _words_path
    _words_path = path


def _open_words() -> Words | None:
    if _words_path is None:
        return None
    try:
        return read_words(_words_path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
        _problems.append(f"{_words_path}: damaged copy of jieba's dictionary, loading it whole "
                         f"(词典缓存损坏，重新加载): {reason}")
        _words_path.unlink(missing_ok=True)
        return None


def problems() -> list[str]:
    """Warnings about the words file since the last call, for the build's report."""
    found = list(_problems)
    _problems.clear()
    return found


@lru_cache(maxsize=1)
def _loaded() -> tuple[ModuleType, Words | None]:
    """jieba, and the words file it reads its dictionary from (None: the dictionary is in memory)."""
    import jieba as module

    from .lexicon import boundary_words, user_words

    module.setLogLevel(logging.WARNING)
    words = _open_words() if not module.dt.initialized else None
    if words is not None:
        # jieba's tokenizer reads its dictionary through `in`, `[]` and `get` only.
        module.dt.FREQ, module.dt.total, module.dt.initialized = words.freq, words.total, True
        return module, words
    module.initialize()
    for word, tag in user_words():
        # A high frequency makes the user word win over the dictionary's splits.
        module.add_word(word, freq=max(module.get_FREQ(word) or 0, 100000), tag=tag)
    for word in boundary_words():
        if not module.get_FREQ(word):
            module.add_word(word, freq=100000, tag="v")
            _added_verbs[word] = "v"
    return module, None


def jieba() -> ModuleType:
    """The jieba module with its dictionary loaded, the gazetteer and suffix words added to it
    (so 平城区 and 有限公司 are single words), and its start-up chatter silenced."""
    return _loaded()[0]


@lru_cache(maxsize=1)
def _posseg() -> tuple[ModuleType, Mapping[str, str]]:
    module, words = _loaded()
    from .lexicon import user_words

    if words is not None:
        # Importing jieba.posseg reads jieba's dictionary file for its tags (0.25 s); the words
        # file has them, so it reads an empty one instead.
        module.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            import jieba.posseg as posseg
        finally:
            del module.dt.get_dict_file
        posseg.dt.word_tag_tab = words.pos_tags()
        return posseg, words.tags
    import jieba.posseg as posseg

    # Copied before any posseg cut, which adds the boundary words' tags to posseg's table.
    table: dict[str, str] = dict(posseg.dt.word_tag_tab)
    table.update({w: t for w, t in user_words()})
    return posseg, table


def posseg() -> ModuleType:
    """jieba.posseg over the dictionary of `jieba()`."""
    return _posseg()[0]


def word_tags() -> Mapping[str, str]:
    """jieba's part-of-speech tag of each word of its dictionary and of our user words."""
    return _posseg()[1]


def save_words(path: Path) -> str | None:
    """Keep the dictionary this process loaded whole as a words file at `path` for later
    builds, unless one is there; a problem becomes a warning (returned)."""
    if _loaded.cache_info().currsize == 0 or _loaded()[1] is not None or path.exists():
        return None
    module = jieba()
    tags = word_tags()
    try:
        write_words(path, module.dt.FREQ, module.dt.total, tags, _added_verbs)
    except OSError as exc:
        return f"{path}: cannot keep a copy of jieba's dictionary (词典缓存无法写入): {exc.strerror or exc}"
    return None


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
    """The compiled cut over the dictionary as jieba() leaves it, or the Python one if kg._cut
    was not built."""
    module = jieba()
    if _cut is None:
        warnings.warn("kg._cut, the compiled cut, is not built (no C compiler when kg was installed?): "
                      "cutting in Python, the same words about ten times slower; reinstall kg with a C "
                      "compiler to build it", RuntimeWarning, stacklevel=3)
        return python_word_ends
    if type(module.dt.FREQ) is not dict:
        # a words file (use_words): the few pages it serves are cut in Python, which reads any
        # mapping; the compiled cut reads a dict's entries directly
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
