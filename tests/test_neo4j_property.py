"""Property test: any text survives graph -> Neo4j CSV -> LadybugDB unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import cypher
from kg.export.neo4j import write_neo4j
from kg.graph import MentionAt

# Any characters but NUL and lone surrogates (neither can be written as UTF-8 text) and CR, which
# ingest turns into LF (LadybugDB's CSV reader splits rows at a bare CR even inside quotes); not
# empty, since an empty field is how CSV says "no value".
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"), min_size=1, max_size=40)


def _graph(body: str, name: str, aliases: list[str]) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.add_node("page/p", kind="Page", label="p.txt", source_file="p.txt", encoding="utf-8")
    g.add_node("article/a", kind="Article", label=body, headline=body, kicker=None, subtitle=None, page="p.txt",
               index=0, start=0, end=len(body), body=body)
    g.add_node(f"Person/{name}", kind="Entity", type="Person", label=name, aliases=aliases, mention_count=1)
    g.add_edge("article/a", "page/p", key="isPartOf")
    g.add_edge("article/a", f"Person/{name}", key="mentions", mentions=[MentionAt(name, 0, len(name), body)])
    return g


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXT, name=TEXT, aliases=st.lists(TEXT.filter(lambda s: ";" not in s), max_size=3))
def test_any_text_round_trips_through_the_csvs_into_ladybug(body: str, name: str, aliases: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_neo4j(_graph(body, name, aliases), out)
        with cypher.load(out / "neo4j", out / "db.lbdb") as db:
            _, rows = db.run("MATCH (a:Article)-[m:MENTIONS]->(p:Person) RETURN a.body, p.id, p.name, p.aliases, m.surfaces")
    assert rows == [[body, f"Person/{name}", name, aliases or None, [name.replace(";", "；")]]]
