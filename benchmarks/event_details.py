"""What `kg eval` does not score: every relation predicate, and the attributes of matched events.

    .venv/bin/python -m benchmarks.event_details PAGES_DIR GOLD_DIR [-v]

Relations are compared as (subject, predicate, object) names, roleIn read as memberOf. An event
is matched to the gold event of its article with the most similar name (the reference scorer's
rule); then organizers, undertakers and participants are compared as sets of names (P/R/F1 over
the pairs), and location and date text as exact values (accuracy over matched events).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.build import extract, read
from kg.evaluate import PRF, _similar
from tests.gold_graph import load_gold


def _name(key: str | None) -> str | None:
    return key.partition("/")[2] if key else None


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    pages, gold_dir = (Path(a) for a in argv if a != "-v")
    docs, _ = read([pages])
    found = extract(docs)
    gold = load_gold(gold_dir)
    article = {a.id: (d.page.name, i) for d in docs for i, a in enumerate(d.articles)}

    def pred_of(p: str) -> str:
        return "memberOf" if p == "roleIn" else p

    have = {(_name(r.subject), r.predicate, _name(r.object)) for r in found.relations}
    want = {(r["subject"], pred_of(r["predicate"]), r["object"]) for g in gold.values() for r in g["relations"]}
    known = {n for t in want for n in (t[0], t[2])}
    have = {t for t in have if t[0] in known and t[2] in known}  # as the scorer: only among entities the gold knows
    for predicate in sorted({t[1] for t in want}):
        w = {t for t in want if t[1] == predicate}
        h = {t for t in have if t[1] == predicate}
        c = PRF(len(w & h), len(h - w), len(w - h))
        print(f"relations {predicate:14} P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}")
        if verbose:
            print("".join(f"  MISS  {t}\n" for t in sorted(w - h)) + "".join(f"  EXTRA {t}\n" for t in sorted(h - w)), end="")
    by_article: dict[tuple[str, int], list] = {}
    for e in found.events:
        for a in e.articles:
            by_article.setdefault(article[a], []).append(e)
    roles = {"organizers": [0, 0, 0], "undertakers": [0, 0, 0], "participants": [0, 0, 0]}
    exact = {"location": [0, 0], "date_text": [0, 0]}
    for file, g in sorted(gold.items()):
        for ev in g["events"]:
            left = by_article.get((file, ev["article"]), [])
            match = next((x for x in left if _similar(ev["name"], x.name)), None)
            if match is None:
                continue
            left.remove(match)
            for role, counts in roles.items():
                gold_names, got = set(ev[role]), {_name(k) for k in getattr(match, role)}
                counts[0] += len(gold_names & got)
                counts[1] += len(got - gold_names)
                counts[2] += len(gold_names - got)
                if verbose and gold_names != got:
                    print(f"  {file} {ev['name']} {role}: gold {sorted(gold_names)} got {sorted(got, key=str)}")
            for field, value in (("location", _name(match.location)), ("date_text", match.date_text)):
                exact[field][0] += value == ev[field]
                exact[field][1] += 1
                if verbose and value != ev[field]:
                    print(f"  {file} {ev['name']} {field}: gold {ev[field]} got {value}")
    for role, (tp, fp, fn) in roles.items():
        c = PRF(tp, fp, fn)
        print(f"events {role:13} P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}")
    for field, (right, total) in exact.items():
        print(f"events {field:13} {right}/{total} exact")


if __name__ == "__main__":
    main(sys.argv[1:])
