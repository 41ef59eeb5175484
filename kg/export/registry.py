"""The exporter registry and the context a build hands its exporters: each module below
kg.export registers its writer here by format name, and kg.export looks them up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Protocol, TypeVar

import networkx as nx

from ..schema import DEFAULT_BASE_IRI, FORMATS

T = TypeVar("T")


@dataclass(frozen=True)
class ExportContext:
    """What one build tells every exporter, explicitly: no environment variable, graph attribute
    or module-level memo carries it.

    `reuse`, a directory of the build's cache, lets an exporter keep what the next build needs
    to rewrite only the parts of its files that changed. `shared` holds values several formats
    of this build compute from the same graph (the RDF triples, the record digests); it lives
    and dies with the context, so nothing outlasts the build.
    """

    base_iri: str = DEFAULT_BASE_IRI
    reuse: Path | None = None
    formats: tuple[str, ...] = FORMATS
    _shared: dict[str, tuple[Hashable, Any]] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per `name` while `key` (what the value depends on) stays the same;
        only the last value of a name is kept."""
        hit = self._shared.get(name)
        if hit is not None and hit[0] == key:
            value: T = hit[1]
            return value
        value = compute()
        self._shared[name] = (key, value)
        return value

    def release(self, name: str) -> Any:
        """Forget the shared value `name` when no later writer of this build reads it, so that
        the formats written after it do not carry it (the RDF triples are the largest); returns
        it (None if there was none), for what must be cleaned up with it."""
        return self._shared.pop(name, (None, None))[1]


class Exporter(Protocol):
    """Writes one format of `g` into `out` and returns the paths written; without a context,
    the defaults (the project's base IRI, no reuse)."""

    def __call__(self, g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]: ...


_REGISTRY: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    def add(fn: Exporter) -> Exporter:
        _REGISTRY[name] = fn
        return fn

    return add
