"""graph.ttl -> a persistent Oxigraph triple store on disk, for SPARQL without re-parsing Turtle.

    triples = load(Path("output/graph.ttl"), Path("output/oxigraph"))
    result = PersistentStore(Path("output/oxigraph")).select(find_query("timeline"))

Loading replaces what the store held, so a store always mirrors one build, never a union of
builds. The directory is Oxigraph's own (RocksDB files); open it with pyoxigraph or serve it
with the `oxigraph serve --location DIR` server from the same project.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from . import manifest
from .errors import InputError, OutputError, clip
from .query import Store

# RocksDB writes this file first; a non-empty directory without it is someone else's data.
_MARKER = "CURRENT"


def load(ttl: Path, directory: Path, parts: tuple[Path, ...] = ()) -> int:
    """Replace the store in `directory` with the triples of `ttl`; return how many it now holds.

    The new store is written beside the old one and swapped in only once it is complete: a
    load that fails or is killed leaves the old store as it was (a killed load's leftovers are
    removed by the next). `ttl`, when its directory holds a build manifest, must match it.
    """
    if not parts and not ttl.is_file():
        raise InputError(f"{ttl}: no such Turtle file (找不到 Turtle 文件); run `kg build` first")
    if not parts:
        manifest.check_file(ttl)
    directory = Path(os.path.abspath(directory))
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: is a file, not a store directory (不是目录); choose another --store")
    if directory.exists() and any(directory.iterdir()) and not (directory / _MARKER).exists():
        raise OutputError(f"{directory}: not empty and not an Oxigraph store (目录非空); choose another --store")
    with manifest.locked(directory, wait=True):
        for left in directory.parent.glob(f".{directory.name}.loading-*"):
            shutil.rmtree(left, ignore_errors=True)
        try:
            new = manifest.fresh_dir(directory, "loading-")
        except OSError as exc:
            raise OutputError(f"{directory}: cannot write the store (无法写入): {exc.strerror or exc}") from None
        try:
            triples = _fill_parts(parts, new) if parts else _fill(ttl, new)
            manifest.replace_dir(new, directory)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        return triples


def load_build(build: Path, directory: Path) -> int:
    """`kg load`: load the Turtle of the build directory `build` into the store in `directory`.

    The build must be complete (its manifest matches); a store inside the build directory is
    written holding the build's lock, so that a build switching the directory cannot lose it.
    """
    ttl = build / "graph.ttl"
    if build.exists() and not build.is_dir():
        raise InputError(f"{build}: not a build directory (不是构建目录); give the directory `kg build -o` wrote")
    if not ttl.is_file() and (build / manifest.MANIFEST).is_file():
        # A build on a cluster (kg.cluster) writes N-Triples shards, graph/part-*.nt, and Turtle only on request.
        shards = sorted(e.path for e in manifest.read(build).files if e.path.startswith("graph/part-"))
        if shards:
            manifest.check(build, shards)
            inside = Path(os.path.abspath(directory)).is_relative_to(os.path.abspath(build))
            with manifest.locked(build, wait=True) if inside else contextlib.nullcontext():
                return load(ttl, directory, tuple(build / s for s in shards))
    if not ttl.is_file():
        raise InputError(f"{ttl}: no such Turtle file (找不到 Turtle 文件); run `kg build` first")
    manifest.check(build, ["graph.ttl"])
    inside = Path(os.path.abspath(directory)).is_relative_to(os.path.abspath(build))
    with manifest.locked(build, wait=True) if inside else contextlib.nullcontext():
        return load(ttl, directory)


def _fill(ttl: Path, directory: Path) -> int:
    """Bulk-load `ttl` into a new store in `directory` and close it."""
    try:
        store = ox.Store(str(directory))
        store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
        store.flush()
        triples = len(store)
        del store  # closes RocksDB before its directory is renamed
        return triples
    except SyntaxError as exc:
        raise InputError(f"{ttl}: not valid Turtle (Turtle 语法错误): {clip(str(exc))}") from None
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write the store (无法写入): {clip(str(exc))}") from None


def _fill_parts(parts: tuple[Path, ...], directory: Path) -> int:
    """Bulk-load N-Triples shards into a new store in `directory`, one after another, and close it."""
    try:
        store = ox.Store(str(directory))
        for part in parts:
            try:
                store.bulk_load(path=str(part), format=ox.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                raise InputError(f"{part}: not valid N-Triples (N-Triples 语法错误): {clip(str(exc))}") from None
        store.flush()
        triples = len(store)
        del store
        return triples
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write the store (无法写入): {clip(str(exc))}") from None


def open_store(directory: Path) -> ox.Store:
    """Open a store written by `load`, read-only, so queries can never change it."""
    if not (directory / _MARKER).exists():
        raise InputError(f"{directory}: no Oxigraph store here (没有三元组库); run `kg load --store {directory}` first")
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise InputError(f"{directory}: cannot open the store (无法打开): {clip(str(exc))}") from None


class PersistentStore(Store):
    """kg.query's Store over a store on disk: the same parameter binding and result display as
    `kg query`, without parsing the Turtle again."""

    def __init__(self, directory: Path) -> None:
        self.engine = "oxigraph"
        self.path = directory
        self._graph = open_store(directory)
