"""The whole pipeline: page files -> articles -> extraction -> graph -> exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import networkx as nx

from . import entities, events, export, relations, resolve
from .errors import InputError, KgError, OutputError
from .graph import build_graph
from .ingest import collect, decode, segment
from .model import Extraction, PageDoc

DEFAULT_FORMATS = ("turtle", "ntriples", "jsonld", "html", "neo4j", "graphml")
# progress(stage, done, total): called as work advances, for a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts for the summary table, and every page it could not use."""

    pages: int
    articles: int
    fragments: int
    entity_counts: dict[str, int]
    relations: int
    events: int
    errors: tuple[str, ...]
    outputs: tuple[Path, ...] = field(default=())


def read(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[PageDoc], list[str]]:
    """Decode and segment every page; a bad page becomes an error message, never an exception."""
    files, problems = collect(paths)
    errors = [str(p) for p in problems]
    docs: list[PageDoc] = []
    for done, path in enumerate(files, 1):
        try:
            docs.append(segment(decode(path)))
        except InputError as exc:
            errors.append(str(exc))
        except Exception as exc:  # a bug on one page must not sink the others
            errors.append(f"{path}: could not be segmented (无法切分): {type(exc).__name__}: {exc}")
        if progress:
            progress("pages", done, len(files))
    return docs, errors


def extract(docs: Sequence[PageDoc]) -> Extraction:
    """Page-local recognition, then corpus-wide resolution, relations and events."""
    mentions = [m for doc in docs for a in doc.articles for m in entities.recognize(a)]
    found = resolve.resolve(mentions)
    return Extraction(
        entities=found,
        relations=relations.extract(docs, found),
        events=events.extract(docs, found),
    )


def build(
    paths: Iterable[Path],
    out: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    progress: Progress | None = None,
    base_iri: str | None = None,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build the graph from page files and write each format into `out`.

    `base_iri` is the namespace of the data IRIs in RDF exports (default: $PCKG_BASE_IRI or
    https://w3id.org/pckg/id/).
    """
    exporters = [export.get(name) for name in formats]
    if base_iri:
        from .export.rdf import check_base_iri

        check_base_iri(base_iri)  # before the slow part, not after it
    docs, errors = read(paths, progress)
    extraction = extract(docs)
    graph = build_graph(docs, extraction)
    if base_iri:
        graph.graph["base_iri"] = base_iri
    written: list[Path] = []
    if docs:
        try:
            out.mkdir(parents=True, exist_ok=True)
            for exporter in exporters:
                written.extend(exporter(graph, out))
        except OSError as exc:
            raise OutputError(f"{out}: cannot write output (无法写入): {exc.strerror or exc}") from None
    report = BuildReport(
        pages=len(docs),
        articles=sum(len(d.articles) for d in docs),
        fragments=sum(len(d.fragments) for d in docs),
        entity_counts=dict(sorted(Counter(e.type for e in extraction.entities).items())),
        relations=len(extraction.relations),
        events=len(extraction.events),
        errors=tuple(errors),
        outputs=tuple(written),
    )
    return graph, report


__all__ = ["BuildReport", "KgError", "build", "extract", "read"]
