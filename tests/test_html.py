"""graph.html and `kg view`, without a browser: content, safety of the source, determinism, views."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import view
from kg.build import DEFAULT_FORMATS
from kg.cli import main
from kg.errors import ViewError
from kg.export import formats, html
from kg.graph import MentionAt
from tests.html_fixture import PLANT_IMG, PLANT_SCRIPT, PLANTED_NAME, fixture_graph


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    return fixture_graph(tmp_path_factory.mktemp("yongtai"))


def page_data(text: str) -> dict:
    found = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    assert found
    return json.loads(found.group(1))


def test_html_is_a_registered_default_format() -> None:
    assert "html" in formats()
    assert "html" in DEFAULT_FORMATS


def test_seed_build_writes_graph_html_with_every_entity_article_and_event(seed_build) -> None:
    g, _, out = seed_build
    data = page_data((out / "graph.html").read_text(encoding="utf-8"))
    shown = [n for n, d in g.nodes(data=True) if d["kind"] in ("Entity", "Event", "Article")]
    assert sorted(n["id"] for n in data["nodes"]) == sorted(shown)
    assert len(data["edges"]) == sum(1 for u, v in g.edges() if u in set(shown) and v in set(shown))


def test_page_inlines_everything_and_loads_nothing(graph: nx.MultiDiGraph) -> None:
    text = html.render(view.limit(graph))
    assert not re.search(r"<(link|img|iframe|object|embed)\b", text, re.I)
    assert not re.search(r"<script[^>]*\bsrc=", text, re.I)
    assert "cdn" not in text.split("<script>")[0].lower()  # nothing in the head names a CDN
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp and "default-src 'none'" in csp.group(1)


def test_planted_markup_never_appears_as_markup_in_the_source(graph: nx.MultiDiGraph) -> None:
    text = html.render(view.limit(graph))
    assert PLANT_SCRIPT not in text and PLANT_IMG not in text
    # The data block, vis-network, the page's own code: each opens a line of the template.
    assert len(re.findall(r"^<script\b", text, re.M)) == 3
    # ...and the planted text survives intact as data, to be shown as text.
    data = page_data(text)
    names = {n["kg"]["name"] for n in data["nodes"]}
    assert PLANTED_NAME in names
    assert any(PLANT_SCRIPT in n for n in names)


@settings(max_examples=60, deadline=None)
# Up to the length the page shows whole (longer ones are cut: tests/test_reliability.py).
@given(name=st.text(min_size=1, max_size=html.MAX_NAME), headline=st.text(min_size=1, max_size=html.MAX_NAME))
def test_any_name_or_headline_reaches_the_page_intact_and_inert(name: str, headline: str) -> None:
    g = nx.MultiDiGraph()
    g.add_node("article/a", kind="Article", label=headline, headline=headline, page="p.txt")
    g.add_node(f"Person/{name}", kind="Entity", type="Person", label=name, aliases=[headline], mention_count=1)
    g.add_edge("article/a", f"Person/{name}", key="mentions", mentions=[MentionAt(name, 0, 1, headline)])
    text = html.render(g)
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    assert block and "<" not in block.group(1) and ">" not in block.group(1)
    data = page_data(text)
    person = next(n for n in data["nodes"] if n["id"] == f"Person/{name}")
    assert person["kg"]["names"] == [name, headline]
    assert person["kg"]["headlines"] == [headline]
    assert len(re.findall(r"^<script\b", text, re.M)) == 3


def test_nodes_carry_type_aliases_mentions_and_headlines(graph: nx.MultiDiGraph) -> None:
    data = page_data(html.render(view.limit(graph)))
    street = next(n for n in data["nodes"] if n["id"] == "Subdistrict/永泰街道")
    assert street["label"] == "永泰街道"
    assert street["shape"] == "hexagon"
    assert street["kg"]["typeZh"] == "街道 Subdistrict"
    assert street["kg"]["aliases"] == ["平城区永泰街道"]
    assert street["kg"]["mentions"] == street["value"] == 2
    assert street["kg"]["names"] == ["永泰街道", "平城区永泰街道"]
    assert street["kg"]["headlines"] == [f"永泰街道开展安全生产专项整治行动{PLANT_SCRIPT}{PLANT_IMG}"]
    part_of = next(e for e in data["edges"] if e["kg"]["rel"] == "partOf")
    assert part_of["label"] == "隶属"
    assert part_of["kg"]["evidence"] == [f"平城区永泰街道{PLANT_IMG}"]
    assert [g["id"] for g in data["groups"]] == ["AdminArea", "Subdistrict", "Organization", "Person", "Event", "Article"]


def test_render_is_byte_identical_for_the_same_graph(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    again = fixture_graph(tmp_path)
    assert html.render(view.limit(graph)) == html.render(view.limit(again))


def test_graph_html_is_byte_identical_when_pages_come_in_another_order(seed_build, seed_pages, tmp_path: Path) -> None:
    from kg.build import build

    _, _, out = seed_build
    build(list(reversed(seed_pages)), tmp_path, formats=("html",))
    assert (tmp_path / "graph.html").read_bytes() == (out / "graph.html").read_bytes()


def test_layout_is_seeded_and_physics_stabilises(graph: nx.MultiDiGraph) -> None:
    options = page_data(html.render(view.limit(graph)))["options"]
    assert options["layout"]["randomSeed"] == html.SEED
    assert options["physics"]["stabilization"]["enabled"] is True


def test_limit_by_type_keeps_only_those_types(graph: nx.MultiDiGraph) -> None:
    shown = view.limit(graph, {"Subdistrict", "AdminArea"})
    assert sorted(shown) == ["AdminArea/平城区", "Subdistrict/永泰街道"]
    assert list(shown.edges(keys=True)) == [("Subdistrict/永泰街道", "AdminArea/平城区", "partOf")]


def test_limit_by_mentions_drops_rare_entities_and_orphaned_articles(graph: nx.MultiDiGraph) -> None:
    shown = view.limit(graph, min_mentions=2)
    assert sorted(shown) == ["Subdistrict/永泰街道", "article/" + _article(graph)]
    assert view.limit(graph, {"Person", "Article"}, min_mentions=5).number_of_nodes() == 0


def test_limit_to_max_nodes_keeps_the_most_mentioned(graph: nx.MultiDiGraph) -> None:
    assert sorted(view.limit(graph, max_nodes=2)) == ["AdminArea/平城区", "Subdistrict/永泰街道"]
    assert view.limit(graph, max_nodes=6).number_of_nodes() == 6
    shown = view.limit(graph, max_nodes=5)
    assert view.describe(graph, shown) == "全图共 6 个节点 · 6 in the whole graph"
    assert view.describe(graph, view.limit(graph)) == ""


def test_limit_rejects_an_unknown_type_and_lists_the_valid_ones(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ViewError, match=r"unknown type Street \(未知类型\); choose from: AdminArea, Agency, Article"):
        view.limit(graph, {"Street"})


def test_neighbourhood_of_depth_one_is_the_entity_and_its_direct_links(graph: nx.MultiDiGraph) -> None:
    shown = view.neighbourhood(graph, "平城区", depth=1)
    assert sorted(shown) == ["AdminArea/平城区", "Subdistrict/永泰街道", "article/" + _article(graph)]
    assert view.neighbourhood(graph, "平城区", depth=0).number_of_nodes() == 1
    assert len(view.neighbourhood(graph, "平城区", depth=2)) == len(view.limit(graph))


def test_neighbourhood_finds_an_entity_by_alias(graph: nx.MultiDiGraph) -> None:
    assert "Subdistrict/永泰街道" in view.neighbourhood(graph, "平城区永泰街道", depth=0)


def test_neighbourhood_of_an_unknown_name_suggests_close_names(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ViewError, match=r"no entity or event named '永泰' \(未找到该实体\); did you mean: 永泰街道"):
        view.neighbourhood(graph, "永泰")


def test_kg_view_writes_a_neighbourhood_page(tiny_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "v" / "view.html"
    result = CliRunner().invoke(main, ["view", "尚丽", "-p", str(tiny_page), "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (2 nodes / 节点, 2 edges / 边)\n"
    data = page_data(out.read_text(encoding="utf-8"))
    assert {n["kg"]["name"] for n in data["nodes"]} == {"尚丽", "开展交通安全专项行动"}
    assert data["focus"] == "Person/尚丽"


def test_kg_view_reads_the_build_a_user_just_made_not_the_seeds(tiny_page: Path, tmp_path: Path) -> None:
    pages = tmp_path / "mypages"
    pages.mkdir()
    (pages / tiny_page.name).write_bytes(tiny_page.read_bytes())
    built = CliRunner().invoke(main, ["build", str(pages), "-o", str(tmp_path / "myout"), "-f", "graphml"])
    assert built.exit_code == 0, built.output
    fresh, read = tmp_path / "fresh.html", tmp_path / "read.html"
    assert CliRunner().invoke(main, ["view", "尚丽", "-p", str(pages), "-o", str(fresh)]).exit_code == 0
    result = CliRunner().invoke(main, ["view", "尚丽", "-b", str(tmp_path / "myout"), "-o", str(read)])
    assert result.output == f"wrote {read} (2 nodes / 节点, 2 edges / 边)\n"
    from_build, from_pages = (page_data(p.read_text(encoding="utf-8")) for p in (read, fresh))
    assert from_build["focus"] == "Person/尚丽"
    assert sorted(n["kg"]["name"] for n in from_build["nodes"]) == sorted(n["kg"]["name"] for n in from_pages["nodes"])
    assert [n["kg"].get("aliases") for n in from_build["nodes"]] == [n["kg"].get("aliases") for n in from_pages["nodes"]]


def test_kg_view_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "尚丽", "-b", str(tmp_path), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 2
    assert result.output.startswith(f"kg: {tmp_path / 'graph.graphml'}: no graph to view (没有图谱文件); run `kg build PAGES -o ")


def test_kg_view_reports_an_unknown_name_and_exits_2(tiny_page: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "王五", "-p", str(tiny_page), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 2
    assert result.output == "kg: no entity or event named '王五' (未找到该实体); `kg view` without a name shows every entity\n"


def test_kg_view_reports_an_unreadable_page_and_still_writes_the_rest(tiny_page: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["view", "尚丽", "-p", str(tiny_page), "-p", str(missing), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr == f"kg: {missing}: no such file or directory (路径不存在)\n"
    assert out.exists()


def test_kg_view_limits_the_whole_graph_by_type(tiny_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.html"
    result = CliRunner().invoke(main, ["view", "-p", str(tiny_page), "--types", "Person", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert sorted(n["kg"]["name"] for n in data["nodes"]) == ["于宏", "尚丽"]


def _article(g: nx.MultiDiGraph) -> str:
    return next(n for n, d in g.nodes(data=True) if d["kind"] == "Article").removeprefix("article/")


def _article_graph(**attrs: str) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("page/p", kind="Page", label="p.txt", source_file="p.txt")
    g.add_node("article/a", kind="Article", label="街道开展活动", headline="街道开展活动", page="p.txt",
               body="第一段。\n第二段。", **attrs)
    g.add_node("Event/活动", kind="Event", type="Campaign", label="活动", date_start="2024-03-16", date_end=None)
    g.add_edge("article/a", "page/p", key="isPartOf")
    g.add_edge("article/a", "Event/活动", key="mentions", mentions=[])
    return g


def _info(g: nx.MultiDiGraph, node: str) -> dict:
    return next(n["kg"] for n in page_data(html.render(g))["nodes"] if n["id"] == node)


def test_an_article_carries_its_text_date_and_source_link() -> None:
    article = _info(_article_graph(published="2024-03-18", url="https://example.com/a.html"), "article/a")
    assert (article["body"], article["date"], article["url"]) == ("第一段。\n第二段。", "2024-03-18", "https://example.com/a.html")
    assert _info(_article_graph(), "article/a")["date"] is None  # a build without dates still renders
    assert _info(_article_graph(published="2024-03-18T08:00:00+08:00"), "article/a")["date"] == "2024-03-18"
    # Only a web address becomes a link: a javascript: or data: one would run or load.
    assert _info(_article_graph(url="javascript:window.__kgPwned=1"), "article/a")["url"] is None
    assert _info(_article_graph(), "Event/活动")["date"] == "2024-03-16"


def test_a_big_view_opens_on_the_administrative_tree_and_the_most_mentioned(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("AdminArea/平城区", kind="Entity", type="AdminArea", label="平城区", aliases=[], mention_count=50)
    for i in range(view.OVERVIEW_ALL):
        street = f"Subdistrict/第{i}街道"
        g.add_node(street, kind="Entity", type="Subdistrict", label=street, aliases=[], mention_count=1)
        g.add_edge(street, "AdminArea/平城区", key="partOf", evidence="", article="a0")
        g.add_node(f"article/a{i}", kind="Article", label=f"文章{i}", page="p.txt", body="")
        g.add_edge(f"article/a{i}", street, key="mentions", mentions=[])
        g.add_node(f"Person/人{i}", kind="Entity", type="Person", label=f"人{i}", aliases=[], mention_count=i)
    first = page_data(html.render(g))["initial"]
    assert "AdminArea/平城区" in first and all(f"Subdistrict/第{i}街道" in first for i in range(view.OVERVIEW_ALL))
    assert not any(n.startswith("article/") for n in first)
    # The tree already fills the overview's entities: no person joins it, but a focus brings its links.
    assert not any(n.startswith("Person/") for n in first)
    assert set(view.overview(g, focus="Subdistrict/第3街道")) >= {"Subdistrict/第3街道", "article/a3"}
    small = view.limit(g, types=["Person"])
    assert view.overview(small) == list(small.nodes)  # a small view opens whole
