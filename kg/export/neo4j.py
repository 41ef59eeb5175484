"""Graph -> Neo4j import files: CSVs in the `neo4j-admin database import` header format, a
Cypher script for the `LOAD CSV` route, and the exact `neo4j-admin` command.

Layout of `output/neo4j/`:
  nodes/<Label>.csv                  one file per label: Page, Article, Fragment, each entity type, Event
  relationships/<TYPE>-<From>-<To>.csv  one file per relationship type and pair of labels
  import.cypher                      constraints, then LOAD CSV for every file (Neo4j 5)
  import.sh                          `neo4j-admin database import full` naming every file
  kuzu.cypher                        table DDL and COPY for every file (Kuzu, LadybugDB)
  falkordb.redis                     index, constraint and LOAD CSV commands (FalkorDB, redis-cli)

Each label is its own ID space (`:ID(Person)`), so a relationship file names the spaces of its
ends (`:START_ID(Article)`, `:END_ID(Person)`); one file per label pair keeps that exact, and
maps one-to-one onto the FROM/TO pairs of a typed rel table in Kuzu-style databases.
Every node also carries its id and its `kind` as properties, so Cypher can match on them in any
database, with or without multiple labels.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable

import networkx as nx

from .. import schema
from ..schema import ENTITY_TYPES
from .registry import ExportContext, register
from . import reuse as reuse_

# Neo4j's default array delimiter, declared on the command line anyway so nobody has to know that.
ARRAY_DELIMITER = ";"
DIRECTORY = "neo4j"
# neo4j-admin property types -> Kuzu / LadybugDB column types.
KUZU_TYPES = {
    "string": "STRING", "char": "STRING",
    "int": "INT64", "long": "INT64", "short": "INT64", "byte": "INT64",
    "float": "DOUBLE", "double": "DOUBLE", "boolean": "BOOL", "date": "DATE",
}
ROLES = ("ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE")  # header fields that are not properties
FALKORDB_GRAPH = "pckg"  # the graph key falkordb.redis loads into
KUZU_SCRIPT = "kuzu.cypher"
FALKORDB_SCRIPT = "falkordb.redis"


@dataclass(frozen=True)
class Column:
    """One CSV column: property name, Neo4j type (`string`, `int`, `date`, `string[]`...)."""

    name: str
    type: str
    value: Callable[[dict[str, Any]], Any]

    @property
    def header(self) -> str:
        return self.name if self.type == "string" else f"{self.name}:{self.type}"


@dataclass(frozen=True)
class _Attr:
    """A column's value that is one attribute of the node or edge, as it is: a row of such
    columns is made with one look-up per cell, without a call (kg.export.neo4j._record_rows)."""

    key: str

    def __call__(self, d: dict[str, Any]) -> Any:
        return d.get(self.key)


def _attr(key: str) -> Callable[[dict[str, Any]], Any]:
    return _Attr(key)


# Node properties per kind. `name` is the display name on every node (Gephi, Neo4j Browser).
_COMMON = (Column("kind", "string", _attr("kind")), Column("name", "string", _attr("label")))
NODE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "Page": (*_COMMON, Column("encoding", "string", _attr("encoding"))),
    "Article": (
        *_COMMON,
        Column("headline", "string", _attr("headline")),
        Column("kicker", "string", _attr("kicker")),
        Column("subtitle", "string", _attr("subtitle")),
        Column("page", "string", _attr("page")),
        Column("position", "int", _attr("index")),
        Column("start_offset", "int", _attr("start")),
        Column("end_offset", "int", _attr("end")),
        Column("body", "string", _attr("body")),
        Column("published", "date", _attr("published")),
        Column("url", "string", _attr("url")),
        Column("publisher", "string", _attr("publisher")),
    ),
    "Fragment": (
        *_COMMON,
        Column("text", "string", _attr("text")),
        Column("reason", "string", _attr("reason")),
        Column("start_offset", "int", _attr("start")),
        Column("end_offset", "int", _attr("end")),
    ),
    "Entity": (
        *_COMMON,
        Column("type", "string", _attr("type")),
        Column("aliases", "string[]", _attr("aliases")),
        Column("mention_count", "int", _attr("mention_count")),
        Column("division_code", "string", _attr("division_code")),  # the official register's code
    ),
    "Event": (
        *_COMMON,
        Column("type", "string", _attr("type")),
        Column("date_text", "string", _attr("date_text")),
        Column("date_start", "date", _attr("date_start")),
        Column("date_end", "date", _attr("date_end")),
        Column("date_basis", "string", _attr("date_basis")),
        Column("evidence", "string", _attr("evidence")),
    ),
}


def _mentions(field: str) -> Callable[[dict[str, Any]], list[Any]]:
    """A column of one field of the edge's mentions (kg.graph.MentionAt)."""
    return lambda d: [getattr(m, field) for m in d.get("mentions", ())]


# Relationship properties: a mention edge keeps its surface forms and page offsets; every other
# statement edge (partOf, responsibleFor, memberOf, locatedIn) its evidence, source article and role.
MENTION_COLUMNS = (
    Column("mention_count", "int", lambda d: len(d.get("mentions", ()))),
    Column("surfaces", "string[]", _mentions("surface")),
    Column("start_offsets", "int[]", _mentions("start")),
    Column("end_offsets", "int[]", _mentions("end")),
)
STATEMENT_COLUMNS = (
    Column("evidence", "string", _attr("evidence")),
    Column("article", "string", lambda d: f"article/{d['article']}" if d.get("article") else None),
    Column("role", "string", _attr("role")),
)


# The edge keys kg/graph.py documents; the four statement predicates carry evidence.
PREDICATES = schema.PREDICATES
STATEMENT_PREDICATES = schema.STATEMENT_PREDICATES
# Every node label the graph can hold, entity types in the guideline's order.
LABELS = ("Page", "Article", "Fragment", *ENTITY_TYPES, "Event")
# The file and ID space a node belongs to: its kind, or its type for an entity.
node_label = schema.group


def node_labels(data: dict[str, Any]) -> str:
    """The `:LABEL` field: an entity is both `Entity` and its type."""
    return f"Entity{ARRAY_DELIMITER}{data['type']}" if data["kind"] == "Entity" else str(data["kind"])


# Compiled once: rel_type runs per edge, where re's cache look-up per call was measurable.
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def rel_type(predicate: str) -> str:
    """`isPartOf` -> `IS_PART_OF`: Neo4j's convention for relationship types."""
    return _CAMEL_HUMP.sub("_", predicate).upper()


def _cell(value: Any, type_: str) -> str:
    if value is None:
        return ""
    if type_.endswith("[]"):
        if isinstance(value, (list, tuple)):
            joined = ARRAY_DELIMITER.join(map(str, value))
            if joined.count(ARRAY_DELIMITER) == len(value) - 1:
                return joined  # no element holds the delimiter (offsets never do): nothing to replace
        # Array elements may not hold the delimiter; a full-width semicolon reads the same in Chinese.
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, "；") for v in value)
    return str(value)


@dataclass(frozen=True)
class Table:
    """One CSV file: where it goes, the labels or type it holds, its columns (rows: _record_rows)."""

    path: str  # under output/neo4j/, e.g. "nodes/Person.csv"
    labels: tuple[str, ...]  # node file: its labels, first the ID space; relationship file: (TYPE,)
    ends: tuple[str, str] | None  # relationship file: the ID spaces of start and end
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        if self.ends is None:
            head = [f"id:ID({self.labels[0]})", ":LABEL"]
        else:
            head = [f":START_ID({self.ends[0]})", f":END_ID({self.ends[1]})", ":TYPE"]
        return [*head, *(c.header for c in self.columns)]


def rel_columns(predicate: str, edges: list[dict[str, Any]] | None = None) -> tuple[Column, ...]:
    """A type's columns: fixed for the graph's own predicates, so queries can rely on them even
    when no edge has a value; for any other predicate, the statement columns its edges use."""
    if predicate == "mentions":
        return MENTION_COLUMNS
    if predicate in STATEMENT_PREDICATES:
        return STATEMENT_COLUMNS
    if predicate in PREDICATES:
        return ()
    return tuple(c for c in STATEMENT_COLUMNS if any(c.value(d) for d in edges or ()))


def admin_command(files: Iterable[Table], database: str = "neo4j") -> str:
    """A shell script running `neo4j-admin database import full` on these files, where they are."""
    lines = [
        f'"$NEO4J_HOME/bin/neo4j-admin" database import full {database}',
        "--overwrite-destination=true",
        f"--array-delimiter='{ARRAY_DELIMITER}'",
        "--multiline-fields=true",
    ]
    for table in files:
        option = "--nodes" if table.ends is None else "--relationships"
        lines.append(f'{option}="$here/{table.path}"')
    return (
        "#!/bin/sh\n"
        "# Import this directory into a stopped Neo4j 5 server, replacing its database `neo4j`:\n"
        "#   NEO4J_HOME=/path/to/neo4j sh output/neo4j/import.sh\n"
        "set -e\n"
        ': "${NEO4J_HOME:?set NEO4J_HOME to the Neo4j installation directory}"\n'
        'here=$(cd "$(dirname "$0")" && pwd)\n'
        + " \\\n  ".join(lines)
        + "\n"
    )


def _load_expr(column: Column) -> str:
    """The Cypher expression that turns a LOAD CSV field back into a typed property."""
    field = f"row.`{column.header}`"
    element = column.type.removesuffix("[]")
    convert = {"int": "toInteger({})", "date": "date({})"}.get(element, "{}")
    if column.type.endswith("[]"):
        return f"[x IN split({field}, '{ARRAY_DELIMITER}') | {convert.format('x')}]"
    return convert.format(field)


def cypher_script(files: list[Table]) -> str:
    """Constraints and LOAD CSV statements for Neo4j 5, reading the CSVs from its import directory."""
    out = [
        "// pingcheng-kg: load output/neo4j/ into Neo4j 5 with LOAD CSV (run with cypher-shell -f).",
        "// Copy nodes/ and relationships/ into the server's import directory first (see README).",
        "",
    ]
    for table in files:
        if table.ends is None:
            label = table.labels[0]
            out.append(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;")
    out.append("")
    for table in files:
        head = table.header
        props = ", ".join(f"{c.name}: {_load_expr(c)}" for c in table.columns)
        if table.ends is None:
            labels = ":".join(table.labels)
            out.append(
                f"LOAD CSV WITH HEADERS FROM 'file:///{table.path}' AS row\n"
                f"CREATE (:{labels} {{id: row.`{head[0]}`, {props}}});"
            )
        else:
            start, end = table.ends
            rel = f"{table.labels[0]} {{{props}}}" if props else table.labels[0]
            out.append(
                f"LOAD CSV WITH HEADERS FROM 'file:///{table.path}' AS row\n"
                f"MATCH (a:{start} {{id: row.`{head[0]}`}}), (b:{end} {{id: row.`{head[1]}`}})\n"
                f"CREATE (a)-[:{rel}]->(b);"
            )
        out.append("")
    return "\n".join(out)


def _kuzu_type(type_: str) -> str:
    element = KUZU_TYPES[type_.removesuffix("[]")]
    return f"{element}[]" if type_.endswith("[]") else element


def _kuzu_value(field: str, type_: str) -> str:
    """The Kuzu expression turning the raw text of a CSV field into its column type."""
    element = KUZU_TYPES[type_.removesuffix("[]")]
    if type_.endswith("[]"):
        items = f"string_split({field}, '{ARRAY_DELIMITER}')"
        if element != "STRING":
            items = f"list_transform({items}, x -> CAST(x AS {element}))"
        return f"CASE WHEN {field} IS NULL THEN NULL ELSE {items} END"
    return field if element == "STRING" else f"CAST({field} AS {element})"


def _kuzu_columns(columns: Iterable[Column]) -> list[str]:
    return [f"`{c.name}` {_kuzu_type(c.type)}" for c in columns]


def kuzu_script(files: list[Table]) -> str:
    """Table definitions and COPY statements for Kuzu and LadybugDB, reading the CSVs as they are.

    Kuzu's tables are typed: each ID space is a node table (so the second label `Entity` is not
    kept; every node's `kind` property stands in for it), each relationship type a rel table
    with one FROM/TO pair per relationship file. Every label and type the project can export
    gets its table, rows or not: Neo4j answers a query naming an absent label with no rows,
    Kuzu refuses to bind it, so the named questions would fail on a graph without, say, companies.
    Each COPY reads its file through LOAD WITH HEADERS, since the neo4j-admin header names
    (`id:ID(Person)`) are not column names and arrays are `;`-joined text; parallel=false
    because article bodies are quoted fields holding newlines, which the parallel reader splits.
    """
    out = [
        "// pingcheng-kg: load output/neo4j/ into an empty Kuzu or LadybugDB database.",
        "// The CSV paths are relative to this directory: run it from here (docs/graph-databases.md).",
        "",
    ]
    nodes = {t.labels[0]: t for t in files if t.ends is None}
    for label in [*LABELS, *sorted(nodes.keys() - set(LABELS))]:
        columns = nodes[label].columns if label in nodes else NODE_COLUMNS["Entity" if label in ENTITY_TYPES else label]
        defs = ", ".join(["`id` STRING", *_kuzu_columns(columns), "PRIMARY KEY(`id`)"])
        out.append(f"CREATE NODE TABLE `{label}`({defs});")
    by_type: dict[str, list[Table]] = {}
    for t in files:
        if t.ends is not None:
            by_type.setdefault(t.labels[0], []).append(t)
    for predicate in PREDICATES:  # a type with no file still gets a table: any pair will do
        if rel_type(predicate) not in by_type:
            by_type[rel_type(predicate)] = [Table("", (rel_type(predicate),), ("Page", "Page"), rel_columns(predicate))]
    for type_, tables in sorted(by_type.items()):
        pairs = sorted({t.ends for t in tables if t.ends})
        ends = [f"FROM `{a}` TO `{b}`" for a, b in pairs]
        out.append(f"CREATE REL TABLE `{type_}`({', '.join([*ends, *_kuzu_columns(tables[0].columns)])});")
    out.append("")
    for t in files:
        head = t.header
        raw = ", ".join(f"c{i} STRING" for i in range(len(head)))
        keys = ["c0"] if t.ends is None else ["c0", "c1"]
        first = len(head) - len(t.columns)
        values = keys + [_kuzu_value(f"c{first + i}", c.type) for i, c in enumerate(t.columns)]
        pair = f" (from='{t.ends[0]}', to='{t.ends[1]}')" if t.ends else ""
        out.append(f"COPY `{t.labels[0]}` FROM (LOAD WITH HEADERS ({raw}) FROM '{t.path}' (header=true, parallel=false) "
                   f"RETURN {', '.join(values)}){pair};")
    return "\n".join(out) + "\n"


def _falkordb_value(column: Column) -> str:
    """The FalkorDB expression for one LOAD CSV field: an empty field is absent from `row`, so null."""
    field = f"row['{column.header}']"
    element = column.type.removesuffix("[]")
    convert = {"int": "toInteger({})", "long": "toInteger({})", "float": "toFloat({})", "double": "toFloat({})",
               "boolean": "toBoolean({})", "date": "date({})"}.get(element, "{}")
    if column.type.endswith("[]"):
        items = f"split({field}, '{ARRAY_DELIMITER}')"
        return items if convert == "{}" else f"[x IN {items} | {convert.format('x')}]"
    return convert.format(field)


def _redis_quote(text: str) -> str:
    """A redis-cli argument in double quotes (redis-cli reads \\" and \\\\ as escapes inside them)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def falkordb_script(files: list[Table], graph: str = FALKORDB_GRAPH) -> str:
    """Redis commands that load the CSVs into the FalkorDB graph `graph`, one per line for redis-cli.

    FalkorDB indexes with `CREATE INDEX FOR (n:Label) ON (n.id)` and makes a unique
    constraint with the Redis command GRAPH.CONSTRAINT (it needs that index), not with
    Neo4j 5's CREATE CONSTRAINT; `file://` paths are relative to its IMPORT_FOLDER setting,
    so the folder is this directory (or a copy of it). A node keeps both its labels.
    """
    g = graph  # a plain word: FALKORDB_GRAPH
    out = []
    nodes = [t for t in files if t.ends is None]
    for t in nodes:
        out.append(f"GRAPH.QUERY {g} {_redis_quote(f'CREATE INDEX FOR (n:{t.labels[0]}) ON (n.id)')}")
        out.append(f"GRAPH.CONSTRAINT CREATE {g} UNIQUE NODE {t.labels[0]} PROPERTIES 1 id")
    for t in files:
        head = t.header
        props = ", ".join(f"{c.name}: {_falkordb_value(c)}" for c in t.columns)
        load = f"LOAD CSV WITH HEADERS FROM 'file://{t.path}' AS row "
        if t.ends is None:
            query = f"{load}CREATE (:{':'.join(t.labels)} {{id: row['{head[0]}'], {props}}})"
        else:
            start, end = t.ends
            rel = f"{t.labels[0]} {{{props}}}" if props else t.labels[0]
            query = (f"{load}MATCH (a:{start} {{id: row['{head[0]}']}}), (b:{end} {{id: row['{head[1]}']}}) "
                     f"CREATE (a)-[:{rel}]->(b)")
        out.append(f"GRAPH.QUERY {g} {_redis_quote(query)}")
    return "\n".join(out) + "\n"


# A table's identity, kept in the index to rebuild its Table (header, scripts) without the graph:
# ("node", label, is an entity) or ("rel", predicate, start label, end label).
Meta = tuple[Any, ...]


def _table(path: str, meta: Meta, columns_of: Callable[[str], tuple[Column, ...]]) -> Table:
    """The Table at `path` without its rows: enough for its header and the import scripts."""
    if meta[0] == "node":
        _, label, entity = meta
        return Table(path, (label, "Entity") if entity else (label,), None, NODE_COLUMNS["Entity" if entity else label])
    _, predicate, start, end = meta
    return Table(path, (rel_type(predicate),), (start, end), columns_of(predicate))


def _record_rows(g: nx.MultiDiGraph, nodes: Iterable[str], columns_of: Callable[[str], tuple[Column, ...]],
                 metas: dict[str, Meta]) -> dict[str, list[reuse_.Block]]:
    """Per table path, the blocks of `nodes`' records: a node's row, and its out-edges' rows per
    relationship file (sorted by target, as the file sorts rows by (start, end))."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def text(rows: list[list[str]]) -> bytes:
        buf.seek(0)
        buf.truncate()
        writer.writerows(rows)
        return buf.getvalue().encode("utf-8")

    return {path: [(n, n, text(rows)) for n, rows in records]
            for path, records in _table_rows(g, nodes, columns_of, metas).items()}


def _plain(columns: tuple[Column, ...]) -> tuple[tuple[str, str | None], ...] | None:
    """For columns that are each one attribute: each one's key, with its type if it is an array
    (whose cell _cell makes), else None."""
    if all(isinstance(c.value, _Attr) for c in columns):
        return tuple((c.value.key, c.type if c.type.endswith("[]") else None)
                     for c in columns if isinstance(c.value, _Attr))
    return None


def _table_rows(g: nx.MultiDiGraph, nodes: Iterable[str], columns_of: Callable[[str], tuple[Column, ...]],
                metas: dict[str, Meta]) -> dict[str, list[tuple[str, list[list[str]]]]]:
    """Per table path, each record of `nodes` (in their order) with its rows in that file."""
    tables: dict[str, list[tuple[str, list[list[str]]]]] = {}
    # networkx's own dicts (its views cost several times more per look-up), and per predicate its
    # relationship type and columns, found once: a corpus has a few predicates and many edges.
    node_data, succ = g._node, g._succ
    per_predicate: dict[str, tuple[str, tuple[Column, ...], tuple[tuple[str, str | None], ...] | None]] = {}
    per_label: dict[tuple[str, bool], tuple[str, tuple[Column, ...], tuple[tuple[str, str | None], ...] | None]] = {}
    for n in nodes:
        d = node_data[n]
        label = node_label(d)
        entity = d["kind"] == "Entity"
        known_label = per_label.get((label, entity))
        if known_label is None:
            columns = NODE_COLUMNS["Entity" if entity else label]
            known_label = per_label[(label, entity)] = (f"nodes/{label}.csv", columns, _plain(columns))
        path, columns, keys = known_label
        metas.setdefault(path, ("node", label, entity))
        if keys is not None:  # every column one attribute: _cell of each, inline
            row = [n, node_labels(d), *["" if (x := d.get(k)) is None else str(x) if t is None else _cell(x, t)
                                        for k, t in keys]]
        else:
            row = [n, node_labels(d), *(_cell(c.value(d), c.type) for c in columns)]
        tables.setdefault(path, []).append((n, [row]))
        by_table: dict[str, list[list[str]]] = {}
        out = succ[n]
        for v in sorted(out):
            end = node_label(node_data[v])
            for predicate, e in out[v].items():
                known = per_predicate.get(predicate)
                if known is None:
                    rel_columns_ = columns_of(predicate)
                    known = per_predicate[predicate] = (rel_type(predicate), rel_columns_, _plain(rel_columns_))
                type_, rel_columns_, rel_keys = known
                rel_path = f"relationships/{type_}-{label}-{end}.csv"
                if rel_path not in metas:
                    metas[rel_path] = ("rel", predicate, label, end)
                rows = by_table.get(rel_path)
                if rows is None:
                    rows = by_table[rel_path] = []
                if rel_columns_ is MENTION_COLUMNS:  # most edges: MENTION_COLUMNS' cells, made at once
                    ms = e.get("mentions", ())
                    # Most mention edges list one mention or none: their cells, without joins.
                    if len(ms) == 1:
                        surface, start, stop, _ = ms[0]
                        rows.append([n, v, type_, "1", surface.replace(ARRAY_DELIMITER, "；"), str(start), str(stop)])
                        continue
                    if not ms:
                        rows.append([n, v, type_, "0", "", "", ""])
                        continue
                    rows.append([n, v, type_, str(len(ms)), _cell([m.surface for m in ms], "string[]"),
                                 ARRAY_DELIMITER.join([str(m.start) for m in ms]),
                                 ARRAY_DELIMITER.join([str(m.end) for m in ms])])
                elif rel_keys is not None:
                    rows.append([n, v, type_, *["" if (x := e.get(k)) is None else str(x) if t is None else _cell(x, t)
                                                for k, t in rel_keys]])
                else:
                    rows.append([n, v, type_, *(_cell(c.value(e), c.type) for c in rel_columns_)])
        for rel_path, rows in by_table.items():
            tables.setdefault(rel_path, []).append((n, rows))
    return tables


def _header(table: Table) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(table.header)
    return buf.getvalue().encode("utf-8")


def _columns_for(g: nx.MultiDiGraph) -> Callable[[str], tuple[Column, ...]]:
    """rel_columns per predicate; a predicate kg/graph.py does not write has columns from its edges."""
    found: dict[str, tuple[Column, ...]] = {}

    def columns_of(predicate: str) -> tuple[Column, ...]:
        if predicate not in found:
            edges = [] if predicate in PREDICATES else [d for _, _, k, d in g.edges(keys=True, data=True) if k == predicate]
            found[predicate] = rel_columns(predicate, edges)
        return found[predicate]

    return columns_of


@register("neo4j")
def write_neo4j(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    reuse = ctx.reuse
    root = out / DIRECTORY
    for sub in ("nodes", "relationships"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    columns_of = _columns_for(g)
    current = reuse_.digests(g, ctx) if reuse is not None else {}
    saved = reuse_.load(reuse, DIRECTORY, "neo4j")
    metas: dict[str, Meta] = {}
    indexes: dict[str, reuse_.FileIndex] = {}
    if saved is not None and isinstance(saved.extra, dict):
        old = {path: reuse_.valid(out, f"{DIRECTORY}/{path}", saved) for path in saved.extra}
        # Columns of a predicate the graph module does not write depend on every edge: no reuse then.
        usable = all(old.values()) and all(m[0] == "node" or m[1] in PREDICATES for m in saved.extra.values())
        if usable:
            changed = reuse_.dirty(saved, current)
            alive = current.keys() - changed
            blocks = _record_rows(g, sorted(changed), columns_of, metas)
            if all(m[0] == "node" or m[1] in PREDICATES for m in metas.values()):
                metas.update((path, meta) for path, meta in saved.extra.items() if path not in metas)
                reuse_.forget(reuse, DIRECTORY)
                try:
                    for path in sorted(metas):
                        header = _header(_table(path, metas[path], columns_of))
                        before = old.get(path)
                        if before is not None:
                            indexes[path] = reuse_.write_merged(root / path, before, alive, header,
                                                                blocks.get(path, []), b"")
                        else:
                            indexes[path] = reuse_.write_all(root / path, header, blocks[path], b"")
                except reuse_.Conflict:
                    indexes.clear()
                for path in [p for p, index in indexes.items() if not index.keys]:  # no rows left
                    (root / path).unlink()
                    del indexes[path], metas[path]
    if not indexes and reuse is None:  # a full export and nothing to keep: no index of the blocks
        metas.clear()
        tables = _table_rows(g, sorted(g.nodes), columns_of, metas)
        for path in sorted(metas):
            buf = io.StringIO()
            # the records' rows flattened in C: a generator here resumed once for each of 43,836 rows
            csv.writer(buf, lineterminator="\n").writerows(chain.from_iterable(map(itemgetter(1), tables[path])))
            (root / path).write_bytes(_header(_table(path, metas[path], columns_of)) + buf.getvalue().encode("utf-8"))
    elif not indexes:  # a full export
        metas.clear()
        reuse_.forget(reuse, DIRECTORY)
        blocks = _record_rows(g, sorted(g.nodes), columns_of, metas)
        for path in sorted(metas):
            header = _header(_table(path, metas[path], columns_of))
            indexes[path] = reuse_.write_all(root / path, header, blocks[path], b"")
    for sub in ("nodes", "relationships"):
        # Files of labels or types no longer in the graph would be imported as stale data.
        for stale in sorted((root / sub).glob("*.csv")):
            if f"{sub}/{stale.name}" not in metas:
                stale.unlink()
    if reuse is not None:
        files = {f"{DIRECTORY}/{path}": index for path, index in indexes.items()}
        reuse_.save(reuse, DIRECTORY, reuse_.Saved("neo4j", current, files, dict(metas)))
    tables_ = [_table(path, metas[path], columns_of) for path in sorted(metas)]
    script = root / "import.cypher"
    script.write_text(cypher_script(tables_), encoding="utf-8")
    command = root / "import.sh"
    command.write_text(admin_command(tables_), encoding="utf-8")
    kuzu = root / KUZU_SCRIPT
    kuzu.write_text(kuzu_script(tables_), encoding="utf-8")
    falkordb = root / FALKORDB_SCRIPT
    falkordb.write_text(falkordb_script(tables_), encoding="utf-8")
    return [*(root / t.path for t in tables_), script, command, kuzu, falkordb]
