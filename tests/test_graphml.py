"""GraphML: networkx reads back every node, edge and attribute; bytes do not depend on order."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .graph_fixture import tiny_graph
from kg.export.graphml import to_graphml_graph, write_graphml


def _as_sets(g: nx.MultiDiGraph) -> tuple[dict, dict]:
    return dict(g.nodes(data=True)), {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}


def test_networkx_reads_back_the_graphml_unchanged(tmp_path: Path) -> None:
    g = tiny_graph()
    (path,) = write_graphml(g, tmp_path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(back, nx.MultiDiGraph)
    assert _as_sets(back) == _as_sets(to_graphml_graph(g))
    assert back.nodes["Subdistrict/清远街道"]["aliases"] == "清远;清远;街道"
    assert back.nodes["article/a1"]["body"] == g.nodes["article/a1"]["body"]  # newlines and quotes survive
    assert back.edges["article/a1", "Subdistrict/清远街道", "mentions"]["count"] == 2


def test_graphml_is_byte_identical_whatever_the_insertion_order(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (a,) = write_graphml(tiny_graph(), tmp_path / "a")
    (b,) = write_graphml(tiny_graph(shuffle_seed=3), tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()


def test_graphml_of_the_seeds_has_every_node_and_edge(seed_build) -> None:
    graph, _, out = seed_build
    back = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
