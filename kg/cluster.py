"""`kg build --cluster`: the build's stages as tasks on a Dask cluster, the same graph as a local build.

    kg build s3://archive/pages -o out --cluster local:8            # a LocalCluster of 8 processes
    kg build /shared/pages -o /shared/out --cluster tcp://head:8786  # an existing scheduler

Where each stage runs (docs/scale.md). The client holds futures and gathers only counts,
errors, the Neo4j files' metadata and the list of shards; every table that grows with the
corpus is a task's result, on a worker.
  1. pages        a task lists the page files (fsspec: a folder, file://, s3://, ...), sorts them,
                  reads the build manifest and cuts the list into batches, which stay on the
                  workers (the client learns only counts); the workers read, decode, segment and recognise
                  (build.analyse_page). The results stay on the workers. A task chooses one page
                  per text from every batch's summary.
  2. resolution   each batch counts its (type, provisional name) pairs; a task adds the counts
                  and derives the canonical-name table (resolve.canonical_from_counts), one row
                  per distinct name. Each batch then splits its mentions by the blocking key,
                  (type, canonical name), into P partitions, and one task per partition groups
                  its mentions into entities (resolve.group) and chooses the register entry of
                  each division among them (divisions.choose): the shuffle. From the partitions,
                  one task makes the entity table (names, aliases, mention counts: no mentions),
                  another the register's codes and chains (divisions.chains).
  3. relations    per batch: each article is read with its own resolved mentions and the entity
                  table's printed forms; its relations are split by subject, its first sightings
                  by entity and its event reports by event name into P partitions (the second
                  shuffle).
  4. merge        one task per partition merges across articles (relations.combine and
                  events.combine: kg.build's code) in page order; every input of those merges
                  is keyed by subject or by event name, so a partition's result is the whole
                  merge's restricted to it.
  5. exports      each partition builds a graph of its entities, their relations and events
                  and the nodes those name, and makes its records' N-Triples lines and Neo4j
                  rows; each batch does the same for its pages, articles and fragments (with
                  the events citing them, sent back by the partitions). Lines go to shard j by a
                  stable hash of their subject, rows by their record; one task per shard sorts,
                  merges and writes its files itself (graph/part-00000.nt ...,
                  neo4j/nodes/Person.part-00000.csv ...) and returns their counts and sha256,
                  which the client lists in graph/parts.json and the manifest. Whole-corpus
                  formats only when asked for with -f (they gather the documents and build the
                  whole graph here).

A worker that dies is replaced by its nanny and the scheduler reruns its tasks (the client
holds every future, so lost results are recomputed from their tasks): same output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
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
from .model import ENTITY_TYPES, Entity, Event, Extraction, Mention, Page, PageDoc, Relation
from .pages import MAX_PAGE_SIZE, ManifestEntry, decode_bytes, read_manifest, safe_name, with_manifest
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
                  shared_names: frozenset[str] = frozenset(),
                  entries: dict[int, ManifestEntry] | None = None) -> list[Analysed]:
    """Read, decode, segment and recognise a batch of page files (index, URL).

    `entries`: what the build manifest says of the batch's files (address and date), by index.
    A page whose identity (its address, else its file name) another file of the build also has
    takes an id that hashes its text too, as kg.pages.identify gives it in a local build
    (`shared_names`: those identities)."""
    out = []
    for index, url in files:
        entry = (entries or {}).get(index)
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
            if entry is not None:
                page = replace(page, url=entry.url, date=entry.date)
            if page.identity in shared_names:
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
    """What choosing pages needs of a batch's pages, small and without their text: (index, page
    id, name, error, analysed, articles, fragments, sha256 of the text)."""
    return [(a.index, a.page_id, a.name, a.error, a.result is not None,
             len(a.result.doc.articles) if a.result else 0, len(a.result.doc.fragments) if a.result else 0,
             hashlib.sha256(a.result.doc.page.text.encode("utf-8", "surrogateescape")).hexdigest() if a.result else "")
            for a in batch]


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


def choose_pages(*summaries: list[Row]) -> Chosen:
    """A task: the pages kept, from every batch's summary (one row per page, on a worker)."""
    rows = sorted(row for s in summaries for row in s)
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
    # The local build's manifest digests the texts themselves; no process here holds them all.
    inputs = outputs.inputs_digest((str(r[2]), r[7]) for r in kept)
    return Chosen(frozenset(r[0] for r in kept), several, decode_errors + analyse_errors,
                  sum(1 for r in rows if r[1] is not None), len(kept), sum(r[5] for r in kept),
                  sum(r[6] for r in kept), inputs)


def _told(chosen: Chosen) -> Chosen:
    """What the client is told of the pages chosen: everything but the indexes kept."""
    return replace(chosen, keep=frozenset())


def _kept(batch: list[Analysed], chosen: Chosen) -> list[PageResult]:
    return [a.result for a in batch if a.result is not None and a.index in chosen.keep]


def count_names(batch: list[Analysed], chosen: Chosen) -> Counter[tuple[str, str]]:
    return resolve.name_counts(m for r in _kept(batch, chosen) for m in r.mentions)


def canonical(*counts: Counter[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A task: the canonical-name table from every batch's name counts."""
    total: Counter[tuple[str, str]] = Counter()
    for c in counts:
        total.update(c)
    return resolve.canonical_from_counts(total)


def part_of(key: str, parts: int) -> int:
    """The partition of an entity, relation subject or event name: a stable hash, the same in
    every process. An entity's key is "type/canonical name", its blocking key."""
    return zlib.crc32(key.encode("utf-8")) % parts


def blocking_key(type_: str, name: str, parts: int) -> int:
    """The partition of the entity (type, canonical name)."""
    return part_of(f"{type_}/{name}", parts)


# One batch's share of a resolution partition: its mentions, and what its articles name of
# divisions (divisions._context) for the articles among them.
MentionPiece = tuple[list[Mention], dict[str, set[str]]]


def split_mentions(batch: list[Analysed], chosen: Chosen, canon: dict[tuple[str, str], str],
                   parts: int) -> list[MentionPiece]:
    """The batch's mentions in `parts` lists by blocking key: one side of the shuffle. An
    article's mentions are all in its batch, so the batch tells what each article names."""
    mentions = [m for r in _kept(batch, chosen) for m in r.mentions]
    context = divisions._context(resolve.group(mentions, canon, {}))
    out: list[MentionPiece] = [([], {}) for _ in range(parts)]
    for m in mentions:
        piece = out[blocking_key(m.type, canon[(m.type, m.name)], parts)]
        piece[0].append(m)
        if m.article in context:
            piece[1][m.article] = context[m.article]
    return out


@dataclass(frozen=True)
class Resolved:
    """One resolution partition: its entities, and the register entry each division among them names."""

    entities: tuple[Entity, ...]
    choices: tuple[divisions.Choice, ...]


def resolve_part(canon: dict[tuple[str, str], str], provisional: dict[tuple[str, str], set[str]],
                 *pieces: MentionPiece) -> Resolved:
    """The entities of one partition, from its pieces of every batch: the other side of the shuffle."""
    entities = resolve.group((m for piece in pieces for m in piece[0]), canon, provisional)
    context: dict[str, set[str]] = {}
    for _, named in pieces:
        context.update(named)
    return Resolved(entities, tuple(divisions.choose(entities, context)))


# An entity as the stages after resolution read it: type, name, aliases, how many mentions.
EntityRow = tuple[str, str, tuple[str, ...], int]


def rows_of(resolved: Resolved) -> tuple[EntityRow, ...]:
    return tuple((e.type, e.name, e.aliases, len(e.mentions)) for e in resolved.entities)


def choices_of(resolved: Resolved) -> tuple[divisions.Choice, ...]:
    return resolved.choices


def register(*choices: tuple[divisions.Choice, ...]) -> divisions.Registered:
    """A task: division codes and official chains from every partition's choices (one row per
    division entity, which the register bounds)."""
    return divisions.chains(c for part in choices for c in part)


def entities_of(resolved: Resolved) -> tuple[Entity, ...]:
    return resolved.entities


# The entity table: (type, name) -> (aliases, mentions), every entity of the corpus, by key.
Table = dict[tuple[str, str], tuple[tuple[str, ...], int]]


def make_table(*rows: tuple[EntityRow, ...]) -> Table:
    """A task: the entity table, the one per-entity table every article's reading needs (the
    printed forms of every entity, to take compound mentions apart) and the merge too (a
    sub-unit's parent is any unit of the corpus)."""
    found = sorted((f"{t}/{n}", t, n, aliases, count) for part in rows for t, n, aliases, count in part)
    return {(t, n): (aliases, count) for _, t, n, aliases, count in found}


_COUNTED = Mention("", "", "", "", "", 0, 0, "")  # stands for each mention an entity of the table counts


def _table_entities(table: Table) -> list[Entity]:
    """The table as entities whose mentions only count (relations.combine reads how many), by key."""
    return [Entity(t, n, aliases, (_COUNTED,) * count) for (t, n), (aliases, count) in table.items()]


# One batch's share of a merge partition: (article id, what it states about subjects of the
# partition) in page order, and its reports of events whose names fall in the partition.
FactsPiece = tuple[list[tuple[str, relations.ArticleRelations]], list[events.Report]]


def batch_facts(batch: list[Analysed], chosen: Chosen, canon: dict[tuple[str, str], str], table: Table,
                parts: int) -> list[FactsPiece]:
    """Relations and events of every article of a batch, as kg.build.extract reads them, split by
    partition: relations by subject, first sightings by entity, reports by event name.

    The Reader sees every entity's printed forms but only the batch's own mentions, which is all
    an article needs.
    """
    results = _kept(batch, chosen)
    own: dict[tuple[str, str], list[Mention]] = {}
    for r in results:
        for m in r.mentions:
            own.setdefault((m.type, canon[(m.type, m.name)]), []).append(m)
    entities = [Entity(t, n, aliases, ()) for (t, n), (aliases, _) in table.items()]
    entities += [Entity(t, n, table[(t, n)][0], tuple(ms)) for (t, n), ms in own.items()]
    reader = Reader(entities)
    out: list[FactsPiece] = [([], []) for _ in range(parts)]
    for r in results:
        doc = r.doc
        years: dict[str | None, dates.PageYear] = {}
        for article in doc.articles:
            facts = read_article(reader, doc, article, years)
            said = facts.relations
            for k in range(parts):
                mine = relations.ArticleRelations(
                    tuple(x for x in said.stated if part_of(x.subject, parts) == k),
                    tuple(x for x in said.gazetteer if part_of(x.subject, parts) == k),
                    tuple(x for x in said.by_topic if part_of(x.subject, parts) == k),
                    tuple(x for x in said.first_seen if part_of(x[0], parts) == k))
                if mine.stated or mine.gazetteer or mine.by_topic or mine.first_seen:
                    out[k][0].append((article.id, mine))
            for report in facts.events:
                out[part_of(events.norm(report.name), parts)][1].append(report)
    return out


@dataclass(frozen=True)
class Merged:
    """One merge partition: the relations whose subject it holds, the events whose name it holds,
    those events as each batch's records cite them, and the nodes its relations name that no
    entity is (stand-ins, which kg.graph adds)."""

    relations: tuple[Relation, ...]
    events: tuple[Event, ...]
    cited: tuple[tuple[Event, ...], ...]  # per batch: its events, each with that batch's articles only
    standins: frozenset[str]


def merge_part(table: Table, registered: divisions.Registered, *pieces: FactsPiece) -> Merged:
    """The merge across articles (relations.combine, events.combine: kg.build's code) of one
    partition, from its pieces of every batch in page order. Every input of a relation's merge
    is keyed by its subject (deduplication, first sightings, the placed subjects), and of an
    event's by its name, so each partition's result is the whole merge's, restricted to it."""
    articles = [row for piece in pieces for row in piece[0]]
    found = relations.combine(articles, _table_entities(table))
    happened = events.combine([r for piece in pieces for r in piece[1]])
    batch_of = {r.article: i for i, piece in enumerate(pieces) for r in piece[1]}
    cited: list[list[Event]] = [[] for _ in pieces]
    for ev in happened:
        by_batch: dict[int, list[str]] = {}
        for a in ev.articles:
            by_batch.setdefault(batch_of[a], []).append(a)
        for i, ids in by_batch.items():
            cited[i].append(replace(ev, articles=tuple(ids)))
    ends = {key for r in found for key in (r.subject, r.object)}
    ends |= {key for r in registered.chain for key in (r.subject, r.object)}
    standins = frozenset(key for key in ends if (tuple(key.split("/", 1)) not in table)
                         and key.partition("/")[0] in ENTITY_TYPES)
    return Merged(found, happened, tuple(tuple(c) for c in cited), standins)


def _cited(merged: Merged, i: int) -> tuple[Event, ...]:
    return merged.cited[i]


def standins_of(*merged: Merged) -> frozenset[str]:
    """A task: every stand-in node of the graph (few: units only a sub-unit's name spells out,
    register divisions no article names)."""
    return frozenset().union(*(m.standins for m in merged))


def totals(*merged: Merged) -> tuple[int, int]:
    return sum(len(m.relations) for m in merged), sum(len(m.events) for m in merged)


def entity_counts(*rows: tuple[EntityRow, ...]) -> dict[str, int]:
    return dict(sorted(Counter(t for part in rows for t, *_ in part).items()))


def part_records(k: int, merged: Merged, own: tuple[EntityRow, ...], table: Table, registered: divisions.Registered,
                 standins: frozenset[str], base: str, parts: int) -> Piece:
    """The records of partition `k`'s entities, stand-ins and events, from a graph of them, their
    relations and the nodes those name. A record's triples depend on its node, its out-edges and
    their targets' kinds and types (an event's also on the articles citing it): the relations of
    a subject and the official chain above it are all in its partition, and every target is in
    the entity table or a stand-in."""
    official = tuple(r for r in registered.chain if part_of(r.subject, parts) == k)
    mine = {f"{t}/{n}" for t, n, *_ in own} | {s for s in standins if part_of(s, parts) == k}
    entities = {f"{t}/{n}": Entity(t, n, aliases, (_COUNTED,) * count) for t, n, aliases, count in own}
    named = {key for r in (*merged.relations, *official) for key in (r.subject, r.object)}
    named |= {key for ev in merged.events
              for key in (*ev.organizers, *ev.undertakers, *ev.participants, *((ev.location,) if ev.location else ()))}
    for key in sorted(named | mine):
        if key not in entities and (key in standins or tuple(key.split("/", 1)) in table):
            t, _, n = key.partition("/")
            entities[key] = Entity(t, n, (), ())  # a target: only its kind and type are read
    extraction = Extraction(entities=tuple(entities[key] for key in sorted(entities)), relations=merged.relations,
                            events=merged.events, division_codes=registered.codes, official_relations=official)
    graph = build_graph([], extraction, elsewhere=sorted({a for ev in merged.events for a in ev.articles}))
    records = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Event" or n in mine)
    return records_of(graph, records, base, parts, shared=True)


def docs_of(batch: list[Analysed], chosen: Chosen) -> list[PageDoc]:
    return [r.doc for r in _kept(batch, chosen)]


# A part of the exports: per shard, N-Triples lines and Neo4j blocks (path -> [(record, bytes)]);
# the Neo4j files' headers; the files' metadata (kg.export.neo4j Meta) for the import script.
Piece = tuple[list[list[str]], list[dict[str, list[tuple[str, bytes]]]], dict[str, bytes], dict[str, Any]]


def records_of(graph: Any, records: Sequence[str], base: str, parts: int, shared: bool = False) -> Piece:
    """The N-Triples lines and Neo4j rows of `records` (nodes of `graph`), by shard: a subject's
    lines go to the shard its crc32 names, a record's rows to the shard of its node. `shared`:
    also the subjects no record owns (the ontology header, roles, the register), which several
    pieces may hold: the shards drop repeated lines."""
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


def batch_records(batch: list[Analysed], chosen: Chosen, canon: dict[tuple[str, str], str], base: str, parts: int,
                  *cited: tuple[Event, ...]) -> Piece:
    """The records of a batch's pages, articles and fragments, from a graph of the batch alone:
    its documents, the entities its mentions resolve to (their records are the partitions') and
    the events citing its articles (`cited`, from every partition, each with only this batch's
    articles)."""
    results = _kept(batch, chosen)
    docs = sorted((r.doc for r in results), key=lambda d: d.page.name)
    entities = resolve.group((m for r in results for m in r.mentions), canon, {})
    graph = build_graph(docs, Extraction(entities=entities, events=tuple(ev for part in cited for ev in part)))
    for id_, names in chosen.several.items():
        if page_node(id_) in graph:
            graph.nodes[page_node(id_)]["source_files"] = list(names)
    records = sorted(n for n, d in graph.nodes(data=True) if d["kind"] in ("Page", "Article", "Fragment"))
    return records_of(graph, records, base, parts)


def _metas(piece: Piece) -> dict[str, Any]:
    return piece[3]


@dataclass(frozen=True)
class Shard:
    """What a shard task wrote: each file's path under the output, its triples or rows, sha256 and size."""

    files: tuple[tuple[str, int, str, int], ...]


def _put(root: str, rel: str, data: bytes) -> tuple[str, int, str, int]:
    fs, path = _filesystem(f"{root}/{rel}")
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "wb") as f:
        f.write(data)
    return rel, 0, hashlib.sha256(data).hexdigest(), len(data)


def write_shard(j: int, root: str, neo4j_shards: bool,
                *pieces: tuple[list[str], dict[str, list[tuple[str, bytes]]], dict[str, bytes]]) -> Shard:
    """Shard `j` from its part of every piece, written by this worker under `root` (the staging
    directory, or the remote output): N-Triples sorted without repeats (what kg.export.rdf
    writes, restricted to this shard's subjects), and each Neo4j file's rows under its header,
    by record."""
    lines = sorted({line for piece in pieces for line in piece[0]})
    files = []
    rel, _, sha, size = _put(root, f"{PARTS_DIR}/part-{j:05d}.nt", "".join(lines).encode("utf-8"))
    files.append((rel, len(lines), sha, size))
    del lines
    if neo4j_shards:
        tables: dict[str, list[tuple[str, bytes]]] = {}
        headers: dict[str, bytes] = {}
        for _, rows, head in pieces:
            headers.update(head)
            for path, blocks in rows.items():
                tables.setdefault(path, []).extend(blocks)
        for path, blocks in sorted(tables.items()):
            blocks.sort()
            data = b"".join(d for _, d in blocks)
            count = sum(1 for _ in _csv_records(data)) if data else 0
            rel, _, sha, size = _put(root, f"{NEO4J}/{path[:-len('.csv')]}.part-{j:05d}.csv", headers[path] + data)
            files.append((rel, count, sha, size))
    return Shard(tuple(files))


def _piece(pieces: Any, j: int) -> Any:
    """Part `j` of a task's result split by partition: a list's item, or a Piece's shard j."""
    if isinstance(pieces, tuple):
        nt, rows, headers, _ = pieces
        return nt[j], rows[j], headers
    return pieces[j]


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


@dataclass(frozen=True)
class Plan:
    """The build's page files, listed, sorted and cut into batches by a task on a worker: the
    client holds its future and learns only its counts and the sources that gave no page, so its
    memory does not grow with the number of pages (docs/scale.md, "What is left")."""

    # each batch: its files (index in the sorted list, URL) and the manifest's entries of them
    batches: tuple[tuple[tuple[tuple[int, str], ...], dict[int, ManifestEntry]], ...]
    shared: frozenset[str]  # page identities that several files have (analyse_batch)
    files: int
    errors: tuple[str, ...]  # one per source that gives no page


def plan_pages(sources: Sequence[str], manifest: str | None, count: int) -> Plan:
    """A task: list the page files under `sources` in kg.pages.collect's order, read the build
    manifest (a path the workers can read, as the pages) and cut the files into `count` batches
    of consecutive files, the order every merge follows."""
    urls, errors = list_pages(sources)
    entries = _manifest_entries(urls, read_manifest(Path(manifest)) if manifest is not None else {})
    identities: Counter[str] = Counter()
    for i, url in enumerate(urls):
        address = entries[i].url if i in entries else None
        identities[address or safe_name(url.rsplit("/", 1)[-1])] += 1
    shared = frozenset(n for n, c in identities.items() if c > 1)
    batches = tuple((tuple(b), {i: entries[i] for i, _ in b if i in entries})
                    for b in _batches(list(enumerate(urls)), count))
    return Plan(batches, shared, len(urls), tuple(errors))


def plan_told(plan: Plan) -> tuple[int, int, tuple[str, ...]]:
    """What the client is told of the plan: files, batches, and the sources that gave none."""
    return plan.files, len(plan.batches), plan.errors


Planned = tuple[tuple[tuple[int, str], ...], dict[int, ManifestEntry], frozenset[str]]


def planned_batch(plan: Plan, i: int) -> Planned:
    """A task, where the plan is: the plan's batch `i` alone, so that a worker analysing it
    receives its files and not the whole list."""
    files, entries = plan.batches[i]
    return files, entries, plan.shared


def analyse_planned(batch: Planned, max_page_size: int) -> list[Analysed]:
    """A task: analyse_batch over one batch of the plan."""
    files, entries, shared = batch
    return analyse_batch(files, max_page_size, shared, entries)


def submit_plan(client: Any, sources: Sequence[str], manifest: str | None,
                count: int) -> tuple[Any, tuple[int, int, tuple[str, ...]]]:
    """The client's side of listing the pages: the plan's future and what it is told of it,
    nothing per page."""
    plan_f = client.submit(plan_pages, list(sources), manifest, count, pure=False)
    return plan_f, client.submit(plan_told, plan_f).result()


def _batches(items: list[tuple[int, str]], count: int) -> list[list[tuple[int, str]]]:
    size = max(1, -(-len(items) // max(1, count)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _csv_records(data: bytes) -> Iterator[bytes]:
    """The records of a CSV file as their bytes, a quoted field across lines kept in one record."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    at = 0
    for _ in reader:
        yield "".join(lines[at:reader.line_num]).encode("utf-8")
        at = reader.line_num


# ---------------------------------------------------------------------------- the client


def build(
    sources: Sequence[str],
    out: str,
    spec: str,
    formats: Sequence[str] = (),
    progress: Progress | None = None,
    base_iri: str | None = None,
    *,
    partitions: int = 0,
    manifest: Path | None = None,
    max_page_size: int = MAX_PAGE_SIZE,
    wait: bool = False,
    notify: Any = None,
    timeout: float = CONNECT_TIMEOUT,
) -> BuildReport:
    """Build on the cluster `spec` (connect) into `out`: N-Triples and Neo4j shards, and `formats`
    whole (with neo4j among them, the Neo4j files whole instead of in shards).

    `partitions` (0: two per worker) is the number of resolution partitions and of shards; it
    does not change the union of the shards. `manifest`: a build manifest (file, url, date),
    read by the task that lists the pages (so a path the workers can read, as the pages) and
    given, file by file, to the batches. `notify(text)` is told the workers and
    dashboard.
    """
    from .export.rdf import check_base_iri

    exporters = [export.get(name) for name in formats]
    base_iri = check_base_iri(base_iri or schema.DEFAULT_BASE_IRI)
    local_out, remote = _local_target(out)
    # Locked from the start, as kg.build: a second build into `out` fails before any work.
    with outputs.locked(local_out, wait):
        return _run(sources, local_out, remote, spec, exporters, formats, progress, base_iri, partitions,
                    str(manifest) if manifest is not None else None, max_page_size, notify, timeout)


def _run(sources: Sequence[str], local_out: Path, remote: str | None, spec: str, exporters: list[export.Exporter],
         formats: Sequence[str], progress: Progress | None, base_iri: str, partitions: int,
         manifest: str | None, max_page_size: int, notify: Any, timeout: float) -> BuildReport:
    """The build's task graph. The client holds futures, a few per batch and per partition, and
    gathers only counts, errors and the shards' file list: every table that grows with the
    corpus is a task's result on a worker (docs/scale.md, "What the client holds")."""
    from distributed import as_completed

    with connect(spec, timeout) as session:
        if notify:
            notify(f"Dask: {session.workers} workers; {session.dashboard}")
        client = session.client
        parts = partitions or max(1, 2 * session.workers)
        # Listed, sorted and batched on a worker: the client holds no per-page list.
        plan_f, (files, batch_count, listing_errors) = submit_plan(client, sources, manifest,
                                                                   session.workers * BATCHES_PER_WORKER)
        errors = list(listing_errors)
        if progress:
            progress("pages", files, max(1, files))
        analysed = [client.submit(analyse_planned, client.submit(planned_batch, plan_f, i), max_page_size, pure=False)
                    for i in range(batch_count)]
        del plan_f
        summaries = [client.submit(summary, f) for f in analysed]
        for done, _ in enumerate(as_completed(summaries), 1):
            if progress:
                progress("recognition", done, len(summaries))
        chosen_f = client.submit(choose_pages, *summaries)
        del summaries
        chosen: Chosen = client.submit(_told, chosen_f).result()
        errors += chosen.errors

        if progress:
            progress("resolution", 0, 1)
        canon_f = client.submit(canonical, *[client.submit(count_names, f, chosen_f) for f in analysed])
        prov_f = client.submit(resolve.provisional_names, canon_f)
        split = [client.submit(split_mentions, f, chosen_f, canon_f, parts) for f in analysed]
        resolved = [client.submit(resolve_part, canon_f, prov_f, *[client.submit(_piece, s, j) for s in split])
                    for j in range(parts)]
        rows = [client.submit(rows_of, r) for r in resolved]
        table_f = client.submit(make_table, *rows)
        registered_f = client.submit(register, *[client.submit(choices_of, r) for r in resolved])
        counts_f = client.submit(entity_counts, *rows)
        # Whole-corpus formats read the documents and entities at the end: kept until then.
        whole_f = [*[client.submit(docs_of, f, chosen_f) for f in analysed],
                   *[client.submit(entities_of, r) for r in resolved]] if exporters else []
        # The client lets go of each future once the tasks reading it are submitted: Dask then
        # frees a result as soon as those have run, and can still remake it from its task
        # should a worker holding a result still needed die.
        del split, resolved

        facts = [client.submit(batch_facts, f, chosen_f, canon_f, table_f, parts) for f in analysed]
        merged = [client.submit(merge_part, table_f, registered_f, *[client.submit(_piece, s, k) for s in facts])
                  for k in range(parts)]
        del facts
        for done, _ in enumerate(as_completed(merged), 1):
            if progress:
                progress("relations", done, len(merged))
        if progress:
            progress("merge", 0, 1)
        standins_f = client.submit(standins_of, *merged)
        pieces_f = [client.submit(part_records, k, merged[k], rows[k], table_f, registered_f, standins_f, base_iri, parts)
                    for k in range(parts)]
        pieces_f += [client.submit(batch_records, f, chosen_f, canon_f, base_iri, parts,
                                   *[client.submit(_cited, m, i) for m in merged])
                     for i, f in enumerate(analysed)]
        entity_count, (relation_count, event_count) = client.gather([counts_f, client.submit(totals, *merged)])
        kept = (merged, registered_f) if exporters else None
        del analysed, rows, merged, counts_f, standins_f, table_f, registered_f, canon_f, prov_f, chosen_f
        if progress:
            progress("merge", 1, 1)

        written: list[Path] = []
        if chosen.pages:
            with outputs.staged(local_out) as stage:
                root = remote if remote is not None else str(Path(os.path.abspath(stage)))
                whole_neo4j = "neo4j" in formats
                shards = [client.submit(write_shard, j, root, not whole_neo4j, *[client.submit(_piece, p, j) for p in pieces_f])
                          for j in range(parts)]
                metas = client.gather([client.submit(_metas, p) for p in pieces_f])
                del pieces_f
                listed: list[tuple[str, int, str, int]] = []
                for done, fut in enumerate(as_completed(shards), 1):
                    listed += fut.result().files
                    if progress:
                        progress("export", done, parts + len(exporters))
                whole = None
                if kept is not None:  # whole-corpus formats: the whole graph, in this process
                    everything = client.gather([*whole_f, *kept[0], kept[1]])
                    batches_docs, ents = everything[:batch_count], everything[batch_count:batch_count + parts]
                    parts_merged, registered = everything[batch_count + parts:-1], everything[-1]
                    docs = sorted((d for batch in batches_docs for d in batch), key=lambda d: d.page.name)
                    whole = (docs, Extraction(
                        entities=tuple(sorted((e for part in ents for e in part), key=lambda e: e.key)),
                        relations=tuple(sorted((r for m in parts_merged for r in m.relations),
                                               key=lambda r: (r.subject, r.predicate, r.object, r.role or "", r.article))),
                        events=tuple(sorted((ev for m in parts_merged for ev in m.events), key=lambda e: e.key)),
                        division_codes=registered.codes, official_relations=registered.chain))
                written = _write(stage, local_out, remote, listed, metas, parts, exporters, whole, chosen,
                                 export.ExportContext(base_iri=base_iri, formats=("ntriples-parts", *formats)), progress)
    return BuildReport(
        files=chosen.decoded,
        pages=chosen.pages,
        articles=chosen.articles,
        fragments=chosen.fragments,
        entity_counts=entity_count,
        relations=relation_count,
        events=event_count,
        errors=tuple(errors),
        outputs=tuple(written),
        warnings=tuple(f"{', '.join(names[1:])}: the same text as {names[0]}, one page with every name (同文异名，合为一版)"
                       for names in sorted(chosen.several.values())),
    )


def _manifest_entries(urls: Sequence[str], entries: dict[str, ManifestEntry]) -> dict[int, ManifestEntry]:
    """The build manifest's entry of each page file (by its index) that it names, as kg.build
    reads it (kg.pages.with_manifest: by file name, or by the end of its path)."""
    if not entries:
        return {}
    out = {}
    for i, url in enumerate(urls):
        path = url.split("://", 1)[-1]
        probe = Page(path.rsplit("/", 1)[-1], "", "utf-8")
        found = with_manifest(probe, Path(path), entries)
        if found is not probe:
            out[i] = ManifestEntry(found.url, found.date)
    return out


def _local_target(out: str) -> tuple[Path, str | None]:
    """A local directory to build into, and the remote URL to upload it to (None when `out` is local)."""
    if "://" not in out or out.startswith("file://"):
        return Path(out[len("file://"):] if out.startswith("file://") else out), None
    return Path(tempfile.mkdtemp(prefix="kg-cluster-out-")) / "out", out.rstrip("/")


def _write(stage: Path, out: Path, remote: str | None, listed: list[tuple[str, int, str, int]],
           metas: list[dict[str, Any]], parts: int, exporters: list[export.Exporter],
           whole: tuple[list[PageDoc], Extraction] | None, chosen: Chosen, context: export.ExportContext,
           progress: Progress | None) -> list[Path]:
    """Beside the shards the workers wrote (`listed`: path, count, sha256, size): their list, the
    Neo4j import script and the whole formats asked for, into the staging directory, sealed and
    switched in (as kg.build does); uploaded when `out` is remote (the shards are there already).
    The caller holds `out`'s lock."""
    from .export import neo4j

    written: list[Path] = []
    listed.sort()
    shard_files: dict[str, list[str]] = {}
    for rel, *_ in listed:
        if rel.startswith(f"{NEO4J}/"):
            stem, _, _ = rel[len(NEO4J) + 1:].rpartition(".part-")
            shard_files.setdefault(f"{stem}.csv", []).append(rel[len(NEO4J) + 1:])
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
        (stage / NEO4J).mkdir(exist_ok=True)
        (stage / NEO4J / "import.sh").write_text(script, encoding="utf-8")
        written.append(stage / NEO4J / "import.sh")
    if whole is not None:
        docs, extraction = whole
        graph = build_graph(docs, extraction)
        for id_, names in chosen.several.items():
            if page_node(id_) in graph:
                graph.nodes[page_node(id_)]["source_files"] = list(names)
        for done, exporter in enumerate(exporters):
            written.extend(exporter(graph, stage, context))
            if progress:
                progress("export", parts + done + 1, parts + len(exporters))
    (stage / PARTS_DIR).mkdir(exist_ok=True)
    index = stage / PARTS_DIR / PARTS_MANIFEST
    rows = [{"path": rel, "count": n, "sha256": sha} for rel, n, sha, _ in listed]
    triples = sum(n for rel, n, *_ in listed if rel.endswith(".nt"))
    index.write_text(json.dumps({"parts": rows, "triples": triples}, indent=1, sort_keys=True) + "\n",
                     encoding="utf-8")
    written.append(index)
    shards = {stage / rel: (sha, size) for rel, _, sha, size in listed}
    outputs.prune(stage, [*written, *shards])
    outputs.seal(stage, [*written, *shards], chosen.inputs, context.formats, known=shards)
    outputs.switch(stage, out)
    result = outputs.moved([*written, *shards], stage, out)
    if remote is not None:
        fs, dest = _filesystem(remote)
        fs.put(f"{out}/", dest, recursive=True)  # the contents, beside the shards already there
    return sorted(result)
