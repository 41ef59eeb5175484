"""Graph -> GraphML for Gephi, yEd and networkx (`networkx.read_graphml` reads it back).

GraphML attributes are scalars, so lists are flattened: an entity's aliases become one
";"-joined string, a mention edge keeps its count and ";"-joined surface forms. Every edge
carries its predicate as `predicate` (and as the edge id networkx keys a multigraph by).
Nodes and edges are written in sorted order, attributes without a value are left out.

The file is written as it is made, in the layout `networkx.write_graphml` uses: building
networkx's ElementTree of a 10,000-article corpus took 7.6 s and a copy of the graph.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator
import networkx as nx

from . import register

LIST_DELIMITER = ";"
# Python type -> GraphML attr.type, as networkx declares them.
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
# xml.sax.saxutils.escape was a third of the writer's time; most values need no escaping at all.
_MARKUP = re.compile(r'[&<>"\r\n\t]')


def _escape(text: str, attribute: bool = False) -> str:
    """XML text (or, with `attribute`, a double-quoted attribute value) for `text`."""
    if not _MARKUP.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:  # kept through XML's attribute-value normalization
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_DELIMITER.join(str(v) for v in value)
    return value


def node_attrs(d: dict[str, Any]) -> dict[str, Any]:
    """A node's GraphML-safe attributes, by name."""
    attrs = {k: _flat(v) for k, v in sorted(d.items()) if v is not None and k != "aliases"}
    if d.get("kind") == "Entity":
        # Written even when empty, so the attribute has the same declared type on every entity.
        attrs["aliases"] = _flat(d.get("aliases", ()))
    return attrs


def edge_attrs(key: str, d: dict[str, Any]) -> dict[str, Any]:
    """An edge's GraphML-safe attributes, by name."""
    attrs: dict[str, Any] = {"predicate": key}
    if key == "mentions":
        ms = d.get("mentions", ())
        attrs["count"] = len(ms)
        attrs["surfaces"] = _flat([m[0] for m in ms])
    attrs.update({k: v for k, v in sorted(d.items()) if k != "mentions" and v is not None})
    return attrs


def _sorted_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with only GraphML-safe attributes, in sorted order."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in sorted(g.nodes):
        out.add_node(node, **node_attrs(g.nodes[node]))
    for u, v, key, d in _sorted_edges(g):
        out.add_edge(u, v, key=key, **edge_attrs(key, d))
    return out


def _lines(g: nx.MultiDiGraph) -> Iterator[str]:
    nodes = sorted(g.nodes)
    edges = _sorted_edges(g)
    # Keys are declared before the graph, so one pass finds every (scope, name, type).
    found: set[tuple[str, str, str]] = set()
    for node in nodes:
        found.update(("node", k, _XML_TYPES[type(v)]) for k, v in node_attrs(g.nodes[node]).items())
    for _, _, key, d in edges:
        found.update(("edge", k, _XML_TYPES[type(v)]) for k, v in edge_attrs(key, d).items())
    ids = {spec: f"d{i}" for i, spec in enumerate(sorted(found))}

    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for (scope, name, xml_type), id_ in ids.items():
        yield f'  <key id="{id_}" for="{scope}" attr.name="{_escape(name, True)}" attr.type="{xml_type}" />\n'
    yield '  <graph edgedefault="directed">\n'
    for node in nodes:
        yield f'    <node id="{_escape(node, True)}">\n'
        yield from _data("node", node_attrs(g.nodes[node]), ids)
        yield "    </node>\n"
    for u, v, key, d in edges:
        yield f'    <edge source="{_escape(u, True)}" target="{_escape(v, True)}" id="{_escape(key, True)}">\n'
        yield from _data("edge", edge_attrs(key, d), ids)
        yield "    </edge>\n"
    yield "  </graph>\n</graphml>\n"


def _data(scope: str, attrs: dict[str, Any], ids: dict[tuple[str, str, str], str]) -> Iterator[str]:
    for name, value in attrs.items():
        id_ = ids[(scope, name, _XML_TYPES[type(value)])]
        text = _escape(value) if type(value) is str else str(value)
        # An empty value is an empty element, as ElementTree writes it (networkx reads it as absent).
        yield f'      <data key="{id_}">{text}</data>\n' if text else f'      <data key="{id_}" />\n'


@register("graphml")
def write_graphml(g: nx.MultiDiGraph, out: Path, *, reuse: Path | None = None) -> list[Path]:
    path = out / "graph.graphml"
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.writelines(_lines(g))
    return [path]
