"""Mentions -> entities: one entity per real-world thing, across all pages.

Recognition gives each mention a provisional full name (区城管局 -> 平城区城管局). Here the
corpus decides the canonical one, in this order:
  1. doubled characters an OCR pass left (平城区平城区委): collapsed when the short form is
     itself a name the corpus uses;
  2. look-alike OCR slips (邱东芳 / 邸东芳, ontology/lookalikes.tsv): names of one type that
     differ only by look-alike characters are one name, the gazetteer's or the most frequent;
  3. short and long department names (ontology/abbreviations.tsv): 平城区城管局 is
     平城区城市管理局 when the long form occurs in the corpus;
  4. numbered schools: 平城区十四校, 平城区第14小学, 平城区第14小学集团校 are one school,
     named by its fullest form (平城区第14小学校).
Every printed surface and every provisional name becomes an alias (skos:altLabel).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from operator import attrgetter
from typing import Iterable

from . import lexicon
from .text import numbered_school
from .model import Entity, Mention

_DOUBLED = re.compile(r"(.{2,}?)\1")


def _undouble(name: str, *known: set[str]) -> str:
    """兑换兑换 -> 兑换 when the collapsed name is one the corpus (or gazetteer) knows."""
    for m in _DOUBLED.finditer(name):
        collapsed = name[: m.start()] + m.group(1) + name[m.end() :]
        if any(collapsed in names for names in known):
            return collapsed
    return name


def _lookalike_canon(names: Counter[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(type, name) -> the name its look-alike group settles on."""
    divisions = lexicon.gazetteer()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for type_, name in names:
        groups[(type_, lexicon.skeleton(name))].append(name)
    out = {}
    for (type_, _), members in groups.items():
        best = min(members, key=lambda n: (n not in divisions, -names[(type_, n)], n))
        for n in members:
            out[(type_, n)] = best
    return out


def _long_form(name: str, known: set[str]) -> str:
    """平城区城管局 -> 平城区城市管理局 when that long form is a known name."""
    for short, long in lexicon.abbreviations():
        if name.endswith(short):
            candidate = name[: -len(short)] + long
            if candidate in known:
                return candidate
    return name


def _school_key(name: str) -> tuple[str, int] | None:
    m = numbered_school(name)
    if m is None or (m.kind == "校" and not m.nth and not m.where):
        return None
    if m.kind.startswith("中学"):
        return None  # a middle school's number is another series
    return m.where, m.number


def _school_rank(name: str) -> tuple[int, int, int, str]:
    """Fullest form first: 第N小学校 > 第N小学 > N校."""
    m = numbered_school(name)
    assert m is not None
    return (-m.nth, -(m.kind == "小学校"), -(m.kind.startswith("小学")), name)


def canonical_names(mentions: Iterable[Mention]) -> dict[tuple[str, str], str]:
    """(type, provisional name) -> canonical name, for every provisional name in `mentions`."""
    return canonical_from_counts(name_counts(mentions))


def name_counts(mentions: Iterable[Mention]) -> Counter[tuple[str, str]]:
    """How often each (type, provisional name) is mentioned: all that canonical naming reads.

    Counts of parts of a corpus add up to the corpus's (kg.cluster sums them over batches).
    """
    return Counter((m.type, m.name) for m in mentions)


def canonical_from_counts(counts: Counter[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(type, provisional name) -> canonical name, from the corpus's name counts alone.

    This is the part of resolution that is global: a table with one row per distinct name,
    not per mention.
    """
    known_by_type: dict[str, set[str]] = defaultdict(set)
    for type_, name in counts:
        known_by_type[type_].add(name)
    divisions = set(lexicon.gazetteer())

    step1 = {k: _undouble(k[1], known_by_type[k[0]], divisions) for k in counts}
    merged: Counter[tuple[str, str]] = Counter()
    for k, count in counts.items():
        merged[(k[0], step1[k])] += count
    step2 = _lookalike_canon(merged)
    names2 = {(t, step2[(t, n)]) for t, n in merged}
    known2: dict[str, set[str]] = defaultdict(set)
    for t, n in names2:
        known2[t].add(n)
    step3 = {(t, n): (_long_form(n, known2[t]) if t == "Agency" else n) for t, n in names2}

    schools: dict[tuple[str, int], list[str]] = defaultdict(list)
    for (t, n), long in step3.items():
        key = _school_key(long) if t == "Organization" else None
        if key:
            schools[key].append(long)
    school_name = {n: min(ns, key=_school_rank) for ns in schools.values() for n in ns}

    out = {}
    for k in counts:
        t = k[0]
        n = step3[(t, step2[(t, step1[k])])]
        out[k] = school_name.get(n, n) if t == "Organization" else n
    return out


_IN_TEXT_ORDER = attrgetter("page", "start", "end", "article", "source")


def resolve(mentions: Iterable[Mention]) -> tuple[Entity, ...]:
    """Group mentions into entities under canonical names; sorted by key. Each entity's
    aliases are every printed surface and provisional name other than its name."""
    mentions = list(mentions)
    canon = canonical_names(mentions)
    return group(mentions, canon, provisional_names(canon))


def provisional_names(canon: dict[tuple[str, str], str]) -> dict[tuple[str, str], set[str]]:
    """(type, canonical name) -> every provisional name that resolves to it."""
    provisional: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (type_, name), final in canon.items():
        provisional[(type_, final)].add(name)
    return provisional


def group(mentions: Iterable[Mention], canon: dict[tuple[str, str], str],
          provisional: dict[tuple[str, str], set[str]]) -> tuple[Entity, ...]:
    """Mentions -> entities under their canonical names, sorted by key.

    An entity depends only on its own mentions (and the name tables), so mentions split by
    (type, canonical name) give, part by part, the same entities as the whole (kg.cluster).
    """
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        name = canon[(m.type, m.name)]
        groups[(m.type, name)].append(m if m.name == name else replace(m, name=name))
    entities = []
    for (type_, name), ms in groups.items():
        ms.sort(key=_IN_TEXT_ORDER)
        forms = {m.surface for m in ms} | provisional.get((type_, name), set())
        aliases = tuple(sorted(f for f in forms - {name} if f))
        entities.append(Entity(type_, name, aliases, tuple(ms)))
    return tuple(sorted(entities, key=lambda e: e.key))
