"""Graph -> GraphML for Gephi, yEd and networkx (`networkx.read_graphml` reads it back).

GraphML attributes are scalars, so lists are flattened: an entity's aliases become one
";"-joined string, a mention edge keeps its count and ";"-joined surface forms. Every edge
carries its predicate as `predicate` (and as the edge id networkx keys a multigraph by).
A statement edge names its source article by that article's node id (`article/<hash>`), so
the value can be looked up among the nodes. Nodes and edges are written in sorted order,
attributes without a value are left out.

Gephi's GraphML importer maps a few attribute names onto what it draws (ImporterGraphML:
`label`, `size`, `r` `g` `b` on nodes, `weight` on edges), so every node carries its legend
colour as r, g, b (the HTML view's colours) and a size that grows with the log of how often
it is mentioned, and a mention edge weighs its mention count. networkx reads them as plain
attributes.

The file is written as it is made, in the layout `networkx.write_graphml` uses: building
networkx's ElementTree of a 10,000-article corpus took 7.6 s and a copy of the graph; at 1,000
articles networkx.write_graphml takes 0.42 s and this writer 0.12 s (benchmarks/serialisers.py;
lxml, which networkx's streaming writer needs, is not a dependency). Streaming in blocks per
node is also what lets a rebuild rewrite only the changed nodes.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator
import networkx as nx

from .. import schema, view
from ..graph import article_node
from . import html
from .registry import ExportContext, register
from . import reuse as reuse_

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


# The attribute names Gephi draws with; a graph attribute of the same name would be overwritten.
VIZ_ATTRS = ("r", "g", "b", "size")
ARTICLE_SIZE = 6.0  # articles are the connective tissue, not the subject: small and grey
OTHER_SIZE = 4.0  # pages and fragments


def viz_attrs(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """Gephi's colour (`r`, `g`, `b`, 0-255) and `size` for a node.

    Size is 10 for a thing mentioned once and grows with the log of its mentions (an entity's
    mention count, an event's articles), as in the HTML view: linear sizes would let the one
    district named in every article dwarf the rest into dots.
    """
    d = g._node[node]
    r, gr, b = _rgb(schema.group(d))
    if d["kind"] in ("Entity", "Event"):
        size = round(10 + 6 * math.log2(max(1, view.mentions(g, node))), 3)
    else:
        size = ARTICLE_SIZE if d["kind"] == "Article" else OTHER_SIZE
    return {"r": r, "g": gr, "b": b, "size": float(size)}


@lru_cache(maxsize=None)
def _rgb(group: str) -> tuple[int, int, int]:
    """A legend group's colour as numbers, parsed once per group: a corpus has a dozen groups
    and a colour for every node."""
    colour = html.colour(group)
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def node_attrs(d: dict[str, Any], viz: dict[str, Any] | None = None) -> dict[str, Any]:
    """A node's GraphML-safe attributes, by name, with its `viz_attrs` when given."""
    attrs = {k: _flat(v) for k, v in d.items() if v is not None and k != "aliases" and k not in VIZ_ATTRS}
    if d.get("kind") == "Entity":
        # Written even when empty, so the attribute has the same declared type on every entity.
        attrs["aliases"] = _flat(d.get("aliases", ()))
    attrs.update(viz or {})
    return dict(sorted(attrs.items()))


def edge_attrs(key: str, d: dict[str, Any]) -> dict[str, Any]:
    """An edge's GraphML-safe attributes, by name."""
    if key == "mentions" and len(d) == 1 and "mentions" in d:  # most edges: what the general case makes
        ms = d["mentions"]
        return {"predicate": key, "count": len(ms), "weight": float(max(1, len(ms))),
                "surfaces": _flat([m.surface for m in ms])}
    attrs: dict[str, Any] = {"predicate": key}
    if key == "mentions":
        ms = d.get("mentions", ())
        attrs["count"] = len(ms)
        attrs["weight"] = float(max(1, len(ms)))  # Gephi's edge weight; an event link has no mentions listed
        attrs["surfaces"] = _flat([m.surface for m in ms])
    attrs.update({k: v for k, v in sorted(d.items()) if k != "mentions" and v is not None})
    if attrs.get("article"):
        attrs["article"] = article_node(str(attrs["article"]))
    else:  # the register's chain (officialPartOf) comes from no article
        attrs.pop("article", None)
    return attrs


def _sorted_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with only GraphML-safe attributes, in sorted order."""
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in sorted(g.nodes):
        out.add_node(node, **node_attrs(g.nodes[node], viz_attrs(g, node)))
    for u, v, key, d in _sorted_edges(g):
        out.add_edge(u, v, key=key, **edge_attrs(key, d))
    return out


Spec = tuple[str, str, str]  # scope, attribute name, GraphML type


# viz_attrs' keys and types, whatever the node: colour channels are ints, the size a float.
_VIZ_SPECS = (("node", "r", "long"), ("node", "g", "long"), ("node", "b", "long"), ("node", "size", "double"))
_MENTION_TYPES = {"count": int, "weight": float, "surfaces": str}
# edge_attrs' keys and types for an edge with no attributes and for a mention edge with only its mentions
_PLAIN_EDGE_SPECS = (("edge", "predicate", "string"),)
_MENTION_EDGE_SPECS = (*_PLAIN_EDGE_SPECS, ("edge", "count", "long"), ("edge", "weight", "double"),
                       ("edge", "surfaces", "string"))


def _edge_specs(key: str, e: dict[str, Any]) -> set[Spec]:
    """The attribute keys edge_attrs writes for an edge."""
    if not e or (key == "mentions" and len(e) == 1 and "mentions" in e):
        return set(_MENTION_EDGE_SPECS if key == "mentions" else _PLAIN_EDGE_SPECS)
    types: dict[str, type] = {"predicate": str}
    if key == "mentions":
        types.update(_MENTION_TYPES)
    types.update((k, type(v)) for k, v in e.items() if k != "mentions" and v is not None)
    if "article" in types and not e["article"]:
        del types["article"]  # edge_attrs leaves out an empty source article
    elif "article" in types:
        types["article"] = str  # edge_attrs writes it as the article's node id
    return {("edge", k, _XML_TYPES[t]) for k, t in types.items()}


def _declared(g: nx.MultiDiGraph, nodes: Iterable[str]) -> set[Spec]:
    """The union of `_specs` over `nodes`, for a file written whole: the (name, type) pairs of
    every node gathered in C, no set made per record (tests/test_graphml.py holds the two together)."""
    data, succ = g._node, g._succ
    pairs: set[tuple[str, type]] = set()
    found: set[Spec] = set()
    kinds: set[Any] = set()
    mention_edges = False
    for n in nodes:
        d = data[n]
        pairs.update(zip(d, map(type, d.values())))
        kinds.add(d.get("kind"))
        for keys in succ[n].values():
            for key, e in keys.items():
                if key == "mentions" and len(e) == 1 and "mentions" in e:
                    mention_edges = True
                else:
                    found.update(_edge_specs(key, e))
    if kinds:
        found.update(_VIZ_SPECS)
    if "Entity" in kinds:
        found.add(("node", "aliases", "string"))
    if mention_edges:
        found.update(_MENTION_EDGE_SPECS)
    found.update(("node", k, _XML_TYPES[str if issubclass(t, (list, tuple)) else t])
                 for k, t in pairs if t is not type(None) and k != "aliases" and k not in VIZ_ATTRS)
    return found


def _specs(g: nx.MultiDiGraph, node: str) -> frozenset[Spec]:
    """The attribute keys one record needs declared: its node's and its out-edges'.

    The names and types of what node_attrs, viz_attrs and edge_attrs return, without making
    the values (joining every mention's surface, the node's colour and mention count): the
    values are made once, when the blocks are written (tests/test_graphml.py checks the two agree).
    """
    d = g._node[node]
    found = {("node", k, _XML_TYPES[str if isinstance(v, (list, tuple)) else type(v)])
             for k, v in d.items() if v is not None and k != "aliases" and k not in VIZ_ATTRS}
    if d.get("kind") == "Entity":
        found.add(("node", "aliases", "string"))
    found.update(_VIZ_SPECS)
    for keys in g._succ[node].values():
        for key, e in keys.items():
            if not e or (key == "mentions" and len(e) == 1 and "mentions" in e):
                found.update(_MENTION_EDGE_SPECS if key == "mentions" else _PLAIN_EDGE_SPECS)
            else:
                found.update(_edge_specs(key, e))
    return frozenset(found)


def _specs_of_values(g: nx.MultiDiGraph, node: str) -> frozenset[Spec]:
    """`_specs` from the values themselves: what the declared keys must match."""
    found = {("node", k, _XML_TYPES[type(v)]) for k, v in node_attrs(g.nodes[node], viz_attrs(g, node)).items()}
    for _, keys in g.succ[node].items():
        for key, d in keys.items():
            found.update(("edge", k, _XML_TYPES[type(v)]) for k, v in edge_attrs(key, d).items())
    return frozenset(found)


def _header(ids: dict[Spec, str]) -> str:
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for (scope, name, xml_type), id_ in ids.items():
        lines.append(f'  <key id="{id_}" for="{scope}" attr.name="{_escape(name, True)}" attr.type="{xml_type}" />\n')
    lines.append('  <graph edgedefault="directed">\n')
    return "".join(lines)


_FOOTER = "  </graph>\n</graphml>\n"


_NOT_DATA = frozenset({"aliases", *VIZ_ATTRS})  # node attributes node_attrs leaves out or puts apart


def _node_block(g: nx.MultiDiGraph, node: str, tags: _Tags, names: _Names) -> str:
    """`_data` of `node_attrs(d, viz_attrs(g, node))`, made in one pass over the attributes
    (tests/test_graphml.py holds it to those)."""
    d = g._node[node]
    items = [(k, LIST_DELIMITER.join(map(str, v)) if isinstance(v, (list, tuple)) else v)
             for k, v in d.items() if v is not None and k not in _NOT_DATA]
    if d.get("kind") == "Entity":
        aliases = d.get("aliases", ())
        items.append(("aliases", LIST_DELIMITER.join(map(str, aliases)) if isinstance(aliases, (list, tuple)) else aliases))
    items.extend(viz_attrs(g, node).items())
    items.sort()  # names are unique, so only they are compared: node_attrs' order
    parts = [f'    <node id="{names[node]}">\n']
    for name, value in items:
        kind = type(value)
        tag = tags[("node", name, kind)]
        text = _escape(value) if kind is str else str(value)
        parts.append(f"{tag}>{text}</data>\n" if text else f"{tag} />\n")
    parts.append("    </node>\n")
    return "".join(parts)


def _edge_block(g: nx.MultiDiGraph, u: str, tags: _Tags, names: _Names) -> str:
    """The out-edges of `u`, sorted by target and key (the file holds all edges sorted by (u, v, key)).

    The two edges most of a corpus's are, a mention edge listing only its mentions and an
    edge without attributes, are written straight from the values: the same elements
    edge_attrs and _data make (tests/test_graphml.py holds them to those), without the
    dictionaries and look-ups per value."""
    parts = []
    out = g._succ[u]
    source = names[u]
    predicate_tag = tags.get(("edge", "predicate", str))
    mention_tags = [tags.get(("edge", name, type_)) for name, type_ in _MENTION_TYPES.items()]
    count_tag, weight_tag, surfaces_tag = mention_tags
    inline = bool(predicate_tag and all(mention_tags))
    # What a mention edge of one mention holds but its surface, and all an edge of none holds.
    one = f'mentions">\n{predicate_tag}>mentions</data>\n{count_tag}>1</data>\n{weight_tag}>1.0</data>\n'
    none = (f'mentions">\n{predicate_tag}>mentions</data>\n{count_tag}>0</data>\n{weight_tag}>1.0</data>\n'
            f"{surfaces_tag} />\n    </edge>\n")
    for v in sorted(out):
        keys = out[v]
        head = f'    <edge source="{source}" target="{names[v]}" id="'
        for key in sorted(keys):
            e = keys[key]
            if key == "mentions" and len(e) == 1 and "mentions" in e and inline:
                ms = e["mentions"]
                if len(ms) == 1:
                    surface = _escape(str(ms[0].surface))
                    parts.append(f"{head}{one}{surfaces_tag}>{surface}</data>\n    </edge>\n" if surface
                                 else f"{head}{one}{surfaces_tag} />\n    </edge>\n")
                    continue
                if not ms:
                    parts.append(head + none)
                    continue
                surfaces = _escape(LIST_DELIMITER.join([str(m.surface) for m in ms]))
                parts.append(f'{head}mentions">\n{predicate_tag}>mentions</data>\n{count_tag}>{len(ms)}</data>\n'
                             f'{weight_tag}>{float(max(1, len(ms)))}</data>\n'
                             + (f"{surfaces_tag}>{surfaces}</data>\n" if surfaces else f"{surfaces_tag} />\n")
                             + "    </edge>\n")
            elif not e and predicate_tag and key:
                parts.append(f'{head}{_escape(key, True)}">\n{predicate_tag}>{_escape(key)}</data>\n    </edge>\n')
            else:
                parts.append(f'{head}{_escape(key, True)}">\n')
                parts.extend(_data("edge", edge_attrs(key, e), tags))
                parts.append("    </edge>\n")
    return "".join(parts)


class _Names(dict[str, str]):
    """node -> its id as an XML attribute value, remembered: an entity is the target of many edges."""

    def __missing__(self, node: str) -> str:
        found = self[node] = _escape(node, True)
        return found


def _blocks(g: nx.MultiDiGraph, nodes: list[str], ids: dict[Spec, str]) -> Iterator[reuse_.Block]:
    """Node blocks, then edge blocks by source: the order of a whole file."""
    tags = _Tags(ids)
    names = _Names()
    for node in nodes:
        yield (0, node), node, _node_block(g, node, tags, names).encode()
    succ = g._succ
    for node in nodes:
        if succ[node]:
            yield (1, node), node, _edge_block(g, node, tags, names).encode()


def _ids(specs: set[Spec] | frozenset[Spec]) -> dict[Spec, str]:
    return {spec: f"d{i}" for i, spec in enumerate(sorted(specs))}


class _Tags(dict[tuple[str, str, type], str]):
    """(scope, attribute name, Python type of the value) -> the start of its data element,
    `      <data key="d3"`, for the declared keys: one look-up per value instead of a spec
    tuple, a type name and a key id formatted for each."""

    def __init__(self, ids: dict[Spec, str]) -> None:
        super().__init__(((scope, name, py), f'      <data key="{id_}"')
                         for (scope, name, xml), id_ in ids.items() for py, x in _XML_TYPES.items() if x == xml)


def _data(scope: str, attrs: dict[str, Any], tags: _Tags) -> list[str]:
    # An empty value is an empty element, as ElementTree writes it (networkx reads it as absent).
    return [f"{tag}>{text}</data>\n" if text else f"{tag} />\n"
            for name, value in attrs.items()
            for tag, text in [(tags[(scope, name, type(value))], _escape(value) if type(value) is str else str(value))]]


@register("graphml")
def write_graphml(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext()
    if ctx.reuse is None:  # nothing to keep for a next build: no index of the blocks, written as they come
        nodes = sorted(g.nodes)
        ids = _ids(_declared(g, nodes))
        with (out / "graph.graphml").open("wb") as f:
            f.write(_header(ids).encode())
            f.writelines(data for _, _, data in _blocks(g, nodes, ids))
            f.write(_FOOTER.encode())
        return [out / "graph.graphml"]
    specs: dict[str, frozenset[Spec]] = {}
    unique: dict[frozenset[Spec], frozenset[Spec]] = {}  # one object per distinct set keeps the index small

    def make(records: set[str] | None, saved: reuse_.Saved | None) -> tuple[bytes, Iterable[reuse_.Block], bytes]:
        if records is None or saved is None:
            nodes = sorted(g.nodes)
            specs.clear()
            specs.update((n, unique.setdefault(f, f)) for n in nodes for f in [_specs(g, n)])
        else:
            nodes = sorted(records)
            before = saved.extra
            if not isinstance(before, dict):
                raise reuse_.Conflict("no attribute keys saved")
            specs.update((n, unique.setdefault(before[n], before[n])) for n in g.nodes if n not in records)
            specs.update((n, unique.setdefault(f, f)) for n in nodes for f in [_specs(g, n)])
        declared = set().union(*unique)
        if saved is not None and records is not None and declared != set().union(*set(before.values())):
            raise reuse_.Conflict("the attribute keys changed: every data element is renumbered")
        ids = _ids(declared)
        return _header(ids).encode(), _blocks(g, nodes, ids), _FOOTER.encode()

    return [reuse_.export_file(g, out, "graph.graphml", ctx, "graphml", make, extra=lambda: specs)]
