"""Graph -> GraphML for Gephi, yEd and networkx (`networkx.read_graphml` reads it back).

GraphML attributes are scalars, so lists are flattened: an entity's aliases become one
";"-joined string, a mention edge keeps its count and ";"-joined surface forms. Every edge
carries its predicate as `predicate` (and as the edge id networkx keys a multigraph by).
Nodes and edges are written in sorted order, attributes without a value are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from . import register

LIST_DELIMITER = ";"


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_DELIMITER.join(str(v) for v in value)
    return value


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with only GraphML-safe attributes, in sorted order."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in sorted(g.nodes):
        d = g.nodes[node]
        out.add_node(node, **{k: _flat(v) for k, v in sorted(d.items()) if v is not None and k != "aliases"})
        if d.get("kind") == "Entity":
            # Written even when empty, so the attribute has the same declared type on every entity.
            out.nodes[node]["aliases"] = _flat(d.get("aliases", ()))
    for u, v, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        attrs: dict[str, Any] = {"predicate": key}
        if key == "mentions":
            ms = d.get("mentions", ())
            attrs["count"] = len(ms)
            attrs["surfaces"] = _flat([m[0] for m in ms])
        attrs.update({k: v2 for k, v2 in sorted(d.items()) if k != "mentions" and v2 is not None})
        out.add_edge(u, v, key=key, **attrs)
    return out


@register("graphml")
def write_graphml(g: nx.MultiDiGraph, out: Path) -> list[Path]:
    path = out / "graph.graphml"
    nx.write_graphml(to_graphml_graph(g), path, encoding="utf-8", prettyprint=True)
    return [path]
