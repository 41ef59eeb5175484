"""Pipeline benchmark: throughput against plain jieba.cut, growth with size, memory, rebuild speed-up.

    .venv/bin/python -m benchmarks.pipeline                      # 10 100 1000 10000 articles
    .venv/bin/python -m benchmarks.pipeline --sizes 10 100 --rebuild-pages 100

Each measurement runs in a fresh subprocess pinned to one CPU, so that peak memory
(max RSS) belongs to that corpus alone and "one core" means one core. Inside it,
plain `jieba.cut` and the whole pipeline (`kg.build.build`, one job, no cache, the
default exports) run over the same page texts; jieba's dictionary is loaded before
either clock starts, since both would pay it once. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import ARTICLES_PER_PAGE, generate

STAGES = ("pages", "recognition", "resolution", "relations", "events", "export")


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


class _Clock:
    """A progress callback that notes when each stage starts and ends."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.first.setdefault(stage, now)
        self.last[stage] = now

    def stages(self, end: float) -> dict[str, float]:
        """Seconds per stage; `graph` is the gap between the last extraction stage and the export."""
        out, prev = {}, self.start
        for stage in STAGES:
            if stage not in self.last:
                continue
            if stage == "export":
                out["graph"] = self.first[stage] - prev
                prev = self.first[stage]
            out[stage] = self.last[stage] - prev
            prev = self.last[stage]
        out["other"] = end - prev
        return out


def measure(pages_dir: Path, out: Path) -> dict[str, object]:
    """In this process: jieba.cut over the page texts, then one clean build of them."""
    from kg.build import build
    from kg.ingest import decode
    from kg.nlp import jieba

    _one_core()
    texts = [decode(p).text for p in sorted(pages_dir.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    cut = jieba().cut
    t0 = time.perf_counter()
    words = sum(1 for t in texts for _ in cut(t))
    jieba_s = time.perf_counter() - t0

    clock = _Clock()
    _, report = build([pages_dir], out, progress=clock)
    end = time.perf_counter()
    return {
        "pages": report.pages,
        "articles": report.articles,
        "entities": sum(report.entity_counts.values()),
        "chars": chars,
        "words": words,
        "jieba_s": jieba_s,
        "build_s": end - clock.start,
        "stages": clock.stages(end),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_rebuild(pages_dir: Path, work: Path) -> dict[str, object]:
    """Clean build with an empty cache, change one page, build again with the cache."""
    from kg.build import build
    from kg.nlp import jieba

    _one_core()
    jieba()
    cache, out = work / "cache", work / "out"
    t0 = time.perf_counter()
    _, clean = build([pages_dir], out, cache=cache)
    clean_s = time.perf_counter() - t0
    page = sorted(pages_dir.glob("*.txt"))[len(clean.errors) + clean.pages // 2]
    page.write_text(page.read_text(encoding="utf-8") + "\n本报讯（记者 韩梅）近日，水磨村开展环境整治。\n", encoding="utf-8")
    clock = _Clock()
    _, again = build([pages_dir], out, cache=cache, progress=clock)
    end = time.perf_counter()
    return {
        "pages": again.pages,
        "articles": again.articles,
        "cached": again.cached,
        "clean_s": clean_s,
        "rebuild_s": end - clock.start,
        "stages": clock.stages(end),
    }


def _child(args: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.pipeline", *args], check=True,
                          capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _stage_line(stages: dict[str, float], total: float) -> str:
    return ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items() if v / total >= 0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000], help="articles per corpus")
    parser.add_argument("--rebuild-pages", type=int, default=1000, help="pages in the rebuild corpus (0: skip)")
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and outputs here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure / "pages", args.measure / "out")))
        return
    if args.rebuild:
        print(json.dumps(measure_rebuild(args.rebuild / "pages", args.rebuild)))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    rows = []
    print("| articles | pages | characters | jieba.cut chars/s | pipeline chars/s | ratio | build s | s per 1k articles | max RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        where = work / f"a{size}"
        shutil.rmtree(where, ignore_errors=True)
        generate(size, where / "pages")
        r = _child(["--measure", str(where)])
        rows.append(r)
        jieba_rate = r["chars"] / r["jieba_s"]  # type: ignore[operator]
        rate = r["chars"] / r["build_s"]  # type: ignore[operator]
        print(f"| {r['articles']:,} | {r['pages']:,} | {r['chars']:,} | {jieba_rate:,.0f} | {rate:,.0f} | "
              f"{rate / jieba_rate:.2f} | {r['build_s']:.2f} | {1000 * r['build_s'] / r['articles']:.2f} | "  # type: ignore[operator]
              f"{r['max_rss_mb']:,.0f} |", flush=True)
    print()
    for a, b in zip(rows, rows[1:]):
        print(f"- {a['articles']:,} -> {b['articles']:,} articles ({b['articles'] / a['articles']:.1f}x): "  # type: ignore[operator]
              f"time {b['build_s'] / a['build_s']:.1f}x")  # type: ignore[operator]
    for r in rows:
        print(f"- stages at {r['articles']:,} articles: {_stage_line(r['stages'], r['build_s'])}")  # type: ignore[arg-type]
    if args.rebuild_pages:
        where = work / f"rebuild{args.rebuild_pages}"
        shutil.rmtree(where, ignore_errors=True)
        generate(round(args.rebuild_pages * ARTICLES_PER_PAGE), where / "pages")
        r = _child(["--rebuild", str(where)])
        print(f"\n- rebuild after one changed page, {r['pages']:,} pages / {r['articles']:,} articles: "
              f"clean {r['clean_s']:.2f} s, rebuild {r['rebuild_s']:.2f} s "
              f"({r['cached']:,} pages from cache), speed-up {r['clean_s'] / r['rebuild_s']:.1f}x")  # type: ignore[operator]
        print(f"- rebuild stages: {_stage_line(r['stages'], r['rebuild_s'])}")  # type: ignore[arg-type]
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
