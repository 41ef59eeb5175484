"""kg.schema, the ontology (pckg.ttl), the HTML legend and the exporters say the same things."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from kg import export, schema
from kg.export import html
from kg.lexicon import locate

PCKG = Namespace(schema.PCKG)


def _ontology() -> Graph:
    return Graph().parse(locate("pckg.ttl"), format="turtle")


def _label(g: Graph, term: URIRef, lang: str) -> str | None:
    found = [str(o) for o in g.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == lang]
    return found[0] if len(found) == 1 else None


def test_every_group_is_a_class_of_the_ontology_with_the_same_labels() -> None:
    g = _ontology()
    for name, label in schema.GROUPS.items():
        assert (PCKG[name], RDF.type, OWL.Class) in g, name
        assert (_label(g, PCKG[name], "zh"), _label(g, PCKG[name], "en")) == (label.zh, label.en), name


def test_every_entity_type_is_a_subclass_of_entity_and_a_group() -> None:
    g = _ontology()
    subclasses = {str(s).removeprefix(schema.PCKG) for s in g.subjects(RDFS.subClassOf, PCKG.Entity)}
    assert subclasses == set(schema.ENTITY_TYPES)
    assert list(schema.GROUPS) == [*schema.ENTITY_TYPES, *schema.EXTRA_GROUPS]
    assert schema.PLACE_TYPES | schema.BODY_TYPES <= set(schema.ENTITY_TYPES)


def test_predicates_the_ontology_defines_carry_its_chinese_label() -> None:
    g = _ontology()
    defined = [p for p in schema.PREDICATE_LABELS if (PCKG[p], RDF.type, None) in g]
    assert set(schema.STATEMENT_PREDICATES) <= set(defined)
    for p in defined:
        assert _label(g, PCKG[p], "zh") == schema.PREDICATE_LABELS[p].zh, p
    assert set(schema.PREDICATE_LABELS) == set(schema.PREDICATES) - {"isPartOf"}


def test_the_ontology_declares_the_prefixes_it_shares_with_the_exports() -> None:
    declared = dict(_ontology().namespaces())
    for prefix in ("pckg", "schema", "org", "prov", "skos", "nif", "rdfs", "xsd"):
        if prefix in declared:
            assert str(declared[prefix]) == schema.PREFIXES[prefix], prefix
    assert str(declared["pckg"]) == schema.PCKG


def test_the_html_legend_names_groups_and_relations_as_the_schema_does() -> None:
    for name, label in schema.GROUPS.items():
        assert (html.GROUPS[name].zh, html.GROUPS[name].en) == (label.zh, label.en)
    for key, (zh, en, _, _) in html.RELATIONS.items():
        assert (zh, en) == (schema.PREDICATE_LABELS[key].zh, schema.PREDICATE_LABELS[key].en)
    assert set(html.RELATIONS) == set(schema.PREDICATE_LABELS)


def test_every_format_name_has_an_exporter_and_no_exporter_is_unnamed() -> None:
    assert sorted(schema.FORMATS) == export.formats()
