"""Scoring a build against a gold standard (seeds/gold/*.json), metric by metric.

Entities (strict: same type and a shared name or alias; lenient: any type), articles (titles),
relations (partOf, responsibleFor) and events are counted exactly as the project's reference
scorer (tests/score_reference.py) counts them, so the figures agree to the last digit. On top,
reporter and photographer attribution: articles are paired with gold articles by title (by the
first words of the body when the gold article has none), then (article, person) pairs are
compared under resolved names. Every miss and extra is listed, to show where extraction fails.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import manifest
from .errors import EvaluationError, clip
from .model import ENTITY_TYPES

RELATIONS = ("partOf", "responsibleFor")
SCHEMAS = ("http://schema.org/", "https://schema.org/")
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Metric:
    """One metric's counts, with what it missed and what it added."""

    counts: PRF
    misses: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    per_type: dict[str, PRF]
    metrics: dict[str, Metric] = field(default_factory=dict)  # entities, entities-lenient, articles, ...


Thing = tuple[str, str, frozenset[str]]  # type, label, names and aliases


def load_gold(directory: Path) -> dict[str, dict[str, Any]]:
    """File name -> gold annotation, from every *.json in `directory`."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise EvaluationError(f"{directory}: no gold *.json files (没有金标准文件); pass the gold directory, e.g. seeds/gold")
    gold = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EvaluationError(f"{path}: not a gold annotation (金标准文件无效): {clip(str(exc))}; "
                                  "see seeds/gold/GUIDELINE.md") from None
        if not isinstance(data, dict) or not isinstance(data.get("file"), str):
            what = "an object without a \"file\" name" if isinstance(data, dict) else f"a JSON {type(data).__name__}"
            raise EvaluationError(f"{path}: not a gold annotation (金标准文件无效): holds {what}, where an object "
                                  "with \"file\" and \"entities\" is expected; see seeds/gold/GUIDELINE.md")
        gold[data["file"]] = data
    return gold


class Prediction:
    """What a build's Turtle says, read the way the reference scorer reads it."""

    def __init__(self, path: Path) -> None:
        import rdflib
        from rdflib import RDF, RDFS, Namespace

        if not path.is_file():
            raise EvaluationError(f"{path}: no such build output (找不到构建结果); run `kg build` first or pass BUILD")
        g = rdflib.Graph()
        try:
            g.parse(str(path), format="turtle")
        except Exception as exc:  # rdflib raises many kinds for bad Turtle
            raise EvaluationError(f"{path}: not readable Turtle (无法解析): {clip(str(exc))}") from None
        ns = {p: str(n) for p, n in g.namespaces()}
        if "pckg" not in ns:
            raise EvaluationError(f"{path}: no pckg: prefix bound (缺少 pckg 前缀); was it written by kg build?")
        base = ns["pckg"]
        P, S = Namespace(base), Namespace(SKOS)
        self.files: dict[Any, str] = {page: str(f) for page, _, f in g.triples((None, P.sourceFile, None))}
        self.things: dict[Any, Thing] = {}
        for s, _, cls in g.triples((None, RDF.type, None)):
            c = str(cls)
            if not c.startswith(base) or c[len(base) :] not in (*ENTITY_TYPES, "Event"):
                continue
            labels = {str(o) for o in g.objects(s, RDFS.label)}
            alts = {str(o) for o in g.objects(s, S.altLabel)}
            self.things[s] = (c[len(base) :], sorted(labels)[0] if labels else "", frozenset(labels | alts))
        self.mentions: dict[str, set[Any]] = defaultdict(set)
        self.titles: dict[str, list[str]] = defaultdict(list)
        self.articles: dict[str, list[Any]] = defaultdict(list)  # file -> article IRIs
        self.headline: dict[Any, str] = {}
        self.body: dict[Any, str] = {}
        self.credits: dict[tuple[Any, str], set[str]] = defaultdict(set)  # (article, role) -> labels
        for schema in SCHEMAS:
            SC = Namespace(schema)
            for a in g.subjects(RDF.type, P.Article):
                for page in g.objects(a, SC.isPartOf):
                    f = self.files.get(page)
                    if f is None:
                        continue
                    if a not in self.articles[f]:
                        self.articles[f].append(a)
                    for h in g.objects(a, SC.headline):
                        self.titles[f].append(str(h))
                        self.headline[a] = str(h)
                    for b in g.objects(a, SC.articleBody):
                        self.body[a] = str(b)
                    for m in g.objects(a, SC.mentions):
                        if m in self.things:
                            self.mentions[f].add(m)
                for person in g.objects(a, SC.author):
                    self.credits[(a, "reporters")].add(self._label(g, person))
        for a, _, person in g.triples((None, P.photographer, None)):
            self.credits[(a, "photographers")].add(self._label(g, person))
        self.rels: dict[str, set[tuple[Any, Any]]] = defaultdict(set)
        for r in RELATIONS:
            for s, _, o in g.triples((None, P[r], None)):
                self.rels[r].add((s, o))

    def _label(self, g: Any, node: Any) -> str:
        thing = self.things.get(node)
        return thing[1] if thing else str(node)

    def entities(self) -> dict[str, list[Thing]]:
        return {f: [self.things[m] for m in ms if self.things[m][0] in ENTITY_TYPES] for f, ms in self.mentions.items()}


def _norm(s: str | None) -> str:
    return re.sub(r"[\s\u3000“”\"'‘’《》「」#]", "", s or "")


def _title_match(have: str, want: str) -> bool:
    return have == want or (len(have) >= 4 and (have in want or want in have))


def _outside(entity: dict[str, Any]) -> bool:
    """Whether the gold places an entity only outside every article (its article indices all -1)."""
    articles = entity.get("articles") or []
    return bool(articles) and all(a < 0 for a in articles)


def score_entities(gold: dict[str, dict[str, Any]], pred: dict[str, list[Thing]], strict: bool) -> tuple[dict[str, PRF], Metric]:
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    misses, extras = [], []
    for file, g in gold.items():
        gents = [(e["type"], e["name"], {e["name"], *e.get("aliases", [])}) for e in g["entities"] if not _outside(e)]
        pents = pred.get(file, [])
        # Named only outside any article (navigation lists, footers, orphan fragments): finding
        # these neither helps nor hurts, so what matches them is set aside first.
        used: set[int] = {
            i
            for e in g["entities"]
            if _outside(e)
            for i, (_, _, pf) in enumerate(pents)
            if {e["name"], *e.get("aliases", [])} & pf
        }
        for gt, gn, gforms in gents:
            hit = next(
                (i for i, (pt, _, pf) in enumerate(pents) if i not in used and gforms & pf and (pt == gt or not strict)),
                None,
            )
            if hit is None:
                fn[gt] += 1
                misses.append(f"{file} {gt} {gn}")
            else:
                used.add(hit)
                tp[gt] += 1
        for i, (pt, pn, _) in enumerate(pents):
            if i not in used:
                fp[pt] += 1
                extras.append(f"{file} {pt} {pn}")
    per_type = {t: PRF(tp[t], fp[t], fn[t]) for t in ENTITY_TYPES}
    total = PRF(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return per_type, Metric(total, tuple(misses), tuple(extras))


def _match_per_page(
    pairs: Iterable[tuple[str, list[str], list[str]]], same: Callable[[str, str], bool], what: str
) -> Metric:
    """Greedy one-to-one matching of wanted and found strings page by page, as the scorer does."""
    tp = fp = fn = 0
    misses: list[str] = []
    extras: list[str] = []
    for file, want, have in pairs:
        left = list(have)
        for w in want:
            hit = next((h for h in left if same(w, h)), None)
            if hit is None:
                fn += 1
                misses.append(f"{file} {what} {w}")
            else:
                left.remove(hit)
                tp += 1
        fp += len(left)
        extras += [f"{file} {what} {h}" for h in left]
    return Metric(PRF(tp, fp, fn), tuple(misses), tuple(extras))


def score_articles(gold: dict[str, dict[str, Any]], pred: Prediction) -> Metric:
    pairs = (
        (file, [_norm(a["title"]) for a in g["articles"] if a.get("title")], [_norm(t) for t in pred.titles.get(file, [])])
        for file, g in gold.items()
    )
    return _match_per_page(pairs, lambda w, h: _title_match(h, w), "title")


def score_relations(gold: dict[str, dict[str, Any]], pred: Prediction) -> Metric:
    """Gold relations are global facts: matched against the whole graph."""

    def forms(iri: Any) -> frozenset[str]:
        thing = pred.things.get(iri)
        return thing[2] if thing else frozenset()

    gold_rels = []
    for file, g in gold.items():
        aliases = {e["name"]: {e["name"], *e.get("aliases", [])} for e in g["entities"]}
        for r in g["relations"]:
            if r["predicate"] in RELATIONS:
                gold_rels.append(
                    (r["predicate"], aliases.get(r["subject"], {r["subject"]}), aliases.get(r["object"], {r["object"]}), file)
                )
    tp = fp = fn = 0
    misses, extras = [], []
    matched: set[tuple[Any, ...]] = set()
    for p, sf, of, file in gold_rels:
        hit = next(((s, o) for s, o in pred.rels[p] if forms(s) & sf and forms(o) & of), None)
        if hit is None:
            fn += 1
            misses.append(f"{file} {p} {sorted(sf)[0]} {sorted(of)[0]}")
        else:
            tp += 1
            matched.add((p, *hit))
    known: set[str] = set()
    for _, sf, of, _ in gold_rels:
        known |= sf | of
    for p in RELATIONS:
        for s, o in pred.rels[p]:
            if (p, s, o) not in matched and forms(s) & known and forms(o) & known:
                fp += 1
                extras.append(f"{p} {pred.things.get(s, ('', str(s)))[1]} {pred.things.get(o, ('', str(o)))[1]}")
    return Metric(PRF(tp, fp, fn), tuple(misses), tuple(sorted(extras)))


def _similar(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    common = sum(1 for ch in set(a) if ch in b)
    return common / min(len(set(a)), len(set(b))) >= 0.7


def score_events(gold: dict[str, dict[str, Any]], pred: Prediction) -> Metric:
    pairs = (
        (
            file,
            [e["name"] for e in g["events"]],
            [pred.things[m][1] for m in pred.mentions.get(file, ()) if pred.things[m][0] == "Event"],
        )
        for file, g in gold.items()
    )
    return _match_per_page(pairs, _similar, "event")


def _pair_articles(gold: dict[str, dict[str, Any]], pred: Prediction) -> dict[tuple[str, int], Any]:
    """(file, gold article index) -> predicted article: by title, else by the body's first words."""
    pairs: dict[tuple[str, int], Any] = {}
    for file, g in gold.items():
        left = sorted(pred.articles.get(file, []), key=str)
        for i, a in enumerate(g["articles"]):
            want = _norm(a.get("title"))
            if want:
                hit = next((x for x in left if _title_match(_norm(pred.headline.get(x)), want)), None)
            else:
                # the gold prefix may open with the byline, which is not body text
                prefix = _norm(re.sub(r"^本报讯\s*[(（][^)）]*[)）]", "", a.get("first_sentence_prefix") or ""))[:12]
                hit = next((x for x in left if prefix and prefix in _norm(pred.body.get(x, ""))[:60]), None)
            if hit is not None:
                left.remove(hit)
                pairs[(file, i)] = hit
    return pairs


def score_attribution(gold: dict[str, dict[str, Any]], pred: Prediction, role: str) -> Metric:
    """P/R/F1 over (article, person) pairs for `role` (reporters or photographers)."""
    pairs = _pair_articles(gold, pred)
    tp = fp = fn = 0
    misses, extras = [], []
    for file, g in gold.items():
        for i, a in enumerate(g["articles"]):
            want = set(a.get(role, []))
            have = pred.credits.get((pairs[(file, i)], role), set()) if (file, i) in pairs else set()
            tp += len(want & have)
            misses += [f"{file} #{i} {role} {n}" for n in sorted(want - have)]
            extras += [f"{file} #{i} {role} {n}" for n in sorted(have - want)]
            fn += len(want - have)
            fp += len(have - want)
    return Metric(PRF(tp, fp, fn), tuple(misses), tuple(extras))


def evaluate(gold_dir: Path, build: Path) -> Report:
    """Score `build` (a directory holding graph.ttl, or a .ttl file) against `gold_dir`."""
    path = build / "graph.ttl" if build.is_dir() else build
    if build.is_dir() and path.is_file():
        manifest.check(build, ["graph.ttl"])  # a build cut short or changed since is not scored
    elif path.is_file():
        manifest.check_file(path)
    gold = load_gold(gold_dir)
    pred = Prediction(path)
    per_type, strict = score_entities(gold, pred.entities(), strict=True)
    _, lenient = score_entities(gold, pred.entities(), strict=False)
    return Report(
        per_type,
        {
            "entities": strict,
            "entities-lenient": lenient,
            "articles": score_articles(gold, pred),
            "relations": score_relations(gold, pred),
            "events": score_events(gold, pred),
            "reporters": score_attribution(gold, pred, "reporters"),
            "photographers": score_attribution(gold, pred, "photographers"),
        },
    )


def format_report(report: Report, details: bool = True) -> str:
    """The per-type table, one line per metric, then every miss and extra."""
    lines = [f"{'type':13} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for t, c in report.per_type.items():
        lines.append(f"{t:13} {c.tp + c.fn:5} {c.tp + c.fp:5} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}")
    for name, m in report.metrics.items():
        c = m.counts
        lines.append(f"{name}: P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}")
    if details:
        for name, m in report.metrics.items():
            if name == "entities-lenient":
                continue
            lines += [f"MISS  {name}: {x}" for x in m.misses]
            lines += [f"EXTRA {name}: {x}" for x in m.extras]
    return "\n".join(lines)


def parse_floors(specs: Iterable[str]) -> dict[str, float]:
    """Floors given as METRIC=F1 (entities=0.9): {metric: lowest acceptable F1}."""
    floors: dict[str, float] = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        try:
            floor = float(value)
        except ValueError:
            floor = -1.0
        if not name or not 0.0 <= floor <= 1.0:
            raise EvaluationError(
                f"--min {spec}: expected METRIC=F1 with F1 between 0 and 1, e.g. entities=0.9 "
                "(应为 指标=F1 下限)")
        floors[name] = floor
    return floors


def below_floors(report: Report, floors: dict[str, float]) -> list[str]:
    """One line per metric whose F1 is under its floor (a metric the report lacks is one too)."""
    lines = []
    for name, floor in sorted(floors.items()):
        metric = report.metrics.get(name)
        if metric is None:
            lines.append(f"{name}: no such metric; known: {', '.join(report.metrics)} (无此指标)")
        elif metric.counts.f1 < floor:
            lines.append(f"{name}: F1 {metric.counts.f1:.3f} is below the floor {floor:.3f} (低于下限)")
    return lines
