"""The graph -> the part of it a person looks at: entities, events and articles, limited.

Pure selection over a graph already in memory; `kg view`'s reading and writing is kg.show.

A full corpus is a hairball in a browser; a view keeps what a reader asked for:
some types, things mentioned at least N times, or the neighbourhood of one entity.
Pages and fragments are bookkeeping and never shown.

    >>> view = neighbourhood(graph, "永泰街道", depth=1)
"""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

from .errors import ViewError
from .schema import ENTITY_TYPES, EXTRA_GROUPS, SHOWN_KINDS, group

# A full view stops here: past a few thousand nodes vis-network takes minutes to settle
# and a reader sees only a hairball (benchmarks/html_layout.py).
MAX_NODES = 2000
# The page opens on an overview: a view this small opens whole; a bigger one opens on the
# administrative tree and the most-mentioned entities (this many in all), a few events
# (the best connected), and grows from there on demand.
OVERVIEW_ALL = 60
OVERVIEW_ENTITIES = 36
OVERVIEW_EVENTS = 6
TREE_TYPES = ("AdminArea", "Subdistrict")


def names(data: dict) -> list[str]:
    """Every name a node goes by: its label, then its aliases."""
    return [str(data["label"]), *(str(a) for a in data.get("aliases") or ())]


def mentions(g: nx.MultiDiGraph, node: str) -> int:
    """How often a node is mentioned: an entity's mention count, an event's article count.

    An article is not mentioned; it counts the entities and events it mentions.
    """
    d = g._node[node]  # networkx's own dicts: its edge views cost 5x on a whole corpus
    if d["kind"] == "Entity":
        return int(d.get("mention_count") or 0)
    if d["kind"] == "Event":
        nodes = g._node
        return sum(1 for u, keys in g._pred[node].items() if "mentions" in keys and nodes[u]["kind"] == "Article")
    return sum(1 for keys in g._succ[node].values() if "mentions" in keys)


def groups(g: nx.MultiDiGraph) -> list[str]:
    """The legend groups present in a graph, sorted."""
    return sorted({group(d) for _, d in g.nodes(data=True) if d["kind"] in SHOWN_KINDS})


def limit(
    g: nx.MultiDiGraph,
    types: Collection[str] | None = None,
    min_mentions: int = 0,
    max_nodes: int | None = None,
) -> nx.MultiDiGraph:
    """The shown part of `g`: nodes of `types` (all when None) mentioned at least `min_mentions` times.

    `min_mentions` applies to entities and events; an article stays while it still links to
    one of them, so a filtered view has no stray headlines. Past `max_nodes`, the most
    mentioned entities and events stay, then the articles that name most of them.
    """
    if types is not None:
        known = set(ENTITY_TYPES) | set(EXTRA_GROUPS)
        unknown = sorted(set(types) - known)
        if unknown:
            raise ViewError(
                f"unknown type {', '.join(unknown)} (未知类型); choose from: {', '.join(sorted(known))}"
            )
    nodes = g._node
    counts = {
        n: mentions(g, n)
        for n, d in nodes.items()
        if d["kind"] in ("Entity", "Event") and (types is None or group(d) in types)
    }
    things = [n for n, c in counts.items() if c >= min_mentions]
    articles = [n for n, d in nodes.items() if d["kind"] == "Article" and (types is None or "Article" in types)]
    over = max_nodes is not None and len(things) + len(articles) > max_nodes
    if over:
        things = sorted(things, key=lambda n: (-counts[n], n))[:max_nodes]
    keep = set(things)
    if min_mentions > 0 or over:
        succ, pred = g._succ, g._pred
        linked = {a: len((succ[a].keys() | pred[a].keys()) & keep) for a in articles}
        articles = sorted((a for a in articles if linked[a]), key=lambda a: (-linked[a], a))
    if over and max_nodes is not None:
        articles = articles[: max_nodes - len(keep)]
    return _subgraph(g, keep | set(articles))


def overview(g: nx.MultiDiGraph, focus: str | None = None) -> list[str]:
    """The nodes a page shows first, in `g`'s order: all of a small view; else the administrative
    tree (districts and subdistricts linked by partOf), the most-mentioned other entities up to
    OVERVIEW_ENTITIES in all, the OVERVIEW_EVENTS events with most links, and `focus` with its
    neighbours. Articles wait for a click: they are most of the nodes and most of the tangle.
    """
    nodes = g._node
    shown = [n for n, d in nodes.items() if d["kind"] in SHOWN_KINDS]
    if len(shown) <= OVERVIEW_ALL:
        return shown
    keep: set[str] = set()
    for u, v, key in g.edges(keys=True):
        if key == "partOf" and nodes[u].get("type") in TREE_TYPES and nodes[v].get("type") in TREE_TYPES:
            keep |= {u, v}
    entities = sorted((n for n, d in nodes.items() if d["kind"] == "Entity" and n not in keep),
                      key=lambda n: (-mentions(g, n), n))
    keep.update(entities[: max(0, OVERVIEW_ENTITIES - len(keep))])
    events = sorted((n for n, d in nodes.items() if d["kind"] == "Event"), key=lambda n: (-g.degree(n), n))
    keep.update(events[:OVERVIEW_EVENTS])
    if focus is not None and focus in g:
        keep |= {focus, *g._succ[focus], *g._pred[focus]}
    return [n for n in shown if n in keep]


def find(g: nx.MultiDiGraph, name: str) -> str:
    """The node an entity or event name (or alias) names; a clear error when none or several do."""
    exact = sorted(n for n, d in g.nodes(data=True) if d["kind"] in ("Entity", "Event") and name in names(d))
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ViewError(f"{name!r} names several nodes (名称不唯一): {', '.join(exact)}; give the full key, e.g. {exact[0]!r}")
    if name in g and g.nodes[name]["kind"] in ("Entity", "Event"):
        return name
    close = sorted(
        str(d["label"]) for n, d in g.nodes(data=True) if d["kind"] in ("Entity", "Event") and any(name in x for x in names(d))
    )
    hint = f"; did you mean: {', '.join(close[:5])}" if close else "; `kg view` without a name shows every entity"
    raise ViewError(f"no entity or event named {name!r} (未找到该实体){hint}")


def neighbourhood(
    g: nx.MultiDiGraph,
    name: str,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_mentions: int = 0,
) -> nx.MultiDiGraph:
    """Everything within `depth` hops of the entity `name`, links followed either way.

    Hops go through articles too: depth 2 from a street reaches what the articles
    about it mention. Limits apply first, but never remove the centre itself.
    """
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth} (深度不能为负)")
    centre = find(g, name)
    shown = limit(g, types, min_mentions)
    if centre not in shown:
        shown = _subgraph(g, set(shown) | {centre})
    reach = nx.single_source_shortest_path_length(shown.to_undirected(as_view=True), centre, cutoff=depth)
    return _subgraph(g, set(reach))


def _subgraph(g: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    """A copy of `g` on `keep`, in `g`'s own node and edge order, so output stays stable."""
    sub: nx.MultiDiGraph = nx.MultiDiGraph()
    nodes, succ = g._node, g._succ
    order = [n for n in nodes if n in keep]
    sub.add_nodes_from((n, nodes[n]) for n in order)
    # the kept nodes' own adjacency, in g's order, instead of a walk over every edge of g
    sub.add_edges_from(
        (u, v, k, d) for u in order for v, keyed in succ[u].items() if v in keep for k, d in keyed.items()
    )
    return sub


def parse_types(text: str | None) -> set[str] | None:
    """`--types Person,Subdistrict` -> {"Person", "Subdistrict"}; None or "" means every type."""
    if not text:
        return None
    return {t.strip() for t in text.replace("，", ",").split(",") if t.strip()}


def describe(g: nx.MultiDiGraph, shown: nx.MultiDiGraph) -> str:
    """The page's note on a limited view: how much of the whole graph it shows."""
    total = sum(1 for _, d in g.nodes(data=True) if d["kind"] in SHOWN_KINDS)
    if shown.number_of_nodes() == total:
        return ""
    return f"全图共 {total:,} 个节点 · {total:,} in the whole graph"
