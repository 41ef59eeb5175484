"""The graph's vocabulary in one place: node kinds, entity types, edge predicates, RDF
namespaces, legend groups with their bilingual labels, and the export format names.

ontology/pckg.ttl says the same in OWL; tests/test_schema.py checks that the two agree
(every type and predicate here is a class or property there, with the same labels), and the
HTML legend, the Neo4j labels, the RDF prefixes and `kg build --help` all read from here.
This module imports nothing of ours, so any module may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

# The nine entity types of the gold guideline, in the order reports list them.
ENTITY_TYPES = (
    "AdminArea",
    "Subdistrict",
    "Community",
    "Village",
    "Place",
    "Agency",
    "Company",
    "Organization",
    "Person",
)
PLACE_TYPES = frozenset({"AdminArea", "Subdistrict", "Community", "Village", "Place"})
BODY_TYPES = frozenset({"Agency", "Company", "Organization"})

# Every node has one `kind`; an Entity also has one of ENTITY_TYPES as `type`.
KINDS = ("Page", "Article", "Fragment", "Entity", "Event")
# What a reader looks at; pages and fragments are bookkeeping.
SHOWN_KINDS = ("Entity", "Event", "Article")

# The edge keys of kg.graph, in the order files list them.
PREDICATES = ("isPartOf", "mentions", "author", "photographer", "partOf", "responsibleFor", "memberOf",
              "locatedIn", "officialPartOf", "organizer", "undertaker", "participant", "location")
# The relations between entities: each carries its evidence, a sentence of its article or, for
# officialPartOf (the register's chain), the register's rows; that one has no article.
STATEMENT_PREDICATES = ("partOf", "responsibleFor", "memberOf", "locatedIn", "officialPartOf")

# Namespaces of the RDF exports and of SPARQL prefixes, by prefix, sorted.
PCKG = "https://w3id.org/pckg/ontology#"
DEFAULT_BASE_IRI = "https://w3id.org/pckg/id/"
PREFIXES: Mapping[str, str] = {
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "org": "http://www.w3.org/ns/org#",
    "pckg": PCKG,
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# The export formats a build can write, by the name `kg build -f` takes (kg.export registers
# one writer for each; tests/test_schema.py checks the two lists agree).
FORMATS = ("turtle", "ntriples", "jsonld", "html", "neo4j", "graphml")


@dataclass(frozen=True)
class Label:
    """A name in both languages, as pckg.ttl gives it (rdfs:label ...@zh, ...@en)."""

    zh: str
    en: str


# Legend groups: the nine entity types, then Event and Article; labels are pckg.ttl's.
GROUPS: Mapping[str, Label] = {
    "AdminArea": Label("行政区", "Administrative area"),
    "Subdistrict": Label("街道", "Subdistrict"),
    "Community": Label("社区", "Community"),
    "Village": Label("村", "Village"),
    "Place": Label("地点", "Place"),
    "Agency": Label("机关单位", "Agency"),
    "Company": Label("企业", "Company"),
    "Organization": Label("组织", "Organization"),
    "Person": Label("人物", "Person"),
    "Event": Label("事件", "Event"),
    "Article": Label("文章", "Article"),
}
# What `kg view --types` accepts besides the entity types.
EXTRA_GROUPS = ("Event", "Article")

# Edge predicates as the legend names them. Those pckg.ttl defines carry its Chinese label;
# the rest are schema.org terms, named here.
PREDICATE_LABELS: Mapping[str, Label] = {
    "partOf": Label("隶属", "part of"),
    "officialPartOf": Label("隶属（区划代码）", "part of, by the official register"),
    "locatedIn": Label("位于", "located in"),
    "responsibleFor": Label("包保", "responsible for"),
    "memberOf": Label("成员", "member of"),
    "organizer": Label("主办", "organizer"),
    "undertaker": Label("承办单位", "undertaker"),
    "participant": Label("参与", "participant"),
    "location": Label("地点", "location"),
    "author": Label("作者", "author"),
    "photographer": Label("摄影", "photographer"),
    "mentions": Label("提及", "mentions"),
}


def group(data: Mapping[str, Any]) -> str:
    """The group of a node's attributes: its entity type, or its kind (Event, Article, Page, ...).

    It names the node's legend group in the HTML view and its label and file in Neo4j.
    """
    return str(data["type"]) if data["kind"] == "Entity" else str(data["kind"])
