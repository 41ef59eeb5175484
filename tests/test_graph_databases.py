"""The export in every graph database that installs here, loaded by its own script with no edit.

LadybugDB runs `kuzu.cypher` in this process (kg.cypher.load); Kuzu runs the same file in a
process of its own (it cannot share one with LadybugDB: tests/graphdb_questions.py); FalkorDB
is a throwaway Redis server fed `falkordb.redis` line by line, as redis-cli would
(tests/falkordb.py). Each must hold every node and relationship of the graph, per label and
per type, and answer the twelve named Cypher questions (ontology/cypher/) with the same rows
as LadybugDB, whose answers tests/test_cross_check.py holds equal to the SPARQL ones.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import networkx as nx
import pytest

from . import falkordb
from .graph_fixture import tiny_graph
from .test_cross_check import NAMES, TINY_VALUES, _seed_values, cypher_rows
from kg import cypher, export, query
from kg.export.neo4j import node_label, rel_type

ROOT = Path(__file__).resolve().parent.parent
Question = tuple[str, dict[str, Any]]


def _questions(values: Callable[[query.Query], list[dict[str, str]]]) -> list[Question]:
    out = []
    for name in NAMES:
        q = query.find_query(name)
        out += [(name, {p.name: v.get(p.name) for p in q.params}) for v in values(q)]
    return out


def _counts(g: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str]]:
    return (Counter(node_label(d) for _, d in g.nodes(data=True)),
            Counter(rel_type(k) for _, _, k in g.edges(keys=True)))


def _ladybug(csv_dir: Path, db_path: Path, questions: list[Question]) -> list[list[list[Any]]]:
    with cypher.load(csv_dir, db_path) as db:
        return [db.run(cypher.named_query(name), params)[1] for name, params in questions]


def _disagreements(questions: list[Question], want: list[list[list[Any]]], got: list[list[list[Any]]]) -> list[str]:
    out = []
    for (name, params), a, b in zip(questions, want, got, strict=True):
        if cypher_rows(a) != cypher_rows(b):
            only_a, only_b = cypher_rows(a) - cypher_rows(b), cypher_rows(b) - cypher_rows(a)
            out.append(f"{name} {params}: only in LadybugDB {sorted(only_a, key=str)[:3]}, "
                       f"only here {sorted(only_b, key=str)[:3]}")
    return out


def _export(g: nx.MultiDiGraph, out: Path) -> Path:
    export.get("neo4j")(g, out)
    return out / "neo4j"


def _kuzu(csv_dir: Path, db_path: Path, questions: list[Question]) -> dict[str, Any]:
    if importlib.util.find_spec("kuzu") is None:
        pytest.skip("Kuzu is not installed: pip install kuzu")
    run = subprocess.run([sys.executable, "-m", "tests.graphdb_questions", "kuzu", str(csv_dir), str(db_path)],
                         input=json.dumps(questions, ensure_ascii=False), capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _falkordb(csv_dir: Path, workdir: Path, g: nx.MultiDiGraph, questions: list[Question]) -> dict[str, Any]:
    with falkordb.server(csv_dir, workdir) as db:
        commands = falkordb.run_script(db, csv_dir / "falkordb.redis")
        labels = {label: falkordb.ask(db, f"MATCH (n:{label}) RETURN count(n)")[0][0] for label in _counts(g)[0]}
        return {
            "commands": commands,
            "nodes": falkordb.ask(db, "MATCH (n) RETURN count(n)")[0][0],
            "entities": falkordb.ask(db, "MATCH (n:Entity) RETURN count(n)")[0][0],
            "labels": labels,
            "types": dict(map(tuple, falkordb.ask(db, "MATCH ()-[r]->() RETURN type(r), count(r)"))),
            "bodies": dict(map(tuple, falkordb.ask(db, "MATCH (a:Article) RETURN a.id, a.body"))),
            "answers": [falkordb.ask(db, cypher.named_query(name), params) for name, params in questions],
        }


TINY_QUESTIONS = _questions(lambda q: TINY_VALUES[str(q.name)])


def test_kuzu_runs_kuzu_cypher_and_answers_as_ladybug_on_the_fixture_graph(tmp_path: Path) -> None:
    g = tiny_graph()
    csv_dir = _export(g, tmp_path)
    got = _kuzu(csv_dir, tmp_path / "tiny.kuzu", TINY_QUESTIONS)
    assert (Counter(got["labels"]), Counter(got["types"])) == _counts(g)
    want = _ladybug(csv_dir, tmp_path / "tiny.lbdb", TINY_QUESTIONS)
    assert not _disagreements(TINY_QUESTIONS, want, got["answers"])


def test_falkordb_runs_falkordb_redis_and_answers_as_ladybug_on_the_fixture_graph(tmp_path: Path) -> None:
    g = tiny_graph()
    csv_dir = _export(g, tmp_path)
    got = _falkordb(csv_dir, tmp_path, g, TINY_QUESTIONS)
    assert (Counter(got["labels"]), Counter(got["types"])) == _counts(g)
    assert got["bodies"] == {n: d["body"] for n, d in g.nodes(data=True) if d["kind"] == "Article"}
    want = _ladybug(csv_dir, tmp_path / "tiny.lbdb", TINY_QUESTIONS)
    assert not _disagreements(TINY_QUESTIONS, want, got["answers"])


@pytest.fixture(scope="module")
def seeds(seed_build, tmp_path_factory: pytest.TempPathFactory):
    """The seed graph, its CSV directory, the questions on it and LadybugDB's answers."""
    graph, _, out = seed_build
    questions = _questions(lambda q: _seed_values(graph, q))
    want = _ladybug(out / "neo4j", tmp_path_factory.mktemp("ladybug") / "seeds.lbdb", questions)
    return graph, out / "neo4j", questions, want


@pytest.mark.slow
def test_kuzu_loads_the_whole_seed_build_and_answers_the_twelve_questions_as_ladybug(seeds, tmp_path: Path) -> None:
    graph, csv_dir, questions, want = seeds
    got = _kuzu(csv_dir, tmp_path / "seeds.kuzu", questions)
    assert (Counter(got["labels"]), Counter(got["types"])) == _counts(graph)
    assert not _disagreements(questions, want, got["answers"])
    assert {name for name, _ in questions} == set(NAMES)


@pytest.mark.slow
def test_falkordb_loads_the_whole_seed_build_and_answers_the_twelve_questions_as_ladybug(seeds, tmp_path: Path) -> None:
    graph, csv_dir, questions, want = seeds
    got = _falkordb(csv_dir, tmp_path, graph, questions)
    assert got["nodes"] == graph.number_of_nodes()
    assert got["entities"] == sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Entity")  # both labels kept
    assert (Counter(got["labels"]), Counter(got["types"])) == _counts(graph)
    assert got["bodies"] == {n: d["body"] for n, d in graph.nodes(data=True) if d["kind"] == "Article"}
    assert not _disagreements(questions, want, got["answers"])
