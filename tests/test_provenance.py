"""Every relation and event the seed build writes carries its evidence text and source article."""

from __future__ import annotations

from rdflib import RDF, Graph, Namespace
from rdflib.namespace import PROV

PCKG = Namespace("https://w3id.org/pckg/ontology#")
RELATIONS = {PCKG.partOf, PCKG.responsibleFor, PCKG.memberOf, PCKG.locatedIn}


def _turtle(seed_build) -> Graph:
    _, _, out = seed_build
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    return g


def _sourced(g: Graph, node) -> bool:
    evidence = [str(e) for e in g.objects(node, PCKG.evidence)]
    sources = list(g.objects(node, PROV.wasDerivedFrom))
    return bool(evidence) and all(e.strip() for e in evidence) and bool(sources) and all(
        (s, RDF.type, PCKG.Article) in g for s in sources
    )


def test_every_relation_statement_has_evidence_and_a_source_article(seed_build):
    g = _turtle(seed_build)
    # reified statements, whatever class the exporter gives them (rdf:Statement or a subclass)
    statements = {st for p in RELATIONS for st in g.subjects(RDF.predicate, p)}
    asserted = [(s, p, o) for p in RELATIONS for s, o in g.subject_objects(p)]
    assert len(statements) >= 20 and len(statements) == len(asserted)
    assert [st for st in statements if not _sourced(g, st)] == []


def test_every_event_has_evidence_and_a_source_article(seed_build):
    g = _turtle(seed_build)
    found = list(g.subjects(RDF.type, PCKG.Event))
    assert len(found) >= 30
    assert [e for e in found if not _sourced(g, e)] == []


def test_relations_and_events_do_not_depend_on_page_or_entity_order(seed_pages):
    from kg import events, relations
    from kg.build import extract, read

    docs, _ = read(seed_pages)
    found = extract(docs)
    backwards = list(reversed(docs)), tuple(reversed(found.entities))
    assert relations.extract(*backwards) == found.relations
    assert events.extract(*backwards) == found.events
