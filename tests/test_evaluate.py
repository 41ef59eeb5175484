"""kg eval: the same figures as the reference scorer, plus attribution, misses and extras."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.evaluate import evaluate
from kg.model import ENTITY_TYPES

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "seeds" / "gold"


def reference(ttl: Path) -> tuple[dict[str, tuple[int, int, str, str, str]], dict[str, tuple[str, str, str]]]:
    """Run tests/score_reference.py and read its per-type rows and metric lines."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "score_reference.py"), str(GOLD), str(ttl)],
        capture_output=True, text=True, check=True,
    ).stdout
    rows = {}
    metrics = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] in ENTITY_TYPES:
            rows[cells[0]] = (int(cells[1]), int(cells[2]), cells[3], cells[4], cells[5])
        m = re.match(r"([\w-]+): P=([\d.]+) R=([\d.]+) F1=([\d.]+)", line)
        if m:
            metrics[m[1]] = (m[2], m[3], m[4])
    return rows, metrics


@pytest.mark.slow
def test_eval_agrees_with_the_reference_scorer_on_every_shared_metric(seed_build):
    _, _, out = seed_build
    rows, metrics = reference(out / "graph.ttl")
    report = evaluate(GOLD, out)
    assert set(rows) == set(ENTITY_TYPES)
    for t, c in report.per_type.items():
        ours = (c.tp + c.fn, c.tp + c.fp, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")
        assert ours == rows[t], t
    assert set(metrics) == {"entities", "entities-lenient", "articles", "relations", "events"}
    for name, (p, r, f) in metrics.items():
        c = report.metrics[name].counts
        assert (f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}") == (p, r, f), name


@pytest.mark.slow
def test_seed_entities_meet_the_bar_strict_and_per_type(seed_build):
    _, _, out = seed_build
    report = evaluate(GOLD, out)
    assert report.metrics["entities"].counts.f1 >= 0.90
    weak = {t: round(c.f1, 3) for t, c in report.per_type.items() if c.f1 < 0.80}
    assert not weak, weak
    assert report.metrics["reporters"].counts.f1 >= 0.95
    assert report.metrics["photographers"].counts.f1 >= 0.95


@pytest.mark.slow
def test_eval_command_prints_the_table_and_where_extraction_fails(seed_build):
    _, _, out = seed_build
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("type           gold  pred      P      R     F1\n")
    assert "reporters: P=" in result.output and "photographers: P=" in result.output
    assert "MISS  entities: " in result.output


def test_eval_command_names_a_missing_gold_directory(tmp_path: Path):
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path / "nowhere"), str(tmp_path)])
    assert result.exit_code == 2
    assert "no gold *.json files" in result.output


def test_eval_command_names_a_missing_build(tmp_path: Path):
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), str(tmp_path)])
    assert result.exit_code == 2
    assert "graph.ttl: no such build output" in result.output


@pytest.mark.slow
def test_eval_floors_fail_the_command_only_when_a_metric_falls_below(seed_build):
    _, _, out = seed_build
    report = evaluate(GOLD, out)
    articles = report.metrics["articles"].counts.f1
    ok = CliRunner().invoke(main, ["eval", "-q", "--gold", str(GOLD), str(out), "--min", f"articles={articles:.3f}"])
    assert ok.exit_code == 0, ok.output
    low = CliRunner().invoke(main, ["eval", "-q", "--gold", str(GOLD), str(out), "--min", "entities=1", "--min", "events=0"])
    assert low.exit_code == 1
    assert "entities: F1 " in low.output and "below the floor 1.000" in low.output
    assert "events: F1" not in low.output


@pytest.mark.parametrize("spec", ["entities", "entities=high", "entities=1.5", "=0.9"])
def test_eval_names_a_malformed_floor(tmp_path: Path, spec: str):
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), str(tmp_path), "--min", spec])
    assert result.exit_code == 2
    assert f"--min {spec}: expected METRIC=F1" in result.output


def test_entities_named_only_outside_articles_neither_help_nor_hurt():
    from kg.evaluate import score_entities

    gold = {"p.txt": {"entities": [
        {"type": "Place", "name": "鼓楼", "articles": [-1]},
        {"type": "Village", "name": "西谷庄村", "aliases": ["西谷庄"], "articles": [0]},
    ]}}
    found = [("Place", "鼓楼", {"鼓楼"}), ("Village", "西谷庄村", {"西谷庄村"})]
    per_type, total = score_entities(gold, {"p.txt": found}, strict=True)
    assert (total.counts.tp, total.counts.fp, total.counts.fn) == (1, 0, 0)
    assert per_type["Place"] == per_type["Place"].__class__(0, 0, 0)
    _, missed = score_entities(gold, {"p.txt": []}, strict=True)
    assert (missed.counts.tp, missed.counts.fp, missed.counts.fn) == (0, 0, 1)
