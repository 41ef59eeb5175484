"""Relations and events scored with the entities taken from the gold, to separate their own
errors from entity-recognition errors.

    .venv/bin/python -m benchmarks.oracle_entities PAGES_DIR GOLD_DIR

Gold entities become mentions as tests/gold_graph.py finds them; kg.relations and kg.events
then run on those instead of recognised ones; the graph is scored by kg.evaluate.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kg import events, relations
from kg.evaluate import evaluate
from kg.graph import build_graph
from kg.model import Extraction
from kg.export.rdf import to_rdf
from tests.gold_graph import gold_extraction


def main(argv: list[str]) -> None:
    pages, gold = Path(argv[0]), Path(argv[1])
    docs, gold_x = gold_extraction(pages, gold)
    extraction = Extraction(
        entities=gold_x.entities,
        relations=relations.extract(docs, gold_x.entities),
        events=events.extract(docs, gold_x.entities),
    )
    with tempfile.TemporaryDirectory() as tmp:
        ttl = Path(tmp) / "graph.ttl"
        to_rdf(build_graph(docs, extraction)).serialize(ttl, format="turtle")
        report = evaluate(gold, ttl)
    for name in ("relations", "events"):
        m = report.metrics[name]
        c = m.counts
        print(f"{name} (gold entities): P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}")
        for x in m.misses:
            print(f"  MISS  {x}")
        for x in m.extras:
            print(f"  EXTRA {x}")


if __name__ == "__main__":
    main(sys.argv[1:])
