"""Pipeline benchmark: throughput against plain jieba.cut, growth with size, memory, rebuild speed-up.

    .venv/bin/python -m benchmarks.pipeline                      # 10 100 1000 10000 articles
    .venv/bin/python -m benchmarks.pipeline --sizes 10 100 --rebuild-pages 100
    .venv/bin/python -m benchmarks.pipeline --profile 1000         # hot spots, cProfile

Each measurement runs in a fresh subprocess pinned to one CPU, so that peak memory
(max RSS) belongs to that corpus alone and "one core" means one core. Inside it,
plain `jieba.cut` and the whole pipeline (`kg.build.build`, one job, no cache, the
default exports) run over the same page texts; jieba's dictionary is loaded before
either clock starts, since both would pay it once. Times are CPU seconds of that one
process (time.process_time), so other work on the machine does not skew the ratio.
Prints a Markdown table, then the rebuild after one changed page: the clean build and
the rebuild each in a fresh process with the cache, and all in one process. A rebuild is
short, so a busy moment of the machine skews it most: it is repeated (each time after
another change) and the median counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .corpus import ARTICLES_PER_PAGE, generate

STAGES = ("pages", "recognition", "resolution", "relations", "merge", "export")


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


class _Clock:
    """A progress callback that notes when each stage starts and ends."""

    def __init__(self) -> None:
        self.start = time.process_time()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.exports: list[float] = []  # when each exporter started, then when the last one ended

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.process_time()
        self.first.setdefault(stage, now)
        self.last[stage] = now
        if stage == "export":
            self.exports.append(now)

    def per_format(self, formats: tuple[str, ...]) -> dict[str, float]:
        return {f: b - a for f, a, b in zip(formats, self.exports, self.exports[1:])}

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


def measure(pages_dir: Path, out: Path) -> dict[str, Any]:
    """In this process: jieba.cut over the page texts, then one clean build of them."""
    from kg.build import DEFAULT_FORMATS, build
    from kg.pages import decode
    from kg.nlp import jieba

    _one_core()
    texts = [decode(p).text for p in sorted(pages_dir.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    cut = jieba().cut
    t0 = time.process_time()
    words = sum(1 for t in texts for _ in cut(t))
    jieba_s = time.process_time() - t0

    clock = _Clock()
    _, report = build([pages_dir], out, progress=clock)
    end = time.process_time()
    formats = clock.per_format(DEFAULT_FORMATS)
    return {
        "export_s": formats,
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


def _change_one_page(pages_dir: Path) -> None:
    """Add a short brief, unlike any before it, to the page in the middle of the corpus."""
    pages = sorted(pages_dir.glob("*.txt"))
    page = pages[len(pages) // 2]
    text = page.read_text(encoding="utf-8")
    n = text.count("水磨村开展第") + 1
    page.write_text(text + f"\n本报讯（记者 韩梅）近日，水磨村开展第{n}次环境整治。\n", encoding="utf-8")


def measure_cached_build(pages_dir: Path, work: Path) -> dict[str, Any]:
    """In this process: one build with the cache in `work`, as `kg build` runs it after start-up."""
    from kg.build import build
    from kg.nlp import jieba

    _one_core()
    jieba()
    clock = _Clock()
    _, report = build([pages_dir], work / "out", cache=work / "cache", progress=clock)
    end = time.process_time()
    return {
        "pages": report.pages,
        "articles": report.articles,
        "cached": report.cached,
        "cached_articles": report.cached_articles,
        "build_s": end - clock.start,
        "stages": clock.stages(end),
    }


def measure_rebuild(pages_dir: Path, work: Path, repeats: int) -> dict[str, Any]:
    """In this process: a clean build with an empty cache, then `repeats` times: one page
    changed, a build with the cache."""
    from kg.build import build
    from kg.nlp import jieba

    _one_core()
    jieba()
    t0 = time.process_time()
    graph, _ = build([pages_dir], work / "out", cache=work / "cache")
    clean_s = time.process_time() - t0
    del graph  # the next build must not carry this one's graph
    gc.collect()
    runs = []
    for _ in range(repeats):
        _change_one_page(pages_dir)
        runs.append(measure_cached_build(pages_dir, work))
        gc.collect()
    return {**_median(runs), "clean_s": clean_s}


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median build time, with every run's time beside it."""
    ordered = sorted(runs, key=lambda r: r["build_s"])
    return {**ordered[len(ordered) // 2], "runs_s": [r["build_s"] for r in runs]}


def profile(pages_dir: Path, out: Path, top: int = 25) -> None:
    """Print the functions that take the most time in one clean build, as shares of the build."""
    import cProfile
    import pstats

    from kg.build import build
    from kg.nlp import jieba

    _one_core()
    jieba()
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(build, [pages_dir], out)
    stats = pstats.Stats(profiler)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]  # documented, not in the stubs
    total = max(v[3] for v in table.values())
    rows = sorted(table.items(), key=lambda kv: -kv[1][3])
    print(f"{'cumulative':>10} {'own':>6}  function (CPU {total:.1f} s under cProfile)")
    for (file, line, name), (_, _, own, cum, _) in rows[:top]:
        where = file.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
        print(f"{cum / total:>10.1%} {own / total:>6.1%}  {name}  {where}:{line}")


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.pipeline", *args], check=True,
                          capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _runs(r: dict[str, Any]) -> str:
    return f"median of {len(r['runs_s'])}: " + ", ".join(f"{s:.2f}" for s in r["runs_s"])


def _stage_line(stages: dict[str, float], total: float) -> str:
    return ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items() if v / total >= 0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000], help="articles per corpus")
    parser.add_argument("--rebuild-pages", type=int, default=1000, help="pages in the rebuild corpus (0: skip)")
    parser.add_argument("--repeats", type=int, default=3, help="rebuilds, each after another change; the median counts")
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and outputs here")
    parser.add_argument("--profile", type=int, metavar="ARTICLES", help="profile one build of this size instead")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cached-build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure / "pages", args.measure / "out")))
        return
    if args.rebuild:
        print(json.dumps(measure_rebuild(args.rebuild / "pages", args.rebuild, args.repeats)))
        return
    if args.cached_build:
        print(json.dumps(measure_cached_build(args.cached_build / "pages", args.cached_build)))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if args.profile:
        where = work / f"profile{args.profile}"
        shutil.rmtree(where, ignore_errors=True)
        generate(args.profile, where / "pages")
        profile(where / "pages", where / "out")
        return
    rows = []
    print("| articles | pages | characters | jieba.cut chars/s | pipeline chars/s | ratio | ratio without JSON-LD "
          "| ratio without exports | build s | s per 1k articles | max RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        where = work / f"a{size}"
        shutil.rmtree(where, ignore_errors=True)
        generate(size, where / "pages")
        r = _child(["--measure", str(where)])
        rows.append(r)
        jieba_rate = r["chars"] / r["jieba_s"]
        rate = r["chars"] / r["build_s"]
        exports = r["export_s"]
        no_jsonld = r["build_s"] - exports.get("jsonld", 0.0)
        no_exports = r["build_s"] - sum(exports.values())
        print(f"| {r['articles']:,} | {r['pages']:,} | {r['chars']:,} | {jieba_rate:,.0f} | {rate:,.0f} | "
              f"{rate / jieba_rate:.2f} | {r['jieba_s'] / no_jsonld:.2f} | {r['jieba_s'] / no_exports:.2f} | "
              f"{r['build_s']:.2f} | {1000 * r['build_s'] / r['articles']:.2f} | "
              f"{r['max_rss_mb']:,.0f} |", flush=True)
    print()
    for a, b in zip(rows, rows[1:]):
        print(f"- {a['articles']:,} -> {b['articles']:,} articles ({b['articles'] / a['articles']:.1f}x): "
              f"time {b['build_s'] / a['build_s']:.1f}x")
    for r in rows:
        print(f"- stages at {r['articles']:,} articles: {_stage_line(r['stages'], r['build_s'])}; "
              "exports: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["export_s"].items()))
    if args.rebuild_pages:
        # As a user runs them: the clean build, then the rebuild after one page changed, each
        # in its own process; and, as this benchmark first measured it, both in one process.
        where = work / f"rebuild{args.rebuild_pages}"
        shutil.rmtree(where, ignore_errors=True)
        generate(round(args.rebuild_pages * ARTICLES_PER_PAGE), where / "pages")
        shutil.copytree(where / "pages", work / "rebuild-same-process" / "pages")
        clean = _child(["--cached-build", str(where)])
        runs = []
        for _ in range(args.repeats):
            _change_one_page(where / "pages")
            runs.append(_child(["--cached-build", str(where)]))
        r = _median(runs)
        print(f"\n- rebuild after one changed page, {r['pages']:,} pages / {r['articles']:,} articles, each build "
              f"in its own process: clean {clean['build_s']:.2f} s, rebuild {r['build_s']:.2f} s "
              f"({r['cached']:,} pages and {r['cached_articles']:,} articles from cache; {_runs(r)}), "
              f"speed-up {clean['build_s'] / r['build_s']:.1f}x")
        print(f"- rebuild stages: {_stage_line(r['stages'], r['build_s'])}")
        same = _child(["--rebuild", str(work / "rebuild-same-process"), "--repeats", str(args.repeats)])
        print(f"- the same, all builds in one process: clean {same['clean_s']:.2f} s, rebuild {same['build_s']:.2f} s "
              f"({_runs(same)}), speed-up {same['clean_s'] / same['build_s']:.1f}x")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
