"""Pages, articles and extraction -> the one in-memory graph every exporter reads.

Nodes are keyed by stable ids:
  "page/<hash>", "article/<hash>", "fragment/<hash>", "<Type>/<canonical name>", "Event/<name>";
the hashes are of the page's identity (its address, else its file name) and the article's headline
or the fragment's place, not of the text (kg.model.Page.id, docs/rdf-sparql.md).
Every node has `kind` (Page Article Fragment Entity Event) and `label`.
Edges carry `predicate` as their key: isPartOf mentions author photographer
partOf responsibleFor memberOf locatedIn organizer undertaker participant location, and
officialPartOf (a partOf the official register states; its evidence is the register's rows and
it has no article).
A division the register knows has `division_code`, its 12-digit code.
With an article memo, g.graph["article_keys"] maps each article node to Extraction.article_keys.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator, NamedTuple

import networkx as nx

from .model import BYLINE, ENTITY_TYPES, Entity, Extraction, PageDoc

Edge = tuple[str, str, str, dict[str, Any]]  # from, to, key (the predicate), attributes


class MentionAt(NamedTuple):
    """One printed mention, as an article -> entity "mentions" edge lists them."""

    surface: str  # as printed
    start: int  # offsets in the page text
    end: int
    sentence: str  # the sentence it stands in


def page_node(page_id: str) -> str:
    return f"page/{page_id}"


def article_node(article_id: str) -> str:
    return f"article/{article_id}"


def build_graph(docs: Iterable[PageDoc], extraction: Extraction, elsewhere: Iterable[str] = ()) -> nx.MultiDiGraph:
    """Assemble the graph; node and edge insertion order is sorted, so output is stable.

    `elsewhere`: ids of articles whose records another process writes (kg.cluster): each is a
    bare node (kind only) holding its edges to events, which the events' records read; its
    edges to entities, which only its own record reads, are left out.
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    skip = {article_node(a) for a in elsewhere}
    g.add_nodes_from((node, {"kind": "Article"}) for node in skip)
    edges: list[Edge] = []
    docs = sorted(docs, key=lambda d: (d.page.name, d.page.id))
    for doc in docs:
        page = doc.page
        page_at = page_node(page.id)
        g.add_node(page_at, kind="Page", label=page.name, source_file=page.name, encoding=page.encoding)
        for a in doc.articles:
            node = article_node(a.id)
            g.add_node(
                node,
                kind="Article",
                label=a.headline or f"{page.name} #{a.index}",
                headline=a.headline,
                kicker=a.kicker,
                subtitle=a.subtitle,
                page=page.name,
                index=a.index,
                start=a.start,
                end=a.end,
                body=a.body,
                published=a.published,
                url=a.url,
                publisher=a.publisher,
            )
            edges.append((node, page_at, "isPartOf", {}))
        for f in doc.fragments:
            node = f"fragment/{f.id}"
            g.add_node(node, kind="Fragment", label=f.text[:20], text=f.text, reason=f.reason, start=f.start, end=f.end)
            edges.append((node, page_at, "isPartOf", {}))

    g.add_nodes_from(
        (e.key, {"kind": "Entity", "type": e.type, "label": e.name, "aliases": list(e.aliases), "mention_count": len(e.mentions)})
        for e in extraction.entities
    )
    edges.extend(e for e in _mention_edges(extraction.entities) if e[0] not in skip)
    edges.extend(_credits(docs, extraction.entities))

    stated_and_official = (*extraction.relations, *extraction.official_relations)
    for r in sorted(stated_and_official, key=lambda r: (r.subject, r.predicate, r.object, r.article, r.evidence)):
        for key in (r.subject, r.object):
            type_, _, name = key.partition("/")
            if key not in g and type_ in ENTITY_TYPES:
                # a unit only a sub-unit's name spells out (…平城分局 in …平城分局反诈中心): named, never mentioned
                g.add_node(key, kind="Entity", type=type_, label=name, aliases=[], mention_count=0)
        if r.subject in g and r.object in g:
            edges.append((r.subject, r.object, r.predicate, {"evidence": r.evidence, "article": r.article, "role": r.role}))

    for ev in sorted(extraction.events, key=lambda e: e.key):
        g.add_node(
            ev.key,
            kind="Event",
            type=ev.type,
            label=ev.name,
            date_text=ev.date_text,
            date_start=ev.date_start,
            date_end=ev.date_end,
            date_basis=ev.date_basis,
            evidence=ev.evidence,
        )
        for article_id in sorted(ev.articles):
            edges.append((article_node(article_id), ev.key, "mentions", {"mentions": []}))
        for predicate, targets in (
            ("organizer", ev.organizers),
            ("undertaker", ev.undertakers),
            ("participant", ev.participants),
            ("location", (ev.location,) if ev.location else ()),
        ):
            for target in sorted(set(targets)):
                if target in g:
                    edges.append((ev.key, target, predicate, {}))
    _add_edges(g, edges)
    for key, code in extraction.division_codes:
        if key in g:
            g.nodes[key]["division_code"] = code
    if extraction.article_keys:
        g.graph["article_keys"] = {article_node(a): k for a, k in extraction.article_keys.items()}
    return g


def _add_edges(g: nx.MultiDiGraph, edges: Iterable[Edge]) -> None:
    """Add edges between nodes already in `g`; of two with the same ends and key, the first stays.

    Written straight into networkx's documented adjacency dicts (succ[u][v] is pred[v][u], a
    dict of key -> attributes): add_edge's per-edge checks and cache clearing were 60% of the
    time to build the graph, and a graph built here has no cached results to clear yet.
    """
    succ, pred = g._succ, g._pred
    for u, v, key, data in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys.setdefault(key, data)


def _mention_edges(entities: tuple[Entity, ...]) -> Iterator[Edge]:
    """article -> entity "mentions" edges, each with its mentions in the text as MentionAt records.

    A name only a byline or photo credit prints keeps its "mentions" edge (the team's scorer
    and the gold count a page's reporters among its people) but lists no mention: the credit is
    the author / photographer edge, and "articles that mention X" means X is named in the text
    (docs/rdf-sparql.md, "Bylines").
    """
    for e in entities:
        per_article: dict[str, list[MentionAt]] = defaultdict(list)
        for m in e.mentions:
            if not m.article:
                continue
            at = per_article[m.article]
            if m.source != BYLINE:
                # _make: the tuple made in C, not through the class's Python __new__ (27,838 at 1,000 pages)
                at.append(MentionAt._make((m.surface, m.start, m.end, m.sentence)))
        for article_id in sorted(per_article):
            yield article_node(article_id), e.key, "mentions", {"mentions": per_article[article_id]}


def _credits(docs: list[PageDoc], entities: tuple[Entity, ...]) -> Iterator[Edge]:
    """author / photographer edges from each article's byline to the resolved person."""
    person_of: dict[tuple[str, str], str] = {}
    for e in entities:
        if e.type == "Person":
            for m in e.mentions:
                person_of[(m.article, m.surface)] = e.key
    for doc in docs:
        for a in doc.articles:
            for predicate, names in (("author", (*a.reporters, *a.columnists)), ("photographer", a.photographers)):
                for name in names:
                    person = person_of.get((a.id, name))
                    if person:
                        yield article_node(a.id), person, predicate, {}
