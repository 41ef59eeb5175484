"""The Turtle in a server triple store: Debian's Virtuoso, started for the test on loopback.

The server runs from a temporary directory on free ports bound to 127.0.0.1, is loaded with
isql-vt (DB.DBA.TTLP_MT) and queried over its SPARQL HTTP endpoint, as a user would. Skipped,
saying why, where the package is not installed (`apt-get install virtuoso-opensource`).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
import rdflib
from rdflib.query import ResultRow

from .graph_fixture import tiny_graph
from .system_tools import require
from kg import query
from kg.lexicon import locate
from kg.export.rdf import write_turtle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _virtuoso_installed() -> None:
    require(bool(shutil.which("virtuoso-t") and shutil.which("isql-vt")),
            "Debian's virtuoso-opensource is not installed (apt-get install virtuoso-opensource; .ci/run does)")

NAMES = sorted(p.stem for p in locate("queries").glob("*.rq"))

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
Charset = UTF-8
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Virtuoso:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.sql, self.http = _free_port(), _free_port()
        (directory / "virtuoso.ini").write_text(INI.format(d=directory, sql=self.sql, http=self.http), encoding="utf-8")
        self.proc = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(directory / "virtuoso.ini")],
            cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.dir / "virtuoso.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"virtuoso-t exited with {self.proc.returncode}:\n{log}")
            try:
                self.select("ASK {}", None)
                return
            except OSError:
                time.sleep(0.5)
        pytest.fail("Virtuoso's SPARQL endpoint did not answer in time")

    def load(self, ttl: Path, graph: str) -> None:
        target = self.dir / f"{graph.rpartition(':')[2]}.ttl"
        shutil.copy(ttl, target)  # DirsAllowed: the server reads files only from its own directory
        sql = f"DB.DBA.TTLP_MT(file_to_string_output('{target}'), '', '{graph}', 0); checkpoint;"
        run = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql}", "dba", "dba", f"exec={sql}"],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0 and "Error" not in run.stdout + run.stderr, run.stdout + run.stderr

    def select(self, text: str, graph: str | None) -> Any:
        fields = {"query": text, **({"default-graph-uri": graph} if graph else {})}
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http}/sparql", data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _with_values(q: query.Query, values: dict[str, str]) -> str:
    """The query with its parameters in a VALUES block first in its WHERE, as `kg query` binds
    them on rdflib (kg.query.with_values): terms written by pyoxigraph, so a value cannot change
    the query."""
    import pyoxigraph as ox

    bound = query.bindings(q, values)
    terms = {k: ox.NamedNode(v) if kind == "iri" else ox.Literal(v, language="zh") for k, (kind, v) in bound.items()}
    return query.with_values(q.text, terms)


def _virtuoso_rows(result: Any) -> Counter[tuple[str | None, ...]]:
    columns = result["head"]["vars"]
    return Counter(tuple(b[c]["value"] if c in b else None for c in columns) for b in result["results"]["bindings"])


def _rdflib_rows(graph: rdflib.Graph, text: str) -> Counter[tuple[str | None, ...]]:
    found: Counter[tuple[str | None, ...]] = Counter()
    for row in graph.query(text):
        assert isinstance(row, ResultRow)  # a SELECT's rows
        found[tuple(None if v is None else str(v) for v in row)] += 1
    return found


def test_virtuoso_holds_every_triple_of_the_seed_build(virtuoso: Virtuoso, seed_build) -> None:
    _, _, out = seed_build
    virtuoso.load(out / "graph.ttl", "urn:pckg:seeds")
    result = virtuoso.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "urn:pckg:seeds")
    assert int(result["results"]["bindings"][0]["n"]["value"]) == len(rdflib.Graph().parse(out / "graph.ttl"))


def test_named_queries_answer_the_same_on_virtuoso_as_on_the_turtle_file(virtuoso: Virtuoso, tmp_path: Path) -> None:
    from .test_cross_check import TINY_VALUES

    write_turtle(tiny_graph(), tmp_path)
    virtuoso.load(tmp_path / "graph.ttl", "urn:pckg:tiny")
    reference = rdflib.Graph().parse(tmp_path / "graph.ttl")
    answered = 0
    for name in NAMES:
        q = query.find_query(name)
        for values in TINY_VALUES[name]:
            text = _with_values(q, values)
            want = _rdflib_rows(reference, text)
            got = _virtuoso_rows(virtuoso.select(text, "urn:pckg:tiny"))
            assert got == want, f"{name} {values}:\n  only in Virtuoso: {got - want}\n  only in rdflib: {want - got}"
            answered += bool(want)
    assert answered >= len(NAMES)
