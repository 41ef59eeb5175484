"""Exporters, registered by format name: each writes files for one graph into a directory."""

from __future__ import annotations

from ..errors import OutputError
from .registry import _REGISTRY, ExportContext, Exporter, register

__all__ = ["ExportContext", "Exporter", "formats", "get", "register"]


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
