"""Neo4j import files: header format, exact values, determinism, and a real load into LadybugDB."""

from __future__ import annotations

import csv
import re
import shlex
import subprocess
import difflib
from collections import Counter
from pathlib import Path

import pytest

from .graph_fixture import tiny_graph
from kg import cypher
from kg.errors import OutputError
from kg.export.neo4j import rel_type, write_neo4j

GOLDEN = Path(__file__).parent / "golden" / "neo4j"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_neo4j_export_matches_golden_files(tmp_path: Path) -> None:
    write_neo4j(tiny_graph(), tmp_path)
    got = _files(tmp_path / "neo4j")
    want = _files(GOLDEN)
    assert sorted(got) == sorted(want)
    for name in want:
        if got[name] != want[name]:
            diff = difflib.unified_diff(want[name].decode().splitlines(), got[name].decode().splitlines(), lineterm="")
            pytest.fail(f"{name} differs from tests/golden/neo4j:\n" + "\n".join(diff))


def test_neo4j_export_is_byte_identical_whatever_the_insertion_order(tmp_path: Path) -> None:
    write_neo4j(tiny_graph(), tmp_path / "a")
    write_neo4j(tiny_graph(shuffle_seed=7), tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_neo4j_export_removes_files_of_labels_no_longer_in_the_graph(tmp_path: Path) -> None:
    stale = tmp_path / "neo4j" / "nodes" / "Place.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("id:ID(Place)\n", encoding="utf-8")
    write_neo4j(tiny_graph(), tmp_path)
    assert not stale.exists()


def test_relationship_types_follow_neo4j_convention() -> None:
    assert [rel_type(p) for p in ("isPartOf", "mentions", "responsibleFor")] == ["IS_PART_OF", "MENTIONS", "RESPONSIBLE_FOR"]


def test_neo4j_csvs_hold_every_node_and_edge_of_the_seed_graph(seed_build) -> None:
    graph, _, out = seed_build
    nodes, rels = Counter[str](), Counter[str]()
    for path in sorted((out / "neo4j").rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            if path.parent.name == "nodes":
                key = next(k for k in row if k.startswith("id:ID("))
                nodes[row[key]] += 1
            else:
                rels[row[":TYPE"]] += 1
    assert nodes == Counter(list(graph.nodes))
    assert rels == Counter(rel_type(k) for _, _, k in graph.edges(keys=True))


def test_ladybug_loads_typed_properties_exactly(tmp_path: Path) -> None:
    g = tiny_graph()
    write_neo4j(g, tmp_path)
    with cypher.load(tmp_path / "neo4j", tmp_path / "db.lbdb") as db:
        _, rows = db.run("MATCH (a:Article) RETURN a.id, a.body, a.position, a.kicker ORDER BY a.id")
        assert rows == [[n, g.nodes[n]["body"], g.nodes[n]["index"], g.nodes[n]["kicker"]]
                        for n in ("article/a1", "article/a2", "article/a3")]
        _, rows = db.run("MATCH (s:Subdistrict) RETURN s.aliases, s.mention_count")
        assert rows == [[["清远", "清远；街道"], 3]]  # the delimiter inside an alias becomes full-width
        _, rows = db.run("MATCH (e:Event) RETURN e.id, string(e.date_start), e.date_end ORDER BY e.id")
        assert rows == [["Event/主题书画展", None, None], ["Event/交通安全宣传", "2024-03-16", None]]
        _, rows = db.run("MATCH (:Article {id: 'article/a1'})-[m:MENTIONS]->(:Subdistrict) "
                         "RETURN m.surfaces, m.start_offsets, m.mention_count")
        assert rows == [[["清远街道", "清远"], [20, 40], 2]]
        _, rows = db.run("MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(s) RETURN a.name, s.name, r.evidence, r.article, r.role")
        assert rows == [["平城区水务局", "清远街道", "区水务局包保清远街道。", "article/a2", None]]
        _, rows = db.run("MATCH (p:Person)-[r:MEMBER_OF]->(o) RETURN p.name, r.role, o.name")
        assert rows == [["沈媛", "党支部书记", "文兴社区党支部"]]


@pytest.mark.slow
def test_ladybug_holds_as_many_nodes_and_relationships_as_the_seed_graph(seed_build, tmp_path: Path) -> None:
    graph, _, out = seed_build
    with cypher.load(out / "neo4j", tmp_path / "seeds.lbdb") as db:
        _, rows = db.run("MATCH (n) RETURN count(n)")
        assert rows == [[graph.number_of_nodes()]]
        _, rows = db.run("MATCH ()-[r]->() RETURN count(r)")
        assert rows == [[graph.number_of_edges()]]
        _, rows = db.run("MATCH (n) RETURN n.kind, count(*)")
        assert dict(map(tuple, rows)) == Counter(d["kind"] for _, d in graph.nodes(data=True))
        _, rows = db.run("MATCH ()-[r]->() RETURN label(r), count(*)")
        assert dict(map(tuple, rows)) == Counter(rel_type(k) for _, _, k in graph.edges(keys=True))
        _, rows = db.run("MATCH (a:Article) RETURN a.id, a.body")
        assert dict(map(tuple, rows)) == {n: d["body"] for n, d in graph.nodes(data=True) if d["kind"] == "Article"}


def test_ladybug_loader_rejects_a_header_neo4j_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "X.csv").write_text("id:ID(X),size:bigness\nx,1\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"X.csv: header field 'size:bigness' is not in neo4j-admin import format"):
        cypher.load(tmp_path, tmp_path / "db.lbdb")


def test_ladybug_loader_refuses_to_overwrite_an_existing_database(tmp_path: Path) -> None:
    write_neo4j(tiny_graph(), tmp_path)
    (tmp_path / "db.lbdb").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists"):
        cypher.load(tmp_path / "neo4j", tmp_path / "db.lbdb")


def test_import_script_names_every_csv_once_by_a_path_that_exists(tmp_path: Path) -> None:
    # A stand-in neo4j-admin that prints its arguments: what is checked is our script, not Neo4j.
    write_neo4j(tiny_graph(), tmp_path)
    admin = tmp_path / "neo4j-home" / "bin" / "neo4j-admin"
    admin.parent.mkdir(parents=True)
    admin.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', encoding="utf-8")
    admin.chmod(0o755)
    run = subprocess.run(["sh", str(tmp_path / "neo4j" / "import.sh")], capture_output=True, text=True, check=True,
                         env={"NEO4J_HOME": str(admin.parent.parent), "PATH": "/usr/bin:/bin"})
    args = run.stdout.splitlines()
    assert args[:3] == ["database", "import", "full"]
    named = sorted(Path(a.partition("=")[2]) for a in args if a.startswith(("--nodes=", "--relationships=")))
    assert named == sorted((tmp_path / "neo4j").resolve().rglob("*.csv"))


def test_kuzu_and_falkordb_scripts_load_every_csv_once(tmp_path: Path) -> None:
    write_neo4j(tiny_graph(), tmp_path)
    root = tmp_path / "neo4j"
    csvs = sorted(str(p.relative_to(root)) for p in root.rglob("*.csv"))
    kuzu = (root / "kuzu.cypher").read_text(encoding="utf-8")
    assert sorted(re.findall(r"FROM '([^']+\.csv)'", kuzu)) == csvs
    falkordb = (root / "falkordb.redis").read_text(encoding="utf-8").splitlines()
    assert sorted(re.findall(r"FROM 'file://([^']+\.csv)'", "\n".join(falkordb))) == csvs
    # redis-cli reads one command a line; Neo4j 5's CREATE CONSTRAINT is not FalkorDB's syntax.
    commands = [shlex.split(line) for line in falkordb]
    assert {c[0] for c in commands} == {"GRAPH.QUERY", "GRAPH.CONSTRAINT"}
    assert not any("CREATE CONSTRAINT" in c[-1] for c in commands)
    assert sum(c[:2] == ["GRAPH.CONSTRAINT", "CREATE"] for c in commands) == len(list(root.glob("nodes/*.csv")))


def test_ladybug_loader_runs_the_kuzu_script_and_names_a_csv_it_misses(tmp_path: Path) -> None:
    write_neo4j(tiny_graph(), tmp_path)
    script = tmp_path / "neo4j" / "kuzu.cypher"
    script.write_text("\n".join(line for line in script.read_text(encoding="utf-8").splitlines()
                                if "Village.csv" not in line), encoding="utf-8")
    with pytest.raises(OutputError, match=r"kuzu.cypher: does not load nodes/Village.csv"):
        cypher.load(tmp_path / "neo4j", tmp_path / "db.lbdb")
    script.unlink()
    with pytest.raises(OutputError, match=r"kuzu.cypher: missing"):
        cypher.load(tmp_path / "neo4j", tmp_path / "db.lbdb")


def test_kuzu_cannot_be_opened_in_a_process_that_holds_ladybug(tmp_path: Path) -> None:
    import ladybug  # noqa: F401  (the two libraries register the same native types)

    write_neo4j(tiny_graph(), tmp_path)
    with pytest.raises(OutputError, match="cannot share one Python process"):
        cypher.load(tmp_path / "neo4j", tmp_path / "db.kuzu", engine="kuzu")


def test_rows_made_inline_are_the_cells_of_their_columns(seed_build) -> None:
    """_table_rows makes the cells of attribute columns and of mention edges inline; each
    column's value and _cell are what it is held to."""
    from kg.export.neo4j import (NODE_COLUMNS, _cell, _columns_for, _table_rows, node_label, node_labels,
                                 rel_type)
    from kg.graph import MentionAt

    g = seed_build[0].copy()
    article = next(n for n, d in g.nodes(data=True) if d["kind"] == "Article")
    entity, one, none, bare = [n for n, d in g.nodes(data=True) if d["kind"] == "Entity"][:4]
    g.add_edge(article, entity, key="mentions", mentions=[MentionAt("a;b", 1, 4, "句"), MentionAt("", 0, 0, "")])
    # the edges made without joins: one mention (whose surface holds the delimiter), none, no list
    g.add_edge(article, one, key="mentions", mentions=[MentionAt("c;d;", 7, 11, "句")])
    g.add_edge(article, none, key="mentions", mentions=[])
    g.add_edge(article, bare, key="mentions")
    g.nodes[entity]["aliases"] = ["x;y", ""]
    columns_of = _columns_for(g)
    tables = _table_rows(g, sorted(g), columns_of, {})
    for path, records in tables.items():
        for n, rows in records:
            for row in rows:
                if path.startswith("nodes/"):
                    d = g.nodes[n]
                    columns = NODE_COLUMNS["Entity" if d["kind"] == "Entity" else node_label(d)]
                    assert row == [n, node_labels(d), *(_cell(c.value(d), c.type) for c in columns)]
                else:
                    u, v, type_ = row[:3]
                    predicate = next(k for k in g._succ[u][v] if rel_type(k) == type_)
                    e = g._succ[u][v][predicate]
                    assert row == [u, v, type_, *(_cell(c.value(e), c.type) for c in columns_of(predicate))]
