"""A small hand-made graph in the shape kg/graph.py documents: every node kind, every edge
family, and the values that break naive CSV and XML writers (commas, quotes, newlines, an
alias holding the array delimiter, a missing date)."""

from __future__ import annotations

import random

import networkx as nx


def tiny_graph(shuffle_seed: int | None = None) -> nx.MultiDiGraph:
    nodes = [
        ("page/p1", dict(kind="Page", label="001.txt", source_file="001.txt", encoding="utf-8")),
        ("article/a1", dict(kind="Article", label="清远街道开展“交通安全”行动", headline="清远街道开展“交通安全”行动",
                            kicker="清远街道", subtitle=None, page="001.txt", index=0, start=0, end=120,
                            body='本报讯（记者 尚丽）近日，清远街道开展行动,纠正 "陋习"。\n图为志愿者讲解。')),
        ("article/a2", dict(kind="Article", label="001.txt #1", headline=None, kicker=None, subtitle=None,
                            page="001.txt", index=1, start=120, end=160, body="简讯。")),
        ("fragment/f1", dict(kind="Fragment", label="城市管理精细化", text="城市管理精细化", reason="title-like", start=160, end=167)),
        ("Person/尚丽", dict(kind="Entity", type="Person", label="尚丽", aliases=[], mention_count=1)),
        ("Subdistrict/清远街道", dict(kind="Entity", type="Subdistrict", label="清远街道", aliases=["清远", "清远;街道"], mention_count=3)),
        ("Agency/平城区水务局", dict(kind="Entity", type="Agency", label="平城区水务局", aliases=["区水务局"], mention_count=1)),
        ("Event/交通安全宣传", dict(kind="Event", type="Campaign", label="交通安全宣传", date_text="3月16日",
                                   date_start="2024-03-16", date_end=None, date_basis="page year", evidence="开展交通安全宣传。")),
    ]
    edges = [
        ("article/a1", "page/p1", "isPartOf", {}),
        ("article/a2", "page/p1", "isPartOf", {}),
        ("fragment/f1", "page/p1", "isPartOf", {}),
        ("article/a1", "Person/尚丽", "mentions", dict(mentions=[("尚丽", 10, 12, "本报讯（记者 尚丽）")])),
        ("article/a1", "Subdistrict/清远街道", "mentions",
         dict(mentions=[("清远街道", 20, 24, "清远街道开展行动"), ("清远", 40, 42, "清远,\"好\"")])),
        ("article/a2", "Agency/平城区水务局", "mentions", dict(mentions=[("区水务局", 125, 129, "区水务局包保。")])),
        ("article/a1", "Event/交通安全宣传", "mentions", dict(mentions=[])),
        ("article/a1", "Person/尚丽", "author", {}),
        ("Agency/平城区水务局", "Subdistrict/清远街道", "responsibleFor",
         dict(evidence="区水务局包保清远街道。", article="a2", role=None)),
        ("Event/交通安全宣传", "Subdistrict/清远街道", "organizer", {}),
        ("Event/交通安全宣传", "Subdistrict/清远街道", "location", {}),
    ]
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(nodes)
        rng.shuffle(edges)
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in nodes:
        g.add_node(node, **data)
    for u, v, key, data in edges:
        g.add_edge(u, v, key=key, **data)
    return g
