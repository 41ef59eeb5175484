"""SPARQL over a build's RDF export, on Oxigraph (default, fast) or rdflib (the reference).

A query is SPARQL text, a .rq file, or the name of one of ontology/queries/*.rq. Named queries
start with a comment header:

    # title: Agencies responsible for each subdistrict / 各街道的包保单位
    # param: subdistrict (optional) a subdistrict's name, e.g. 白登山街道

Parameters are bound as a VALUES block of terms written by pyoxigraph, first in the WHERE
(see with_values), on both engines and in kg serve, never pasted into the query text, so a value
cannot change what the query does. A parameter must be a variable of the query; its value is
bound as a Chinese-tagged literal ("白登山街道"@zh, matching the graph's labels), as an IRI when
written <like-this>, or, for a parameter declared `(iri PREFIX:)`, as that prefix + the value.

A query whose header has `# limit: N` returns its first N rows unless `-p limit=M` asks for M
(0 for all): a "top" list is read from its top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import QueryError, clip
from .schema import PREFIXES
from .lexicon import locate
from .text import display_width
from .validate import graph_file, load

ENGINES = ("oxigraph", "rdflib")
# W3C SPARQL 1.1 results formats: `--format` name -> media type (which also names the engine's writer).
RESULTS_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORMATS = ("table", *RESULTS_FORMATS)

_HEADER = re.compile(r"^#\s*(title|param|limit):\s*(.*)$")
_LIMIT = re.compile(r"^(\d+)\b")
LIMIT_PARAM = "limit"  # the parameter that changes a `# limit:` query's row limit
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<opts>[^)]*)\))?\s*(?P<doc>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# One word holding a path separator or a file suffix: a file given without --file, never SPARQL
# (which needs at least a space or a brace).
_PATH_LIKE = re.compile(r"^[^\s{}]*(?:[/\\][^\s{}]*|\.rq|\.sparql|\.txt)$")
# SPARQL Update forms, after the prologue: kg query only reads.
_PROLOGUE = re.compile(r"\s*(?:(?:#[^\n]*\n?)|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)|\s+)*", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
# What a terminal would act on rather than show: C0 and C1 controls, DEL, line and paragraph
# separators, bidirectional overrides.
_UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Param:
    """A named query's parameter, from its `# param:` header line."""

    name: str
    required: bool
    doc: str
    iri_prefix: str | None = None  # bind PREFIX+value as an IRI instead of a @zh literal


@dataclass(frozen=True)
class Query:
    """SPARQL text with what its header declares (nothing, for an inline query)."""

    text: str
    name: str | None = None
    title: str = ""
    params: tuple[Param, ...] = ()
    limit: int | None = None  # rows returned unless `-p limit=N` says otherwise (`# limit: N`)


@dataclass(frozen=True)
class Result:
    """A SELECT result: column names and rows of display strings (None where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


def parse_query(text: str, name: str | None = None) -> Query:
    """Read the comment header of a query file."""
    title = ""
    params: list[Param] = []
    limit: int | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
            continue
        if key == "limit":
            n = _LIMIT.match(value)
            if not n:
                raise QueryError(f"query {name or '(inline)'}: bad header line {line!r} (行数上限格式错误); "
                                 "write '# limit: 50'")
            limit = int(n.group(1))
            continue
        p = _PARAM.match(value)
        if not p:
            raise QueryError(f"query {name or '(inline)'}: bad header line {line!r} (参数声明格式错误); "
                             "write '# param: NAME (optional) what it is'")
        opts = [o.strip() for o in (p.group("opts") or "").split(",") if o.strip()]
        prefix = next((o.split(None, 1)[1] for o in opts if o.startswith("iri ")), None)
        params.append(Param(p.group("name"), "optional" not in opts, p.group("doc").strip(" —-"), _expand(prefix)))
    return Query(text, name, title, tuple(params), limit)


def _expand(prefix: str | None) -> str | None:
    if prefix and prefix.endswith(":") and prefix[:-1] in PREFIXES:
        return str(PREFIXES[prefix[:-1]])
    return prefix


def named_queries(directory: Path | None = None) -> list[Query]:
    """Every named query (ontology/queries/*.rq, or the .rq files of `directory`), sorted by name."""
    directory = directory or locate("queries")
    return [parse_query(p.read_text(encoding="utf-8"), p.stem) for p in sorted(directory.glob("*.rq"))]


def find_query(spec: str | None = None, file: Path | None = None, directory: Path | None = None) -> Query:
    """A query from a file, a named query, or the SPARQL text itself."""
    directory = directory or locate("queries")
    if file is not None:
        try:
            return parse_query(file.read_text(encoding="utf-8"), file.stem)
        except OSError as exc:
            raise QueryError(f"{file}: cannot read query file (无法读取查询文件): {exc.strerror or exc}") from None
    if not spec:
        raise QueryError("no query given (未提供查询); give a query name, SPARQL text or --file FILE")
    path = directory / f"{spec}.rq"
    if _PATH_LIKE.match(spec) and not _NAME.match(spec):
        raise QueryError(f"{spec}: not a named query, and not SPARQL text (不是预置查询名，也不是 SPARQL); "
                         f"to run a query file, use --file {spec}")
    if _NAME.match(spec):
        if path.is_file():
            return parse_query(path.read_text(encoding="utf-8"), spec)
        names = ", ".join(q.name or "" for q in named_queries(directory))
        raise QueryError(f"no named query {spec!r} (无此查询); choose from: {names}")
    return parse_query(spec)


def bindings(query: Query, values: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Check parameter values against the header: name -> ("iri", text) or ("zh", text)."""
    declared = {p.name: p for p in query.params}
    # a `# limit:` query's `limit` is a row count for query_text, not a variable to bind
    values = {k: v for k, v in values.items() if not (k == LIMIT_PARAM and query.limit is not None)}
    if declared:
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise QueryError(f"query {query.name}: unknown parameter {', '.join(unknown)} (未知参数); "
                             f"it takes: {', '.join(declared)}")
        missing = [p.name for p in query.params if p.required and p.name not in values]
        if missing:
            raise QueryError(f"query {query.name}: parameter {', '.join(missing)} is required (缺少参数); "
                             f"add -p {missing[0]}=VALUE")
    out: dict[str, tuple[str, str]] = {}
    for name, value in sorted(values.items()):
        p = declared.get(name)
        if value.startswith("<") and value.endswith(">"):
            out[name] = ("iri", value[1:-1])
        elif p is not None and p.iri_prefix:
            out[name] = ("iri", p.iri_prefix + value)
        else:
            out[name] = ("zh", value)
    return out


def query_text(query: Query, values: Mapping[str, str] | None = None) -> str:
    """The text to run: the query's, ending in `LIMIT n` when its header sets a row limit (`# limit:
    n`, or the `limit` parameter's value; 0 for every row)."""
    if query.limit is None:
        return query.text
    given = (values or {}).get(LIMIT_PARAM)
    limit = query.limit
    if given is not None:
        if not given.strip().isdigit():
            raise QueryError(f"query {query.name}: -p {LIMIT_PARAM}={given!r} is not a number of rows (行数须为非负整数); "
                             f"write -p {LIMIT_PARAM}=100, or -p {LIMIT_PARAM}=0 for every row")
        limit = int(given)
    return query.text if limit == 0 else f"{query.text.rstrip()}\nLIMIT {limit}\n"


def parse_params(items: Iterable[str]) -> dict[str, str]:
    """["name=永泰街道", …] -> {"name": "永泰街道"}."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {item!r} is not NAME=VALUE (参数格式应为 名称=值)")
        out[name.strip()] = value
    return out


class Store:
    """One loaded graph on one engine; load once, run many queries."""

    def __init__(self, path: Path, engine: str = "oxigraph") -> None:
        if engine not in ENGINES:
            raise QueryError(f"unknown engine {engine!r} (未知引擎); choose from: {', '.join(ENGINES)}")
        self.engine = engine
        self.path = graph_file(path)
        self._graph: Any
        if engine == "rdflib":
            self._graph = load(self.path)
            return
        import pyoxigraph as ox

        fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}.get(self.path.suffix, ox.RdfFormat.TURTLE)
        self._graph = ox.Store()
        try:
            self._graph.bulk_load(path=str(self.path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"{self.path}: cannot load the graph (无法加载图谱): {clip(str(exc))}") from None

    def __len__(self) -> int:
        return len(self._graph)

    def select(self, query: Query, values: Mapping[str, str] | None = None) -> Result:
        """Run a SELECT query with its parameters bound."""
        return self._run(query, values, None)

    def serialize(self, query: Query, values: Mapping[str, str] | None = None, fmt: str = "json") -> bytes:
        """Run a SELECT or ASK query; its results in a W3C format (json, xml, csv, tsv), written
        by the engine's own serialiser, so term types, datatypes and language tags are kept."""
        if fmt not in RESULTS_FORMATS:
            raise QueryError(f"unknown results format {fmt!r} (未知结果格式); choose from: {', '.join(RESULTS_FORMATS)}")
        return self._run(query, values, fmt)

    def _run(self, query: Query, values: Mapping[str, str] | None, fmt: str | None) -> Any:
        bound = bindings(query, values or {})
        text = query_text(query, values)
        prologue = _PROLOGUE.match(text)
        if _UPDATE.match(text, prologue.end() if prologue else 0):
            raise QueryError(f"query {query.name or '(inline)'}: updates are not allowed (不允许更新查询); "
                             "kg query only reads: give a SELECT query")
        absent = [n for n in bound if not re.search(rf"[?$]{re.escape(n)}(?![\w])", text)]
        if absent:
            raise QueryError(f"query {query.name or '(inline)'}: parameter {', '.join(absent)} is not a variable of "
                             f"the query (参数不是查询中的变量); a parameter must be a variable the query uses")
        try:
            if self.engine == "oxigraph":
                return self._oxigraph(text, bound, fmt)
            return self._rdflib(text, bound, fmt)
        except QueryError:
            raise
        except Exception as exc:  # parser and evaluator errors of both engines
            raise QueryError(f"query {query.name or '(inline)'}: {clip(str(exc))} (查询失败)") from None

    def _oxigraph(self, text: str, bound: Mapping[str, tuple[str, str]], fmt: str | None) -> Any:
        import pyoxigraph as ox

        # A VALUES block, not Oxigraph's substitutions: those are planned after the rest of the
        # pattern, so a bound name was looked up only after scanning what it should have selected.
        terms = {k: ox.NamedNode(v) if kind == "iri" else ox.Literal(v, language="zh") for k, (kind, v) in bound.items()}
        solutions = self._graph.query(with_values(text, terms))
        if fmt is not None:
            if not isinstance(solutions, (ox.QuerySolutions, ox.QueryBoolean)):
                raise QueryError(f"only SELECT and ASK results can be written as {fmt} (只支持 SELECT 与 ASK 查询)")
            return solutions.serialize(format=ox.QueryResultsFormat.from_media_type(RESULTS_FORMATS[fmt]))
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries can be shown as a table (只支持 SELECT 查询)")
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(map(_ox_text, sol)) for sol in solutions)  # a solution iterates in column order
        return Result(columns, rows)

    def _rdflib(self, text: str, bound: Mapping[str, tuple[str, str]], fmt: str | None) -> Any:
        import pyoxigraph as ox

        terms = {k: ox.NamedNode(v) if kind == "iri" else ox.Literal(v, language="zh") for k, (kind, v) in bound.items()}
        result = self._graph.query(with_values(text, terms))
        if fmt is not None:
            if result.type not in ("SELECT", "ASK"):
                raise QueryError(f"only SELECT and ASK results can be written as {fmt} (只支持 SELECT 与 ASK 查询)")
            if fmt != "tsv":
                return result.serialize(format=fmt)
            # rdflib has no TSV writer: its own JSON, read back and written as TSV by Oxigraph.
            import pyoxigraph as ox

            parsed = ox.parse_query_results(result.serialize(format="json"), ox.QueryResultsFormat.JSON)
            return parsed.serialize(format=ox.QueryResultsFormat.TSV)
        if result.type != "SELECT":
            raise QueryError("only SELECT queries can be shown as a table (只支持 SELECT 查询)")
        columns = tuple(str(v) for v in result.vars or ())
        rows = tuple(tuple(_rdflib_text(row[i]) for i in range(len(columns))) for row in result)
        return Result(columns, rows)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def with_values(text: str, bound: Mapping[str, Any]) -> str:
    """`text` with a VALUES block binding `bound` (variable -> pyoxigraph term) first in its WHERE.

    A block first in the WHERE group binds a parameter before the group's FILTERs are evaluated;
    rdflib's initBindings and a trailing VALUES clause join it only afterwards, so a parameter
    used only in a FILTER (events-in-year's ?year) would filter nothing. Both engines and kg serve
    use it: Oxigraph plans its own substitutions after the rest of the pattern, so an entity page
    scanned every mention (450 ms at 100,000 triples), while a VALUES block is planned first (1 ms). The terms are written by pyoxigraph in N-Triples syntax, which
    SPARQL reads as the same term: a NamedNode cannot hold '>' or a space, a Literal is escaped,
    so a value cannot change what the query does.
    """
    found = _WHERE.search(text)
    if not bound:
        return text
    if found is None:
        raise QueryError("a bound query needs a WHERE { … } clause (查询缺少 WHERE 子句)")
    names = sorted(bound)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bound[n]) for n in names)}) }}\n"
    return text[:found.end()] + "\n  " + block + text[found.end():]


def run(build: Path, query: Query, values: Mapping[str, str] | None = None, engine: str = "oxigraph") -> Result:
    """Load a build's graph on `engine` and run one query."""
    return Store(build, engine).select(query, values)


def run_serialized(build: Path, query: Query, values: Mapping[str, str] | None = None, engine: str = "oxigraph",
                   fmt: str = "json") -> bytes:
    """Load a build's graph on `engine`, run one query, and write its results in a W3C format."""
    return Store(build, engine).serialize(query, values, fmt)


_SHORT = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


@lru_cache(maxsize=4096)  # a result repeats few IRIs (types, predicates) in many rows
def _iri_text(iri: str) -> str:
    """Vocabulary IRIs as prefixed names (pckg:Subdistrict); data IRIs in full."""
    for ns, prefix in _SHORT:
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _ox_text(term: Any) -> str | None:
    import pyoxigraph as ox

    if term is None:
        return None
    kind = type(term)
    if kind is ox.Literal:  # the most common cell, checked first
        return str(term.value)
    if kind is ox.NamedNode:
        return _iri_text(term.value)
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    return str(term.value)


def _rdflib_text(term: Any) -> str | None:
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return _iri_text(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_result(result: Result, fmt: str = "table") -> str:
    """The result as an aligned text table, for people (the W3C formats come from Store.serialize)."""
    if fmt != "table":
        raise QueryError(f"unknown table format {fmt!r} (未知输出格式); the others are: {', '.join(RESULTS_FORMATS)}")
    cells = [list(result.columns)] + [["" if v is None else _one_line(v) for v in row] for row in result.rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(result.columns))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return terminal_safe(" ".join(text.split()))


def terminal_safe(text: str, keep: str = "") -> str:
    """`text` with every character a terminal would act on (ESC, BEL, other controls, bidi
    overrides) shown as an escape such as \\x1b; characters in `keep` (e.g. "\\n") stay."""
    return _UNSHOWABLE.sub(lambda m: m.group() if m.group() in keep else ascii(m.group())[1:-1], text)


def describe(queries: Sequence[Query]) -> str:
    """The named queries with their titles and parameters, for `kg query --list`."""
    lines = []
    for q in queries:
        lines.append(f"{q.name}  {q.title}")
        for p in q.params:
            lines.append(f"    -p {p.name}=…{'' if p.required else '  (optional)'}  {p.doc}")
        if q.limit is not None:
            lines.append(f"    -p {LIMIT_PARAM}=…  (optional)  rows to return, default {q.limit}; 0 for every row")
    return "\n".join(lines) + "\n"
