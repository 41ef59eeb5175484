"""`kg build --cluster`: wall time, speed-up and peak memory of the client, the scheduler and each worker.

    .venv/bin/python -m benchmarks.cluster          # issue 18's benchmark (about an hour of CPU in all):
                                                    # 20,000 varied pages on 1, 2, 4, 8 workers, and
                                                    # the client's peak at 10,000 vs 40,000 pages
    .venv/bin/python -m benchmarks.cluster --pages 500 --workers 1 2 --memory-pages 250 1000   # a quick check

Corpora are benchmarks/varied.py's (no two pages alike, vocabulary growing with the corpus),
made first, in this process. Each build runs in a fresh subprocess (the client), against a
LocalCluster started in another process (scheduler and worker processes, one thread each), so
the client's peak memory (its max RSS) is the client's alone, and the scheduler's is apart.
Each worker reports its own max RSS and CPU seconds before the cluster closes. Wall time is
the build's (kg.cluster.build), the cluster's start-up excluded. `--local` adds the local build
(kg.build.build, one job, no cache, N-Triples and Neo4j: what a cluster build writes).

The first line printed is the machine's CPU count and load: with C cores (shared with other
work), more than C workers cannot be faster, and a speed-up is bounded by the free cores.
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

from .varied import generate

RUNS_IN = "kg-bench-cluster-"


def _peak_mb() -> int:
    """This process's peak RSS in MB: Linux's VmHWM, which starts afresh at exec. (ru_maxrss
    keeps the peak of the process that forked it: the parent's, when that was larger.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _stats() -> tuple[float, int]:
    """CPU seconds and peak RSS (MB) of the process this runs in (a worker, the scheduler)."""
    return time.process_time(), _peak_mb()


def _serve(workers: int) -> None:
    """A LocalCluster of `workers` processes until stdin closes; prints the scheduler's address."""
    import distributed

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as lc:
        print(lc.scheduler_address, flush=True)
        sys.stdin.read()


def _run(kind: str, pages: Path, workers: int, out: Path) -> dict[str, Any]:
    """One build into `out` in this process (called in a fresh subprocess)."""
    stats: dict[str, Any] = {}
    if kind == "local":
        from kg.build import build

        start, cpu = time.perf_counter(), time.process_time()
        _, report = build([pages], out, ("ntriples", "neo4j"), cache=None)
        wall = time.perf_counter() - start
    else:
        import distributed

        from kg import cluster

        server = subprocess.Popen([sys.executable, "-m", "benchmarks.cluster", "--serve", str(workers)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None and server.stdin is not None
            address = server.stdout.readline().strip()
            start, cpu = time.perf_counter(), time.process_time()
            report = cluster.build([str(pages)], str(out), address)
            wall = time.perf_counter() - start
            with distributed.Client(address) as client:
                per_worker = client.run(_stats)
                scheduler = client.run_on_scheduler(_stats)
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=120)
        stats["worker_cpu_s"] = round(sum(c for c, _ in per_worker.values()), 1)
        stats["worker_rss_mb"] = sorted(m for _, m in per_worker.values())
        stats["scheduler_rss_mb"] = scheduler[1]
    stats.update(
        kind=kind, workers=workers, articles=report.articles, pages=report.pages,
        wall_s=round(wall, 1),
        client_cpu_s=round(time.process_time() - cpu, 1),
        client_rss_mb=_peak_mb(),
        triples=sum(1 for p in (out / "graph").glob("part-*.nt") for _ in p.open("rb")) if kind != "local"
        else sum(1 for _ in (out / "graph.nt").open("rb")),
        output_mb=round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1),
    )
    return stats


def _volume(pages: Path, parts: int) -> dict[str, Any]:
    """What crosses the network, per article: kg.cluster's tasks run in this process, one after
    another, on 8 batches and `parts` partitions, and their results measured pickled (as Dask
    sends them)."""
    import pickle

    from kg import cluster, resolve, schema
    from kg.pages import MAX_PAGE_SIZE

    def size(x: Any) -> int:
        return len(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL))

    base = schema.DEFAULT_BASE_IRI
    cpu = time.process_time()
    urls, _ = cluster.list_pages([str(pages)])
    analysed = [cluster.analyse_batch(b, MAX_PAGE_SIZE) for b in cluster._batches(list(enumerate(urls)), 8)]
    chosen = cluster.choose_pages(*[cluster.summary(a) for a in analysed])
    counts = [cluster.count_names(a, chosen) for a in analysed]
    canon = cluster.canonical(*counts)
    split = [cluster.split_mentions(a, chosen, canon, parts) for a in analysed]
    resolved = [cluster.resolve_part(canon, resolve.provisional_names(canon), *[s[j] for s in split]) for j in range(parts)]
    rows = [cluster.rows_of(r) for r in resolved]
    table = cluster.make_table(*rows)
    registered = cluster.register(*[cluster.choices_of(r) for r in resolved])
    facts = [cluster.batch_facts(a, chosen, canon, table, parts) for a in analysed]
    merged = [cluster.merge_part(table, registered, *[f[k] for f in facts]) for k in range(parts)]
    standins = cluster.standins_of(*merged)
    pieces = [cluster.part_records(k, merged[k], rows[k], table, registered, standins, base, parts) for k in range(parts)]
    pieces += [cluster.batch_records(a, chosen, canon, base, parts, *[cluster._cited(m, i) for m in merged])
               for i, a in enumerate(analysed)]
    cpu = time.process_time() - cpu
    n = chosen.articles
    return {
        "pages": chosen.pages, "articles": n, "cpu_s": round(cpu, 1),
        "mentions": sum(len(e.mentions) for r in resolved for e in r.entities),
        "entities": len(table), "distinct_names": len(canon),
        "page_results_kb": round(sum(size(a) for a in analysed) / n / 1024, 2),
        "mention_shuffle_kb": round(sum(size(s) for s in split) / n / 1024, 2),
        "canon_table_kb": round(size(canon) / 1024, 1), "entity_table_kb": round(size(table) / 1024, 1),
        "register_kb": round(size(registered) / 1024, 1),
        "facts_shuffle_kb": round(sum(size(f) for f in facts) / n / 1024, 2),
        "records_shuffle_kb": round(sum(size(p[:3]) for p in pieces) / n / 1024, 2),
        "output_kb": round(sum(len(line.encode("utf-8")) for p in pieces for shard in p[0] for line in shard) / n / 1024
                           + sum(len(d) for p in pieces for shard in p[1] for blocks in shard.values() for _, d in blocks)
                           / n / 1024, 2),
    }


def _one(kind: str, pages: Path, workers: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.cluster", "--one", kind, str(pages), str(workers)],
                          capture_output=True, text=True, env={**os.environ})
    if done.returncode != 0:
        raise SystemExit(f"benchmarks.cluster: the {kind} build of {pages} on {workers} failed:\n{done.stderr[-3000:]}")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def _machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"CPUs: {os.cpu_count()} (usable by this process: {usable}); load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20000, help="pages of the scaling corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--memory-pages", type=int, nargs="*", default=[10000, 40000],
                        help="pages of the corpora whose client memory is compared (none: skip)")
    parser.add_argument("--memory-workers", type=int, default=2, help="workers for the memory comparison")
    parser.add_argument("--local", action="store_true", help="also the local build of the scaling corpus")
    parser.add_argument("--volume-pages", type=int, default=1000,
                        help="pages of the corpus whose shuffle volume is measured in one process (0: skip)")
    parser.add_argument("--volume", nargs=2, metavar=("PAGES", "PARTS"), help=argparse.SUPPRESS)
    parser.add_argument("--one", nargs=3, metavar=("KIND", "PAGES", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve)
        return
    if args.volume:
        print(json.dumps(_volume(Path(args.volume[0]), int(args.volume[1]))))
        return
    if args.one:
        out = Path(tempfile.mkdtemp(prefix=RUNS_IN))
        try:
            print(json.dumps(_run(args.one[0], Path(args.one[1]), int(args.one[2]), out / "out")))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return

    command = " ".join(["python -m benchmarks.cluster", *sys.argv[1:]])
    print(f"`{command}`; {_machine()} at the start")
    with tempfile.TemporaryDirectory(prefix="kg-bench-corpus-") as tmp:
        corpora: dict[int, Path] = {}
        for size in sorted({args.pages, *args.memory_pages, *([args.volume_pages] if args.volume_pages else [])}):
            corpora[size] = Path(tmp) / str(size)
            generate(size, corpora[size])
            print(f"corpus: {size:,} varied pages written", file=sys.stderr, flush=True)
        rows = [_one("local", corpora[args.pages], 1)] if args.local else []
        rows += [_one("cluster", corpora[args.pages], w) for w in args.workers]
        # A memory point the scaling runs already made is not run again.
        memory: list[dict[str, Any]] = []
        for size in args.memory_pages:
            made = [r for r in rows if r["kind"] == "cluster" and r["workers"] == args.memory_workers and size == args.pages]
            memory.append(made[0] if made else _one("cluster", corpora[size], args.memory_workers))
        volume = None
        if args.volume_pages:
            done = subprocess.run([sys.executable, "-m", "benchmarks.cluster", "--volume",
                                   str(corpora[args.volume_pages]), "4"], capture_output=True, text=True, check=True)
            volume = json.loads(done.stdout.strip().splitlines()[-1])
            print(json.dumps(volume), file=sys.stderr, flush=True)
    print(f"{_machine()} at the end")
    print()
    print("| build | workers | pages | articles | triples | wall s | speed-up vs 1 worker | client CPU s "
          "| workers' CPU s | articles per worker-CPU s | client peak MB | scheduler peak MB | each worker's peak MB "
          "| output MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    one = next((r["wall_s"] for r in rows if r["kind"] == "cluster" and r["workers"] == 1), None)
    for r in rows:
        speed = f"{one / r['wall_s']:.2f}" if r["kind"] == "cluster" and one else ""
        print(f"| {r['kind']} | {r['workers']} | {r['pages']:,} | {r['articles']:,} | {r['triples']:,} | {r['wall_s']} "
              f"| {speed} | {r['client_cpu_s']} | {r.get('worker_cpu_s', '')} "
              f"| {r['articles'] / (r.get('worker_cpu_s') or r['client_cpu_s']):.0f} | {r['client_rss_mb']:,} "
              f"| {r.get('scheduler_rss_mb', '')} | {', '.join(str(m) for m in r.get('worker_rss_mb', []))} "
              f"| {r['output_mb']} |")
    if memory:
        print()
        print(f"Client memory against corpus size ({args.memory_workers} workers):")
        print()
        print("| pages | articles | triples | wall s | client CPU s | client peak MB | scheduler peak MB "
              "| each worker's peak MB | output MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
        for r in memory:
            print(f"| {r['pages']:,} | {r['articles']:,} | {r['triples']:,} | {r['wall_s']} | {r['client_cpu_s']} "
                  f"| {r['client_rss_mb']:,} | {r['scheduler_rss_mb']} "
                  f"| {', '.join(str(m) for m in r['worker_rss_mb'])} | {r['output_mb']} |")
        if len(memory) > 1:
            a, b = memory[0], memory[-1]
            print()
            print(f"client peak: {a['client_rss_mb']} MB at {a['pages']:,} pages, {b['client_rss_mb']} MB at "
                  f"{b['pages']:,} pages ({b['articles'] / max(1, a['articles']):.1f}x the articles): "
                  f"{(b['client_rss_mb'] - a['client_rss_mb']) * 1024 / max(1, b['articles'] - a['articles']):.2f} "
                  "KB more per article")

    if volume:
        v = volume
        print()
        print(f"What crosses the network ({v['pages']:,} pages, {v['articles']:,} articles, {v['mentions']:,} mentions, "
              f"{v['entities']:,} entities, {v['distinct_names']:,} distinct provisional names; the tasks run in one "
              f"process: {v['cpu_s']} CPU s, {v['articles'] / v['cpu_s']:.0f} articles per CPU s):")
        print()
        print("| what | per article KB | in all |")
        print("|---|---:|---:|")
        n = v["articles"]
        for label, key in [("page results (kept on the workers, not sent)", "page_results_kb"),
                           ("mention shuffle (batches to resolution partitions)", "mention_shuffle_kb"),
                           ("facts shuffle (batches to merge partitions)", "facts_shuffle_kb"),
                           ("records shuffle (lines and rows to the shard tasks)", "records_shuffle_kb"),
                           ("output (N-Triples and Neo4j shards)", "output_kb")]:
            print(f"| {label} | {v[key]} | {v[key] * n / 1024:.1f} MB |")
        for label, key in [("canonical-name table (to every batch)", "canon_table_kb"),
                           ("entity table (to every batch and merge partition)", "entity_table_kb"),
                           ("register choices and chains (to every merge partition)", "register_kb")]:
            print(f"| {label} | | {v[key]:,} KB |")


if __name__ == "__main__":
    main()
