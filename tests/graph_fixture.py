"""A small hand-made graph in the shape kg/graph.py documents: every node kind, every edge
key, enough relations and events that each named question has an answer, and the values that
break naive CSV and XML writers (commas, quotes, newlines, an alias holding the array
delimiter, a missing date). Names follow the paper's naming patterns; none is taken as a
lookup list by the code."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

from kg.graph import MentionAt


def _entity(type_: str, name: str, *aliases: str, count: int = 1) -> tuple[str, dict]:
    return f"{type_}/{name}", dict(kind="Entity", type=type_, label=name, aliases=list(aliases), mention_count=count)


def _mention(*surfaces: tuple[str, int]) -> dict:
    return dict(mentions=[MentionAt(s, start, start + len(s), f"……{s}……") for s, start in surfaces])


def _statement(evidence: str, article: str, role: str | None = None) -> dict:
    return dict(evidence=evidence, article=article, role=role)


def tiny_graph(shuffle_seed: int | None = None) -> nx.MultiDiGraph:
    nodes: list[tuple[str, dict[str, Any]]] = [
        ("page/p1", dict(kind="Page", label="001.txt", source_file="001.txt", encoding="utf-8")),
        ("page/p2", dict(kind="Page", label="002.txt", source_file="002.txt", encoding="gb18030")),
        ("article/a1", dict(kind="Article", label="清远街道开展“交通安全”行动", headline="清远街道开展“交通安全”行动",
                            kicker="清远街道", subtitle=None, page="001.txt", index=0, start=0, end=120,
                            body='本报讯（记者 尚丽）近日，清远街道开展行动,纠正 "陋习"。\n图为志愿者讲解。',
                            published="2024-03-17", url="http://epaper.example.cn/html/2024-03/17/content_1.htm",
                            publisher="大同日报")),
        ("article/a2", dict(kind="Article", label="001.txt #1", headline=None, kicker=None, subtitle=None,
                            page="001.txt", index=1, start=120, end=160, body="简讯。")),
        ("article/a3", dict(kind="Article", label="书画展开幕", headline="书画展开幕", kicker=None,
                            subtitle="文兴社区；西谷庄村", page="002.txt", index=0, start=0, end=300, body="书画展开幕。")),
        ("fragment/f1", dict(kind="Fragment", label="城市管理精细化", text="城市管理精细化", reason="title-like",
                             start=160, end=167)),
        _entity("Person", "尚丽", count=2),
        _entity("Person", "沈媛"),
        _entity("Subdistrict", "清远街道", "清远", "清远;街道", count=3),
        _entity("Community", "文兴社区", count=2),
        _entity("Village", "西谷庄村", "西谷庄", count=2),
        _entity("Agency", "平城区水务局", "区水务局"),
        _entity("Company", "雨泽农业科技有限公司", "雨泽农业", count=2),
        _entity("Organization", "平城区委统战部", count=2),
        _entity("Organization", "文兴社区党支部"),
        ("Event/交通安全宣传", dict(kind="Event", type="Campaign", label="交通安全宣传", date_text="3月16日",
                                   date_start="2024-03-16", date_end=None, date_basis="page year",
                                   evidence="开展交通安全宣传。")),
        ("Event/主题书画展", dict(kind="Event", type="Exhibition", label="主题书画展", date_text=None,
                                 date_start=None, date_end=None, date_basis=None, evidence="举办主题书画展。")),
    ]
    edges: list[tuple[str, str, str, dict[str, Any]]] = [
        ("article/a1", "page/p1", "isPartOf", {}),
        ("article/a2", "page/p1", "isPartOf", {}),
        ("article/a3", "page/p2", "isPartOf", {}),
        ("fragment/f1", "page/p1", "isPartOf", {}),
        ("article/a1", "Person/尚丽", "mentions", dict(mentions=[])),  # her byline only: a credit, no mention in the text
        ("article/a1", "Subdistrict/清远街道", "mentions", dict(mentions=[MentionAt("清远街道", 20, 24, "清远街道开展行动"),
                                                                          MentionAt("清远", 40, 42, '清远,"好"')])),
        ("article/a1", "Community/文兴社区", "mentions", _mention(("文兴社区", 50))),
        ("article/a1", "Company/雨泽农业科技有限公司", "mentions", _mention(("雨泽农业", 60))),
        ("article/a1", "Event/交通安全宣传", "mentions", dict(mentions=[])),
        ("article/a2", "Agency/平城区水务局", "mentions", _mention(("区水务局", 125))),
        ("article/a2", "Subdistrict/清远街道", "mentions", _mention(("清远街道", 135))),
        ("article/a3", "Person/尚丽", "mentions", _mention(("尚丽", 5))),
        ("article/a3", "Person/沈媛", "mentions", _mention(("沈媛", 30))),
        ("article/a3", "Village/西谷庄村", "mentions", _mention(("西谷庄村", 12))),
        ("article/a3", "Community/文兴社区", "mentions", _mention(("文兴社区", 40))),
        ("article/a3", "Company/雨泽农业科技有限公司", "mentions", _mention(("雨泽农业科技有限公司", 70))),
        ("article/a3", "Organization/平城区委统战部", "mentions", _mention(("平城区委统战部", 90))),
        ("article/a3", "Organization/文兴社区党支部", "mentions", _mention(("文兴社区党支部", 100))),
        ("article/a3", "Subdistrict/清远街道", "mentions", _mention(("清远街道", 110))),
        ("article/a3", "Event/主题书画展", "mentions", dict(mentions=[])),
        ("article/a1", "Person/尚丽", "author", {}),
        ("article/a3", "Person/尚丽", "author", {}),
        ("article/a3", "Person/沈媛", "photographer", {}),
        ("Agency/平城区水务局", "Subdistrict/清远街道", "responsibleFor", _statement("区水务局包保清远街道。", "a2")),
        ("Community/文兴社区", "Subdistrict/清远街道", "partOf", _statement("清远街道文兴社区", "a1")),
        ("Village/西谷庄村", "Subdistrict/清远街道", "partOf", _statement("清远街道西谷庄村", "a3")),
        ("Company/雨泽农业科技有限公司", "Village/西谷庄村", "locatedIn", _statement("位于西谷庄村的雨泽农业", "a3")),
        ("Person/沈媛", "Organization/文兴社区党支部", "memberOf", _statement("文兴社区党支部书记沈媛", "a3", "党支部书记")),
        ("Event/交通安全宣传", "Subdistrict/清远街道", "organizer", {}),
        ("Event/交通安全宣传", "Organization/平城区委统战部", "organizer", {}),
        ("Event/交通安全宣传", "Company/雨泽农业科技有限公司", "undertaker", {}),
        ("Event/交通安全宣传", "Community/文兴社区", "location", {}),
        ("Event/主题书画展", "Organization/平城区委统战部", "organizer", {}),
        ("Event/主题书画展", "Company/雨泽农业科技有限公司", "participant", {}),
        ("Event/主题书画展", "Village/西谷庄村", "participant", {}),
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
