"""The standard vocabularies beside the pckg terms: schema.org / W3C ORG types, schema:name, owl:imports.

Tools that know schema.org but not our ontology must find the data without loading pckg.ttl.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import lexicon
from kg.export.rdf import ONTOLOGY_IRI, standard_types
from kg.query import Store, find_query

PLACES = ("AdminArea", "Subdistrict", "Community", "Village", "Place")
BODIES = ("Agency", "Company", "Organization")
PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pckg: <https://w3id.org/pckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@pytest.fixture(scope="module")
def seed(seed_build) -> Store:
    return Store(seed_build[2])


def count(store: Store, where: str) -> int:
    result = store.select(find_query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"))
    return int(result.rows[0][0] or 0)


def pckg_count(store: Store, types: tuple[str, ...]) -> int:
    return count(store, f"VALUES ?t {{ {' '.join('pckg:' + t for t in types)} }} ?x a ?t")


def test_schema_place_finds_every_place_without_the_ontology(seed: Store) -> None:
    places = pckg_count(seed, PLACES)
    assert places > 0
    assert count(seed, "?x a schema:Place") == places
    assert count(seed, "?x a schema:AdministrativeArea") == pckg_count(seed, PLACES[:4])


def test_organizations_people_and_events_have_their_standard_types(seed: Store) -> None:
    bodies = pckg_count(seed, BODIES)
    assert bodies > 0
    assert count(seed, "?x a schema:Organization") == count(seed, "?x a org:Organization") == bodies
    assert count(seed, "?x a schema:GovernmentOrganization") == pckg_count(seed, ("Agency",))
    assert count(seed, "?x a schema:Corporation") == pckg_count(seed, ("Company",))
    assert count(seed, "?x a schema:Person") == pckg_count(seed, ("Person",)) > 0
    assert count(seed, "?x a schema:Event") == pckg_count(seed, ("Event",)) > 0
    assert count(seed, "?x a schema:NewsArticle") == pckg_count(seed, ("Article",)) > 0


def test_every_entity_and_event_has_schema_name_equal_to_its_label(seed: Store) -> None:
    named = count(seed, "?x schema:name ?n ; rdfs:label ?n")
    assert named == pckg_count(seed, (*PLACES, *BODIES, "Person", "Event"))
    assert count(seed, "?x schema:name ?n ; rdfs:label ?l FILTER(?n != ?l)") == 0


def test_the_graph_imports_the_ontology_written_beside_it(seed: Store, seed_build) -> None:
    assert count(seed, f"?x a owl:Ontology ; owl:imports <{ONTOLOGY_IRI}>") == 1
    out: Path = seed_build[2]
    assert (out / "pckg.ttl").read_bytes() == lexicon.locate("pckg.ttl").read_bytes()


def test_standard_types_come_from_the_ontology_file() -> None:
    types = standard_types()
    assert types["Village"] == ("<https://schema.org/AdministrativeArea>", "<https://schema.org/Place>")
    assert types["Agency"] == ("<http://www.w3.org/ns/org#Organization>", "<https://schema.org/GovernmentOrganization>",
                               "<https://schema.org/Organization>")
    assert "Mention" not in types or types["Mention"] == ()  # nif:Phrase is not schema.org or ORG
