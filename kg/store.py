"""graph.ttl -> a persistent Oxigraph triple store on disk, for SPARQL without re-parsing Turtle.

    triples = load(Path("output/graph.ttl"), Path("output/oxigraph"))
    result = PersistentStore(Path("output/oxigraph")).select(find_query("timeline"))

Loading replaces what the store held, so a store always mirrors one build, never a union of
builds. The directory is Oxigraph's own (RocksDB files); open it with pyoxigraph or serve it
with the `oxigraph serve --location DIR` server from the same project.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, OutputError
from .query import Store

# RocksDB writes this file first; a non-empty directory without it is someone else's data.
_MARKER = "CURRENT"


def load(ttl: Path, directory: Path) -> int:
    """Replace the store in `directory` with the triples of `ttl`; return how many it now holds."""
    if not ttl.is_file():
        raise InputError(f"{ttl}: no such Turtle file (找不到 Turtle 文件); run `kg build` first")
    if directory.exists() and any(directory.iterdir()) and not (directory / _MARKER).exists():
        raise OutputError(f"{directory}: not empty and not an Oxigraph store (目录非空); choose another --store")
    try:
        store = ox.Store(str(directory))
        store.clear()
        store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
        store.flush()
        return len(store)
    except SyntaxError as exc:
        raise InputError(f"{ttl}: not valid Turtle (Turtle 语法错误): {exc}") from None
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write the store (无法写入): {exc}") from None


def open_store(directory: Path) -> ox.Store:
    """Open a store written by `load`, read-only, so queries can never change it."""
    if not (directory / _MARKER).exists():
        raise InputError(f"{directory}: no Oxigraph store here (没有三元组库); run `kg load --store {directory}` first")
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise InputError(f"{directory}: cannot open the store (无法打开): {exc}") from None


class PersistentStore(Store):
    """kg.query's Store over a store on disk: the same parameter binding and result display as
    `kg query`, without parsing the Turtle again."""

    def __init__(self, directory: Path) -> None:
        self.engine = "oxigraph"
        self.path = directory
        self._graph = open_store(directory)
