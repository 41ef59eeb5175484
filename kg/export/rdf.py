"""Graph -> RDF: Turtle, N-Triples and JSON-LD on schema.org, SKOS, PROV-O and NIF.

IRIs are derived from content: `<base><Type>/<canonical name>` for entities and
events, `<base>article/<hash>` for articles, so the same input gives the same IRIs
whatever the order the pages were read in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from ..model import content_id
from . import register

PCKG = Namespace("https://w3id.org/pckg/ontology#")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ORG = Namespace("http://www.w3.org/ns/org#")
DEFAULT_BASE = "https://w3id.org/pckg/id/"

# Characters an IRI may not hold unescaped (RFC 3987 excludes them; Turtle forbids them in <...>).
_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`#?%/\[\]]')


def base_iri() -> str:
    """The data namespace: $PCKG_BASE_IRI or the project default."""
    return os.environ.get("PCKG_BASE_IRI", DEFAULT_BASE)


def node_iri(node: str, base: str) -> URIRef:
    """`Subdistrict/永泰街道` -> <base>Subdistrict/永泰街道, with unsafe characters percent-encoded."""
    head, _, name = node.partition("/")
    safe = _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), name)
    return URIRef(f"{base}{head}/{safe}")


def _lit(text: str) -> Literal:
    return Literal(text, lang="zh")


def to_rdf(g: nx.MultiDiGraph, base: str | None = None) -> Graph:
    """Translate the graph into RDF triples."""
    base = base or base_iri()
    rdf = Graph()
    for prefix, ns in (
        ("pckg", PCKG),
        ("schema", SCHEMA),
        ("skos", SKOS),
        ("prov", PROV),
        ("nif", NIF),
        ("org", ORG),
        ("id", Namespace(base)),
    ):
        rdf.bind(prefix, ns, override=True)

    def iri(node: str) -> URIRef:
        return node_iri(node, base)

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
            rdf.add((s, NIF.beginIndex, Literal(d["start"])))
            rdf.add((s, NIF.endIndex, Literal(d["end"])))
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
                rdf.add((m, NIF.referenceContext, s))
                rdf.add((m, NIF.anchorOf, _lit(surface)))
                rdf.add((m, NIF.beginIndex, Literal(start)))
                rdf.add((m, NIF.endIndex, Literal(end)))
                rdf.add((m, PCKG.sentence, _lit(sentence)))
                rdf.add((m, PCKG.denotes, o))
        elif predicate == "author":
            rdf.add((s, SCHEMA.author, o))
        elif predicate == "photographer":
            rdf.add((s, PCKG.photographer, o))
        elif predicate in ("partOf", "responsibleFor", "memberOf", "locatedIn"):
            rdf.add((s, PCKG[predicate], o))
            st = URIRef(f"{base}statement/{content_id(u, predicate, v)}")
            rdf.add((st, RDF.type, RDF.Statement))
            rdf.add((st, RDF.subject, s))
            rdf.add((st, RDF.predicate, PCKG[predicate]))
            rdf.add((st, RDF.object, o))
            if d.get("evidence"):
                rdf.add((st, PCKG.evidence, _lit(d["evidence"])))
            if d.get("article"):
                rdf.add((st, PROV.wasDerivedFrom, iri(f"article/{d['article']}")))
            if d.get("role"):
                rdf.add((st, ORG.role, _lit(d["role"])))
        elif predicate == "organizer":
            rdf.add((s, SCHEMA.organizer, o))
        elif predicate == "undertaker":
            rdf.add((s, PCKG.undertaker, o))
        elif predicate == "participant":
            rdf.add((s, SCHEMA.attendee, o))
        elif predicate == "location":
            rdf.add((s, SCHEMA.location, o))
    return rdf


def _write(g: nx.MultiDiGraph, out: Path, name: str, fmt: str) -> list[Path]:
    path = out / name
    data = to_rdf(g).serialize(format=fmt)
    if fmt == "nt":
        # rdflib writes N-Triples in hash order; sorted lines make the file reproducible.
        data = "".join(sorted(line + "\n" for line in data.splitlines() if line))
    path.write_text(data, encoding="utf-8")
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
