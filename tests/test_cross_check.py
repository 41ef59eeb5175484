"""The same questions, three databases, one answer.

Each named SPARQL query (ontology/queries/<name>.rq) has a Cypher twin
(ontology/cypher/<name>.cypher). The SPARQL runs on the Turtle export (rdflib, the reference)
and on the persistent Oxigraph store that `kg load` writes; the Cypher runs in LadybugDB on the
Neo4j CSVs. The answers must be the same rows, compared as multisets (ORDER BY ties may fall
either way) after one documented translation of vocabulary names: an RDF class `pckg:Village`
is the label `Village`; an RDF property `schema:organizer` is the relationship type `ORGANIZER`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

import networkx as nx
import pytest

from .graph_fixture import tiny_graph
from kg import cypher, export, manifest, query
from kg.lexicon import locate
from kg.export.neo4j import rel_type
from kg.store import PersistentStore, load

NAMES = sorted(p.stem for p in locate("queries").glob("*.rq"))

# RDF properties whose local name is not the graph's edge key.
_PROPERTY_KEYS = {"attendee": "participant"}

# Parameter values for the hand-made graph: names it holds, an alias, and unbound optionals.
TINY_VALUES: dict[str, list[dict[str, str]]] = {
    "agencies-responsible": [{}, {"subdistrict": "清远街道"}],
    "articles-mentioning": [{"name": "西谷庄"}, {"name": "交通安全宣传"}, {"name": "尚丽"}],
    "co-mentioned": [{"name": "清远"}, {"name": "尚丽"}],
    "co-organizers": [{"name": "平城区委统战部"}],
    "company-partners": [{}, {"company": "雨泽农业科技有限公司"}],
    "events-in-subdistrict": [{"subdistrict": "清远街道"}],
    "events-in-year": [{}, {"year": "2023"}, {"year": "1999"}],
    "evidence": [{"name": "西谷庄村"}, {"name": "区水务局"}, {"name": "沈媛"}],
    "people-roles": [{}, {"person": "沈媛"}],
    "reporter-articles": [{"reporter": "尚丽"}],
    "subdistrict-members": [{}, {"subdistrict": "清远街道"}],
    "timeline": [{}, {"type": "Exhibition"}],
    "top-entities": [{}, {"type": "Person"}],
}


def _vocabulary(text: str) -> str:
    """`pckg:Village` -> `Village`; `schema:attendee` -> `PARTICIPANT`; anything else unchanged."""
    prefix, sep, local = text.partition(":")
    if not sep or prefix not in query.PREFIXES or not local:
        return text
    return local if local[0].isupper() else rel_type(_PROPERTY_KEYS.get(local, local))


def sparql_rows(result: query.Result) -> Counter[tuple[str | None, ...]]:
    return Counter(tuple(None if v is None else _vocabulary(v) for v in row) for row in result.rows)


def _cypher_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def cypher_rows(rows: Iterable[list[Any]]) -> Counter[tuple[str | None, ...]]:
    return Counter(tuple(_cypher_text(v) for v in row) for row in rows)


def _cross_check(db: cypher.GraphDatabase, sparql: query.Store, name: str, values: dict[str, str]) -> int:
    """Run one question both ways, assert the answers are equal, return how many rows."""
    q = query.find_query(name)
    want = sparql.select(q, values)
    params = {p.name: values.get(p.name) for p in q.params}
    columns, rows = db.run(cypher.named_query(name), params)
    assert tuple(columns) == want.columns, f"{name}: Cypher columns differ from SPARQL"
    got = cypher_rows(rows)
    expected = sparql_rows(want)
    assert got == expected, (
        f"{name} {values}: Cypher and SPARQL differ\n"
        f"  only in Cypher: {sorted(got - expected, key=str)}\n  only in SPARQL: {sorted(expected - got, key=str)}"
    )
    return sum(expected.values())


def _export(g: nx.MultiDiGraph, out: Path) -> None:
    written = [path for fmt in ("turtle", "neo4j") for path in export.get(fmt)(g, out)]
    manifest.seal(out, written, inputs="", formats=("turtle", "neo4j"))  # readers need a complete build


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[cypher.GraphDatabase, query.Store, Path]]:
    out = tmp_path_factory.mktemp("tiny")
    _export(tiny_graph(), out)
    with cypher.load(out / "neo4j", out / "tiny.lbdb") as db:
        yield db, query.Store(out, "rdflib"), out


def test_every_named_sparql_query_has_a_cypher_twin() -> None:
    assert len(NAMES) >= 12
    assert NAMES == sorted(p.stem for p in locate("cypher").glob("*.cypher"))
    assert sorted(TINY_VALUES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_cypher_answers_equal_sparql_answers_on_the_fixture_graph(tiny, name: str) -> None:
    db, sparql, _ = tiny
    rows = [_cross_check(db, sparql, name, values) for values in TINY_VALUES[name]]
    assert any(rows), f"{name}: the fixture graph gives no answer, so the check would prove nothing"


@pytest.mark.parametrize("name", NAMES)
def test_persistent_oxigraph_store_answers_like_the_turtle_file(tiny, tmp_path: Path, name: str) -> None:
    _, sparql, out = tiny
    load(out / "graph.ttl", tmp_path / "store")
    stored = PersistentStore(tmp_path / "store")
    q = query.find_query(name)
    for values in TINY_VALUES[name]:
        want = sparql.select(q, values)
        got = stored.select(q, values)
        assert got.columns == want.columns
        assert Counter(got.rows) == Counter(want.rows), f"{name} {values}"


def _seed_values(graph: nx.MultiDiGraph, q: query.Query) -> list[dict[str, str]]:
    """Parameter values drawn from the graph itself: the most-mentioned entities, one alias,
    every subdistrict, company, person and type it holds; plus all optionals unbound."""
    entities = sorted(
        (d for _, d in graph.nodes(data=True) if d["kind"] == "Entity"),
        key=lambda d: (-d["mention_count"], d["type"], d["label"]),
    )
    by_type = {t: sorted(d["label"] for d in entities if d["type"] == t) for t in {d["type"] for d in entities}}
    authors = sorted({graph.nodes[v]["label"] for _, v, k in graph.edges(keys=True) if k == "author"})
    types = sorted({d["type"] for _, d in graph.nodes(data=True) if d["kind"] in ("Entity", "Event")})
    names = [d["label"] for d in entities[:6]] + [a for d in entities if d["aliases"] for a in d["aliases"][:1]][:2]
    candidates = {
        "name": names,
        "subdistrict": by_type.get("Subdistrict", []),
        "company": by_type.get("Company", [])[:8],
        "person": by_type.get("Person", [])[:8],
        "reporter": authors,
        "type": types,
    }
    out: list[dict[str, str]] = []
    if all(not p.required for p in q.params):
        out.append({})
    for p in q.params:
        out += [{p.name: v} for v in candidates.get(p.name, [])]
    return out


@pytest.mark.slow
def test_cypher_answers_equal_sparql_answers_on_the_seed_build(seed_build, tmp_path: Path) -> None:
    graph, _, out = seed_build
    sparql = query.Store(out, "oxigraph")
    checked = 0
    with cypher.load(out / "neo4j", tmp_path / "seeds.lbdb") as db:
        for name in NAMES:
            q = query.find_query(name)
            for values in _seed_values(graph, q):
                _cross_check(db, sparql, name, values)
                checked += 1
    assert checked >= len(NAMES)
