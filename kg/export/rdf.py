"""Graph -> RDF: Turtle, N-Triples and JSON-LD on the pckg ontology (ontology/pckg.ttl).

The ontology reuses schema.org, SKOS, PROV-O, NIF and W3C ORG; this module writes:
  page      a pckg:Page ; pckg:sourceFile "<file>"
  article   a pckg:Article ; schema:isPartOf <page> ; schema:headline "…"@zh (or pckg:headlineless true) ;
            schema:author <person> ; schema:mentions <entity or event>
  entity    a pckg:<one of nine types> ; rdfs:label / skos:prefLabel "<name>"@zh ; skos:altLabel "<form>"@zh
  mention   a pckg:Mention ; nif:referenceContext <page> ; nif:beginIndex/endIndex (page offsets) ;
            nif:anchorOf ; pckg:sentence ; pckg:inArticle <article> ; itsrdf:taIdentRef <entity>
  relation  <s> pckg:partOf|responsibleFor|memberOf|locatedIn <o>, plus a pckg:RelationStatement with
            pckg:evidence and prov:wasDerivedFrom <article>; memberOf also as an org:Membership with its
            org:Role; partOf also as schema:containedInPlace (places) or org:subOrganizationOf (bodies)
  event     a pckg:Event ; rdfs:label ; pckg:eventType ; schema:organizer / location / startDate … ;
            pckg:evidence ; prov:wasDerivedFrom <article>

IRIs are derived from content: `<base><Type>/<canonical name>` for entities and events,
`<base>article/<hash>` for articles, so the same input gives the same IRIs whatever the
order the pages were read in. The base is, first found: `kg build --base-iri` (stored as
the graph attribute "base_iri"), $PCKG_BASE_IRI, DEFAULT_BASE.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from ..errors import OutputError
from ..model import content_id
from . import register

PCKG = Namespace("https://w3id.org/pckg/ontology#")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
ORG = Namespace("http://www.w3.org/ns/org#")
DEFAULT_BASE = "https://w3id.org/pckg/id/"

PREFIXES: dict[str, Namespace] = {
    "itsrdf": ITSRDF,
    "nif": NIF,
    "org": ORG,
    "pckg": PCKG,
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "skos": Namespace(str(SKOS)),
    "xsd": Namespace(str(XSD)),
}

_PLACES = frozenset({"AdminArea", "Subdistrict", "Community", "Village", "Place"})
_BODIES = frozenset({"Agency", "Company", "Organization"})
_RELATIONS = ("partOf", "responsibleFor", "memberOf", "locatedIn")

# Characters an IRI may not hold unescaped (RFC 3987 excludes them; Turtle forbids them in <...>).
_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`#?%/\[\]]')
_BASE_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$")


def base_iri(g: nx.MultiDiGraph | None = None) -> str:
    """The data namespace: the graph's "base_iri", else $PCKG_BASE_IRI, else the project default."""
    base = (g.graph.get("base_iri") if g is not None else None) or os.environ.get("PCKG_BASE_IRI") or DEFAULT_BASE
    return check_base_iri(base)


def check_base_iri(base: str) -> str:
    """`base` if it is an absolute IRI ending in / or #, else an OutputError saying so."""
    if not _BASE_OK.match(base):
        raise OutputError(
            f"base IRI {base!r} is not an absolute IRI ending in '/' or '#' (基础 IRI 无效); "
            f"use e.g. {DEFAULT_BASE!r}"
        )
    return base


def _escape(text: str) -> str:
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)


def node_iri(node: str, base: str) -> URIRef:
    """`Subdistrict/永泰街道` -> <base>Subdistrict/永泰街道, with unsafe characters percent-encoded."""
    head, _, name = node.partition("/")
    return URIRef(f"{base}{head}/{_escape(name)}")


def _lit(text: str) -> Literal:
    return Literal(text, lang="zh")


def _offset(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def to_rdf(g: nx.MultiDiGraph, base: str | None = None) -> Graph:
    """Translate the graph into RDF triples."""
    base = check_base_iri(base) if base else base_iri(g)
    rdf = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        rdf.bind(prefix, ns, override=True)

    def iri(node: str) -> URIRef:
        return node_iri(node, base)

    page_of = {u: v for u, v, k in g.edges(keys=True) if k == "isPartOf"}

    for node, d in g.nodes(data=True):
        s = iri(node)
        kind = d["kind"]
        if kind == "Page":
            rdf.add((s, RDF.type, PCKG.Page))
            rdf.add((s, PCKG.sourceFile, Literal(d["source_file"])))
            rdf.add((s, RDFS.label, Literal(d["source_file"])))
        elif kind == "Article":
            rdf.add((s, RDF.type, PCKG.Article))
            if d["headline"]:
                rdf.add((s, SCHEMA.headline, _lit(d["headline"])))
            else:
                rdf.add((s, PCKG.headlineless, Literal(True)))
            for field, prop in (("kicker", PCKG.kicker), ("subtitle", PCKG.subtitle)):
                if d.get(field):
                    rdf.add((s, prop, _lit(d[field])))
            rdf.add((s, RDFS.label, _lit(d["label"])))
            rdf.add((s, PCKG.position, Literal(d["index"])))
            rdf.add((s, SCHEMA.articleBody, _lit(d["body"])))
        elif kind == "Fragment":
            rdf.add((s, RDF.type, PCKG.Fragment))
            rdf.add((s, NIF.isString, _lit(d["text"])))
            rdf.add((s, PCKG.reason, Literal(d["reason"])))
            rdf.add((s, NIF.beginIndex, _offset(d["start"])))
            rdf.add((s, NIF.endIndex, _offset(d["end"])))
            if node in page_of:
                rdf.add((s, NIF.referenceContext, iri(page_of[node])))
        elif kind == "Entity":
            rdf.add((s, RDF.type, PCKG[d["type"]]))
            rdf.add((s, RDFS.label, _lit(d["label"])))
            rdf.add((s, SKOS.prefLabel, _lit(d["label"])))
            for alias in d["aliases"]:
                rdf.add((s, SKOS.altLabel, _lit(alias)))
            rdf.add((s, PCKG.mentionCount, Literal(d["mention_count"])))
        elif kind == "Event":
            rdf.add((s, RDF.type, PCKG.Event))
            rdf.add((s, RDFS.label, _lit(d["label"])))
            rdf.add((s, PCKG.eventType, PCKG[d["type"]]))
            if d.get("date_text"):
                rdf.add((s, PCKG.dateText, _lit(d["date_text"])))
            for field, prop in (("date_start", SCHEMA.startDate), ("date_end", SCHEMA.endDate)):
                if d.get(field):
                    rdf.add((s, prop, Literal(d[field], datatype=XSD.date)))
            if d.get("date_basis"):
                rdf.add((s, PCKG.dateBasis, Literal(d["date_basis"])))
            if d.get("evidence"):
                rdf.add((s, PCKG.evidence, _lit(d["evidence"])))

    for u, v, predicate, d in g.edges(keys=True, data=True):
        s, o = iri(u), iri(v)
        if predicate == "isPartOf":
            rdf.add((s, SCHEMA.isPartOf, o))
        elif predicate == "mentions":
            rdf.add((s, SCHEMA.mentions, o))
            if g.nodes[v]["kind"] == "Event":
                rdf.add((o, PROV.wasDerivedFrom, s))
            for surface, start, end, sentence in d.get("mentions", ()):
                m = URIRef(f"{base}mention/{content_id(u, v, str(start), str(end))}")
                rdf.add((m, RDF.type, PCKG.Mention))
                if u in page_of:
                    rdf.add((m, NIF.referenceContext, iri(page_of[u])))
                rdf.add((m, PCKG.inArticle, s))
                rdf.add((m, NIF.anchorOf, _lit(surface)))
                rdf.add((m, NIF.beginIndex, _offset(start)))
                rdf.add((m, NIF.endIndex, _offset(end)))
                rdf.add((m, PCKG.sentence, _lit(sentence)))
                rdf.add((m, ITSRDF.taIdentRef, o))
        elif predicate == "author":
            rdf.add((s, SCHEMA.author, o))
        elif predicate == "photographer":
            rdf.add((s, PCKG.photographer, o))
        elif predicate in _RELATIONS:
            _add_relation(rdf, g, base, u, v, predicate, d)
        elif predicate == "organizer":
            rdf.add((s, SCHEMA.organizer, o))
        elif predicate == "undertaker":
            rdf.add((s, PCKG.undertaker, o))
        elif predicate == "participant":
            rdf.add((s, SCHEMA.attendee, o))
        elif predicate == "location":
            rdf.add((s, SCHEMA.location, o))
    return rdf


def _add_relation(rdf: Graph, g: nx.MultiDiGraph, base: str, u: str, v: str, predicate: str, d: dict[str, Any]) -> None:
    """The direct triple, its reified statement with evidence, and the matching standard terms."""
    s, o = node_iri(u, base), node_iri(v, base)
    rdf.add((s, PCKG[predicate], o))
    st = URIRef(f"{base}statement/{content_id(u, predicate, v)}")
    rdf.add((st, RDF.type, PCKG.RelationStatement))
    rdf.add((st, RDF.subject, s))
    rdf.add((st, RDF.predicate, PCKG[predicate]))
    rdf.add((st, RDF.object, o))
    if d.get("evidence"):
        rdf.add((st, PCKG.evidence, _lit(d["evidence"])))
    source = node_iri(f"article/{d['article']}", base) if d.get("article") else None
    if source is not None:
        rdf.add((st, PROV.wasDerivedFrom, source))
    types = (g.nodes[u].get("type"), g.nodes[v].get("type"))
    if predicate == "partOf":
        if types[0] in _PLACES and types[1] in _PLACES:
            rdf.add((s, SCHEMA.containedInPlace, o))
        elif types[0] in _BODIES and types[1] in _BODIES:
            rdf.add((s, ORG.subOrganizationOf, o))
    elif predicate == "memberOf":
        role = d.get("role")
        ms = URIRef(f"{base}membership/{content_id(u, v, role or '')}")
        rdf.add((ms, RDF.type, ORG.Membership))
        rdf.add((ms, ORG.member, s))
        rdf.add((ms, ORG.organization, o))
        if source is not None:
            rdf.add((ms, PROV.wasDerivedFrom, source))
        if role:
            r = URIRef(f"{base}role/{_escape(role)}")
            rdf.add((r, RDF.type, ORG.Role))
            rdf.add((r, RDFS.label, _lit(role)))
            rdf.add((ms, ORG.role, r))


def serialize(rdf: Graph, fmt: str) -> str:
    """Serialize reproducibly: the same triples give the same text, whatever their insertion order."""
    if fmt == "nt":
        # rdflib writes N-Triples in hash order; sorted lines make the file reproducible.
        data = rdf.serialize(format="nt")
        return "".join(sorted(line + "\n" for line in data.splitlines() if line))
    if fmt == "json-ld":
        # rdflib's JSON-LD writer walks subjects in set (hash) order; JSON-LD nodes and
        # property values are unordered sets, so sorting them changes no meaning.
        context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
        doc = json.loads(rdf.serialize(format="json-ld", context=context, auto_compact=True))
        nodes = doc.get("@graph", [doc] if "@id" in doc else [])
        nodes = sorted((_sort_values(n) for n in nodes), key=lambda n: str(n.get("@id", "")))
        out = {"@context": context, "@graph": nodes}
        return json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    # The Turtle writer sorts subjects, predicates and objects itself.
    return rdf.serialize(format=fmt)


def _sort_values(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            continue
        if isinstance(value, list):
            value = sorted(value, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        out[key] = value
    return out


def _write(g: nx.MultiDiGraph, out: Path, name: str, fmt: str) -> list[Path]:
    path = out / name
    path.write_text(serialize(to_rdf(g), fmt), encoding="utf-8")
    return [path]


@register("turtle")
def write_turtle(g: nx.MultiDiGraph, out: Path) -> list[Path]:
    return _write(g, out, "graph.ttl", "turtle")


@register("ntriples")
def write_ntriples(g: nx.MultiDiGraph, out: Path) -> list[Path]:
    return _write(g, out, "graph.nt", "nt")


@register("jsonld")
def write_jsonld(g: nx.MultiDiGraph, out: Path) -> list[Path]:
    return _write(g, out, "graph.jsonld", "json-ld")
