"""Entities -> the official register: a division code for each division it names, and the
register's partOf chain above it (ontology/register/datong.tsv, docs/register.md).

Matching rule. An AdminArea, Subdistrict, Community or Village entity is matched to a register
entry of its own type whose canonical or official name is the entity's name:
  - one such entry: matched, unless an article naming the entity names a city or province
    that is not above the entry and no district or 街道 that is (a 先锋村 in a story about
    河北省 is not Datong's);
  - several (many village names repeat across counties): matched only when the articles naming
    the entity name, beside it, a division above exactly one of the entries, the most specific
    named level deciding (广灵县一斗泉乡榆林村: the 榆林村 of 一斗泉乡). The newspaper's home
    district, 平城区, decides only when the article names it (平城区, or a body named after it:
    平城区委统战部), never by default;
  - articles that disagree leave the entity unmatched.
A matched entity gets the entry's code and the chain of entries above it up to the city
(village -> 街道/乡镇 -> 区/县 -> 大同市), as `officialPartOf` relations whose provenance is the
register, not an article. A division of the chain that no article names becomes a node of the
graph (so the chain is whole) but never a mention: register entries no article names are not
entities of any article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from . import lexicon
from .model import Entity, Relation

DIVISION_TYPES = ("AdminArea", "Subdistrict", "Community", "Village")
OFFICIAL = "officialPartOf"  # the predicate of a register-derived partOf
_TOP = "city"  # the chain stops at the city (大同市): above it the register holds only the province
# How specific a named division is as context: a 街道/乡镇 says more than a district.
_RANK = {"subdistrict": 3, "town": 3, "township": 3, "district": 2, "city": 1, "province": 0}


@dataclass(frozen=True)
class Registered:
    """What the register adds to a corpus's entities."""

    codes: tuple[tuple[str, str], ...]  # (entity key, 12-digit code), sorted; chain nodes included
    chain: tuple[Relation, ...]  # officialPartOf; evidence: the register's two rows; article "" (no article)
    unmatched: tuple[tuple[str, str], ...]  # (entity key, why) for names the register holds but not once


def key_of(entry: lexicon.RegisterEntry) -> str:
    return f"{entry.type}/{entry.name}"


def _candidates(entity: Entity) -> list[lexicon.RegisterEntry]:
    reg = lexicon.register()
    found = {e.code: e for form in (entity.name, *entity.aliases) for e in reg.by_name.get(form, ()) if e.type == entity.type}
    by_name = [e for e in found.values() if e.name == entity.name]
    return sorted(by_name or found.values(), key=lambda e: e.code)


def _context(entities: Iterable[Entity]) -> dict[str, set[str]]:
    """Article id -> the divisions it names (gazetteer and register names), including those a
    body's name starts with (平城区委统战部 names 平城区 as its jurisdiction)."""
    known = set(lexicon.gazetteer()) | set(lexicon.register().by_name)
    out: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        names = {e.name} if e.type in DIVISION_TYPES else {e.name[:k] for k in range(2, min(len(e.name), 8))}
        names &= known
        if names:
            for m in e.mentions:
                if m.article:
                    out[m.article] |= names
    return out


def _choose(entity: Entity, candidates: list[lexicon.RegisterEntry], context: dict[str, set[str]]) -> tuple[lexicon.RegisterEntry | None, str]:
    """The entry this entity names, or None and why."""
    reg = lexicon.register()
    articles = sorted({m.article for m in entity.mentions if m.article})
    choices: set[str] = set()
    for article in articles:
        named = context.get(article, set()) - {entity.name}
        best, rank = [], 0
        for c in candidates:
            above = reg.chain(c.code)[1:]
            r = max((_RANK.get(a.level, 0) for a in above if a.name in named and a.level != "province"), default=0)
            if r > rank:
                best, rank = [c], r
            elif r == rank and r > 0:
                best.append(c)
        if rank < _RANK["district"]:
            # nothing below the city names the place: a unique entry stands unless the article
            # places the story in another city or province (a Datong paper names its own
            # districts side by side: a 平城区 story may name a village of the 开发区)
            gazetteer = lexicon.gazetteer()
            above_names = {a.name for c in candidates for a in reg.chain(c.code)[1:]}
            elsewhere = {n for n in named if n in gazetteer and gazetteer[n].type == "AdminArea"
                         and gazetteer[n].level in ("city", "province") and n not in above_names}
            if len(candidates) == 1 and not elsewhere:
                choices.add(candidates[0].code)
            continue
        if len(best) == 1:
            choices.add(best[0].code)
        else:
            return None, f"{len(candidates)} register entries; the text names no division that tells them apart"
    if len(choices) == 1:
        return reg.by_code[choices.pop()], ""
    if not choices:
        if len(candidates) > 1:
            return None, f"{len(candidates)} register entries; the text names no division that tells them apart"
        return None, "the article places it outside the register's district"
    return None, "articles name different register entries"


def link(entities: Sequence[Entity]) -> Registered:
    """Division codes and official chains for the entities the register knows."""
    return chains(choose(entities, _context(entities)))


# An entity key, the register entry it names (None: none) and why none.
Choice = tuple[str, "lexicon.RegisterEntry | None", str]


def choose(entities: Iterable[Entity], context: dict[str, set[str]]) -> list[Choice]:
    """The register entry each division entity names, given the divisions every article naming
    it names (`context`, as `_context` makes it; only these entities' articles are read). Each
    choice reads one entity and its articles only, so kg.cluster makes them part by part."""
    out: list[Choice] = []
    for e in entities:
        if e.type not in DIVISION_TYPES:
            continue
        candidates = _candidates(e)
        if not candidates:
            continue
        entry, why = _choose(e, candidates, context) if len(candidates) > 1 or e.type != "AdminArea" else (candidates[0], "")
        out.append((e.key, entry, why))
    return out


def chains(choices: Iterable[Choice]) -> Registered:
    """Codes and official chains from every entity's choice, in any order: one row per division
    entity of the corpus, whose number the register bounds."""
    reg = lexicon.register()
    codes: dict[str, str] = {}
    unmatched: dict[str, str] = {}
    chain: dict[tuple[str, str], Relation] = {}
    for key, entry, why in sorted(choices, key=lambda c: c[0]):
        if entry is None:
            unmatched[key] = why
            continue
        codes[key] = entry.code
        # a statistical stand-in (经济技术开发区乡级单位) is passed over: 七里村 -> 山西大同经济开发区
        lineage = [entry] + [a for a in reg.chain(entry.code)[1:] if a.type is not None]
        child_key = key
        for child, parent in zip(lineage, lineage[1:]):
            if child.level == _TOP:
                break
            codes.setdefault(key_of(parent), parent.code)
            row = f"{child.code} {child.official} ⊂ {parent.code} {parent.official}"  # the register's rows
            chain.setdefault((child_key, key_of(parent)), Relation(child_key, OFFICIAL, key_of(parent), row, ""))
            child_key = key_of(parent)
    left = {k: why for k, why in unmatched.items() if k not in codes}  # placed by another's chain
    return Registered(tuple(sorted(codes.items())), tuple(chain[k] for k in sorted(chain)), tuple(sorted(left.items())))


@dataclass(frozen=True)
class Named:
    """One division an article names, as the RDF export holds it."""

    type: str
    name: str
    code: str | None
    chained: bool  # its officialPartOf chain reaches 大同市


def check(turtle: Path) -> list[Named]:
    """Every Subdistrict, Community and Village an article of this Turtle export names, with its
    code and whether its register chain reaches 大同市 (ontology/register/chains.rq)."""
    from rdflib import Graph

    graph = Graph().parse(turtle, format="turtle")
    query = lexicon.read_text("register/chains.rq")
    out = []
    for row in graph.query(query):
        type_, name, code, chained = row  # type: ignore[misc]
        out.append(Named(str(type_), str(name), str(code) if code is not None else None, str(chained) == "true"))
    return out
