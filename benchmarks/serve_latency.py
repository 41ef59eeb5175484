#!/usr/bin/env python3
"""Latency of `kg serve` on a large graph: entity and article pages, descriptions, named queries.

The graph is the one benchmarks/query_latency.py measures: the seed build scaled to about a
million triples by renamed copies. `kg serve` runs in its own process; each request is timed
from this one over HTTP on 127.0.0.1 and the median (p50) of `--repeat` requests is reported.

    .venv/bin/python benchmarks/serve_latency.py                 # >= 1,000,000 triples
    .venv/bin/python benchmarks/serve_latency.py --triples 200000 --repeat 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.query_latency import example_params, scale  # noqa: E402
from kg.build import build  # noqa: E402
from kg.export.rdf import DEFAULT_BASE  # noqa: E402
from kg.query import display_width, named_queries  # noqa: E402


def fetch(url: str, accept: str) -> tuple[float, int, int]:
    """(seconds, status, bytes) of one GET."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return time.perf_counter() - start, status, len(body)


def p50(url: str, accept: str, repeat: int) -> tuple[float, int, int]:
    runs = [fetch(url, accept) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), runs[-1][1], runs[-1][2]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="at least this many triples (default 1,000,000)")
    ap.add_argument("--repeat", type=int, default=5, help="requests per row; the median is reported")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        build([ROOT / "seeds"], Path(tmp) / "seed", formats=("ntriples",))
        lines = (Path(tmp) / "seed" / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
        copies = -(-args.triples // len(lines))
        served = Path(tmp) / "big"
        served.mkdir()
        total = scale(lines, copies, DEFAULT_BASE, served / "graph.nt")
        print(f"graph: {len(lines):,} seed triples x {copies} copies = {total:,} triples")
        article = next(m.group(1) for m in (re.match(rf"<{re.escape(DEFAULT_BASE)}(article/[0-9a-f]+)> ", line)
                                            for line in lines) if m)

        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-u", "-m", "kg.cli", "serve", str(served), "--port", "0",
                                 "--timeout", "600", "--max-rows", "100000000"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        try:
            assert proc.stdout is not None
            found = re.search(r"at (http://\S+/) ", proc.stdout.readline())
            assert found, "kg serve did not start"
            url = found.group(1)
            print(f"kg serve: loaded and listening in {time.perf_counter() - start:.1f} s")
            html, json = "text/html", "application/sparql-results+json"
            village = "id/" + urllib.parse.quote("Village/西谷庄村")
            rows = [
                ("entity page 西谷庄村", "html", url + village, html),
                ("entity page 平城区 (63 mentions)", "html", url + "id/" + urllib.parse.quote("AdminArea/平城区"), html),
                ("article page", "html", url + "id/" + article, html),
                ("entity description", "turtle", url + village, "text/turtle"),
                ("search 西谷", "html", url + "search?q=" + urllib.parse.quote("西谷"), html),
            ]
            for q in named_queries():
                params = example_params(q)
                rows.append((f"query {q.name}", " ".join(f"{k}={v}" for k, v in params.items()) or "-",
                             f"{url}queries/{q.name}?{urllib.parse.urlencode(params)}", json))
            header = ["request", "as / params", "status", "bytes", "p50 ms"]
            table = []
            for name, detail, target, accept in rows:
                seconds, status, size = p50(target, accept, args.repeat)
                table.append([name, detail, str(status), f"{size:,}", f"{seconds * 1000:,.1f}"])
                print("  " + " | ".join(table[-1]), file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(30)
        widths = [max(display_width(r[i]) for r in [header] + table) for i in range(len(header))]
        print("| " + " | ".join(h + " " * (w - display_width(h)) for h, w in zip(header, widths)) + " |")
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for r in table:
            print("| " + " | ".join(c + " " * (w - display_width(c)) for c, w in zip(r, widths)) + " |")


if __name__ == "__main__":
    main()
