"""Entities -> relations: partOf, responsibleFor, memberOf (roles), locatedIn, with evidence.

Patterns read the sentences of each article with the entity mentions in them (kg.sentences):
  partOf         an apposition of places from larger to smaller (平城区小南头街道西谷庄村) and the
                 list it starts (卧虎湾街道旧桥西小区东门、陈庄村口、桥北小区); a container cue
                 (该街道辖区观城壹号小区, 民和社区管辖魏都新城); 位于 / 隶属于; a district and a
                 subdistrict in one clause (平城区以水泊寺街道为试点); a district's "各街道" followed by
                 named subdistricts; a sub-unit whose name extends its parent's (…平城分局 + 反诈中心,
                 14校 + 知行分校) or that follows 该局, or printed right after it (…大队天祥街消防救援站),
                 and a unit of the same kind named alone (南关派出所); two divisions printed one after
                 the other even inside a longer name (政协第二届大同市平城区委员会), and a settlement
                 and its 街道 named in one sentence, when the gazetteer or the official register
                 agrees; a place named after a place or county (纯阳宫广场, 阳高县全民健身中心), a lane
                 after its street (全民街民益巷), 位于师校街的大同府衙; two administrative areas an
                 article names, as the gazetteer places them; last and weakest, the communities of
                 an article about one subdistrict.
                 (The register's own chain above each division is kg.divisions', not an article's.)
  responsibleFor an agency, a 包保 cue and the subdistricts after it up to the next agency
                 (区水务局包保责任区为A、B、C), or before it (A、B由区水务局包保).
  memberOf       organization, role as printed, person (平城区第47小学校少先队员柴沛明); person 担任
                 organization and role; 公司创始人X after a company is named (the last such unit); a role
                 in a community's own committee is held in the community (华林社区党支部书记兼主任).
  locatedIn      a place, a founding verb and a facility (文源社区…建成幸福托管中心); a unit 位于 a place
                 (the most specific of a chain: 位于大庆路街道辖区同泰路 -> 同泰路).
Cue words live in ontology/relation_cues.toml; the administrative divisions are those of
ontology/gazetteer.tsv and ontology/register/datong.tsv (read through kg.lexicon, as recognition
reads them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import lexicon
from .model import Entity, PageDoc, Relation
from .schema import BODY_TYPES
from .sentences import Sentence, Span, by_article
from .text import alternation, numbered_school


PLACE_LIKE = ("Subdistrict", "Community", "Village", "Place")
UNIT_TYPES = BODY_TYPES  # the bodies: agencies, organizations, companies
_LEVELS = {"country": 0, "province": 1, "city": 2, "district": 3}


@dataclass(frozen=True)
class Cues:
    responsible: re.Pattern[str]
    contains: re.Pattern[str]
    anaphora: tuple[str, ...]
    district_all: tuple[str, ...]
    list_gap: re.Pattern[str]
    subunit_suffixes: tuple[str, ...]
    role: re.Pattern[str]
    located: re.Pattern[str]
    located_in: re.Pattern[str]
    belongs: re.Pattern[str]
    appointment: re.Pattern[str]
    parent_suffixes: tuple[str, ...]
    unit_anaphora: tuple[str, ...]
    unit_anaphora_re: re.Pattern[str]  # any of them
    committees: tuple[str, ...]
    unit_words: tuple[str, ...]
    lanes: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = lexicon.read_toml("relation_cues.toml")
    return Cues(
        responsible=re.compile(alternation(data["responsible_cues"])),
        contains=re.compile(alternation(data["contains_cues"])),
        anaphora=tuple(data["anaphora"]),
        district_all=tuple(data["district_all"]),
        list_gap=re.compile(data["list_gap"]),
        subunit_suffixes=tuple(data["subunit_suffixes"]),
        # a role is a short run of word characters (no punctuation) ending with a role word
        # 党委书记、居委会主任 is one printed role
        role=re.compile(r"(?:[\u4e00-\u9fff]{0,10}(?:" + alternation(data["role_suffixes"]) + r")、?)+"),
        located=re.compile(alternation(data["located_verbs"])),
        located_in=re.compile(alternation(data["located_in_cues"])),
        belongs=re.compile(alternation(data["belongs_cues"])),
        appointment=re.compile(alternation(data["appointment_cues"])),
        parent_suffixes=tuple(data["parent_suffixes"]),
        unit_anaphora=tuple(data["unit_anaphora"]),
        unit_anaphora_re=re.compile(alternation(data["unit_anaphora"])),
        committees=tuple(sorted(data["committees"], key=len, reverse=True)),
        unit_words=tuple(sorted(data["unit_words"], key=len, reverse=True)),
        lanes=tuple(data["lanes"]),
    )


def _admin_division(name: str) -> tuple[int, str] | None:
    """(level, parent) of an administrative area above the subdistricts, from the gazetteer."""
    d = lexicon.gazetteer().get(name)
    if d is None or d.type != "AdminArea" or d.level not in _LEVELS:
        return None
    return _LEVELS[d.level], d.parent


def _name(key: str) -> str:
    return key.partition("/")[2]


def admin_level(name: str) -> int:
    """0 country, 1 province, 2 city, 3 district/county; from the gazetteer, else the name's suffix."""
    known = _admin_division(name)
    if known:
        return known[0]
    if name.endswith(("省", "自治区")):
        return 1
    if name.endswith(("市", "州", "盟", "地区")):
        return 2
    if name.endswith(("区", "县", "旗")):
        return 3
    return 0


def _level(span: Span) -> int:
    if span.type == "AdminArea":
        return admin_level(_name(span.key))
    return {"Subdistrict": 4, "Community": 5, "Village": 5, "Place": 6}.get(span.type, -1)


def _directly_in(child: Span, parent: Span) -> bool:
    """Whether `child` can sit directly inside `parent` (no level skipped that the gold would name)."""
    c, p = _level(child), _level(parent)
    if child.type == "AdminArea":
        return parent.type == "AdminArea" and 0 <= p < c
    if child.type == "Subdistrict":
        return parent.type == "AdminArea" and p == 3
    if child.type in ("Community", "Village"):
        return parent.type == "Subdistrict"
    if child.type == "Place":
        return parent.type in ("Subdistrict", "Community", "Village")
    return False


def _rel(subject: Span | str, predicate: str, obj: Span | str, s: Sentence, role: str | None = None) -> Relation:
    subj = subject if isinstance(subject, str) else subject.key
    ob = obj if isinstance(obj, str) else obj.key
    return Relation(subj, predicate, ob, s.text, s.article.id, role)


def _list_after(s: Sentence, first: int) -> list[Span]:
    """The spans that continue an enumeration starting at s.spans[first] (A、B口、C门口)."""
    items = [s.spans[first]]
    for nxt in s.spans[first + 1 :]:
        gap = s.between(items[-1], nxt)
        # an item the recognizer missed does not end the list (陈庄村口、桥北小区、尚都小区)
        skipped = re.fullmatch(r"[^，。；：,;:、\s]{0,4}、(?:[^，。；：,;:、\s]{2,8}、){1,2}", gap)
        if not (cues().list_gap.match(gap) or skipped) or nxt.type not in PLACE_LIKE:
            break
        items.append(nxt)
    return items


def appositions(s: Sentence) -> list[Relation]:
    """平城区小南头街道西谷庄村: each place directly inside the one printed before it, and the list it starts."""
    found = []
    for i in range(len(s.spans) - 1):
        parent, child = s.spans[i], s.spans[i + 1]
        gap = s.between(parent, child)
        if gap == "" and _place_in_place(child, parent):
            found.append(_rel(child, "partOf", parent, s))
            continue
        if gap == "" and child.type in (*UNIT_TYPES, "Place") and parent.type in ("AdminArea", "Subdistrict"):
            # 一斗泉乡榆林村图书馆: a body named after a settlement the register puts in the division
            # printed before it; the settlement's own mention stands inside the body's
            inner = next(((n, t) for n, t in lexicon.register_children(_name(parent.key)) if child.surface.startswith(n)), None)
            if inner is not None and len(inner[0]) < len(child.surface):
                found.append(_rel(f"{inner[1]}/{inner[0]}", "partOf", parent, s))
                continue
        if gap == "" and parent.type == child.type == "Agency" and _unit_in_unit(child, parent):
            found.append(_rel(child, "partOf", parent, s))  # 平城区公安分局新旺派出所
            continue
        if gap not in ("", "的") or not _directly_in(child, parent):
            continue
        for item in _list_after(s, i + 1):
            if _directly_in(item, parent):
                found.append(_rel(item, "partOf", parent, s))
    return found


def contained(s: Sentence, subject: Span | None, settlement: Span | None = None) -> list[Relation]:
    """该街道辖区观城壹号小区 / 民和社区管辖魏都新城: places after a container cue are part of the container.

    With no container before the cue in the sentence, the article's subject: its subdistrict after
    该街道, its one community or village (`settlement`) after 该社区/该村, and after a bare 辖区 the
    most specific of the two that can hold the place (辖区周家店北巷 in an article about 华安社区)."""
    found: list[Relation] = []
    if s.types.isdisjoint(PLACE_LIKE):
        return found  # no place to be contained
    for m in cues().contains.finditer(s.text):
        firsts = [i for i, sp in enumerate(s.spans) if sp.start == m.end() and sp.type in PLACE_LIKE]
        if not firsts:
            continue
        before = [sp for sp in s.spans if sp.end <= m.start() and sp.type in PLACE_LIKE]
        anaphor = next((w for w in cues().anaphora if s.text.endswith(w, 0, m.start())), "")
        containers: list[Span | None]
        if before:
            containers = [before[-1]]
        elif anaphor.endswith("街道"):
            containers = [subject]
        elif anaphor:
            containers = [settlement]
        else:
            containers = [settlement, subject]
        items = _list_after(s, firsts[0])
        container = next((c for c in containers if c is not None and _directly_in(items[0], c)), None)
        if container is None:
            continue
        for item in items:
            if _directly_in(item, container):
                found.append(_rel(item, "partOf", container, s))
    return found


def register_confirmed(s: Sentence) -> list[Relation]:
    """鹿苑街道组织先锋村村民…: a settlement and the 街道/乡镇 the official register puts it in,
    named in one sentence; a 街道 and its district likewise. The text names both together, the
    register says which holds which (a name the register holds under another parent is left alone)."""
    found: list[Relation] = []
    if s.types.isdisjoint(("Subdistrict", "Community", "Village")):
        return found
    for child in s.spans:
        if child.type not in ("Subdistrict", "Community", "Village"):
            continue
        parents = lexicon.register_parents(_name(child.key), child.type)
        for parent in s.spans:
            if parent is not child and _name(parent.key) in parents and _directly_in(child, parent):
                found.append(_rel(child, "partOf", parent, s))
    return found


@lru_cache(maxsize=1)
def _division_names() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]], dict[str, tuple[str, str]]]:
    """(a pattern finding the characters a division name ends with, the last two characters of
    a name -> the lengths of the names ending so, longest first, name -> (entity type, parent
    name)) for the gazetteer's areas and subdistricts and the register's settlements."""
    table: dict[str, tuple[str, str]] = {}
    for d in lexicon.gazetteer().values():
        table[d.name] = (d.type, d.parent)
    for e in lexicon.register().entries:
        if e.type in ("Community", "Village") and e.name not in table:
            table[e.name] = (e.type, "")
    lasts = "".join(sorted({re.escape(n[-1]) for n in table}))
    sizes: dict[str, set[int]] = {}
    for n in table:
        sizes.setdefault(n[-2:], set()).add(len(n))
    return re.compile(f"[{lasts}]"), {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}, table


def printed_chains(s: Sentence) -> list[Relation]:
    """政协第二届大同市平城区委员会, 平城区小南头街道西谷庄村党支部: two divisions printed one right after
    the other, even inside a longer name, the second inside the first by the gazetteer or the
    register, are stated to be so."""
    last, lengths, table = _division_names()
    text = s.text
    found: list[Relation] = []
    if len(last.findall(text)) < 2:
        return found  # most sentences: no two places a name can end, for a child and its parent
    names: dict[int, list[tuple[int, str]]] = {}  # end -> (start, name), longest first
    for m in last.finditer(text):  # a name ends at few characters: look only there
        end = m.end()
        for size in lengths.get(text[end - 2 : end], ()):
            if size <= end and text[end - size : end] in table:
                names.setdefault(end, []).append((end - size, text[end - size : end]))
    if len(names) < 2:
        return found  # a child and its parent end at two places
    for end, here in names.items():
        child_start, child = here[0]
        ending_there = names.get(child_start)
        if ending_there is None:
            continue
        parent = ending_there[0][1]
        (ptype, _), (ctype, above) = table[parent], table[child]
        inside = parent in lexicon.register_parents(child, ctype) if ctype in ("Community", "Village") else above == parent
        if inside and ptype in ("AdminArea", "Subdistrict"):
            found.append(_rel(f"{ctype}/{child}", "partOf", f"{ptype}/{parent}", s))
    return found


def _unit_in_unit(child: Span, parent: Span) -> bool:
    """平城区公安分局新旺派出所, 平城区消防救援大队天祥街消防救援站: a sub-unit printed right after
    the body it belongs to, as an address of units is written."""
    c = cues()
    return _name(parent.key).endswith(c.parent_suffixes) and _name(child.key).endswith(c.subunit_suffixes)


def _place_in_place(child: Span, parent: Span) -> bool:
    """口泉白家湾街, 全民街民益巷: a street or lane printed right after the larger place it lies in."""
    return child.type == parent.type == "Place" and _name(child.key).endswith(cues().lanes)


def district_clauses(s: Sentence) -> list[Relation]:
    """平城区以水泊寺街道为试点: a district and the subdistricts after it in one clause."""
    found: list[Relation] = []
    if "AdminArea" not in s.types or "Subdistrict" not in s.types:
        return found  # most sentences: no district and subdistrict to pair, no clauses to cut
    for clause_start, clause_end in _clauses(s.text):
        inside = [sp for sp in s.spans if clause_start <= sp.start and sp.end <= clause_end]
        for i, district in enumerate(inside):
            if district.type != "AdminArea" or _level(district) != 3:
                continue
            for sub in inside[i + 1 :]:
                if sub.type == "Subdistrict":
                    found.append(_rel(sub, "partOf", district, s))
    return found


# Compiled once: _clauses runs per sentence, where re's cache look-up per call was measurable.
_CLAUSE_MARK = re.compile(r"[，,：:、（）()]")


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _CLAUSE_MARK.finditer(text):
        if m.group() == "、":
            continue  # an enumeration stays in its clause
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def responsible(s: Sentence) -> list[Relation]:
    """区水务局包保责任区为白登山街道、大庆路街道: the agency before the cue is responsible for the subdistricts after it."""
    found: list[Relation] = []
    if "Agency" not in s.types:
        return found  # no agency to be responsible
    matches = list(cues().responsible.finditer(s.text))
    for at, m in enumerate(matches):
        # after an earlier assignment, the agency must be in this cue's own clause (…，二中队包联…)
        lo = max(s.text.rfind(c, matches[at - 1].end(), m.start()) for c in "，,；;。") + 1 if at else 0
        agencies = [sp for sp in s.spans if lo <= sp.start and sp.end <= m.start() and sp.type == "Agency"]
        if not agencies:
            continue
        # 区住建局包保古城街道、鹿苑街道，区市场监管局包保大庆路街道: the next agency starts its own
        # assignment, and so does the clause of the next cue (…，二中队包联…) when its unit went unrecognized
        stop = min((sp.start for sp in s.spans if sp.start >= m.end() and sp.type == "Agency"), default=len(s.text))
        cut = max(s.text.rfind(c, m.end(), matches[at + 1].start()) for c in "，,；;。") if at + 1 < len(matches) else -1
        if cut >= 0:
            stop = min(stop, cut + 1)
        after = [sp for sp in s.spans if m.end() <= sp.start < stop and sp.type == "Subdistrict"]
        if not after:
            # 白登山街道、开源街道由区水务局包保: the subdistricts before 由 are the ones covered
            by = s.text.rfind("由", 0, agencies[-1].start + 1)
            after = [sp for sp in s.spans if sp.end <= by and sp.type == "Subdistrict"] if by >= 0 else []
        found.extend(_rel(agencies[-1], "responsibleFor", sub, s) for sub in after)
    return found


def memberships(s: Sentence) -> list[Relation]:
    """平城区第47小学校少先队员柴沛明: a person, the role printed before the name, and the organization before it."""
    found: list[Relation] = []
    if "Person" not in s.types:
        return found  # no member
    for org, person in zip(s.spans, s.spans[1:]):
        if person.type != "Person" or org.type not in (*UNIT_TYPES, "Community", "Village", "Subdistrict"):
            continue
        role = s.between(org, person)
        if role and cues().role.fullmatch(role) and not role.endswith("、"):
            found.append(_rel(person, "memberOf", org, s, role))
    # 王强担任五里店村党支部书记: person, appointment verb, organization, role to the clause's end
    for person, org in zip(s.spans, s.spans[1:]):
        if person.type != "Person" or org.type not in (*UNIT_TYPES, "Community", "Village", "Subdistrict"):
            continue
        printed = cues().role.match(s.text, org.end) if cues().appointment.fullmatch(s.between(person, org)) else None
        if printed and not printed.group().endswith("、"):
            found.append(_rel(person, "memberOf", org, s, printed.group()))
    return found


def unit_roles(sents: list[Sentence]) -> list[Relation]:
    """山西云岗建筑工程有限公司位于…，公司创始人王志强表示: 公司 + role + person points back to the last such unit."""
    found = []
    seen: list[Span] = []
    words = cues().unit_words
    for s in sents:
        if "Person" not in s.types:
            seen.extend(s.spans)  # no person to hold a role
            continue
        for sp in s.spans:
            if sp.type == "Person":
                clause = s.text[max(s.text.rfind(c, 0, sp.start) for c in "，,；;：:。") + 1 : sp.start]
                for word in words:
                    role = clause.split(word)[-1] if word in clause else ""
                    head = clause[: len(clause) - len(role) - len(word)]
                    if role and cues().role.fullmatch(role) and head in ("", "该"):
                        unit = next((u for u in reversed(seen) if u.type in UNIT_TYPES and _name(u.key).endswith(word)), None)
                        if unit is not None:
                            found.append(_rel(sp, "memberOf", unit, s, role))
                        break
            seen.append(sp)
    return found


def located(s: Sentence) -> list[Relation]:
    """文源社区盘活闲置用房建成幸福托管中心: a facility founded in a place is located in it."""
    found: list[Relation] = []
    if s.types.isdisjoint(PLACE_LIKE):
        return found  # no place to found anything in
    for m in cues().located.finditer(s.text):
        after = [sp for sp in s.spans if m.end() <= sp.start <= m.end() + 2 and sp.type in (*UNIT_TYPES, "Place")]
        if not after:
            continue
        clause = next(((a, b) for a, b in _clauses(s.text) if a <= m.start() <= b), (0, m.start()))
        before = [sp for sp in s.spans if clause[0] <= sp.start and sp.end <= m.start() and sp.type in PLACE_LIKE]
        if before and before[-1].key != after[0].key:
            found.append(_rel(after[0], "locatedIn", before[-1], s))
    return found


def stated_links(s: Sentence) -> list[Relation]:
    """观城壹号小区位于武定街道 (partOf) / 某公司位于伦敦街 (locatedIn) / 反诈中心隶属于平城分局 (partOf)."""
    found: list[Relation] = []
    c = cues()
    for at, (thing, where) in enumerate(zip(s.spans, s.spans[1:])):
        gap = s.between(thing, where)
        if c.located_in.fullmatch(gap) and where.type in (*PLACE_LIKE, "AdminArea"):
            # 位于大庆路街道辖区同泰路: the most specific place of the chain after the cue
            for nxt in s.spans[at + 2 :]:
                joint = s.between(where, nxt)
                if not (joint in ("", "的") or c.contains.fullmatch(joint)) or not _directly_in(nxt, where):
                    break
                where = nxt
            if thing.type in (*PLACE_LIKE, "AdminArea"):
                if _directly_in(thing, where):
                    found.append(_rel(thing, "partOf", where, s))
            elif thing.type in UNIT_TYPES:
                found.append(_rel(thing, "locatedIn", where, s))
        elif gap == "的" and where.type in (*PLACE_LIKE, *UNIT_TYPES) and c.located_in.search(gap) is None:
            # 位于师校街的大同府衙: the cue before the place, the thing after it
            cue = c.located_in.search(s.text, max(0, thing.start - 3), thing.start)
            if cue is not None and cue.end() == thing.start and thing.type in PLACE_LIKE:
                if where.type == "Place" or _directly_in(where, thing):
                    found.append(_rel(where, "partOf", thing, s))
                elif where.type in UNIT_TYPES:
                    found.append(_rel(where, "locatedIn", thing, s))
        elif c.belongs.fullmatch(gap):
            units = thing.type in UNIT_TYPES and where.type in UNIT_TYPES
            if units or _directly_in(thing, where):
                found.append(_rel(thing, "partOf", where, s))
    return found


def _subject_subdistrict(sents: list[Sentence], types: tuple[str, ...] = ("Subdistrict",)) -> Span | None:
    """The subdistrict an article is about: the only one it names, named up front (kicker, headline or lead).
    With `types`, the only division of those types (a community or village) so named."""
    subs = {sp.key: sp for s in sents if not s.types.isdisjoint(types) for sp in s.spans if sp.type in types}
    if len(subs) != 1:
        return None
    # the lead: the first body sentence that names a place or body (本报讯 为进一步…。 opens with
    # the purpose, and the story's subject comes in the next sentence)
    lead = next((s for s in sents if s.role == "body" and any(sp.type != "Person" for sp in s.spans)), None)
    up_front = [s for s in sents if s.role in ("kicker", "headline", "subtitle") or s is lead]
    return next(iter(subs.values())) if any(sp.type in types for s in up_front for sp in s.spans) else None


def district_lists(sents: list[Sentence]) -> list[Relation]:
    """平城区各街道、社区…; 北关街道…; 北街街道…: the subdistricts named after "<district>各街道" are part of it."""
    found: list[Relation] = []
    district_all = cues().district_all
    for at, s in enumerate(sents):
        for sp in s.spans:
            # the cue before the level: it is printed after few areas, and the level takes look-ups
            if sp.type == "AdminArea" and s.text.startswith(district_all, sp.end) and _level(sp) == 3:
                for later in sents[at:]:
                    found.extend(_rel(sub, "partOf", sp, s) for sub in later.spans if sub.type == "Subdistrict")
    return found


def subject_members(sents: list[Sentence], subject: Span | None, placed: set[str]) -> list[Relation]:
    """In an article about one subdistrict, the communities it names are part of it.

    Villages are left to appositions: an article about a subdistrict often names villages elsewhere
    (where its people come from, where a delegation went).
    """
    if subject is None:
        return []
    found = []
    for s in sents:
        for sp in s.spans:
            if sp.type == "Community" and sp.key not in placed:
                placed.add(sp.key)
                found.append(_rel(sp, "partOf", subject, s))
    return found


_BRANCH = re.compile(r"^(?P<school>.+?校)[^校]{1,8}分校$")


def _school_key(name: str) -> tuple[str, int] | None:
    m = numbered_school(name)
    return (m.where, m.number) if m else None


class _Units:
    """The organizations, agencies and companies, indexed by every form of their names."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.units = [e for e in entities if e.type in UNIT_TYPES]
        self.by_form: dict[str, list[Entity]] = defaultdict(list)
        self.by_school: dict[tuple[str, int], list[Entity]] = defaultdict(list)
        for unit in self.units:
            forms = dict.fromkeys((unit.name, *unit.aliases))
            for form in forms:
                self.by_form[form].append(unit)
            for key in dict.fromkeys(k for k in map(_school_key, forms) if k):
                self.by_school[key].append(unit)

    def parent(self, child: Entity) -> Entity | None:
        """The unit whose name `child`'s name extends by a sub-unit suffix; for a school branch, its school."""
        suffixes = cues().subunit_suffixes
        # the longest form wins; of units sharing that form, the first in key order
        for cut in range(len(child.name) - 1, 0, -1):
            if child.name[cut:].endswith(suffixes):
                parent = next((u for u in self.by_form.get(child.name[:cut], ()) if u.key != child.key), None)
                if parent:
                    return parent
        branch = _BRANCH.match(child.name)
        key = _school_key(branch.group("school")) if branch else None
        # several entities may spell one school (第14小学校, 十四校): the most mentioned is the school
        schools = [p for p in self.by_school.get(key, ()) if p.key != child.key] if key else []
        return max(schools, key=lambda p: (len(p.mentions), p.key)) if schools else None

    def ending(self, name: str, child: Entity) -> list[Entity]:
        """Units other than `child` with a form of three or more characters that ends `name`."""
        found = {u.key: u for cut in range(len(name) - 2) for u in self.by_form.get(name[cut:], ()) if u.key != child.key}
        return list(found.values())


def implied_parent(name: str) -> str | None:
    """The parent a unit's name spells out: 大同市公安局平城分局反诈中心 -> 大同市公安局平城分局.

    The longest proper prefix that ends like a parent (局, 委, 指挥部…) and leaves a sub-unit (中心, 办公室…).
    """
    c = cues()
    for cut in range(len(name) - 1, 1, -1):
        head, rest = name[:cut], name[cut:]
        if head.endswith(c.parent_suffixes) and rest.endswith(c.subunit_suffixes) and len(rest) >= 2:
            return head
    return None


def subunits(entities: Sequence[Entity], first_seen: dict[str, tuple[str, str]]) -> list[Relation]:
    """大同市公安局平城分局反诈中心 partOf 大同市公安局平城分局; 平城区14校知行分校 partOf 平城区第14小学校.

    `first_seen` gives, for an entity key, the first sentence that names it and its article: the
    evidence. When no entity spells the parent, the parent the name spells out stands in (its key
    may name an entity resolution did not produce; the graph adds it).
    """
    units = _Units(entities)
    found = []
    for child in units.units:
        seen = first_seen.get(child.key)
        if seen is None:
            continue
        parent = units.parent(child)
        implied = implied_parent(child.name)
        if parent:
            parent_key = parent.key
        elif implied:
            # 平城区城管局一中队 when the bureau was printed 区城管局: the unit whose form ends the implied name
            known = units.ending(implied, child)
            parent_key = max(known, key=lambda u: (len(u.mentions), u.key)).key if known else f"{child.type}/{implied}"
        else:
            continue
        found.append(Relation(child.key, "partOf", parent_key, seen[0], seen[1], None))
    return found


def place_extensions(entities: Sequence[Entity], first_seen: dict[str, tuple[str, str]]) -> list[Relation]:
    """纯阳宫广场 partOf 纯阳宫, 同泉路树脂厂立交桥 partOf 同泉路, 阳高县全民健身中心 partOf 阳高县: a
    place whose name extends the name of another place, or of a district or county, lies in it.
    The longest such name is the parent; settlements are left to the patterns above (a
    village's park is named after the village without being an administrative part of it)."""
    # a district or county the gazetteer knows, printed at the head of the place's name, is named there
    parents = {d.name: f"AdminArea/{d.name}" for d in lexicon.gazetteer().values() if d.type == "AdminArea" and d.level == "district"}
    for e in entities:
        level = admin_level(e.name) if e.type == "AdminArea" else None
        if e.type == "Place" or (level == 3 and e.name in lexicon.gazetteer()):
            for form in (e.name, *e.aliases):
                if len(form) >= 2:
                    parents.setdefault(form, e.key)
    found = []
    for child in entities:
        seen = first_seen.get(child.key)
        if child.type != "Place" or seen is None:
            continue
        for cut in range(len(child.name) - 2, 1, -1):
            parent = parents.get(child.name[:cut])
            if parent is not None and parent != child.key:
                found.append(Relation(child.key, "partOf", parent, seen[0], seen[1], None))
                break
    return found


@lru_cache(maxsize=1)
def _unit_kinds() -> tuple[str, ...]:
    """The sub-unit suffixes that name a kind of unit (派出所, 中队), longest first."""
    return tuple(sorted((k for k in cues().subunit_suffixes if len(k) >= 2), key=len, reverse=True))


def sibling_units(sents: list[Sentence], stated: list[Relation]) -> list[Relation]:
    """…平城区公安分局新旺派出所… 当日，南关派出所接到报警: a unit of the same kind (派出所, 中队) as
    one the article places in a body, named in it without a body of its own, is that body's too;
    only when the article places every unit of that kind it places in one and the same body."""
    kinds = _unit_kinds()

    def kind(key: str) -> str | None:
        name = _name(key)
        if not name.endswith(kinds):
            return None  # most units: no kind, without trying each
        return next((k for k in kinds if name.endswith(k) and len(name) > len(k)), None)

    parents: dict[str, set[str]] = defaultdict(set)
    for r in stated:
        if r.predicate == "partOf" and r.subject.startswith("Agency/") and r.object.startswith("Agency/") and kind(r.subject):
            parents[kind(r.subject) or ""].add(r.object)
    placed = {r.subject for r in stated if r.predicate == "partOf"}
    found = []
    for s in sents:
        for sp in s.spans:
            k = kind(sp.key) if sp.type == "Agency" else None
            if k and sp.key not in placed and len(parents.get(k, ())) == 1:
                parent = next(iter(parents[k]))
                if parent != sp.key:
                    placed.add(sp.key)
                    found.append(_rel(sp, "partOf", parent, s))
    return found


def unit_references(sents: list[Sentence]) -> list[Relation]:
    """市公安局平城分局反诈中心联合该局出入境管理大队: the unit after 该局 is part of the 局 named before."""
    found = []
    seen: list[Span] = []
    anaphora = cues().unit_anaphora
    for s in sents:
        if not s.spans:
            continue
        if not cues().unit_anaphora_re.search(s.text):
            seen.extend(s.spans)  # none of the words can be printed before its mentions
            continue
        for sp in s.spans:
            # one test for all the words first: most mentions follow none of them
            word = next((w for w in anaphora if s.text.endswith(w, 0, sp.start)), None) \
                if s.text.endswith(anaphora, 0, sp.start) else None
            if word and sp.type in UNIT_TYPES:
                suffix = word[1:]
                for earlier in reversed(seen):
                    name = _name(earlier.key)
                    at = name.rfind(suffix)
                    if earlier.type in UNIT_TYPES and at > 0:
                        parent = name[: at + len(suffix)]
                        if parent != _name(sp.key):
                            found.append(_rel(sp, "partOf", f"{earlier.type}/{parent}", s))
                        break
            seen.append(sp)
    return found


def gazetteer_links(sents: list[Sentence]) -> list[Relation]:
    """Two administrative areas one article names, one inside the other by the gazetteer."""
    found = []
    # an area printed only as the head of a longer name (新荣区亮马台骑行主题公园, 广灵县一斗泉乡…)
    # qualifies that name; it does not put the area itself in the article's story
    areas = {_name(sp.key): sp for s in sents if "AdminArea" in s.types for sp, nxt in zip(s.spans, (*s.spans[1:], None))
             if sp.type == "AdminArea" and not (nxt is not None and nxt.start == sp.end)}
    for name, sp in areas.items():
        parent = (_admin_division(name) or (0, ""))[1]
        if parent in areas:
            both = [s for s in sents if {name, parent} <= {_name(x.key) for x in s.spans}]
            alone = [s for s in sents if any(x.key == sp.key for x in s.spans)]
            found.append(_rel(sp, "partOf", areas[parent], (both or alone)[0]))
    return found


@dataclass(frozen=True)
class ArticleRelations:
    """What one article says on its own; `combine` weighs the articles against each other."""

    stated: tuple[Relation, ...]  # printed in the article
    gazetteer: tuple[Relation, ...]  # two areas it names, placed by the gazetteer
    by_topic: tuple[Relation, ...]  # communities placed in the subdistrict the article is about
    first_seen: tuple[tuple[str, str], ...]  # (entity key, the first sentence naming it), in order


def article_relations(sents: list[Sentence]) -> ArticleRelations:
    """The relations one article's sentences state, and where it first names each entity."""
    # The article-wide patterns read mentions only: the sentences with none (most) add nothing to them.
    named = [s for s in sents if s.spans]
    subject = _subject_subdistrict(named)
    # "辖区" in an article about one community or village is that settlement's area
    settlement = _subject_subdistrict(named, ("Community", "Village"))
    local: list[Relation] = []
    name_ends = _division_names()[0]
    for s in sents:
        if len(s.spans) > 1:
            local += appositions(s) + contained(s, subject, settlement) + district_clauses(s) + register_confirmed(s)
            local += printed_chains(s)
            local += responsible(s) + memberships(s) + located(s) + stated_links(s)
        else:
            # Most sentences name one entity or none: every pattern but these two relates two of
            # its mentions (tests/test_reading_fast.py holds them to it), so none is tried.
            if s.spans:
                local += contained(s, subject, settlement)
            if len(name_ends.findall(s.text)) > 1:  # printed_chains' own first test, here for the many it rules out
                local += printed_chains(s)
    local += district_lists(named) + unit_references(named) + unit_roles(named)
    local += sibling_units(named, local)
    placed = {r.subject for r in local if r.predicate == "partOf"}
    first: dict[str, str] = {}
    for s in named:
        for sp in s.spans:
            first.setdefault(sp.key, s.text)
    return ArticleRelations(
        tuple(local), tuple(gazetteer_links(named)), tuple(subject_members(named, subject, placed)), tuple(first.items())
    )


def combine(articles: Sequence[tuple[str, ArticleRelations]], entities: Sequence[Entity]) -> tuple[Relation, ...]:
    """The corpus's relations from each article's, given as (article id, its relations) in page order."""
    found = [r for _, a in articles for r in a.stated]
    first_seen: dict[str, tuple[str, str]] = {}
    for article, a in articles:
        for key, text in a.first_seen:
            first_seen.setdefault(key, (text, article))
    found += subunits(entities, first_seen) + place_extensions(entities, first_seen)
    found += [r for _, a in articles for r in a.gazetteer]
    # placing a community by an article's topic is the weakest reading: any printed placement wins
    placed = {r.subject for r in found if r.predicate == "partOf"}
    found += [r for _, a in articles for r in a.by_topic if r.subject not in placed]
    return _dedupe(_party_roles(found, entities))


def extract(docs: Sequence[PageDoc], entities: Sequence[Entity]) -> tuple[Relation, ...]:
    """Relations the pages state, each with its evidence sentence; sorted, one per (subject, predicate, object)."""
    return combine([(sents[0].article.id, article_relations(sents)) for _, sents in by_article(docs, entities)], entities)


def _party_roles(found: list[Relation], entities: Sequence[Entity]) -> list[Relation]:
    """华林社区党支部书记兼主任郝丽萍: a role in a community's or village's own committee is a role in it.

    Recognition may read 华林社区党支部 as one organization; the person then holds 党支部书记兼主任
    in 华林社区, as the guideline annotates (沈媛 roleIn 民和社区).
    """
    places = {f: e.key for e in entities if e.type in ("Community", "Village") for f in (e.name, *e.aliases)}
    out = []
    for r in found:
        committee = next((w for w in cues().committees if r.object.endswith(w)), None) if r.predicate == "memberOf" else None
        base = places.get(_name(r.object)[: -len(committee)]) if committee else None
        if committee and base and r.role:
            r = Relation(r.subject, r.predicate, base, r.evidence, r.article, committee + r.role)
        out.append(r)
    return out


def _dedupe(found: list[Relation]) -> tuple[Relation, ...]:
    """One relation per (subject, predicate, object, role): the first evidence in page order wins."""
    seen: dict[tuple[str, str, str, str | None], Relation] = {}
    for r in found:
        if r.subject != r.object:
            seen.setdefault((r.subject, r.predicate, r.object, r.role), r)
    return tuple(sorted(seen.values(), key=lambda r: (r.subject, r.predicate, r.object, r.role or "", r.article)))
