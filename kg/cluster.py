"""`kg build --cluster`: the build's stages as tasks on a Dask cluster, the same graph as a local build.

    kg build s3://archive/pages -o out --cluster local:8            # a LocalCluster of 8 processes
    kg build /shared/pages -o /shared/out --cluster tcp://head:8786  # an existing scheduler

Where each stage runs (docs/scale.md):
  1. pages        the client lists the page files (fsspec: a folder, file://, s3://, ...); batches
                  of file names go to the workers, which read, decode, segment and recognise
                  (build.analyse_page). The results stay on the workers.
  2. resolution   each batch counts its (type, provisional name) pairs; the client adds the
                  counts and derives the canonical-name table (resolve.canonical_from_counts):
                  the global part of resolution, one row per distinct name, not per mention.
                  Each batch then splits its mentions by the blocking key, (type, canonical
                  name), into P partitions, and one task per partition groups its mentions into
                  entities (resolve.group): the shuffle. No task holds every mention.
  3. relations    per batch on the workers: each article is read with its own resolved mentions
                  and the table of every entity's printed forms (names and aliases, no mentions).
  4. merge        the client gathers the entities and the per-article facts (not the documents),
                  merges across articles (relations.combine, events.combine, divisions.link: the
                  code kg.build runs) and builds a graph of the entities and events alone.
  5. exports      each batch builds a graph of its own pages, articles and fragments (with the
                  entities its mentions name and the events citing its articles) and makes their
                  records' N-Triples lines and Neo4j rows; the client makes the entities' and
                  events' records. Lines go to shard j by a stable hash of their subject, rows by
                  their record; one task per shard sorts and merges its parts (a second shuffle);
                  the client writes each shard as it finishes: graph/part-00000.nt ...,
                  neo4j/nodes/Person.part-00000.csv ..., listed with counts and sha256 in
                  graph/parts.json. Whole-corpus formats only when asked for with -f (they gather
                  the documents and build the whole graph here).

A worker that dies is replaced by its nanny and the scheduler reruns its tasks (the client
holds every future, so lost results are recomputed from their tasks): same output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import dates, divisions, events, export, relations, resolve, schema
from . import manifest as outputs
from .build import ArticleFacts, BuildReport, Progress, analyse_page, read_article
from .cache import PageResult
from .errors import InputError, KgError, clip
from .graph import build_graph, page_node
from .model import Entity, Extraction, Mention, PageDoc
from .pages import MAX_PAGE_SIZE, decode_bytes, safe_name
from .sentences import Reader

PARTS_DIR = "graph"
PARTS_MANIFEST = "parts.json"
NEO4J = "neo4j"
CONNECT_TIMEOUT = 10.0  # seconds to reach an existing scheduler
# Batches per worker: enough that a slow or lost batch is a small part of the build.
BATCHES_PER_WORKER = 4


class ClusterError(KgError):
    """The cluster cannot be reached or started, or the cluster extra is not installed."""


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError("--cluster needs Dask (未安装 Dask): pip install 'pingcheng-kg[cluster]'") from None
    return distributed


@dataclass(frozen=True)
class Session:
    """A client connected to a cluster, and what to tell the user about it."""

    client: Any
    workers: int
    dashboard: str  # "dashboard <address>", or why there is none


@contextmanager
def connect(spec: str, timeout: float = CONNECT_TIMEOUT) -> Iterator[Session]:
    """`local:N`: a LocalCluster of N worker processes, one thread each; `tcp://HOST:PORT`: an
    existing scheduler, reached within `timeout` seconds or a ClusterError naming it."""
    distributed = _dask()
    cluster = None
    if spec.startswith("local:"):
        try:
            n = int(spec[len("local:"):])
        except ValueError:
            n = 0
        if n < 1:
            raise ClusterError(f"--cluster {spec}: give local:N with N ≥ 1 worker processes (工作进程数无效)")
        # Workers ignore the parent's $PYTHONHASHSEED; nothing here depends on hash order (crc32 keys).
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=":0" if _has_bokeh() else None,
                                           silence_logs=40)
        address = cluster.scheduler_address
    elif "://" in spec:
        address = spec
    else:
        raise ClusterError(f"--cluster {spec}: give local:N or a scheduler address such as tcp://host:8786 (集群地址无效)")
    try:
        client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"{address}: cannot reach the Dask scheduler within {timeout:g} s (无法连接调度器): "
                           f"{clip(str(exc))}; start one with `dask scheduler`, or use --cluster local:N") from None
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        if workers == 0:
            client.wait_for_workers(1, timeout=timeout)
            workers = len(client.scheduler_info().get("workers", {}))
        link = client.dashboard_link if _has_bokeh() else ""
        dashboard = f"dashboard {link}" if link else "no dashboard: install bokeh for it (未安装 bokeh，无监控面板)"
        yield Session(client, workers, dashboard)
    except TimeoutError:
        raise ClusterError(f"{address}: the scheduler has no workers after {timeout:g} s (调度器没有工作进程); "
                           "start some with `dask worker " + address + "`") from None
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _has_bokeh() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------- tasks (run on workers)


@dataclass(frozen=True)
class Analysed:
    """One page file's page-local result, or why there is none."""

    index: int  # in the sorted list of files
    page_id: str | None
    name: str | None
    result: PageResult | None
    error: str | None


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def analyse_batch(files: Sequence[tuple[int, str]], max_page_size: int,
                  shared_names: frozenset[str] = frozenset()) -> list[Analysed]:
    """Read, decode, segment and recognise a batch of page files (index, URL).

    A page whose file name another file of the build also has takes an id that hashes its text
    too, as kg.pages.identify gives it in a local build (`shared_names`: those names)."""
    out = []
    for index, url in files:
        name = safe_name(url.rsplit("/", 1)[-1])
        try:
            fs, path = _filesystem(url)
            size = fs.size(path)
            if size is not None and size > max_page_size:
                raise InputError(f"{safe_name(url)}: {size:,} bytes, above the page size limit of {max_page_size:,} "
                                 "bytes (超过单页大小上限); split the file, or raise --max-page-size")
            with fs.open(path, "rb") as f:
                raw = f.read()
            page = decode_bytes(raw, name, safe_name(url))
            if name in shared_names:
                page = replace(page, shares_identity=True)
        except InputError as exc:
            out.append(Analysed(index, None, None, None, str(exc)))
            continue
        except OSError as exc:
            out.append(Analysed(index, None, None, None, f"{safe_name(url)}: cannot be read (无法读取): {exc.strerror or exc}"))
            continue
        result = analyse_page(page)
        if isinstance(result, str):
            out.append(Analysed(index, page.id, page.name, None, f"{safe_name(url)}: {result}"))
        else:
            out.append(Analysed(index, page.id, page.name, result, None))
    return out


Row = tuple[int, str | None, str | None, str | None, bool, int, int, str]


def summary(batch: list[Analysed]) -> list[Row]:
    """What the client needs of a batch's pages, small and without their text: (index, page
    id, name, error, analysed, articles, fragments, sha256 of the text)."""
    return [(a.index, a.page_id, a.name, a.error, a.result is not None,
             len(a.result.doc.articles) if a.result else 0, len(a.result.doc.fragments) if a.result else 0,
             hashlib.sha256(a.result.doc.page.text.encode("utf-8", "surrogateescape")).hexdigest() if a.result else "")
            for a in batch]


def _kept(batch: list[Analysed], keep: frozenset[int]) -> list[PageResult]:
    return [a.result for a in batch if a.result is not None and a.index in keep]


def count_names(batch: list[Analysed], keep: frozenset[int]) -> Counter[tuple[str, str]]:
    return resolve.name_counts(m for r in _kept(batch, keep) for m in r.mentions)


def blocking_key(type_: str, name: str, parts: int) -> int:
    """The partition of the entity (type, canonical name): a stable hash, the same in every process."""
    return zlib.crc32(f"{type_}/{name}".encode("utf-8")) % parts


def split_mentions(batch: list[Analysed], keep: frozenset[int], canon: dict[tuple[str, str], str],
                   parts: int) -> list[list[Mention]]:
    """The batch's mentions in `parts` lists by blocking key: one side of the shuffle."""
    out: list[list[Mention]] = [[] for _ in range(parts)]
    for r in _kept(batch, keep):
        for m in r.mentions:
            out[blocking_key(m.type, canon[(m.type, m.name)], parts)].append(m)
    return out


def resolve_part(canon: dict[tuple[str, str], str], provisional: dict[tuple[str, str], set[str]],
                 *pieces: list[Mention]) -> tuple[Entity, ...]:
    """The entities of one partition, from its pieces of every batch: the other side of the shuffle."""
    return resolve.group((m for piece in pieces for m in piece), canon, provisional)


def slim_entities(entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """Entities as the client needs them: what the merge reads of a mention is that it is one
    (relations.combine counts them) and its article (divisions.link); its surface and sentence,
    most of its size, only the article's record reads, on a worker."""
    return tuple(Entity(e.type, e.name, e.aliases,
                        tuple(Mention(m.type, "", m.name, m.article, m.page, m.start, m.end, "", "") for m in e.mentions))
                 for e in entities)


def batch_facts(batch: list[Analysed], keep: frozenset[int], canon: dict[tuple[str, str], str],
                forms: dict[tuple[str, str], tuple[str, ...]]) -> list[tuple[str, ArticleFacts]]:
    """Relations and events of every article of a batch, as kg.build.extract reads them.

    The Reader sees every entity's printed forms (`forms`: (type, name) -> aliases, to take
    compound mentions apart) but only the batch's own mentions, which is all an article needs.
    """
    results = _kept(batch, keep)
    own: dict[tuple[str, str], list[Mention]] = {}
    for r in results:
        for m in r.mentions:
            key = (m.type, canon[(m.type, m.name)])
            own.setdefault(key, []).append(m)
    entities = [Entity(t, n, aliases, ()) for (t, n), aliases in forms.items()]
    entities += [Entity(t, n, forms[(t, n)], tuple(ms)) for (t, n), ms in own.items()]
    reader = Reader(entities)
    out: list[tuple[str, ArticleFacts]] = []
    for r in results:
        doc = r.doc
        years: dict[str | None, dates.PageYear] = {}
        for article in doc.articles:
            out.append((article.id, read_article(reader, doc, article, years)))
    return out


def docs_of(batch: list[Analysed], keep: frozenset[int]) -> list[PageDoc]:
    return [r.doc for r in _kept(batch, keep)]


# ---------------------------------------------------------------------------- the client


def list_pages(sources: Sequence[str]) -> tuple[list[str], list[str]]:
    """Page file URLs under `sources` (folders, files or URLs), sorted as kg.pages.collect sorts
    them (by file name, then path); and the sources that give none."""
    found: list[tuple[str, str]] = []
    errors: list[str] = []
    for source in sources:
        fs, path = _filesystem(source)
        protocol = fs.protocol[0] if isinstance(fs.protocol, (tuple, list)) else fs.protocol
        prefix = "" if protocol in ("file", "local") else f"{protocol}://"
        try:
            if fs.isdir(path):
                urls = [p for p in fs.find(path) if p.endswith(".txt")]
                if not urls:
                    errors.append(f"{safe_name(source)}: directory has no .txt pages (目录中没有 .txt 文件)")
            elif fs.exists(path):
                urls = [path]
            else:
                errors.append(f"{safe_name(source)}: no such file or directory (路径不存在)")
                continue
        except OSError as exc:
            errors.append(f"{safe_name(source)}: cannot be listed (无法列出): {exc.strerror or exc}")
            continue
        found += [(u.rsplit("/", 1)[-1], prefix + u) for u in urls]
    return [url for _, url in sorted(set(found))], errors


def build(
    sources: Sequence[str],
    out: str,
    spec: str,
    formats: Sequence[str] = (),
    progress: Progress | None = None,
    base_iri: str | None = None,
    *,
    partitions: int = 0,
    max_page_size: int = MAX_PAGE_SIZE,
    wait: bool = False,
    notify: Any = None,
    timeout: float = CONNECT_TIMEOUT,
) -> BuildReport:
    """Build on the cluster `spec` (connect) into `out`: N-Triples and Neo4j shards, and `formats`
    whole (with neo4j among them, the Neo4j files whole instead of in shards).

    `partitions` (0: two per worker) is the number of resolution partitions and of shards; it
    does not change the union of the shards. `notify(text)` is told the workers and dashboard.
    """
    from .export.rdf import check_base_iri

    exporters = [export.get(name) for name in formats]
    base_iri = check_base_iri(base_iri or schema.DEFAULT_BASE_IRI)
    local_out, remote = _local_target(out)
    # Locked from the start, as kg.build: a second build into `out` fails before any work.
    with outputs.locked(local_out, wait):
        return _run(sources, local_out, remote, spec, exporters, formats, progress, base_iri, partitions,
                    max_page_size, notify, timeout)


def _run(sources: Sequence[str], local_out: Path, remote: str | None, spec: str, exporters: list[export.Exporter],
         formats: Sequence[str], progress: Progress | None, base_iri: str, partitions: int, max_page_size: int,
         notify: Any, timeout: float) -> BuildReport:
    from distributed import as_completed

    with connect(spec, timeout) as session:
        if notify:
            notify(f"Dask: {session.workers} workers; {session.dashboard}")
        client = session.client
        parts = partitions or max(1, 2 * session.workers)
        urls, errors = list_pages(sources)
        if progress:
            progress("pages", len(urls), max(1, len(urls)))
        batches = _batches(list(enumerate(urls)), session.workers * BATCHES_PER_WORKER)
        named = Counter(safe_name(url.rsplit("/", 1)[-1]) for url in urls)
        shared = frozenset(n for n, count in named.items() if count > 1)
        analysed = [client.submit(analyse_batch, b, max_page_size, shared, pure=False) for b in batches]
        summaries = [client.submit(summary, f) for f in analysed]
        chosen = _choose_pages(client, summaries, progress)
        errors += chosen.errors
        keep_f = _share(client, chosen.keep)

        if progress:
            progress("resolution", 0, 1)
        counts: Counter[tuple[str, str]] = Counter()
        for c in client.gather([client.submit(count_names, f, keep_f) for f in analysed]):
            counts.update(c)
        canon = resolve.canonical_from_counts(counts)
        canon_f = _share(client, canon)
        prov_f = _share(client, resolve.provisional_names(canon))
        split = [client.submit(split_mentions, f, keep_f, canon_f, parts) for f in analysed]
        pieces = [[client.submit(_piece, s, j) for s in split] for j in range(parts)]
        resolved = [client.submit(resolve_part, canon_f, prov_f, *p) for p in pieces]
        slim = [client.submit(slim_entities, r) for r in resolved]
        found = tuple(sorted((e for part in client.gather(slim) for e in part), key=lambda e: e.key))
        if progress:
            progress("resolution", 1, 1)

        forms = {(e.type, e.name): e.aliases for e in found}
        forms_f = _share(client, forms)
        facts_f = [client.submit(batch_facts, f, keep_f, canon_f, forms_f) for f in analysed]
        by_batch: dict[int, list[tuple[str, ArticleFacts]]] = {}
        where = {f.key: i for i, f in enumerate(facts_f)}
        for done, fut in enumerate(as_completed(facts_f), 1):
            by_batch[where[fut.key]] = fut.result()
            if progress:
                progress("relations", done, len(facts_f))

        if progress:
            progress("merge", 0, 1)
        # Batches are in file order, pages in a batch too: the page order kg.build.extract merges in.
        per_article = [row for i in range(len(facts_f)) for row in by_batch[i]]
        registered = divisions.link(found)
        extraction = Extraction(
            entities=found,
            relations=relations.combine([(id_, f.relations) for id_, f in per_article], found),
            events=events.combine([r for _, f in per_article for r in f.events]),
            division_codes=registered.codes,
            official_relations=registered.chain,
        )
        # The client's graph: entities and events with their edges; the pages, articles and
        # fragments stay on the workers, which write their records (bare article nodes stand in).
        graph = build_graph([], extraction, elsewhere=[a for a, _ in per_article])
        records = sorted(n for n, d in graph.nodes(data=True) if d["kind"] in ("Entity", "Event"))
        mine_f = _share(client, records_of(graph, records, base_iri, parts, shared=True))
        del graph
        several_f = _share(client, chosen.several)
        pieces_f = []
        for i, f in enumerate(analysed):
            ids = {a for a, _ in by_batch[i]}
            cited = tuple(replace(ev, articles=tuple(a for a in ev.articles if a in ids))
                          for ev in extraction.events if any(a in ids for a in ev.articles))
            pieces_f.append(client.submit(batch_records, f, keep_f, canon_f, cited, several_f, base_iri, parts))
        pieces_f.append(mine_f)
        if progress:
            progress("merge", 1, 1)

        written: list[Path] = []
        if chosen.pages:
            docs: list[PageDoc] = []
            whole = extraction
            if exporters:  # whole-corpus formats: the whole graph, in this process
                docs_f = [client.submit(docs_of, f, keep_f) for f in analysed]
                docs = sorted((d for batch in client.gather(docs_f) for d in batch), key=lambda d: d.page.name)
                full = tuple(sorted((e for part in client.gather(resolved) for e in part), key=lambda e: e.key))
                whole = replace(extraction, entities=full)
            shards = [client.submit(write_shard, j, *[client.submit(_piece, p, j) for p in pieces_f])
                      for j in range(parts)]
            metas = client.gather([client.submit(_metas, p) for p in pieces_f])
            written = _write(client, shards, metas, local_out, remote, parts, exporters, docs, whole,
                             chosen, export.ExportContext(base_iri=base_iri, formats=("ntriples-parts", *formats)),
                             progress)
    return BuildReport(
        files=chosen.decoded,
        pages=chosen.pages,
        articles=chosen.articles,
        fragments=chosen.fragments,
        entity_counts=dict(sorted(Counter(e.type for e in found).items())),
        relations=len(extraction.relations),
        events=len(extraction.events),
        errors=tuple(errors),
        outputs=tuple(written),
        warnings=tuple(f"{', '.join(names[1:])}: the same text as {names[0]}, one page with every name (同文异名，合为一版)"
                       for names in sorted(chosen.several.values())),
    )


# A part of the exports: per shard, N-Triples lines and Neo4j blocks (path -> [(record, bytes)]);
# the Neo4j files' headers; the files' metadata (kg.export.neo4j Meta) for the import script.
Piece = tuple[list[list[str]], list[dict[str, list[tuple[str, bytes]]]], dict[str, bytes], dict[str, Any]]


def records_of(graph: Any, records: Sequence[str], base: str, parts: int, shared: bool = False) -> Piece:
    """The N-Triples lines and Neo4j rows of `records` (nodes of `graph`), by shard: a subject's
    lines go to the shard its crc32 names, a record's rows to the shard of its node. `shared`:
    also the subjects no record owns (the ontology header, roles, the register), written once."""
    from .export import neo4j, rdf

    mine = set(records)
    nt: list[list[str]] = [[] for _ in range(parts)]
    for subject, (owner, lines) in rdf._subjects(graph, base, records, rdf._sorted_lines).items():
        if owner in mine or (shared and owner is None):
            nt[zlib.crc32(subject.encode("utf-8")) % parts].extend(lines)
    columns_of = neo4j._columns_for(graph)
    metas: dict[str, Any] = {}
    rows: list[dict[str, list[tuple[str, bytes]]]] = [{} for _ in range(parts)]
    for path, blocks in neo4j._record_rows(graph, records, columns_of, metas).items():
        for key, _, data in blocks:
            rows[zlib.crc32(key.encode("utf-8")) % parts].setdefault(path, []).append((key, bytes(data)))
    headers = {path: neo4j._header(neo4j._table(path, meta, columns_of)) for path, meta in metas.items()}
    return nt, rows, headers, metas


def batch_records(batch: list[Analysed], keep: frozenset[int], canon: dict[tuple[str, str], str],
                  cited: tuple[Any, ...], several: dict[str, tuple[str, ...]], base: str, parts: int) -> Piece:
    """The records of a batch's pages, articles and fragments, from a graph of the batch alone:
    its documents, the entities its mentions resolve to (their records are the client's) and the
    events citing its articles (`cited`, each with only this batch's articles)."""
    results = _kept(batch, keep)
    docs = sorted((r.doc for r in results), key=lambda d: d.page.name)
    entities = resolve.group((m for r in results for m in r.mentions), canon, {})
    graph = build_graph(docs, Extraction(entities=entities, events=cited))
    for id_, names in several.items():
        if page_node(id_) in graph:
            graph.nodes[page_node(id_)]["source_files"] = list(names)
    records = sorted(n for n, d in graph.nodes(data=True) if d["kind"] in ("Page", "Article", "Fragment"))
    return records_of(graph, records, base, parts)


def _metas(piece: Piece) -> dict[str, Any]:
    return piece[3]


def write_shard(j: int, *pieces: tuple[list[str], dict[str, list[tuple[str, bytes]]], dict[str, bytes]]
                ) -> tuple[bytes, int, dict[str, tuple[bytes, int]]]:
    """Shard `j` from its part of every piece: N-Triples sorted without repeats (what kg.export.rdf
    writes, restricted to this shard's subjects), and each Neo4j file's rows under its header,
    by record. Returns (N-Triples, its lines, path -> (CSV, rows))."""
    lines = sorted({line for piece in pieces for line in piece[0]})
    tables: dict[str, list[tuple[str, bytes]]] = {}
    headers: dict[str, bytes] = {}
    for _, rows, head in pieces:
        headers.update(head)
        for path, blocks in rows.items():
            tables.setdefault(path, []).extend(blocks)
    csvs = {}
    for path, blocks in tables.items():
        blocks.sort()
        data = b"".join(d for _, d in blocks)
        csvs[path] = (headers[path] + data, sum(1 for _ in _csv_records(data)) if data else 0)
    return "".join(lines).encode("utf-8"), len(lines), csvs


def _share(client: Any, value: Any) -> Any:
    """A future of `value` that the scheduler can make again: a task that returns it, not
    scattered data, which is lost for good when every worker holding it dies."""
    return client.submit(_same, value, pure=False)


def _same(value: Any) -> Any:
    return value


def _piece(pieces: Any, j: int) -> Any:
    """Part `j` of a task's result split by partition: a list of mentions, or a Piece's shard j."""
    if isinstance(pieces, tuple):
        nt, rows, headers, _ = pieces
        return nt[j], rows[j], headers
    return pieces[j]


def _batches(items: list[tuple[int, str]], count: int) -> list[list[tuple[int, str]]]:
    size = max(1, -(-len(items) // max(1, count)))
    return [items[i:i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True)
class Chosen:
    """One page per distinct text, the first in file order (as build.same_text)."""

    keep: frozenset[int]  # indexes of the pages kept
    several: dict[str, tuple[str, ...]]  # page id -> every file name holding its text, when several
    errors: list[str]  # in file order: files that could not be read, then pages not analysed
    decoded: int  # files decoded
    pages: int
    articles: int
    fragments: int
    inputs: str  # digest of the pages kept: names and sha256 of their texts


def _choose_pages(client: Any, summaries: list[Any], progress: Progress | None) -> Chosen:
    from distributed import as_completed

    rows: list[Row] = []
    for done, fut in enumerate(as_completed(summaries), 1):
        rows += fut.result()
        if progress:
            progress("recognition", done, len(summaries))
    rows.sort()
    first: dict[str, int] = {}
    names: dict[str, list[str]] = {}
    kept: list[Row] = []
    decode_errors = [e for _, pid, _, e, *_ in rows if pid is None and e]
    analyse_errors: list[str] = []
    id_of: dict[str, str] = {}  # the page id of the first page holding each text
    for row in rows:
        index, page_id, name, error, ok = row[:5]
        if page_id is None or name is None:
            continue
        text = row[7] or page_id  # files holding the same text are one page; one not analysed stands alone
        at = first.setdefault(text, index)
        names.setdefault(text, []).append(name)
        if at == index:
            id_of[text] = page_id
            if ok:
                kept.append(row)
            elif error:
                analyse_errors.append(error)
    several = {id_of[text]: tuple(sorted(set(ns))) for text, ns in names.items() if len(set(ns)) > 1}
    # The local build's manifest digests the texts themselves; the client here never holds them.
    inputs = outputs.inputs_digest((str(r[2]), r[7]) for r in kept)
    return Chosen(frozenset(r[0] for r in kept), several, decode_errors + analyse_errors,
                  sum(1 for r in rows if r[1] is not None), len(kept), sum(r[5] for r in kept),
                  sum(r[6] for r in kept), inputs)


def _csv_records(data: bytes) -> Iterator[bytes]:
    """The records of a CSV file as their bytes, a quoted field across lines kept in one record."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    at = 0
    for _ in reader:
        yield "".join(lines[at:reader.line_num]).encode("utf-8")
        at = reader.line_num


def _local_target(out: str) -> tuple[Path, str | None]:
    """A local directory to build into, and the remote URL to upload it to (None when `out` is local)."""
    if "://" not in out or out.startswith("file://"):
        return Path(out[len("file://"):] if out.startswith("file://") else out), None
    return Path(tempfile.mkdtemp(prefix="kg-cluster-out-")) / "out", out


def _write(client: Any, shards: list[Any], metas: list[dict[str, Any]], out: Path, remote: str | None, parts: int,
           exporters: list[export.Exporter], docs: Sequence[PageDoc], extraction: Extraction, chosen: Chosen,
           context: export.ExportContext, progress: Progress | None) -> list[Path]:
    """Write the shards as the workers finish them, their list, the Neo4j import script and the
    whole formats asked for into a sealed staging directory, and switch it in (as kg.build does);
    upload it when `out` is remote. The caller holds `out`'s lock."""
    from distributed import as_completed

    from .export import neo4j

    written: list[Path] = []
    with outputs.staged(out) as stage:
        (stage / PARTS_DIR).mkdir()
        listed: list[tuple[Path, int]] = []  # every shard and how many triples or rows it holds
        whole_neo4j = "neo4j" in context.formats
        shard_files: dict[str, list[str]] = {}
        where = {f.key: j for j, f in enumerate(shards)}
        for done, fut in enumerate(as_completed(shards), 1):
            j = where[fut.key]
            nt, count, csvs = fut.result()
            path = stage / PARTS_DIR / f"part-{j:05d}.nt"
            path.write_bytes(nt)
            listed.append((path, count))
            for rel, (data, rows) in ([] if whole_neo4j else sorted(csvs.items())):
                target = stage / NEO4J / f"{rel[:-len('.csv')]}.part-{j:05d}.csv"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                listed.append((target, rows))
                shard_files.setdefault(rel, []).append(target.relative_to(stage / NEO4J).as_posix())
            if progress:
                progress("export", done, parts + len(exporters))
        if shard_files:
            merged: dict[str, Any] = {}
            for m in metas:
                merged.update(m)
            tables = [neo4j._table(path, merged[path], neo4j.rel_columns) for path in sorted(merged)]
            script = neo4j.admin_command(tables)
            # one --nodes / --relationships option per shard: neo4j-admin reads each one's header
            for rel, files in shard_files.items():
                option = "--nodes" if rel.startswith("nodes/") else "--relationships"
                script = script.replace(f'{option}="$here/{rel}"',
                                        " \\\n  ".join(f'{option}="$here/{p}"' for p in sorted(files)))
            (stage / NEO4J / "import.sh").write_text(script, encoding="utf-8")
            written.append(stage / NEO4J / "import.sh")
        if exporters:
            graph = build_graph(docs, extraction)
            for id_, names in chosen.several.items():
                if page_node(id_) in graph:
                    graph.nodes[page_node(id_)]["source_files"] = list(names)
            for done, exporter in enumerate(exporters):
                written.extend(exporter(graph, stage, context))
                if progress:
                    progress("export", parts + done + 1, parts + len(exporters))
        listed.sort()
        written += [p for p, _ in listed]
        index = stage / PARTS_DIR / PARTS_MANIFEST
        rows = [{"path": p.relative_to(stage).as_posix(), "count": n, "sha256": outputs.file_digest(p)}
                for p, n in listed]
        triples = sum(n for p, n in listed if p.suffix == ".nt")
        index.write_text(json.dumps({"parts": rows, "triples": triples}, indent=1, sort_keys=True) + "\n",
                         encoding="utf-8")
        written.append(index)
        outputs.prune(stage, written)
        outputs.seal(stage, written, chosen.inputs, context.formats)
        outputs.switch(stage, out)
    result = outputs.moved(written, stage, out)
    if remote is not None:
        fs, dest = _filesystem(remote)
        fs.put(str(out), dest, recursive=True)
    return result
