"""Reuse of the previous build's output files, so that a rebuild rewrites only what changed.

An exported file is a header, a sorted sequence of blocks and a footer. Every block belongs
to one RECORD, a graph node with its out-edges and what the exporters read about its
neighbours, or to no record (a small block shared by many, regenerated every time). A build
with a cache saves, next to the cache, an index per exporter: each record's digest and,
per file, the file's size, mtime and inode and every block's sort key, byte range and owner.
The next build copies the blocks of records whose digest is unchanged straight from the old
file (os.copy_file_range: a kernel copy, 8x cheaper than reading and writing the bytes),
generates the others, and merges both in key order. The old files are the memo: nothing
else holds a copy of the text. A file changed or removed since, a damaged index or one of
another layout means a full export; the index never changes a byte of the output.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import operator
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

import networkx as nx

from ..cache import digester
from .registry import ExportContext

FORMAT = 1  # bump when the index layout changes
# A block: its sort key, the record (node) that produced it or None, its bytes.
Block = tuple[Any, "str | None", "bytes | memoryview"]


def _compute(g: nx.MultiDiGraph) -> dict[str, bytes]:
    nodes, succ, pred = g._node, g._succ, g._pred  # the adjacency dicts themselves: views cost 3x
    context = {n: (d.get("kind"), d.get("type")) for n, d in nodes.items()}
    article_keys: dict[str, bytes] = g.graph.get("article_keys", {})
    out: dict[str, bytes] = {}
    digest = digester()
    for n, d in nodes.items():
        edges = succ[n]
        key = article_keys.get(n)
        if key is not None:
            # An article's attributes and the evidence on its edges to entities come from its
            # page's text, which its key hashes (and the code, which names this index's
            # directory); its edges to entities are its resolved mentions: `key` digests them
            # all. Pickling the evidence itself was 80% of this function's time.
            out[n] = digest(("article", n, key, [(v, context[v], list(by_key) if context[v][0] == "Entity" else by_key)
                                                for v, by_key in edges.items()]))
            continue
        # An event's RDF names the articles that mention it (prov:wasDerivedFrom), its in-edges.
        sources = list(pred[n]) if d.get("kind") == "Event" else None
        out[n] = digest((n, d, edges, [context[v] for v in edges], sources))
    return out


def stamp(g: nx.MultiDiGraph) -> tuple[int, int]:
    """(nodes, linked node pairs), to notice a graph changed since a memo of it was made.

    Pairs, not edges: counting the edges of a multigraph walks every pair's key dict (8 calls
    per build took 0.09 s at 1,000 pages), counting pairs is one len per node. Neither notices
    a changed attribute; within a build nothing changes the graph, and its context drops the memos.
    """
    return len(g), sum(map(len, g._succ.values()))


def digests(g: nx.MultiDiGraph, ctx: ExportContext) -> dict[str, bytes]:
    """node -> digest of its record, computed once per build (context) for every exporter.

    Pickled without memo, so equal values give equal bytes; an insertion order that differs
    between builds only costs a record being regenerated, never a wrong byte.
    """
    return ctx.shared("record digests", stamp(g), lambda: _compute(g))


@dataclass
class FileIndex:
    """Where each block of one written file is, and how to recognise that file later."""

    stat: tuple[int, int, int]  # size, mtime_ns, inode
    header: bytes
    footer: bytes
    keys: list[Any]
    spans: array  # per block, its length plus the separator's: block starts are their running sums
    owners: list[str | None]


@dataclass
class Saved:
    """What one exporter keeps between builds: the records it wrote and its files' indexes."""

    salt: str
    records: dict[str, bytes]
    files: dict[str, FileIndex] = field(default_factory=dict)  # by path relative to the output directory
    extra: Any = None  # the exporter's own, e.g. GraphML's attribute specs per record
    format: int = FORMAT


def _stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def load(reuse: Path | None, name: str, salt: str) -> Saved | None:
    """The index `name` saved by the last build, if it is readable and of this salt and layout."""
    if reuse is None:
        return None
    try:
        with (reuse / f"{name}.index").open("rb") as f:
            saved = pickle.load(f)
    except Exception:  # missing, truncated or foreign: a full export, nothing to report
        return None
    if not isinstance(saved, Saved) or saved.format != FORMAT or saved.salt != salt:
        return None
    return saved


# A build writes into a staging directory (kg/manifest.py) while its last outputs stay in the
# output directory until the switch: the old blocks are read from there.
_ORIGINS: dict[Path, Path] = {}


@contextlib.contextmanager
def staged(stage: Path, out: Path) -> Iterator[None]:
    """While in this context, files written under `stage` reuse the blocks of those under `out`."""
    _ORIGINS[Path(os.path.abspath(stage))] = Path(os.path.abspath(out))
    try:
        yield
    finally:
        _ORIGINS.pop(Path(os.path.abspath(stage)), None)


def origin(path: Path) -> Path:
    """Where the last build's version of the file to be written at `path` is."""
    absolute = Path(os.path.abspath(path))
    for stage, out in _ORIGINS.items():
        if absolute.is_relative_to(stage):
            return out / absolute.relative_to(stage)
    return path


def valid(out: Path, rel: str, saved: Saved) -> FileIndex | None:
    """The index of `out/rel` if that file is still the one it describes."""
    index = saved.files.get(rel)
    try:
        return index if index is not None and _stat(origin(out / rel)) == index.stat else None
    except OSError:
        return None


def dirty(saved: Saved, current: dict[str, bytes]) -> set[str]:
    """The records whose blocks must be generated: new or changed since the saved build."""
    # The difference of the item views is taken in C: a comprehension over every record took
    # 0.09 s of a 2 s rebuild for five files.
    return {n for n, _ in current.items() - saved.records.items()}


def save(reuse: Path | None, name: str, saved: Saved) -> None:
    """Keep `saved` for the next build; a cache that cannot be written only costs that reuse."""
    if reuse is None:
        return
    tmp = None
    try:
        reuse.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=reuse, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(saved, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, reuse / f"{name}.index")
    except OSError:  # e.g. a full disk: leave no partial file behind
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def forget(reuse: Path | None, name: str) -> None:
    """Drop the index `name` before its files are replaced: a crash in between must not leave
    an index that describes files it no longer matches."""
    if reuse is not None:
        try:
            (reuse / f"{name}.index").unlink(missing_ok=True)
        except OSError:
            pass


class Conflict(Exception):
    """A generated block has the key of a reused one: export in full instead."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


class _Writer:
    """A new file being written: bytes from memory, ranges copied from an old file."""

    def __init__(self, path: Path) -> None:
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        os.fchmod(fd, _FILE_MODE)  # mkstemp's file is private; an output is as open() would make it
        self.f = os.fdopen(fd, "wb")
        self.pos = 0

    def write(self, data: bytes | memoryview) -> None:
        self.f.write(data)
        self.pos += len(data)

    def copy(self, src: int, start: int, end: int) -> None:
        self.f.flush()
        dst = self.f.fileno()
        at = start
        try:
            while at < end:
                n = os.copy_file_range(src, dst, end - at, at)
                if n == 0:
                    break
                at += n
        except (AttributeError, OSError):
            pass  # no copy_file_range here, or not between these files: copy through memory
        while at < end:
            chunk = os.pread(src, min(end - at, 1 << 24), at)
            if not chunk:
                raise OSError(f"{self.tmp}: the previous output ended early")
            os.write(dst, chunk)
            at += len(chunk)
        os.lseek(dst, 0, os.SEEK_END)
        self.pos += end - start

    def finish(self, path: Path) -> tuple[int, int, int]:
        self.f.close()
        os.replace(self.tmp, path)
        return _stat(path)

    def abandon(self) -> None:
        self.f.close()
        Path(self.tmp).unlink(missing_ok=True)


class _Indexed:
    """A file being written block by block, with the index of where each block went."""

    def __init__(self, path: Path, header: bytes, sep: bytes) -> None:
        self.w, self.header, self.sep = _Writer(path), header, sep
        self.keys: list[Any] = []
        self.owners: list[str | None] = []
        self.spans = array("q")
        self.w.write(header)

    def add(self, key: Any, owner: str | None, data: bytes | memoryview) -> None:
        if self.keys:
            self.w.write(self.sep)
        self.keys.append(key)
        self.owners.append(owner)
        self.spans.append(len(data) + len(self.sep))
        self.w.write(data)

    def copy(self, src: int, old: FileIndex, starts: list[int], i: int, j: int) -> None:
        """Blocks i..j-1 of the old file `src`, whose block starts are `starts`, as they are."""
        if self.keys:
            self.w.write(self.sep)
        self.w.copy(src, starts[i], starts[j] - len(self.sep))
        self.keys.extend(old.keys[i:j])
        self.owners.extend(old.owners[i:j])
        self.spans.extend(old.spans[i:j])

    def finish(self, path: Path, footer: bytes, empty_footer: bytes | None) -> FileIndex:
        if not self.keys and empty_footer is not None:
            footer = empty_footer
        self.w.write(footer)
        return FileIndex(self.w.finish(path), self.header, footer, self.keys, self.spans, self.owners)


def write_all(path: Path, header: bytes, blocks: Iterable[Block], footer: bytes, sep: bytes = b"",
              empty_footer: bytes | None = None) -> FileIndex:
    """Write every block in order (a full export) and return where each one went."""
    out = _Indexed(path, header, sep)
    try:
        for block in blocks:
            out.add(*block)
        return out.finish(path, footer, empty_footer)
    except BaseException:
        out.w.abandon()
        raise


def write_merged(path: Path, old: FileIndex, alive: set[str] | frozenset[str], header: bytes, new: list[Block],
                 footer: bytes, sep: bytes = b"", empty_footer: bytes | None = None) -> FileIndex:
    """Rewrite `path`: the old blocks of `alive` records copied from the old file, `new` (sorted by
    key) generated, merged in key order. Raises Conflict when a key appears twice.

    Only the dropped blocks (shared ones, and those of records changed or gone) and the new ones
    cost Python work: the kept blocks between them are copied as runs, found by C-level passes.
    """
    owners, keys = old.owners, old.keys
    n = len(owners)
    dropped = list(itertools.compress(range(n), map(operator.not_, map(alive.__contains__, owners))))
    if not new and not dropped and header == old.header and footer == old.footer:
        if origin(path) == path:
            return old  # nothing changed: the file stays as it is
        try:  # nothing changed: the same file (inode, mtime) in the new output
            os.link(origin(path), path)
            return old
        except OSError:
            pass  # no hard links here: the blocks are copied below
    at = []  # where each new block goes: before that old block
    lo = 0
    for key, _, _ in new:
        lo = bisect.bisect_left(keys, key, lo)
        i = lo
        while i < n and keys[i] == key:
            if owners[i] in alive:
                raise Conflict(key)
            i += 1
        at.append(lo)
    starts = list(itertools.accumulate(old.spans, initial=len(old.header)))
    dropped.append(n)  # a sentinel: the end of the last run
    with open(origin(path), "rb") as src_file:
        src = src_file.fileno()
        out = _Indexed(path, header, sep)
        try:
            d = 0  # dropped[d] is the first dropped block at or after `done`
            done = 0

            def copy_kept(end: int) -> None:  # the kept blocks among done..end-1, in runs
                nonlocal d, done
                while done < end:
                    while dropped[d] < done:
                        d += 1
                    stop = min(dropped[d], end)
                    if done < stop:
                        out.copy(src, old, starts, done, stop)
                    done = stop + 1 if stop == dropped[d] else stop

            for block, pos in zip(new, at):
                copy_kept(pos)
                out.add(*block)
            copy_kept(n)
            return out.finish(path, footer, empty_footer)
        except BaseException:
            out.w.abandon()
            raise


# make(records, saved) -> (header, blocks sorted by key, footer) for those records (None: every
# node) and the shared blocks; it may raise Conflict when the reuse cannot be exact.
Make = Callable[[Optional[set[str]], Optional[Saved]], tuple[bytes, Iterable[Block], bytes]]


def export_file(g: nx.MultiDiGraph, out: Path, rel: str, ctx: ExportContext, salt: str, make: Make,
                sep: bytes = b"", empty_footer: bytes | None = None, extra: Callable[[], Any] | None = None) -> Path:
    """Write `out/rel` from `make`'s blocks, reusing the last build's file where `ctx.reuse` allows."""
    path = out / rel
    reuse = ctx.reuse
    saved = load(reuse, rel, salt)
    current = digests(g, ctx) if reuse is not None else {}
    index = None
    old = valid(out, rel, saved) if saved is not None else None
    if saved is not None and old is not None:
        changed = dirty(saved, current)
        alive = current.keys() - changed
        try:
            header, blocks, footer = make(changed, saved)
            forget(reuse, rel)
            index = write_merged(path, old, alive, header, list(blocks), footer, sep, empty_footer)
        except Conflict:
            index = None
    if index is None:
        forget(reuse, rel)
        header, blocks, footer = make(None, None)
        index = write_all(path, header, blocks, footer, sep, empty_footer)
    if reuse is not None:
        save(reuse, rel, Saved(salt, current, {rel: index}, extra() if extra else None))
    return path
