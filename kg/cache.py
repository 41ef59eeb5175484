"""Page-local results kept between builds, so that a rebuild re-extracts only changed pages.

A page's segmentation and recognised mentions depend only on that page and on the
extractor, so they are stored under a key made of the page (name, encoding, text)
and the extractor's version. The version is `FORMAT` plus a hash of the package's
source and the ontology/ data files: any code or lexicon change starts a fresh cache
by itself, so nobody has to remember to bump a number for a stale result to vanish.

Every entry lives in a `Memo`: one file per kind, `<root>/<version>/<name>.pickle`, plus the
deltas later builds add, each file a magic line, the SHA-256 of the payload, then a pickled
dict of entries. The pages' results are the memo `pages`, keyed by the page key: one file
read for 1,000 pages instead of 1,000 files (their paths, opens and checks were 0.04 s of a
rebuild). A file that fails any check is reported and recomputed; it never fails the build.

What an article yields once its mentions are resolved (its relations and event reports)
depends on the article and on those resolved mentions only; the memo `articles` keeps them,
keyed by a digest of their inputs.
Entries are pickles, which can run code when loaded: point --cache only at a directory that
kg itself wrote.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

from .lexicon import ontology_dir
from .model import Mention, Page, PageDoc

# Bump when the stored layout or PageResult changes shape in a way the source hash would miss.
FORMAT = 3  # 3: the pages' results in one memo, without the page
_MAGIC = b"pckg-page-cache\n"
_PACKAGE = Path(__file__).resolve().parent
SAVE_EVERY = 1000  # pages analysed between two writes of the page results, at least
_VERSION_DIR = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class PageResult:
    """Everything page-local about one page: its articles and fragments, and their mentions."""

    doc: PageDoc
    mentions: tuple[Mention, ...]


def digest(value: object) -> bytes:
    """A digest of a value made of str, int, None, tuples, lists and dicts: pickled without memo,
    equal values give equal bytes whatever objects they share (2.5x faster than hashing repr)."""
    return digester()(value)


def digester() -> Callable[[object], bytes]:
    """`digest` for a loop over many values: one pickler and buffer serve every call, 30% faster
    than a new pair per value (10,000 records a rebuild). Without memo (fast mode) a pickler
    keeps nothing from one value to the next; each loop makes its own, so threads share none."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.fast = True

    def one(value: object) -> bytes:
        buf.seek(0)
        buf.truncate()
        pickler.dump(value)
        return hashlib.blake2b(buf.getbuffer(), digest_size=16).digest()

    return one


def _files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A short hash of everything that decides page-local results: code, data, libraries."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0".encode())
    for dist in ("jieba",):
        try:
            h.update(f"{dist}={version(dist)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{dist}=?\0".encode())
    # *.c: kg/_cut.c, the compiled cut, decides the words every page is read with
    for root, pattern in ((_PACKAGE, "*.py"), (_PACKAGE, "*.c"), (ontology_dir(), "*")):
        if not root.is_dir():
            continue
        for path in _files(root, pattern):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def page_key(page: Page) -> str:
    """The cache key of one decoded page: the same name and text give the same key."""
    h = hashlib.sha256()
    # A manifest's url and date change what a page's articles say, so they are part of the key;
    # the url and the mark of a shared identity also change the page's id, hence its articles'.
    shares = "shares identity" if page.shares_identity else ""
    for part in (page.name, page.encoding, page.text, page.url or "", page.date or "", shares):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


class PageCache:
    """PageResults and memos for one extractor version; problems become warnings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / extractor_version()
        self.warnings: list[str] = []
        self.writable = True
        self._pruned = False
        self._pages: Memo | None = None
        self._unsaved = 0

    def _page_memo(self) -> Memo:
        if self._pages is None:
            self._pages = self.memo("pages")
        return self._pages

    def load(self, page: Page) -> PageResult | None:
        """The stored result for `page`, or None when there is none or it cannot be trusted."""
        pages = self._page_memo()
        key = page_key(page)
        entry = pages.get(key)
        if entry is None:
            return None
        if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == key:
            return PageResult(PageDoc(page, entry[1], entry[2]), entry[3])
        self._warn(f"{pages.path}: corrupt cache entry for {page.name}, re-extracting "
                   f"(缓存损坏，重新提取): it holds a different page")
        pages.discard(key)
        return None

    def store(self, page: Page, result: PageResult) -> None:
        """Keep `result` for the next build. Written by `save`, and along the way as a delta of
        each SAVE_EVERY pages or as many as are stored, whichever is more (so a long build cut
        short keeps most of its work, and writes each result a few times at most).

        Stored without the page: the build has just read it, and its key (name, text and all)
        says the entry is of this very page. Its text was a quarter of the entries' bytes.
        """
        pages = self._page_memo()
        key = page_key(page)
        pages.put(key, (key, result.doc.articles, result.doc.fragments, result.mentions))
        self._unsaved += 1
        if self._unsaved >= max(SAVE_EVERY, len(pages)):
            self.save()

    def save(self) -> None:
        """Write the page results stored since the last save; a cache that cannot be written
        is warned about once."""
        if self._pages is not None:
            self._pages.save()
        self._unsaved = 0

    def memo(self, name: str) -> Memo:
        """A memo of results keyed by their inputs' digest, kept beside the page entries."""
        return Memo(self, self.dir / f"{name}.pickle")

    def write_entry(self, path: Path, payload: bytes) -> None:
        """Write an entry under `path`, or warn once and stop writing when the cache cannot be."""
        if not self.writable:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._prune()
            # Write then rename, so an interrupted build never leaves half an entry under the real name.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except OSError as exc:
            self.writable = False
            self._warn(f"{self.root}: cache cannot be written, building without it "
                       f"(缓存目录无法写入): {exc.strerror or exc}")

    def read_entry(self, path: Path, what: str) -> object | None:
        """The unpickled entry at `path`; None when there is none, or (with a warning) a damaged one."""
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            self._warn(f"{path}: cache entry for {what} cannot be read, re-extracting "
                       f"(缓存无法读取，重新提取): {exc.strerror or exc}")
            return None
        problem = _check(data)
        if problem is None:
            try:
                return pickle.loads(memoryview(data)[len(_MAGIC) + 32:])
            except Exception as exc:  # any unpickling failure means a damaged entry
                problem = f"{type(exc).__name__}: {exc}"
        self._warn(f"{path}: corrupt cache entry for {what}, re-extracting (缓存损坏，重新提取): {problem}")
        path.unlink(missing_ok=True)
        return None

    def _prune(self) -> None:
        """Remove the entries of other extractor versions: they can never be read again."""
        if self._pruned:
            return
        self._pruned = True
        for old in self.root.iterdir():
            if old.is_dir() and old != self.dir and _VERSION_DIR.match(old.name):
                shutil.rmtree(old, ignore_errors=True)

    def _warn(self, message: str) -> None:
        self.warnings.append(message)


class Memo:
    """Results of one kind from earlier builds, by a digest of their inputs.

    Stored as a base file plus up to `MAX_DELTAS` delta files `<name>.<n>.pickle`: a build that
    reuses most entries adds only its new ones in a delta, since rewriting every entry took 0.09 s
    of a 3 s rebuild. Entries are keyed by their inputs, so any mix of these files is correct;
    the base is rewritten with only the entries the build used once the files hold more unused
    entries than used ones, or too many deltas.
    """

    MAX_DELTAS = 8

    def __init__(self, cache: PageCache, path: Path) -> None:
        self._cache, self._path = cache, path
        self._old: dict[Any, Any] = {}
        self._deltas = sorted(path.parent.glob(f"{path.stem}.*.pickle"), key=_delta_number)
        for file in (path, *self._deltas):
            stored = cache.read_entry(file, path.stem)
            if isinstance(stored, dict):
                self._old.update(stored)
        self._used: dict[Any, Any] = {}
        self._dropped = False
        self.hits = 0

    @property
    def path(self) -> Path:
        return self._path

    def get(self, key: Any) -> Any:
        """The stored result for `key`, or None."""
        found = self._old.get(key)
        if found is not None:
            self._used[key] = found
            self.hits += 1
        return found

    def put(self, key: Any, value: Any) -> None:
        self._used[key] = value

    def discard(self, key: Any) -> None:
        """Forget a stored entry found wrong: the files are rewritten without it."""
        self._old.pop(key, None)
        self._used.pop(key, None)
        self._dropped = True

    def __len__(self) -> int:
        """Entries stored in the files."""
        return len(self._old)

    def save(self) -> None:
        """Keep the entries this build added, and drop unused ones when they outnumber the used.
        May be called again as more entries are put: each call writes those added since."""
        new = {k: v for k, v in self._used.items() if k not in self._old}
        unused = len(self._old) - (len(self._used) - len(new))
        if (self._path.exists() and unused <= len(self._used) and len(self._deltas) < self.MAX_DELTAS
                and not self._dropped):
            if new:
                number = _delta_number(self._deltas[-1]) + 1 if self._deltas else 1
                delta = self._path.with_name(f"{self._path.stem}.{number}.pickle")
                self._write(delta, new)
                self._deltas.append(delta)
                self._old.update(new)
            return
        self._write(self._path, self._used)
        for delta in self._deltas:
            delta.unlink(missing_ok=True)
        self._old, self._deltas, self._dropped = dict(self._used), [], False

    def _write(self, path: Path, entries: dict[Any, Any]) -> None:
        self._cache.write_entry(path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))


def _delta_number(path: Path) -> int:
    number = path.stem.rpartition(".")[2]
    return int(number) if number.isdigit() else 0


def _check(data: bytes) -> str | None:
    """Why a stored entry is damaged, or None when its header and checksum hold."""
    if not data.startswith(_MAGIC):
        return "not a cache entry (bad header)"
    # a view, not a slice: copying 70 MB of entries per rebuild of 1,000 pages cost 0.02 s
    digest, payload = data[len(_MAGIC): len(_MAGIC) + 32], memoryview(data)[len(_MAGIC) + 32:]
    if hashlib.sha256(payload).digest() != digest:
        return "checksum mismatch (truncated or overwritten)"
    return None
