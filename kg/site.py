"""HTML pages of a served build: an entity, event or article page, search, the front page.

Each page is read from the store by the canned queries of ontology/pages/*.rq (the resource is
bound as ?this by a VALUES block of pyoxigraph-written terms: see kg.query.with_values) and written by the Jinja2 templates
of kg/serve_assets/ with autoescaping on: every name, sentence and body is escaped, and the
pages load nothing: no script, no font, no CDN; the style sheet is inline.

    pages = Pages(run, links)
    html = pages.resource("https://w3id.org/pckg/id/Village/西谷庄村")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .export.html import GROUPS, RELATIONS
from .export.rdf import PCKG, PREFIXES
from . import lexicon
from .schema import ENTITY_TYPES

ASSETS = Path(__file__).with_name("serve_assets")

Row = Mapping[str, Any]  # variable name -> pyoxigraph term (absent where unbound)
# Runs the canned query `name` with these variables bound to terms; its rows.
Runner = Callable[[str, Mapping[str, Any]], Sequence[Row]]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_SCHEMA = "https://schema.org/"
_ROLE_NAMES = {  # event roles, as events.rq returns them
    f"{_SCHEMA}organizer": "主办 organizer",
    f"{PCKG}undertaker": "承办 undertaker",
    f"{_SCHEMA}attendee": "参与 attendee",
    f"{_SCHEMA}location": "地点 location",
}
# The kinds of resource the graph view (graph.html) draws as nodes.
_IN_VIEW = frozenset((*ENTITY_TYPES, "Event", "Article"))
# How an article names an entity, as articles.rq returns it.
_ARTICLE_ROLES = {"mentions": "提及 mentions", "author": "作者 author", "photographer": "摄影 photographer"}


@lru_cache(maxsize=None)
def page_query(name: str) -> str:
    """The text of ontology/pages/NAME.rq."""
    return lexicon.read_text(f"pages/{name}.rq")


def value(term: Any) -> str:
    """A term's lexical value (an IRI's text, a literal's string); '' when unbound."""
    return "" if term is None else str(term.value)


def curie(iri: str) -> str:
    """A vocabulary IRI as a prefixed name where a project prefix fits (schema:headline)."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and "/" not in iri[len(str(ns)):]:
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def type_name(iri: str) -> str:
    """pckg:Village -> '村 Village'; other classes as their prefixed name."""
    local = iri[len(str(PCKG)):] if iri.startswith(str(PCKG)) else ""
    style = GROUPS.get(local)
    return f"{style.zh} {style.en}" if style else curie(iri)


def relation_name(iri: str) -> str:
    local = iri[len(str(PCKG)):] if iri.startswith(str(PCKG)) else ""
    found = RELATIONS.get(local)
    return f"{found[0]} {found[1]}" if found else curie(iri)


@dataclass(frozen=True)
class Link:
    """A thing to link to: its local address and its text."""

    href: str
    text: str
    kind: str = ""  # the pckg type's local name, for the colour of a highlight


@dataclass(frozen=True)
class Fact:
    """One triple of the resource, for the table of everything it says."""

    predicate: str
    predicate_iri: str
    text: str
    href: str | None
    note: str  # a literal's language tag or datatype


@dataclass
class ArticleRef:
    """An article that mentions the resource, with the sentences that do."""

    link: Link
    date: str
    url: str
    file: str
    role: str
    sentences: list[list[tuple[str, bool]]] = field(default_factory=list)  # pieces, True = the mention


@dataclass(frozen=True)
class TimelineEntry:
    link: Link
    role: str
    type: str
    start: str
    end: str
    date_text: str
    evidence: str


@dataclass(frozen=True)
class RelationEntry:
    relation: str
    direction: str  # "out": this -> other, "in": other -> this
    other: Link
    role: str
    evidence: str
    source: Link | None


class Pages:
    """Renders pages from the rows of the canned queries; `links` maps an IRI to its local address."""

    def __init__(self, run: Runner, links: Callable[[str], str], title: str = "平城新闻知识图谱",
                 view: Callable[[str], str | None] | None = None) -> None:
        self.run = run
        self.href = links
        self.view = view  # an IRI -> where the graph view opens on its node, if there is a view
        self.title = title
        self.env = Environment(loader=FileSystemLoader(ASSETS), autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(site=self.title, **context)

    def _this(self, iri: str, name: str) -> Sequence[Row]:
        import pyoxigraph as ox

        return self.run(name, {"this": ox.NamedNode(iri)})

    def resource(self, iri: str) -> str | None:
        """The page of an entity, event, article or any other subject; None if the graph says nothing of it."""
        rows = self._this(iri, "resource")
        if not rows:
            return None
        facts: list[Fact] = []
        by_p: dict[str, list[str]] = {}
        for row in rows:
            p, o = value(row["p"]), row["o"]
            by_p.setdefault(p, []).append(value(o))
            facts.append(self._fact(p, o, row.get("label")))
        types = by_p.get(_RDF_TYPE, [])
        name = (by_p.get(_LABEL) or by_p.get(_PREF) or [iri])[0]
        kind = next((t[len(str(PCKG)):] for t in types if t.startswith(str(PCKG))), "")
        context: dict[str, Any] = {
            "iri": iri, "name": name, "kind": kind, "facts": facts,
            "types": [type_name(t) for t in sorted(types, key=lambda t: (not t.startswith(str(PCKG)), t))],
            "aliases": sorted(set(by_p.get(_ALT, [])) - {name}),
            "codes": by_p.get(f"{PCKG}divisionCode", []),
        }
        if self.view is not None and kind in _IN_VIEW:
            context["view"] = self.view(iri)
        if kind == "Article":
            return self._article(iri, by_p, context)
        context["chain"] = [(Link(self.href(value(r["up"])), value(r["label"])), value(r.get("code")))
                            for r in self._this(iri, "chain")]
        context["articles"] = self._articles(iri)
        context["timeline"] = [
            TimelineEntry(Link(self.href(value(r["event"])), value(r["label"])), _ROLE_NAMES.get(value(r["role"]), ""),
                          type_name(value(r.get("type"))) if r.get("type") else "", value(r.get("start")),
                          value(r.get("end")), value(r.get("date")), value(r.get("evidence")))
            for r in self._this(iri, "events")
        ]
        context["relations"] = [
            RelationEntry(relation_name(value(r["predicate"])), value(r["direction"]),
                          Link(self.href(value(r["other"])), value(r.get("otherLabel")) or value(r["other"])),
                          value(r.get("role")), value(r.get("evidence")),
                          Link(self.href(value(r["article"])), value(r.get("articleLabel"))) if r.get("article") else None)
            for r in self._this(iri, "relations")
        ]
        if kind == "Event":
            context["event"] = {k: (by_p.get(p) or [""])[0] for k, p in (
                ("start", f"{_SCHEMA}startDate"), ("end", f"{_SCHEMA}endDate"), ("date_text", f"{PCKG}dateText"),
                ("evidence", f"{PCKG}evidence"), ("type", f"{PCKG}eventType"))}
            if context["event"]["type"]:
                context["event"]["type"] = type_name(context["event"]["type"])
        return self.render("resource.html", **context)

    def _fact(self, p: str, o: Any, label: Any) -> Fact:
        import pyoxigraph as ox

        if isinstance(o, ox.Literal):
            note = f"@{o.language}" if o.language else curie(o.datatype.value)
            return Fact(curie(p), p, o.value, None, "" if note == "xsd:string" else note)
        text = value(label) or (type_name(o.value) if p == _RDF_TYPE else curie(value(o)))
        return Fact(curie(p), p, text, self.href(value(o)), "")

    def _articles(self, iri: str) -> list[ArticleRef]:
        found: dict[tuple[str, str], ArticleRef] = {}
        for r in self._this(iri, "articles"):
            a = value(r["article"])
            role = value(r["role"])
            ref = found.get((a, role))
            if ref is None:
                ref = found[(a, role)] = ArticleRef(
                    Link(self.href(a), value(r.get("headline")) or value(r["label"])), value(r.get("date")),
                    value(r.get("url")), value(r.get("file")), _ARTICLE_ROLES.get(role, role))
            sentence = value(r.get("sentence"))
            if sentence:
                pieces = _mark(sentence, value(r.get("anchor")))
                if pieces not in ref.sentences:
                    ref.sentences.append(pieces)
        return list(found.values())

    def _article(self, iri: str, by_p: dict[str, list[str]], context: dict[str, Any]) -> str:
        def first(p: str) -> str:
            return (by_p.get(p) or [""])[0]

        mentions = self._this(iri, "in-article")
        anchors: dict[str, Link] = {}
        things: dict[str, Link] = {}
        for r in mentions:
            thing = value(r["thing"])
            kind = value(r["type"])[len(str(PCKG)):]
            link = Link(self.href(thing), value(r["label"]), kind)
            anchors.setdefault(value(r["anchor"]), link)
            things[thing] = link
        body = first(f"{_SCHEMA}articleBody")
        paragraphs = [_highlight(p, anchors) for p in body.split("\n") if p.strip()]
        authors = [f for f in context["facts"] if f.predicate_iri == f"{_SCHEMA}author"]
        page = next((f for f in context["facts"] if f.predicate_iri == f"{_SCHEMA}isPartOf"), None)
        context.update(
            headline=first(f"{_SCHEMA}headline") or context["name"], kicker=first(f"{PCKG}kicker"),
            subtitle=first(f"{PCKG}subtitle"), date=first(f"{_SCHEMA}datePublished"), url=first(f"{_SCHEMA}url"),
            authors=authors, page=page, paragraphs=paragraphs,
            mentioned=sorted(things.values(), key=lambda link: (link.kind, link.text)),
        )
        return self.render("article.html", **context)

    def search(self, text: str) -> str:
        import pyoxigraph as ox

        results = []
        if text.strip():
            for r in self.run("search", {"q": ox.Literal(text.strip())}):
                results.append((Link(self.href(value(r["thing"])), value(r["label"])), type_name(value(r["type"])),
                                value(r.get("count"))))
        return self.render("search.html", q=text, results=results)

    def home(self, triples: int, build: str) -> str:
        counts = [(type_name(value(r["type"])), value(r["n"])) for r in self.run("counts", {})]
        top = [(Link(self.href(value(r["thing"])), value(r["label"])), type_name(value(r["type"])), value(r["count"]))
               for r in self.run("top", {})]
        return self.render("home.html", counts=counts, top=top, triples=triples, build=build)


def _mark(sentence: str, anchor: str) -> list[tuple[str, bool]]:
    """A sentence cut around the first occurrence of `anchor`: [(text, is_the_mention), …]."""
    at = sentence.find(anchor) if anchor else -1
    if at < 0:
        return [(sentence, False)]
    return [(sentence[:at], False), (anchor, True), (sentence[at + len(anchor):], False)]


def _highlight(text: str, anchors: Mapping[str, Link]) -> list[tuple[str, Link | None]]:
    """Text cut into plain pieces and the printed forms of mentioned things, longest form first."""
    if not anchors:
        return [(text, None)]
    pattern = re.compile("|".join(re.escape(a) for a in sorted(anchors, key=lambda a: (-len(a), a)) if a))
    pieces: list[tuple[str, Link | None]] = []
    at = 0
    for m in pattern.finditer(text):
        if m.start() > at:
            pieces.append((text[at:m.start()], None))
        pieces.append((m.group(), anchors[m.group()]))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces
