"""Pages, articles and extraction -> the one in-memory graph every exporter reads.

Nodes are keyed by stable, content-derived ids:
  "page/<hash>", "article/<hash>", "fragment/<hash>", "<Type>/<canonical name>", "Event/<name>".
Every node has `kind` (Page Article Fragment Entity Event) and `label`.
Edges carry `predicate` as their key: isPartOf mentions author photographer
partOf responsibleFor memberOf locatedIn organizer undertaker participant location.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator

import networkx as nx

from .model import ENTITY_TYPES, Entity, Extraction, PageDoc


def page_node(page_id: str) -> str:
    return f"page/{page_id}"


def article_node(article_id: str) -> str:
    return f"article/{article_id}"


def build_graph(docs: Iterable[PageDoc], extraction: Extraction) -> nx.MultiDiGraph:
    """Assemble the graph; node and edge insertion order is sorted, so output is stable."""
    g: nx.MultiDiGraph = nx.MultiDiGraph()
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
            )
            g.add_edge(node, page_at, key="isPartOf")
        for f in doc.fragments:
            node = f"fragment/{f.id}"
            g.add_node(node, kind="Fragment", label=f.text[:20], text=f.text, reason=f.reason, start=f.start, end=f.end)
            g.add_edge(node, page_at, key="isPartOf")

    g.add_nodes_from(
        (e.key, {"kind": "Entity", "type": e.type, "label": e.name, "aliases": list(e.aliases), "mention_count": len(e.mentions)})
        for e in extraction.entities
    )
    # one call for every edge: networkx's per-call bookkeeping was a third of the graph's time
    g.add_edges_from(_mention_edges(extraction.entities))
    _add_credits(g, docs, extraction.entities)

    for r in sorted(extraction.relations, key=lambda r: (r.subject, r.predicate, r.object, r.article, r.evidence)):
        for key in (r.subject, r.object):
            type_, _, name = key.partition("/")
            if key not in g and type_ in ENTITY_TYPES:
                # a unit only a sub-unit's name spells out (…平城分局 in …平城分局反诈中心): named, never mentioned
                g.add_node(key, kind="Entity", type=type_, label=name, aliases=[], mention_count=0)
        if r.subject in g and r.object in g and not g.has_edge(r.subject, r.object, key=r.predicate):
            g.add_edge(r.subject, r.object, key=r.predicate, evidence=r.evidence, article=r.article, role=r.role)

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
            g.add_edge(article_node(article_id), ev.key, key="mentions", mentions=[])
        for predicate, targets in (
            ("organizer", ev.organizers),
            ("undertaker", ev.undertakers),
            ("participant", ev.participants),
            ("location", (ev.location,) if ev.location else ()),
        ):
            for target in sorted(set(targets)):
                if target in g:
                    g.add_edge(ev.key, target, key=predicate)
    return g


def _mention_edges(entities: tuple[Entity, ...]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """article -> entity "mentions" edges, each with the mentions as (surface, start, end, sentence)."""
    for e in entities:
        per_article: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
        for m in e.mentions:
            if m.article:
                per_article[m.article].append((m.surface, m.start, m.end, m.sentence))
        for article_id in sorted(per_article):
            yield article_node(article_id), e.key, "mentions", {"mentions": per_article[article_id]}


def _add_credits(g: nx.MultiDiGraph, docs: list[PageDoc], entities: tuple[Entity, ...]) -> None:
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
                    if person and not g.has_edge(article_node(a.id), person, key=predicate):
                        g.add_edge(article_node(a.id), person, key=predicate)


def entity_nodes(g: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d["kind"] == "Entity")
