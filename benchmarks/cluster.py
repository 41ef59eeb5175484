"""`kg build --cluster local:N` against the local build: wall time, CPU, peak memory of client and workers.

    .venv/bin/python -m benchmarks.cluster                          # 1,000 and 4,000 articles, 1 and 2 workers
    .venv/bin/python -m benchmarks.cluster --sizes 1000 --workers 1 2 4

Corpora are benchmarks/corpus.py's (seed pages with names varied). Each build runs in a fresh
subprocess, so the client's peak memory (max RSS) is that build's alone; each worker reports
its own max RSS and CPU seconds before the cluster closes. The local build is kg.build.build
with one job, no cache, and the formats a cluster build writes by default (N-Triples, Neo4j).
On a machine with C cores, more than C workers cannot be faster: they share the cores.
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
from typing import Any

from .corpus import generate


def _worker_stats() -> tuple[float, int]:
    return time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _run(kind: str, pages: Path, workers: int, out: Path) -> dict[str, Any]:
    """One build into `out` in this process (called in a fresh subprocess)."""
    start, cpu = time.perf_counter(), time.process_time()
    stats: dict[str, Any] = {}
    if kind == "local":
        from kg.build import build

        _, report = build([pages], out, ("ntriples", "neo4j"), cache=None)
    else:
        import distributed

        from kg import cluster

        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as lc:
            report = cluster.build([str(pages)], str(out), lc.scheduler_address)
            with distributed.Client(lc.scheduler_address) as client:
                per_worker = client.run(_worker_stats)
        stats["worker_cpu_s"] = round(sum(c for c, _ in per_worker.values()), 2)
        stats["worker_rss_mb"] = sorted(m for _, m in per_worker.values())
    stats.update(
        kind=kind, workers=workers, articles=report.articles, pages=report.pages,
        wall_s=round(time.perf_counter() - start, 2), client_cpu_s=round(time.process_time() - cpu, 2),
        client_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        triples=sum(1 for p in (out / "graph").glob("part-*.nt") for _ in p.open("rb")) if kind != "local"
        else sum(1 for _ in (out / "graph.nt").open("rb")),
        output_mb=round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1),
    )
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000], help="articles per corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--one", nargs=3, metavar=("KIND", "PAGES", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        out = Path(tempfile.mkdtemp(prefix="kg-bench-cluster-"))
        try:
            print(json.dumps(_run(args.one[0], Path(args.one[1]), int(args.one[2]), out / "out")))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-corpus-") as tmp:
        for size in args.sizes:
            pages = Path(tmp) / str(size)
            generate(size, pages)
            for kind, n in [("local", 1), *(("cluster", w) for w in args.workers)]:
                done = subprocess.run([sys.executable, "-m", "benchmarks.cluster", "--one", kind, str(pages), str(n)],
                                      capture_output=True, text=True, check=True, env={**os.environ})
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), file=sys.stderr)
    print("| build | workers | pages | articles | triples | wall s | speed-up vs 1 worker | client CPU s "
          "| workers' CPU s | articles / worker-CPU s | client max RSS MB | worker max RSS MB | output MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        one = next((x["wall_s"] for x in rows if x["kind"] == "cluster" and x["workers"] == 1
                    and x["articles"] == r["articles"]), None)
        speed = f"{one / r['wall_s']:.2f}" if r["kind"] == "cluster" and one else ""
        wcpu = r.get("worker_cpu_s")
        rate = f"{r['articles'] / wcpu:.0f}" if wcpu else f"{r['articles'] / r['client_cpu_s']:.0f}"
        print(f"| {r['kind']} | {r['workers']} | {r['pages']:,} | {r['articles']:,} | {r['triples']:,} | {r['wall_s']} "
              f"| {speed} | {r['client_cpu_s']} | {wcpu or ''} | {rate} | {r['client_rss_mb']:,} "
              f"| {', '.join(str(m) for m in r.get('worker_rss_mb', []))} | {r['output_mb']} |")


if __name__ == "__main__":
    main()
