"""Neo4j import files -> an embedded Kuzu or LadybugDB database, and the named Cypher questions on it.

LadybugDB (the maintained successor of Kuzu, `pip install ladybug`) and Kuzu are embedded
openCypher databases: they run in-process from one file, so the tests load the very files a
user imports and ask them the same questions as the SPARQL queries. `load` runs the
exporter's `kuzu.cypher` as it stands (table definitions, then one COPY per CSV), from the
directory it sits in, as the docs tell a user to; before that it reads every CSV header in
the `neo4j-admin` format (`id:ID(Person)`, `aliases:string[]`, `:START_ID(Article)`, `:TYPE`),
so a header Neo4j would have trouble with is an error here too.

    with load(Path("output/neo4j"), Path("/tmp/kg.lbdb")) as db:
        columns, rows = db.run(named_query("articles-mentioning"), {"name": "尚丽"})
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError, QueryError
from .export.neo4j import KUZU_SCRIPT, KUZU_TYPES, ROLES
from .lexicon import locate

_HEADER = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+(?:\[\])?)(?:\((?P<group>[^)]*)\))?)?$")
# Engines that run kuzu.cypher: the Python module and how to install it.
ENGINES = {"ladybug": "pip install 'pingcheng-kg[graphdb]'", "kuzu": "pip install kuzu"}


@dataclass(frozen=True)
class Field:
    """One header field: `aliases:string[]` -> name "aliases", type "string[]"; `:ID(Person)` -> role."""

    name: str
    type: str  # a property type, or a role: ID LABEL START_ID END_ID TYPE IGNORE
    group: str | None

    @property
    def is_property(self) -> bool:
        return self.type not in ROLES


def parse_header(path: Path, header: list[str]) -> list[Field]:
    """Read a `neo4j-admin` header line; an unknown type is an error naming the file and field."""
    fields = []
    for raw in header:
        m = _HEADER.match(raw)
        type_ = (m.group("type") or "string") if m else ""
        if not m or not (type_ in ROLES or type_.removesuffix("[]").lower() in KUZU_TYPES):
            raise OutputError(f"{path}: header field {raw!r} is not in neo4j-admin import format (表头格式错误)")
        fields.append(Field(m.group("name"), type_ if type_.isupper() else type_.lower(), m.group("group")))
    return fields


def _check_headers(csv_dir: Path) -> list[Path]:
    """Every CSV under nodes/ and relationships/, its header read; an error names a bad one."""
    paths = sorted((csv_dir / "nodes").glob("*.csv")) + sorted((csv_dir / "relationships").glob("*.csv"))
    if not any(p.parent.name == "nodes" for p in paths):
        raise OutputError(f"{csv_dir}: no nodes/*.csv (没有节点文件); run `kg build -f neo4j` first")
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), None)
        if header is None:
            raise OutputError(f"{path}: empty file, no header (文件为空)")
        parse_header(path, header)
    return paths


def load(csv_dir: Path, db_path: Path, engine: str = "ladybug") -> GraphDatabase:
    """Create a database at `db_path` by running `csv_dir`/kuzu.cypher in LadybugDB or Kuzu, and open it."""
    if engine not in ENGINES:
        raise OutputError(f"unknown graph database {engine!r} (未知数据库); choose from: {', '.join(ENGINES)}")
    other = next((e for e in ENGINES if e != engine and e in sys.modules), None)
    if other:
        # Both wrap the same C++ library and register the same native types: the second import fails.
        raise OutputError(f"{other} is already loaded in this process (已加载); {engine} and {other} "
                          "cannot share one Python process: use a separate one")
    try:
        module: Any = importlib.import_module(engine)
    except ImportError:
        raise OutputError(f"{engine} is not installed (未安装): {ENGINES[engine]}") from None
    if db_path.exists():
        raise OutputError(f"{db_path}: already exists (已存在); choose a new path for the database")
    paths = _check_headers(csv_dir)
    script = csv_dir / KUZU_SCRIPT
    if not script.is_file():
        raise OutputError(f"{script}: missing (缺少导入脚本); rerun `kg build -f neo4j`, which writes it")
    text = script.read_text(encoding="utf-8")
    unread = [str(p.relative_to(csv_dir)) for p in paths if f"'{p.relative_to(csv_dir).as_posix()}'" not in text]
    if unread:
        raise OutputError(f"{script}: does not load {', '.join(unread)} (脚本未包含这些文件); rerun `kg build -f neo4j`")
    # A checkpoint after every statement costs seconds even on a tiny graph; one at the end
    # leaves the same database on disk.
    db_path = db_path.absolute()
    try:
        db = module.Database(str(db_path), auto_checkpoint=False)
    except RuntimeError as exc:
        raise OutputError(f"{db_path}: cannot create the database (无法创建数据库): {exc}") from None
    graph_db = GraphDatabase(db, module.Connection(db))
    try:
        # The script names the CSVs relative to its own directory, as a user runs it.
        with contextlib.chdir(csv_dir):
            graph_db._conn.execute(text)
        graph_db._conn.execute("CHECKPOINT")
    except RuntimeError as exc:
        graph_db.close()
        raise OutputError(f"{script}: {engine} could not load it (加载失败): {exc}") from None
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
