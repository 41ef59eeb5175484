"""The exporter registry and what exporters share: each module below kg.export registers its
writer here by format name, and kg.export looks them up."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Callable, Generic, Hashable, Protocol, TypeVar

import networkx as nx



class Exporter(Protocol):
    """Writes one format of `g` into `out`; `reuse`, a directory of the build's cache, lets it
    keep what the next build needs to rewrite only the parts of its files that changed."""

    def __call__(self, g: nx.MultiDiGraph, out: Path, *, reuse: Path | None = None) -> list[Path]: ...

T = TypeVar("T")
_REGISTRY: dict[str, Exporter] = {}
_ON_FINISH: list[Callable[[], None]] = []


def register(name: str) -> Callable[[Exporter], Exporter]:
    def add(fn: Exporter) -> Exporter:
        _REGISTRY[name] = fn
        return fn

    return add


def on_finish(fn: Callable[[], None]) -> Callable[[], None]:
    """Register `fn` to drop what an exporter kept to share work between the formats of one build."""
    _ON_FINISH.append(fn)
    return fn


class PerGraph(Generic[T]):
    """One value computed from a graph, reused while the same graph, unchanged by `stamp`, is
    written again by the next format; only the last graph is kept, until the build is finished
    (finish) or the graph dies."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Hashable, T]] = {}
        on_finish(self._kept.clear)

    def get(self, g: nx.MultiDiGraph, stamp: Hashable, compute: Callable[[], T]) -> T:
        hit = self._kept.get(id(g))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute()
        if id(g) not in self._kept:
            self._kept.clear()
            weakref.finalize(g, self._kept.pop, id(g), None)
        self._kept[id(g)] = (stamp, value)
        return value


def finish() -> None:
    """Called by a build once every format is written."""
    for fn in _ON_FINISH:
        fn()
