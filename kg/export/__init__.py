"""Exporters, registered by format name: each writes files for one graph into a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

import networkx as nx

from ..errors import OutputError


class Exporter(Protocol):
    """Writes one format of `g` into `out`; `reuse`, a directory of the build's cache, lets it
    keep what the next build needs to rewrite only the parts of its files that changed."""

    def __call__(self, g: nx.MultiDiGraph, out: Path, *, reuse: Path | None = None) -> list[Path]: ...

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


def finish() -> None:
    """Called by a build once every format is written."""
    for fn in _ON_FINISH:
        fn()


def formats() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def get(name: str) -> Exporter:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise OutputError(f"unknown export format {name!r} (未知格式); choose from: {', '.join(sorted(_REGISTRY))}") from None


def _load() -> None:
    # Importing the modules registers them; kept lazy so `kg --help` stays fast.
    from . import graphml, html, neo4j, rdf  # noqa: F401
