"""The gold standard as an Extraction, to test queries and exports on known-true facts.

The seed pages go through the real ingest (so articles, pages and offsets are the ones a
build writes); entities, relations and events come from seeds/gold/*.json instead of the
extraction stages. Gold lists article indices per entity; the mentions are found by looking
for each printed form in those articles' text. Gold relations carry no article: the source
is the first article on the page whose text holds the evidence (else the subject).
Gold events carry no evidence: it is the first sentence of the article that names the
event, else the article's first sentence.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from kg.build import read
from kg.model import Article, Entity, Event, Extraction, Mention, PageDoc, Relation

_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]?")


def load_gold(gold_dir: Path) -> dict[str, dict]:
    return {d["file"]: d for d in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json")))}


def _sentence(text: str, at: int) -> str:
    for m in _SENTENCE.finditer(text):
        if m.start() <= at < max(m.end(), m.start() + 1):
            return m.group().strip()
    return text.strip()


def _find(article: Article, form: str) -> list[tuple[int, int, str]]:
    """(page start, page end, sentence) of each occurrence of `form` in the article's text, bylines included."""
    found = []
    for seg in article.segments:
        if seg.role == "duplicate":
            continue
        for m in re.finditer(re.escape(form), seg.text):
            start = seg.text_start + m.start()
            found.append((start, start + len(form), _sentence(seg.text, m.start())))
    return found


def _evidence_article(doc: PageDoc, evidence: str, fallback: str) -> Article:
    plain = re.sub(r"\s", "", evidence)
    for a in doc.articles:
        if plain and plain[:12] in re.sub(r"\s", "", "".join(p.text for p in a.passages)):
            return a
    for a in doc.articles:
        if any(fallback in p.text for p in a.passages):
            return a
    return doc.articles[0]


def gold_extraction(seeds: Path, gold_dir: Path) -> tuple[list[PageDoc], Extraction]:
    docs, errors = read([seeds])
    assert not errors, errors
    gold = load_gold(gold_dir)
    by_file = {d.page.name: d for d in docs}
    mentions: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    type_of: dict[tuple[str, str], str] = {}
    for file, g in gold.items():
        doc = by_file[file]
        for e in g["entities"]:
            key = (e["type"], e["name"])
            type_of[(file, e["name"])] = e["type"]
            names = sorted({e["name"], *e.get("aliases", [])}, key=lambda s: (-len(s), s))
            forms[key] |= set(names)
            for index in e["articles"]:
                if index < 0:
                    continue
                article = doc.articles[index]
                hits = [(f, h) for f in names for h in _find(article, f)]
                for form, (start, end, sentence) in hits[:3]:
                    mentions[key].append(Mention(e["type"], form, e["name"], article.id, file, start, end, sentence, "gold"))
    entities = tuple(
        sorted(
            (Entity(t, n, tuple(sorted(forms[(t, n)] - {n})), tuple(sorted(set(ms), key=lambda m: (m.page, m.start))))
             for (t, n), ms in mentions.items()),
            key=lambda e: e.key,
        )
    )
    global_type = {name: t for (_, name), t in type_of.items()}

    def key_of(file: str, name: str) -> str:
        return f"{type_of.get((file, name)) or global_type.get(name, 'Organization')}/{name}"

    relations = []
    for file, g in gold.items():
        doc = by_file[file]
        for r in g["relations"]:
            article = _evidence_article(doc, r["evidence"], r["subject"])
            predicate = "memberOf" if r["predicate"] == "roleIn" else r["predicate"]
            relations.append(Relation(key_of(file, r["subject"]), predicate, key_of(file, r["object"]),
                                      r["evidence"], article.id, r.get("role")))
    merged: dict[str, dict] = {}
    for file, g in gold.items():
        doc = by_file[file]
        for ev in g["events"]:
            article = doc.articles[ev["article"]]
            body = "\n".join(p.text for p in article.passages)
            at = body.find(ev["name"][:4])
            m = merged.setdefault(ev["name"], {"ev": ev, "articles": set(), "org": set(), "und": set(), "par": set(),
                                                "evidence": _sentence(body, max(at, 0)), "file": file})
            m["articles"].add(article.id)
            m["org"] |= {key_of(file, n) for n in ev["organizers"]}
            m["und"] |= {key_of(file, n) for n in ev["undertakers"]}
            m["par"] |= {key_of(file, n) for n in ev["participants"]}
    events = tuple(
        Event(name, m["ev"]["type"], m["ev"]["date_text"], None, None, None,
              key_of(m["file"], m["ev"]["location"]) if m["ev"]["location"] else None,
              tuple(sorted(m["org"])), tuple(sorted(m["und"])), tuple(sorted(m["par"])), m["evidence"],
              tuple(sorted(m["articles"])))
        for name, m in sorted(merged.items())
    )
    return docs, Extraction(entities=entities, relations=tuple(relations), events=events)
