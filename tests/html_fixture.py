"""A tiny real page about 平城区永泰街道, its graph, and markup planted where article text goes.

The entity recognizer on this branch knows only bylines, so the street, the district, an
event and a relation are given by hand as an Extraction; pages, articles and the graph are
built by the real pipeline. The planted strings set window.__kgPwned if they ever run.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.build import read
from kg.graph import build_graph
from kg.model import Entity, Event, Extraction, Mention, Relation

PLANT_SCRIPT = "<script>window.__kgPwned='script'</script>"
PLANT_IMG = "<img src=x onerror=\"window.__kgPwned='img'\">"
PLANTED_NAME = f"{PLANT_SCRIPT}互助协会"
PLANTED_ALIAS = f"{PLANT_IMG}协会"

# From seeds/002 (the paper's own words), with markup planted in the headline.
PAGE = f"""## 平城新闻

## 永泰街道开展安全生产专项整治行动{PLANT_SCRIPT}{PLANT_IMG}

本报讯（记者 邸东芳）压紧压实各方责任，确保见底见底、全面整改，近日，平城区永泰街道开展安全生产专项整治行动，深入辖区新中佳苑小区商铺，排查安全隐患，增强生产经营者安全生产责任意识，夯实基层安全生产基础。

永泰街道联合{PLANTED_NAME}深入新中佳苑小区内商铺，对外卖店场所、生产经营设施展开全方位、全覆盖隐患排查。
"""


def _mention(type_: str, name: str, surface: str, text: str, article: str, page: str, nth: int = 0) -> Mention:
    at = -1
    for _ in range(nth + 1):
        at = text.index(surface, at + 1)
    end = text.find("。", at) + 1
    start = text.rfind("\n", 0, at) + 1
    return Mention(type_, surface, name, article, page, at, at + len(surface), text[start:end], "fixture")


def fixture_graph(tmp: Path) -> nx.MultiDiGraph:
    path = tmp / "yongtai.txt"
    path.write_text(PAGE, encoding="utf-8")
    docs, errors = read([path])
    assert not errors and len(docs) == 1 and docs[0].articles, errors
    doc = docs[0]
    article = next(a for a in doc.articles if a.headline and "永泰街道" in a.headline)
    text, aid, page = doc.page.text, article.id, doc.page.name
    street = Entity(
        "Subdistrict", "永泰街道", ("平城区永泰街道",),
        (_mention("Subdistrict", "永泰街道", "平城区永泰街道", text, aid, page),
         _mention("Subdistrict", "永泰街道", "永泰街道", text, aid, page, nth=2)),
    )
    district = Entity("AdminArea", "平城区", (), (_mention("AdminArea", "平城区", "平城区", text, aid, page),))
    planted = Entity(
        "Organization", PLANTED_NAME, (PLANTED_ALIAS,),
        (_mention("Organization", PLANTED_NAME, PLANTED_NAME, text, aid, page),),
    )
    reporter = Entity("Person", "邸东芳", (), (_mention("Person", "邸东芳", "邸东芳", text, aid, page),))
    entities = tuple(sorted((street, district, planted, reporter), key=lambda e: e.key))
    relations = (
        Relation(street.key, "partOf", district.key, f"平城区永泰街道{PLANT_IMG}", aid),
    )
    event = Event(
        "永泰街道安全生产专项整治行动", "Campaign", "近日", None, None, None, None,
        (street.key,), (), (planted.key,), "近日，平城区永泰街道开展安全生产专项整治行动", (aid,),
    )
    return build_graph(docs, Extraction(entities=entities, relations=relations, events=(event,)))
