"""The RDF mapping as first written, on an rdflib Graph: the oracle the streaming writer is checked against.

kg/export/rdf.py writes the same triples without building a Graph (it was 20 s and 1 GB at
10,000 articles); tests/test_rdf_export.py checks the two agree triple for triple on the seeds.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.export.rdf import (_BODIES, _PLACES, _RELATIONS, DEFAULT_BASE, ITSRDF, NIF, ONTOLOGY_IRI, ORG, PCKG, PREFIXES,
                           SCHEMA, _escape, check_base_iri, node_iri)
from kg import lexicon
from rdflib.namespace import OWL

# The standard classes written beside each pckg class (ontology/pckg.ttl's schema: and org: superclasses).
STANDARD = {
    "AdminArea": (SCHEMA.AdministrativeArea, SCHEMA.Place), "Subdistrict": (SCHEMA.AdministrativeArea, SCHEMA.Place),
    "Community": (SCHEMA.AdministrativeArea, SCHEMA.Place), "Village": (SCHEMA.AdministrativeArea, SCHEMA.Place),
    "Place": (SCHEMA.Place,), "Agency": (SCHEMA.GovernmentOrganization, SCHEMA.Organization, ORG.Organization),
    "Company": (SCHEMA.Corporation, SCHEMA.Organization, ORG.Organization),
    "Organization": (SCHEMA.Organization, ORG.Organization), "Person": (SCHEMA.Person,),
    "Event": (SCHEMA.Event,), "Article": (SCHEMA.NewsArticle,), "Page": (SCHEMA.CreativeWork,),
}
from kg.model import content_id


def _register_iri(base: str) -> str:
    return f"{base}register/{_escape(lexicon.register().version.replace(' ', '-'))}"


def _lit(text: str) -> Literal:
    return Literal(text, lang="zh")


def _offset(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def to_rdf(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """Translate the graph into RDF triples."""
    base = check_base_iri(base)
    rdf = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        rdf.bind(prefix, ns, override=True)

    def iri(node: str) -> URIRef:
        return node_iri(node, base)

    page_of = {u: v for u, v, k in g.edges(keys=True) if k == "isPartOf"}
    rdf.add((URIRef(base), RDF.type, OWL.Ontology))
    rdf.add((URIRef(base), OWL.imports, URIRef(ONTOLOGY_IRI)))

    for node, d in g.nodes(data=True):
        s = iri(node)
        kind = d["kind"]
        for t in STANDARD.get(d["type"] if kind == "Entity" else kind, ()):
            rdf.add((s, RDF.type, t))
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
            if d.get("published"):
                rdf.add((s, SCHEMA.datePublished, Literal(d["published"], datatype=XSD.date)))
            if d.get("url"):
                rdf.add((s, SCHEMA.url, Literal(d["url"], datatype=XSD.anyURI)))
            if d.get("publisher"):
                rdf.add((s, SCHEMA.publisher, _lit(d["publisher"])))
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
            rdf.add((s, SCHEMA.name, _lit(d["label"])))
            rdf.add((s, SKOS.prefLabel, _lit(d["label"])))
            for alias in d["aliases"]:
                rdf.add((s, SKOS.altLabel, _lit(alias)))
            rdf.add((s, PCKG.mentionCount, Literal(d["mention_count"])))
            if d.get("division_code"):
                rdf.add((s, PCKG.divisionCode, Literal(d["division_code"])))
        elif kind == "Event":
            rdf.add((s, RDF.type, PCKG.Event))
            rdf.add((s, RDFS.label, _lit(d["label"])))
            rdf.add((s, SCHEMA.name, _lit(d["label"])))
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

    if any("division_code" in d for _, d in g.nodes(data=True)):
        register = URIRef(_register_iri(base))
        rdf.add((register, RDF.type, PCKG.DivisionRegister))
        rdf.add((register, RDFS.label, _lit("统计用区划代码（大同市）")))
        rdf.add((register, SCHEMA.version, Literal(lexicon.register().version)))
        rdf.add((register, SCHEMA.description, _lit(lexicon.register().vintage)))
        rdf.add((register, PROV.hadPrimarySource, Literal(lexicon.register().source)))
        rdf.add((register, RDFS.comment, Literal("ontology/register/datong.tsv, written by ontology/register/generate.py", lang="en")))

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
    if predicate == "officialPartOf":
        source = URIRef(_register_iri(base))
    if source is not None:
        rdf.add((st, PROV.wasDerivedFrom, source))
    types = (g.nodes[u].get("type"), g.nodes[v].get("type"))
    if predicate in ("partOf", "officialPartOf"):
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
