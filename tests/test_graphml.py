"""GraphML: networkx reads back every node, edge and attribute; bytes do not depend on order."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import networkx as nx

from .graph_fixture import tiny_graph
from kg.export import html
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


def _article_refs(g: nx.MultiDiGraph) -> list[str]:
    return sorted(d["article"] for _, _, d in g.edges(data=True) if "article" in d)


def test_an_edge_names_its_source_article_by_the_article_node_id(tmp_path: Path) -> None:
    (path,) = write_graphml(tiny_graph(), tmp_path)
    back = nx.read_graphml(path, force_multigraph=True)
    refs = _article_refs(back)
    assert refs == ["article/a1", "article/a2", "article/a3", "article/a3", "article/a3"]
    assert all(back.nodes[a]["kind"] == "Article" for a in refs)


def test_gephi_reads_colour_by_type_and_size_by_mentions(tmp_path: Path) -> None:
    # Gephi's importer maps attributes by attr.name: r g b (integers), size, weight.
    (path,) = write_graphml(tiny_graph(), tmp_path)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
            for k in ElementTree.parse(path).getroot().findall("g:key", ns)}
    assert {keys[("node", c)] for c in "rgb"} == {"long"}
    assert keys[("node", "size")] == keys[("edge", "weight")] == "double"
    back = nx.read_graphml(path, force_multigraph=True)
    subdistrict = back.nodes["Subdistrict/清远街道"]
    assert "#%02x%02x%02x" % (subdistrict["r"], subdistrict["g"], subdistrict["b"]) == html.colour("Subdistrict")
    people = [back.nodes[n] for n in ("Person/尚丽", "Person/沈媛")]
    assert {(p["r"], p["g"], p["b"]) for p in people} != {(subdistrict["r"], subdistrict["g"], subdistrict["b"])}
    assert len({(p["r"], p["g"], p["b"]) for p in people}) == 1  # one colour per type
    # 尚丽 is mentioned twice, 沈媛 once, 清远街道 three times.
    assert people[1]["size"] < people[0]["size"] < subdistrict["size"]
    assert back.edges["article/a1", "Subdistrict/清远街道", "mentions"]["weight"] == 2.0


def test_graphml_of_the_seeds_names_only_articles_it_holds(seed_build) -> None:
    _, _, out = seed_build
    back = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    refs = _article_refs(back)
    assert refs and all(a in back and back.nodes[a]["kind"] == "Article" for a in refs)
    assert all({"r", "g", "b", "size"} <= d.keys() for _, d in back.nodes(data=True))


def test_declared_attribute_keys_are_those_of_the_written_values(seed_build) -> None:
    # _specs reads names and types without making the values; the values written must match them
    from kg.export.graphml import _specs, _specs_of_values

    g = tiny_graph()
    g.add_edge("article/a1", "Subdistrict/清远街道", key="partOf", evidence="…", article="", role=None)
    graph, _, _ = seed_build
    for each in (g, graph):
        for node in each.nodes:
            assert _specs(each, node) == _specs_of_values(each, node), node


def test_a_mention_edge_has_the_attributes_of_the_general_case(seed_build) -> None:
    # edge_attrs' fast path for an edge holding only its mentions; an attribute without a value
    # sends the same edge through the general case, which leaves that attribute out
    from kg.export.graphml import edge_attrs

    graph, _, _ = seed_build
    edges = [(k, d) for _, _, k, d in graph.edges(keys=True, data=True) if k == "mentions" and list(d) == ["mentions"]]
    assert edges
    for key, d in edges:
        assert list(edge_attrs(key, d).items()) == list(edge_attrs(key, {**d, "unset": None}).items())


def _awkward(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`g` with mention surfaces and names GraphML must escape, and an edge of no attributes."""
    from kg.graph import MentionAt

    g = g.copy()
    g.add_node('Place/a&b<"c">', kind="Entity", type="Place", label='a&b<"c">', aliases=["x;y"], mention_count=1)
    article = next(n for n, d in g.nodes(data=True) if d["kind"] == "Article")
    g.add_edge(article, 'Place/a&b<"c">', key="mentions",
               mentions=[MentionAt('a&b<"c">', 1, 5, "句"), MentionAt("x;y\n\t\r", 7, 8, "")])
    g.add_edge(article, "Place/a&b<\"c\">", key="location")
    g.add_edge(article, "Place/a&b<\"c\">", key="no mentions here", mentions=[])
    # mention edges of one mention (escaped, empty) and of none, which _edge_block writes inline
    for name, mentions in (("one&", [MentionAt("<&>", 2, 5, "")]), ("empty", [MentionAt("", 3, 3, "")]), ("none", [])):
        g.add_node(f"Place/{name}", kind="Entity", type="Place", label=name, aliases=[], mention_count=len(mentions))
        g.add_edge(article, f"Place/{name}", key="mentions", mentions=mentions)
    return g


def test_edge_blocks_are_what_the_general_writer_makes(seed_build) -> None:
    """_edge_block writes the common edges straight from their values; the general writer
    (edge_attrs, then _data for each value) is what it is held to."""
    from kg.export.graphml import _Names, _Tags, _data, _edge_block, _escape, _ids, _specs, edge_attrs

    def general(g: nx.MultiDiGraph, u: str, tags: _Tags) -> str:
        parts, out = [], g._succ[u]
        for v, key in sorted((v, k) for v, keys in out.items() for k in keys):
            parts.append(f'    <edge source="{_escape(u, True)}" target="{_escape(v, True)}" id="{_escape(key, True)}">\n')
            parts.extend(_data("edge", edge_attrs(key, out[v][key]), tags))
            parts.append("    </edge>\n")
        return "".join(parts)

    for g in (seed_build[0], _awkward(seed_build[0]), _awkward(tiny_graph())):
        tags = _Tags(_ids(set().union(*(_specs(g, n) for n in g))))
        names = _Names()
        for u in g:
            assert _edge_block(g, u, tags, names) == general(g, u, tags), u


def test_graphml_with_and_without_reuse_is_the_same_file(tmp_path: Path) -> None:
    from kg.export.registry import ExportContext

    g = _awkward(tiny_graph())
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_graphml(g, tmp_path / "a")
    write_graphml(g, tmp_path / "b", ExportContext(reuse=tmp_path / "index"))
    assert (tmp_path / "a" / "graph.graphml").read_bytes() == (tmp_path / "b" / "graph.graphml").read_bytes()


def test_node_blocks_are_what_the_general_writer_makes(seed_build) -> None:
    from kg.export.graphml import _Names, _Tags, _data, _escape, _ids, _node_block, _specs, node_attrs, viz_attrs

    for g in (seed_build[0], _awkward(seed_build[0]), _awkward(tiny_graph())):
        tags = _Tags(_ids(set().union(*(_specs(g, n) for n in g))))
        names = _Names()
        for n in g:
            general = "".join((f'    <node id="{_escape(n, True)}">\n',
                               *_data("node", node_attrs(g.nodes[n], viz_attrs(g, n)), tags), "    </node>\n"))
            assert _node_block(g, n, tags, names) == general, n


def test_the_keys_declared_for_a_whole_file_are_those_of_its_records(seed_build) -> None:
    from kg.export.graphml import _declared, _specs

    for g in (seed_build[0], _awkward(seed_build[0]), _awkward(tiny_graph()), nx.MultiDiGraph()):
        assert _declared(g, g) == set().union(*(_specs(g, n) for n in g))
