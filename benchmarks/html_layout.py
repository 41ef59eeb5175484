"""How long graph.html takes to lay out and settle, in the real headless chromium.

    .venv/bin/python benchmarks/html_layout.py [--nodes 2000 5000] [--repeat 3] [--screenshot docs/graph.png]

Measures, for the seed graph and generated graphs of --nodes nodes shaped like ours
(articles mentioning entities of the nine types, partOf links between places, events):
the Python render time, the page's own time from `new vis.Network` to
stabilizationIterationsDone (kg.settleMs), and the wall time from navigation to settled.
Prints a Markdown table for the README; --screenshot saves the settled seed page as PNG (the pictures in
docs/ come from benchmarks/screenshots.py)
(install a CJK font first, e.g. fonts-wqy-microhei, or the labels are boxes).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import view  # noqa: E402
from kg.build import extract, read  # noqa: E402
from kg.export import html  # noqa: E402
from kg.graph import MentionAt, build_graph  # noqa: E402
from kg.model import ENTITY_TYPES  # noqa: E402
from tests import chromium  # noqa: E402


def seed_graph() -> nx.MultiDiGraph:
    docs, _ = read([ROOT / "seeds"])
    return build_graph(docs, extract(docs))


def synthetic_graph(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """`nodes` shown nodes: 1 in 5 an article, 1 in 50 an event, the rest entities.

    Each article mentions 3-12 entities, popular ones more often (a Zipf-like pick), as news does.
    """
    rng = random.Random(seed)
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    n_articles, n_events = nodes // 5, nodes // 50
    n_entities = nodes - n_articles - n_events
    entities = []
    for i in range(n_entities):
        type_ = ENTITY_TYPES[i % len(ENTITY_TYPES)]
        key = f"{type_}/实体{i:05d}"
        g.add_node(key, kind="Entity", type=type_, label=f"实体{i:05d}", aliases=[f"别名{i:05d}"], mention_count=0)
        entities.append(key)
    weights = [1 / (rank + 1) for rank in range(n_entities)]
    events = [f"Event/活动{i:04d}" for i in range(n_events)]
    for key in events:
        g.add_node(key, kind="Event", type="Campaign", label=key.split("/")[1], date_text="近日", evidence="")
    for a in range(n_articles):
        art = f"article/{a:06d}"
        g.add_node(art, kind="Article", label=f"新闻标题{a:05d}", headline=f"新闻标题{a:05d}", page="p.txt")
        for target in sorted(set(rng.choices(entities, weights, k=rng.randint(3, 12)))):
            g.add_edge(art, target, key="mentions", mentions=[MentionAt("x", 0, 1, "句子。")])
            g.nodes[target]["mention_count"] += 1
        if events and rng.random() < 0.2:
            g.add_edge(art, rng.choice(events), key="mentions", mentions=[])
    places = [e for e in entities if e.split("/")[0] in ("Community", "Village", "Subdistrict")]
    for e in places:
        g.add_edge(e, rng.choice(entities[:50]), key="partOf", evidence="……", article="")
    for ev in events:
        g.add_edge(ev, rng.choice(entities), key="organizer")
    return g


def measure(page: chromium.Page, g: nx.MultiDiGraph, tmp: Path, name: str, repeat: int,
            screenshot: Path | None = None) -> dict:
    shown = view.limit(g)
    t = time.perf_counter()
    path = html.write(shown, tmp / f"{name}.html")
    render_s = time.perf_counter() - t
    settle, wall, everything, rounds = [], [], [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        page.open(path, timeout=600)
        wall.append(time.perf_counter() - t)
        settle.append(page.js("return kg.settleMs") / 1000)
        if screenshot:
            page.driver.save_screenshot(str(screenshot))
        # The page opens on the overview; Show all then lays out the whole view.
        t = time.perf_counter()
        page.js("kg.showAll()")
        page.wait("kg.settled", 600)
        everything.append(time.perf_counter() - t)
        rounds = page.js("return kg.iterations")
    return {
        "graph": name,
        "nodes": shown.number_of_nodes(),
        "edges": shown.number_of_edges(),
        "mb": path.stat().st_size / 1e6,
        "render": render_s,
        "rounds": rounds,
        "overview": page.js("return kg.data.initial.length"),
        "settle": statistics.median(settle),
        "wall": statistics.median(wall),
        "all": statistics.median(everything),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="save the settled seed graph page here (PNG)")
    args = parser.parse_args()
    if not chromium.available():
        sys.exit(chromium.MISSING)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, chromium.browser() as page:
        graphs = [("seeds/ (5 pages)", seed_graph())]
        graphs += [(f"generated {n:,}", synthetic_graph(n)) for n in args.nodes]
        for i, (name, g) in enumerate(graphs):
            shot = args.screenshot if i == 0 else None
            rows.append(measure(page, g, Path(tmp), f"g{i}", args.repeat, shot) | {"graph": name})
            print(rows[-1], file=sys.stderr)
    print("| graph | nodes | edges | HTML MB | render (Python) s | overview nodes | overview settled (in page) s "
          "| load to settled s | Show all: rounds | Show all s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['graph']} | {r['nodes']:,} | {r['edges']:,} | {r['mb']:.1f} | {r['render']:.2f} "
              f"| {r['overview']} | {r['settle']:.2f} | {r['wall']:.2f} | {r['rounds']} | {r['all']:.2f} |")


if __name__ == "__main__":
    main()
