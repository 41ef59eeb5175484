"""Neo4j import CSVs -> an embedded LadybugDB database, and the named Cypher questions on it.

LadybugDB (the maintained successor of Kuzu, `pip install ladybug`) is an embedded openCypher
database: it runs in-process from one file, so the tests load the very CSVs a Neo4j user
imports and ask them the same questions as the SPARQL queries. The loader reads the
`neo4j-admin` header format itself (`id:ID(Person)`, `aliases:string[]`, `:START_ID(Article)`,
`:TYPE`), so a header the loader cannot read is a header Neo4j would have trouble with too.

LadybugDB tables are typed: each ID space becomes a node table, each relationship type a rel
table with one FROM/TO pair per relationship file. A node has one table, so `:LABEL`'s second
label (`Entity`) is not kept; the `kind` property every node carries stands in for it.

    with load(Path("output/neo4j"), Path("/tmp/kg.lbdb")) as db:
        columns, rows = db.run(named_query("articles-mentioning"), {"name": "尚丽"})
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError, QueryError
from .export.neo4j import ARRAY_DELIMITER, LABELS, NODE_COLUMNS, PREDICATES, rel_columns, rel_type
from .lexicon import locate
from .model import ENTITY_TYPES

# neo4j-admin property types -> LadybugDB column types.
_TYPES = {
    "string": "STRING", "char": "STRING",
    "int": "INT64", "long": "INT64", "short": "INT64", "byte": "INT64",
    "float": "DOUBLE", "double": "DOUBLE", "boolean": "BOOL", "date": "DATE",
}
_HEADER = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+(?:\[\])?)(?:\((?P<group>[^)]*)\))?)?$")


@dataclass(frozen=True)
class Field:
    """One header field: `aliases:string[]` -> name "aliases", type "string[]"; `:ID(Person)` -> role."""

    name: str
    type: str  # a property type, or a role: ID LABEL START_ID END_ID TYPE IGNORE
    group: str | None

    @property
    def is_property(self) -> bool:
        return self.type not in ("ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE")


def parse_header(path: Path, header: list[str]) -> list[Field]:
    """Read a `neo4j-admin` header line; an unknown type is an error naming the file and field."""
    fields = []
    for raw in header:
        m = _HEADER.match(raw)
        type_ = (m.group("type") or "string") if m else ""
        if not m or not (type_ in ("ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE")
                         or type_.removesuffix("[]").lower() in _TYPES):
            raise OutputError(f"{path}: header field {raw!r} is not in neo4j-admin import format (表头格式错误)")
        fields.append(Field(m.group("name"), type_ if type_.isupper() else type_.lower(), m.group("group")))
    return fields


def _convert(column: str, type_: str) -> str:
    """A Cypher expression turning the raw text of a CSV column into its declared type."""
    element = _TYPES[type_.removesuffix("[]")]
    if type_.endswith("[]"):
        items = f"string_split({column}, '{ARRAY_DELIMITER}')"
        if element != "STRING":
            items = f"list_transform({items}, x -> CAST(x AS {element}))"
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {items} END"
    return column if element == "STRING" else f"CAST({column} AS {element})"


def _column_type(type_: str) -> str:
    element = _TYPES[type_.removesuffix("[]")]
    return f"{element}[]" if type_.endswith("[]") else element


@dataclass(frozen=True)
class _File:
    path: Path
    fields: list[Field]
    table: str  # node table (the ID space) or rel table (the :TYPE)
    ends: tuple[str, str] | None

    def properties(self) -> list[Field]:
        return [f for f in self.fields if f.is_property]

    def copy(self) -> str:
        """`COPY table FROM (LOAD ...)`: the database parses the file, quoted newlines included."""
        raw = ", ".join(f"c{i} STRING" for i in range(len(self.fields)))
        keys = [i for i, f in enumerate(self.fields) if f.type in ("ID", "START_ID", "END_ID")]
        keys.sort(key=lambda i: ("ID", "START_ID", "END_ID").index(self.fields[i].type))
        values = [f"c{i}" for i in keys]
        values += [_convert(f"c{i}", f.type) for i, f in enumerate(self.fields) if f.is_property]
        location = str(self.path).replace("\\", "\\\\").replace("'", "\\'")
        pair = f" (from='{self.ends[0]}', to='{self.ends[1]}')" if self.ends else ""
        return (f"COPY `{self.table}` FROM (LOAD WITH HEADERS ({raw}) FROM '{location}' "
                f"(header=true, parallel=false) RETURN {', '.join(values)}){pair}")


def _read(path: Path) -> _File:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise OutputError(f"{path}: empty file, no header (文件为空)")
        fields = parse_header(path, header)
        roles = {f.type: f for f in fields}
        if "ID" in roles:
            return _File(path, fields, roles["ID"].group or "Node", None)
        if not {"START_ID", "END_ID", "TYPE"} <= roles.keys():
            raise OutputError(f"{path}: header has neither :ID nor :START_ID/:END_ID/:TYPE (不是节点或关系文件)")
        at = fields.index(roles["TYPE"])
        types = {row[at] for row in reader if row}
        if len(types) != 1:
            raise OutputError(f"{path}: needs exactly one relationship :TYPE, found {sorted(types)} (关系类型不唯一)")
        ends = (roles["START_ID"].group or "Node", roles["END_ID"].group or "Node")
        return _File(path, fields, types.pop(), ends)


def _empty_tables(present: set[str], any_node: str) -> list[str]:
    """Tables for the labels and types the project can export but this graph has none of.

    Neo4j answers a query naming an unknown label or type with no rows; LadybugDB refuses to
    bind it. Empty tables make the named queries run on any graph, as they do in Neo4j. A rel
    table needs some FROM/TO pair: any node table does, since it holds no rows.
    """
    out = []
    for label in LABELS:
        if label not in present:
            columns = NODE_COLUMNS["Entity" if label in ENTITY_TYPES else label]
            defs = ", ".join(["`id` STRING", *(f"`{c.name}` {_column_type(c.type)}" for c in columns)])
            out.append(f"CREATE NODE TABLE `{label}`({defs}, PRIMARY KEY(`id`))")
    for predicate in PREDICATES:
        type_ = rel_type(predicate)
        if type_ not in present:
            defs = ", ".join([f"FROM `{any_node}` TO `{any_node}`",
                              *(f"`{c.name}` {_column_type(c.type)}" for c in rel_columns(predicate))])
            out.append(f"CREATE REL TABLE `{type_}`({defs})")
    return out


def load(csv_dir: Path, db_path: Path) -> GraphDatabase:
    """Create a LadybugDB database at `db_path` from the Neo4j CSVs in `csv_dir`, and open it."""
    try:
        import ladybug
    except ImportError:
        raise OutputError("LadybugDB is not installed (未安装): pip install 'pingcheng-kg[graphdb]'") from None
    if db_path.exists():
        raise OutputError(f"{db_path}: already exists (已存在); choose a new path for the database")
    nodes = [_read(p) for p in sorted((csv_dir / "nodes").glob("*.csv"))]
    rels = [_read(p) for p in sorted((csv_dir / "relationships").glob("*.csv"))]
    if not nodes:
        raise OutputError(f"{csv_dir}: no nodes/*.csv (没有节点文件); run `kg build -f neo4j` first")
    statements: list[str] = []
    tables: dict[str, str] = {}
    for f in nodes:
        key = next(x for x in f.fields if x.type == "ID")
        columns = [f"`{key.name or 'id'}` STRING", *(f"`{p.name}` {_column_type(p.type)}" for p in f.properties())]
        tables.setdefault(f.table, f"CREATE NODE TABLE `{f.table}`({', '.join(columns)}, PRIMARY KEY(`{key.name or 'id'}`))")
    by_type: dict[str, list[_File]] = {}
    for f in rels:
        by_type.setdefault(f.table, []).append(f)
    for type_, files in sorted(by_type.items()):
        pairs = sorted({f.ends for f in files if f.ends})
        columns = [f"`{p.name}` {_column_type(p.type)}" for p in files[0].properties()]
        if any([(p.name, p.type) for p in f.properties()] != [(p.name, p.type) for p in files[0].properties()] for f in files):
            raise OutputError(f"{csv_dir}: files of relationship type {type_} have different columns (列不一致)")
        ends = ", ".join(f"FROM `{a}` TO `{b}`" for a, b in pairs)
        tables[type_] = f"CREATE REL TABLE `{type_}`({', '.join([ends, *columns])})"
    statements += list(tables.values())
    statements += _empty_tables(set(tables), min(f.table for f in nodes))
    statements += [f.copy() for f in nodes] + [f.copy() for f in rels]

    # A checkpoint after every statement costs seconds even on a tiny graph; one at the end
    # leaves the same database on disk.
    try:
        db = ladybug.Database(str(db_path), auto_checkpoint=False)
    except RuntimeError as exc:
        raise OutputError(f"{db_path}: cannot create the database (无法创建数据库): {exc}") from None
    graph_db = GraphDatabase(db, ladybug.Connection(db))
    for statement in [*statements, "CHECKPOINT"]:
        try:
            graph_db._conn.execute(statement)
        except RuntimeError as exc:
            graph_db.close()
            raise OutputError(f"{csv_dir}: LadybugDB could not load (加载失败): {exc}") from None
    return graph_db


def named_query(name: str, directory: Path | None = None) -> str:
    """The text of ontology/cypher/<name>.cypher (or of <name>.cypher in `directory`)."""
    directory = directory or locate("cypher")
    path = directory / f"{name}.cypher"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.cypher")))
        raise QueryError(f"no Cypher query named {name!r} (没有该查询); known: {known}")
    return path.read_text(encoding="utf-8")


class GraphDatabase:
    """An open LadybugDB database. Close it (or use `with`): each open database maps a large
    stretch of address space, so a process that opens many without closing them runs out."""

    def __init__(self, db: Any, conn: Any) -> None:
        self._db, self._conn = db, conn

    def run(self, query: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run Cypher with bound parameters; return the column names and every row."""
        try:
            result = self._conn.execute(query, params or {})
        except RuntimeError as exc:
            raise QueryError(f"Cypher query failed (查询失败): {exc}") from None
        columns = list(result.get_column_names())
        rows = []
        while result.has_next():
            rows.append(list(result.get_next()))
        return columns, rows

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def __enter__(self) -> GraphDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
