"""The whole pipeline: page files -> articles -> extraction -> graph -> exports.

Page-local work (decode, segment, recognise) is done once per page and can be cached
and spread over processes. Resolution runs over every mention; then each article is read
for its relations and events, which depend only on the article and its resolved mentions,
so these are cached by a digest of exactly that; merging across articles, the graph and the
exports run over everything. So a build's outputs do not depend on the cache or on the
number of jobs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import networkx as nx

from . import dates, divisions, entities, events, export, nlp, relations, resolve, schema
from . import manifest as outputs
from .cache import Memo, PageCache, PageResult, digester
from .errors import InputError, KgError, clip
from .export import reuse
from .graph import build_graph, page_node
from .ingest import segment
from .pages import MAX_PAGE_SIZE, collect, decode, identify, read_manifest, safe_name, with_manifest
from .model import Article, Extraction, Mention, Page, PageDoc
from .sentences import Reader

DEFAULT_FORMATS = schema.FORMATS
# progress(stage, done, total): called as work advances, for a progress bar.
# Stages, in order: pages recognition resolution relations (and events, per article) merge export.
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
    cached: int = 0  # pages whose page-local results came from the cache
    cached_articles: int = 0  # articles whose relations and events came from the cache
    warnings: tuple[str, ...] = field(default=())  # problems that did not change the outputs
    files: int = 0  # page files read; files holding the same text are one page


def _load(
    paths: Iterable[Path], progress: Progress | None, manifest: Path | None = None, max_page_size: int = MAX_PAGE_SIZE
) -> tuple[list[Path], list[Page], list[str]]:
    """Decode every page file, in a stable order: (files, pages, errors); a bad file becomes an error.

    A `manifest` (file, url, date per page) gives each page its address and publication date.
    """
    entries = read_manifest(manifest) if manifest is not None else {}
    files, problems = collect(paths)
    errors = [str(p) for p in problems]
    decoded: list[Path] = []
    pages: list[Page] = []
    for done, path in enumerate(files, 1):
        try:
            page = decode(path, max_page_size)
            pages.append(with_manifest(page, path, entries) if entries else page)
            decoded.append(path)
        except InputError as exc:
            errors.append(str(exc))
        if progress:
            progress("pages", done, len(files))
    return decoded, pages, errors


def same_text(files: Sequence[Path], pages: Sequence[Page]) -> tuple[list[Path], list[Page], dict[str, tuple[str, ...]]]:
    """One page per distinct text, the first by name: (files, pages, Page.digest -> every file
    name holding that text, when there are several). The page keeps the first name in sorted
    order, its identity when the manifest gives it no address (docs/rdf-sparql.md)."""
    first: dict[str, int] = {}
    names: dict[int, list[str]] = {}  # by the first page of each text: hashing every text cost 0.01 s a 1,000 pages
    kept: list[int] = []
    for i, page in enumerate(pages):
        at = first.setdefault(page.text, i)
        if at == i:
            kept.append(i)
        names.setdefault(at, []).append(page.name)
    several = {pages[at].digest: tuple(sorted(set(ns))) for at, ns in names.items() if len(set(ns)) > 1}
    return [files[i] for i in kept], [pages[i] for i in kept], several


def analyse_page(page: Page) -> PageResult | str:
    """Segment one page and recognise its mentions; a failure becomes the reason, as text."""
    try:
        doc = segment(page)
        mentions = tuple(m for a in doc.articles for m in entities.recognize(a))
    except Exception as exc:  # a bug on one page must not sink the others
        return f"could not be analysed (无法分析): {type(exc).__name__}: {clip(str(exc))}"
    return PageResult(doc, mentions)


def _pool_results(pages: list[Page], jobs: int) -> Iterator[PageResult | str]:
    """analyse_page over `pages` in `jobs` processes, yielding results in the order of `pages`."""
    methods = multiprocessing.get_all_start_methods()
    # fork lets the workers share the parent's loaded dictionary instead of each loading it.
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if "fork" in methods:
        nlp.load()
    chunk = max(1, min(16, len(pages) // (jobs * 8)))
    with ctx.Pool(jobs) as pool:
        yield from pool.imap(analyse_page, pages, chunksize=chunk)


def analyse(
    pages: Sequence[Page],
    cache: PageCache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    sources: Sequence[Path] | None = None,
) -> tuple[list[PageResult], list[str], int]:
    """Page-local results for every page, in page order: (results, errors, pages from the cache).

    `sources` are the pages' files, to name them in error messages.
    """
    found: dict[int, PageResult] = {}
    if cache is not None:
        for i, page in enumerate(pages):
            hit = cache.load(page)
            if hit is not None:
                found[i] = hit
    todo = [i for i in range(len(pages)) if i not in found]
    if progress and found:
        progress("recognition", len(found), len(pages))
    errors: dict[int, str] = {}
    work = [pages[i] for i in todo]
    jobs = min(jobs, len(work))
    results = _pool_results(work, jobs) if jobs > 1 else map(analyse_page, work)
    for done, (i, result) in enumerate(zip(todo, results), 1):
        if isinstance(result, str):
            errors[i] = f"{safe_name(str(sources[i])) if sources else pages[i].name}: {result}"
        else:
            found[i] = result
            if cache is not None:
                cache.store(pages[i], result)
        if progress:
            progress("recognition", len(pages) - len(todo) + done, len(pages))
    if cache is not None:
        cache.save()
    ordered = [found[i] for i in sorted(found)]
    return ordered, [errors[i] for i in sorted(errors)], len(pages) - len(todo)


def read(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[PageDoc], list[str]]:
    """Decode and segment every page; a bad page becomes an error message, never an exception."""
    files, pages, errors = _load(paths, progress)
    pages = identify(pages)
    docs: list[PageDoc] = []
    for path, page in zip(files, pages):
        try:
            docs.append(segment(page))
        except Exception as exc:  # a bug on one page must not sink the others
            errors.append(f"{safe_name(str(path))}: could not be segmented (无法切分): "
                          f"{type(exc).__name__}: {clip(str(exc))}")
    return docs, errors


@dataclass(frozen=True)
class ArticleFacts:
    """What one article states once its mentions are resolved; the same inputs give the same facts."""

    relations: relations.ArticleRelations
    events: tuple[events.Report, ...]


def read_article(reader: Reader, doc: PageDoc, article: Article, years: dict[str | None, dates.PageYear]) -> ArticleFacts:
    """An article's relations and event reports, from its sentences and resolved mentions.

    `years` caches the page's year per publication date: relative dates count from it."""
    sents = reader.sentences(article)
    if not sents:
        return ArticleFacts(relations.ArticleRelations((), (), (), ()), ())
    year = years.get(article.published)
    if year is None:
        year = years[article.published] = dates.page_year(doc.page.text, article.published)
    return ArticleFacts(relations.article_relations(sents), events.article_reports(sents, year))


def extract(
    docs: Sequence[PageDoc],
    mentions: Sequence[Mention] | None = None,
    progress: Progress | None = None,
    memo: Memo | None = None,
) -> Extraction:
    """Corpus-wide resolution, relations and events; recognition first unless `mentions` are given.

    Each article is read once for both relations and events; with a `memo`, an article whose text
    and resolved mentions are unchanged since the last build is not read again.
    """
    if mentions is None:
        mentions = [m for doc in docs for a in doc.articles for m in entities.recognize(a)]

    def stage(name: str, done: int, total: int = 1) -> None:
        if progress:
            progress(name, done, total)

    stage("resolution", 0)
    found = resolve.resolve(mentions)
    stage("resolution", 1)
    reader = Reader(found)
    docs = sorted(docs, key=lambda d: d.page.name)
    total = sum(len(d.articles) for d in docs)
    stage("relations", 0, total)
    per_article: list[tuple[str, ArticleFacts]] = []
    keys: dict[str, bytes] = {}
    digest = digester()
    for doc in docs:
        years: dict[str | None, dates.PageYear] = {}
        for article in doc.articles:
            key = digest(reader.signature(article)) if memo is not None else b""
            facts = memo.get(key) if memo is not None else None
            if facts is None:
                facts = read_article(reader, doc, article, years)
            if memo is not None:
                memo.put(key, facts)
                keys[article.id] = key
            per_article.append((article.id, facts))
            if len(per_article) % 256 == 0:
                stage("relations", len(per_article), total)
    stage("relations", total, total)
    stage("merge", 0)
    found_relations = relations.combine([(id_, f.relations) for id_, f in per_article], found)
    found_events = events.combine([r for _, f in per_article for r in f.events])
    registered = divisions.link(found)
    stage("merge", 1)
    if memo is not None:
        memo.save()
    return Extraction(
        entities=found,
        relations=found_relations,
        events=found_events,
        article_keys=keys,
        division_codes=registered.codes,
        official_relations=registered.chain,
    )


def build(
    paths: Iterable[Path],
    out: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    progress: Progress | None = None,
    base_iri: str | None = None,
    *,
    cache: Path | None = None,
    jobs: int = 1,
    manifest: Path | None = None,
    wait: bool = False,
    max_page_size: int = MAX_PAGE_SIZE,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build the graph from page files and write each format into `out`.

    `manifest` is a TSV/CSV of file, url, date: each page's address and publication date.

    `base_iri` is the namespace of the data IRIs in RDF exports (default
    https://w3id.org/pckg/id/; the CLI also reads $PCKG_BASE_IRI). `cache` is a directory for page-local results reused by the
    next build; `jobs` processes analyse the pages (0: one per CPU). Neither changes the outputs.

    `out` changes in one step, once every output is written (kg/manifest.py): a build that fails
    or is killed leaves the previous build as it was. A second build into the same `out` fails
    at once, or with `wait` waits for the first. A page file above `max_page_size` bytes is refused.
    """
    # What a build makes is acyclic and lives until the build ends, or is freed by reference
    # counting: the cyclic collector only walks it again and again. Off, a clean build of 10,000
    # articles took 6% less CPU (a rebuild 10% less) with the same peak memory (1.05 GB).
    enabled = gc.isenabled()
    gc.disable()
    try:
        # Locked from the start: a second build fails before it analyses anything or touches the cache.
        with outputs.locked(out, wait):
            return _build(paths, out, formats, progress, base_iri, cache, jobs, manifest, max_page_size)
    finally:
        if enabled:
            gc.enable()


def _build(
    paths: Iterable[Path],
    out: Path,
    formats: Sequence[str],
    progress: Progress | None,
    base_iri: str | None,
    cache: Path | None,
    jobs: int,
    manifest: Path | None,
    max_page_size: int,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    exporters = [export.get(name) for name in formats]
    from .export.rdf import check_base_iri

    base_iri = check_base_iri(base_iri or schema.DEFAULT_BASE_IRI)  # before the slow part, not after it
    jobs = jobs if jobs > 0 else os.cpu_count() or 1
    page_cache = PageCache(cache) if cache is not None else None
    # The graph is all the exports read: what the stages before it made (pages, segments,
    # passages, mentions) is freed here, before the exports' own peak (issue 20).
    graph, report, inputs = _graph(paths, progress, page_cache, jobs, manifest, max_page_size)
    # One context for every format: they share the triples and record digests computed in it.
    context = export.ExportContext(base_iri=base_iri, reuse=page_cache.dir / "exports" if page_cache else None,
                                   formats=tuple(formats))
    written: list[Path] = []
    if report.pages:
        written = _write_outputs(graph, out, exporters, context, inputs, progress)
    return graph, replace(report, outputs=tuple(written),
                          warnings=(*(page_cache.warnings if page_cache else ()), *report.warnings))


def _graph(paths: Iterable[Path], progress: Progress | None, page_cache: PageCache | None, jobs: int,
           manifest: Path | None, max_page_size: int) -> tuple[nx.MultiDiGraph, BuildReport, str]:
    """Read, analyse and extract: (the graph, the report but its outputs and the cache's
    warnings, the digest of the pages read)."""
    files, pages, errors = _load(paths, progress, manifest, max_page_size)
    read_files = len(files)
    files, pages, sources = same_text(files, pages)
    pages = identify(pages)
    results, failed, cached = analyse(pages, page_cache, jobs, progress, files)
    errors += failed
    docs = [r.doc for r in results]
    memo = page_cache.memo("articles") if page_cache is not None else None
    extraction = extract(docs, [m for r in results for m in r.mentions], progress, memo)
    graph = build_graph(docs, extraction)
    for page in pages if sources else ():  # Page.digest hashes the text: only when some text has several files
        if page.digest in sources and page_node(page.id) in graph:
            graph.nodes[page_node(page.id)]["source_files"] = list(sources[page.digest])
    report = BuildReport(
        files=read_files,
        pages=len(docs),
        articles=sum(len(d.articles) for d in docs),
        fragments=sum(len(d.fragments) for d in docs),
        entity_counts=dict(sorted(Counter(e.type for e in extraction.entities).items())),
        relations=len(extraction.relations),
        events=len(extraction.events),
        errors=tuple(errors),
        cached=cached,
        cached_articles=memo.hits if memo is not None else 0,
        warnings=tuple(f"{', '.join(names[1:])}: the same text as {names[0]}, one page with every name (同文异名，合为一版)"
                       for names in sorted(sources.values())),
    )
    return graph, report, outputs.inputs_digest((p.name, p.text) for p in pages)


def _write_outputs(graph: nx.MultiDiGraph, out: Path, exporters: list[export.Exporter], context: export.ExportContext,
                   inputs: str, progress: Progress | None) -> list[Path]:
    """Write every format into a staging directory beside `out`, seal it, switch it in; the
    paths returned are those in `out`. The caller holds `out`'s lock."""
    written: list[Path] = []
    with outputs.staged(out) as stage:
        with reuse.staged(stage, out):  # the last build's files, for their unchanged blocks, stay in `out`
            for done, exporter in enumerate(exporters):
                if progress:
                    progress("export", done, len(exporters))
                # Exporters keep what lets the next build rewrite only the changed parts of a file.
                written.extend(exporter(graph, stage, context))
        outputs.prune(stage, written)
        outputs.seal(stage, written, inputs, context.formats)
        outputs.switch(stage, out)
        if progress:
            progress("export", len(exporters), len(exporters))
    return outputs.moved(written, stage, out)


__all__ = ["BuildReport", "KgError", "analyse", "analyse_page", "build", "extract", "read"]
