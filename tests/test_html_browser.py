"""graph.html in a real headless chromium with the network unreachable.

Each test loads the page afresh and waits for the layout to settle; the browser is shared.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kg import view
from kg.export import html
from tests import chromium
from tests.system_tools import require
from tests.html_fixture import PLANT_IMG, PLANT_SCRIPT, PLANTED_NAME, fixture_graph

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chrome() -> Iterator[chromium.Page]:
    require(chromium.available(), chromium.MISSING)
    with chromium.browser() as page:
        yield page


@pytest.fixture(scope="module")
def yongtai(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, Path]:
    """The 永泰街道 page with planted markup: (the graph shown, graph.html)."""
    tmp = tmp_path_factory.mktemp("yongtai-html")
    shown = view.limit(fixture_graph(tmp))
    return shown, html.write(shown, tmp / "graph.html")


def no_errors(page: chromium.Page) -> list[dict]:
    return [entry for entry in page.console() if entry["level"] in ("SEVERE", "ERROR")]


def left_the_machine(page: chromium.Page) -> list[str]:
    # chrome:// and chrome-untrusted:// are the browser's own pages (its new-tab page loads
    # one-google-bar now and then), served from inside it: nothing a page asked for.
    return [url for url in page.requests() if not url.startswith(("file://", "chrome://", "chrome-untrusted://"))]


def hover(page: chromium.Page, node: str) -> str:
    """Move the real mouse onto a node; the text of the tooltip that appears."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = page.driver.find_element(By.CSS_SELECTOR, "#graph canvas")
    x, y = page.js(
        "const p = kg.network.canvasToDOM(kg.network.getPositions([arguments[0]])[arguments[0]]); return [p.x, p.y];",
        node,
    )
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(page.driver).move_to_element_with_offset(canvas, 0, 0).perform()
    ActionChains(page.driver).move_to_element_with_offset(canvas, int(x - width / 2), int(y - height / 2)).perform()
    page.wait("getComputedStyle(document.querySelector('div.vis-tooltip')).visibility === 'visible'", 10)
    return str(page.js("return document.querySelector('div.vis-tooltip').textContent"))


def search(page: chromium.Page, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = page.driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text, Keys.ENTER)


def test_the_network_is_really_unreachable_and_requests_are_seen(chrome: chromium.Page, tmp_path: Path) -> None:
    # The control for the offline test below: a page that does fetch is caught, and fails to fetch.
    page = tmp_path / "fetches.html"
    page.write_text('<img src="http://example.com/x.png" onerror="window.failed = true">', encoding="utf-8")
    chrome.url = page.as_uri()
    chrome.driver.get(chrome.url)
    chrome.wait("window.failed === true", 15)
    assert left_the_machine(chrome) == ["http://example.com/x.png"]


def test_page_loads_offline_without_console_errors(chrome: chromium.Page, yongtai) -> None:
    chrome.open(yongtai[1])
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []
    assert chrome.requests() == [chrome.url]


def test_page_shows_as_many_nodes_and_edges_as_the_graph(chrome: chromium.Page, yongtai) -> None:
    shown, path = yongtai
    chrome.open(path)
    in_data = chrome.js("return [kg.nodes.length, kg.edges.length]")
    drawn = chrome.js("return [kg.network.body.nodeIndices.length, kg.network.body.edgeIndices.length]")
    assert in_data == drawn == [shown.number_of_nodes(), shown.number_of_edges()] == [6, 9]


def test_search_finds_yongtai_street_by_name_and_by_alias(chrome: chromium.Page, yongtai) -> None:
    chrome.open(yongtai[1])
    for text in ("永泰街道", "平城区永泰街道"):
        search(chrome, text)
        assert chrome.js("return kg.network.getSelectedNodes()") == ["Subdistrict/永泰街道"]
        assert chrome.js("return document.getElementById('search-status').textContent") == "找到 1 个 Found: 永泰街道（街道 Subdistrict）"
        details = chrome.js("return document.getElementById('details').textContent")
        assert "别名 aliases:平城区永泰街道" in details and "提及 mentions:2" in details


def test_search_for_part_of_a_name_offers_every_match(chrome: chromium.Page, yongtai) -> None:
    chrome.open(yongtai[1])
    search(chrome, "永泰")
    offered = chrome.js("return [...document.querySelectorAll('#search-results button')].map(b => b.textContent)")
    # Best known first; an article is found by its headline.
    assert offered == [
        "永泰街道（街道 Subdistrict）",
        "永泰街道安全生产专项整治行动（事件 Event）",
        f"永泰街道开展安全生产专项整治行动{PLANT_SCRIPT}{PLANT_IMG}（文章 Article）",
    ]


def test_planted_script_in_headline_and_name_does_not_run(chrome: chromium.Page, yongtai) -> None:
    shown, path = yongtai
    chrome.open(path)
    article = next(n for n, d in shown.nodes(data=True) if d["kind"] == "Article")
    planted = f"Organization/{PLANTED_NAME}"
    # The tooltips show the markup as text...
    assert PLANT_SCRIPT + PLANT_IMG in hover(chrome, article)
    assert PLANTED_NAME in hover(chrome, planted)
    # ...so does the details panel, reached by searching the planted alias...
    search(chrome, PLANT_IMG)
    assert chrome.js("return kg.network.getSelectedNodes()") == [planted]
    details = chrome.js("return document.getElementById('details').textContent")
    assert PLANTED_NAME in details and PLANT_IMG in details
    # ...so does the evidence on the partOf edge, in the card its tooltip shows.
    card = chrome.js(
        "const e = kg.edges.get({filter: e => e.kg.rel === 'partOf'})[0];"
        "return [e.title.textContent, e.title.querySelectorAll('*').length, e.title.querySelectorAll('img').length];"
    )
    assert PLANT_IMG in card[0] and card[1] > 0 and card[2] == 0
    # ...and no planted element exists, nothing ran, nothing was fetched.
    assert chrome.js("return [document.scripts.length, document.images.length]") == [3, 0]
    assert chrome.js("return typeof window.__kgPwned") == "undefined"
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []


def test_type_filter_hides_and_restores_a_group(chrome: chromium.Page, yongtai) -> None:
    from selenium.webdriver.common.by import By

    chrome.open(yongtai[1])
    box = chrome.driver.find_element(By.CSS_SELECTOR, '#legend input[data-group="Article"]')
    box.click()
    visible = "return kg.network.body.nodeIndices.filter(id => !kg.network.body.nodes[id].options.hidden).length"
    assert chrome.js(visible) == 5
    box.click()
    assert chrome.js(visible) == 6


def test_physics_stops_once_the_layout_settles(chrome: chromium.Page, yongtai) -> None:
    chrome.open(yongtai[1])
    before = chrome.js("return kg.network.getPositions()")
    time.sleep(0.5)
    assert chrome.js("return kg.network.physics.physicsEnabled") is False
    assert chrome.js("return kg.network.getPositions()") == before


def test_layout_is_the_same_on_every_load(chrome: chromium.Page, yongtai) -> None:
    chrome.open(yongtai[1])
    first = chrome.js("return kg.network.getPositions()")
    chrome.open(yongtai[1])
    assert chrome.js("return kg.network.getPositions()") == first


def test_seed_graph_page_holds_the_seed_graph_and_opens_on_a_small_overview(chrome: chromium.Page, seed_build) -> None:
    graph, _, out = seed_build
    shown = view.limit(graph)
    assert shown.number_of_nodes() == sum(1 for _, d in graph.nodes(data=True) if d["kind"] in view.SHOWN_KINDS)
    chrome.open(out / "graph.html")
    # Every node and edge is in the page; the network starts with the overview only.
    assert chrome.js("return [kg.data.nodes.length, kg.data.edges.length]") == [shown.number_of_nodes(), shown.number_of_edges()]
    overview = view.overview(shown)
    assert sorted(chrome.js("return kg.nodes.getIds()")) == sorted(overview)
    assert len(overview) <= view.OVERVIEW_ENTITIES + view.OVERVIEW_EVENTS < shown.number_of_nodes() / 4
    assert "Subdistrict/永泰街道" in overview and not any(n.startswith("article/") for n in overview)
    search(chrome, "永泰街道")
    assert chrome.js("return kg.network.getSelectedNodes()") == ["Subdistrict/永泰街道"]
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []


def double_click(page: chromium.Page, node: str) -> None:
    """Double-click a node with the real mouse."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = page.driver.find_element(By.CSS_SELECTOR, "#graph canvas")
    x, y = page.js(
        "const p = kg.network.canvasToDOM(kg.network.getPositions([arguments[0]])[arguments[0]]); return [p.x, p.y];",
        node,
    )
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(page.driver).move_to_element_with_offset(canvas, int(x - width / 2), int(y - height / 2)).double_click().perform()


def test_double_clicking_a_node_brings_in_everything_linked_to_it(chrome: chromium.Page, seed_build) -> None:
    graph, _, out = seed_build
    chrome.open(out / "graph.html")
    before = set(chrome.js("return kg.nodes.getIds()"))
    centre = "Subdistrict/永泰街道"
    linked = {n for n in nx.all_neighbors(graph, centre) if graph.nodes[n]["kind"] in view.SHOWN_KINDS}
    assert linked - before  # its articles are not in the overview
    double_click(chrome, centre)
    chrome.wait(f"kg.settled && kg.nodes.length > {len(before)}", 60)
    after = set(chrome.js("return kg.nodes.getIds()"))
    assert after == before | linked
    assert chrome.js("return kg.network.physics.physicsEnabled") is False  # it holds still again
    drawn = chrome.js("return kg.network.body.edgeIndices.length")
    assert drawn == sum(1 for u, v in graph.edges() if u in after and v in after)
    assert chrome.js("return kg.network.getSelectedNodes()") == [centre]
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []


def test_a_link_with_a_node_id_opens_the_view_on_that_node_with_its_links(chrome: chromium.Page, seed_build) -> None:
    """graph.html#id=<node id>, as kg serve's pages link to it; a new fragment opens another node."""
    from urllib.parse import quote

    graph, _, out = seed_build
    article = sorted(u for u in graph.predecessors("Subdistrict/永泰街道") if graph.nodes[u]["kind"] == "Article")[0]
    entity = "Subdistrict/永泰街道"

    def opened(node: str) -> None:
        linked = sorted(n for n in nx.all_neighbors(graph, node) if graph.nodes[n]["kind"] in view.SHOWN_KINDS)
        chrome.wait(f"kg.settled && kg.network.getSelectedNodes()[0] === {json.dumps(node)} && "
                    f"{json.dumps(linked)}.every((id) => kg.nodes.get(id) !== null)", 60)
        assert chrome.js("return kg.network.getSelectedNodes()") == [node]
        assert graph.nodes[node]["label"] in chrome.js("return document.getElementById('details').textContent")

    chrome.console()
    chrome.url = (out / "graph.html").resolve().as_uri()
    chrome.driver.get(chrome.url + "#id=" + quote(article, safe=""))
    chrome.wait("window.kg && kg.settleMs !== null", 120)
    assert article not in chrome.js("return kg.data.initial")  # not in the overview: the link brought it in
    opened(article)
    chrome.js("location.hash = '#id=' + encodeURIComponent(arguments[0])", entity)
    opened(entity)
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []


def test_details_of_an_article_show_its_text_within_a_1366x768_screen(chrome: chromium.Page, seed_build) -> None:
    graph, _, out = seed_build
    article, d = next((n, d) for n, d in sorted(graph.nodes(data=True))
                      if d["kind"] == "Article" and d.get("headline") and len(d.get("body") or "") > 200)
    chrome.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    try:
        chrome.open(out / "graph.html")
        assert chrome.js("return [innerWidth, innerHeight]") == [1366, 768]
        search(chrome, d["headline"])
        chrome.wait(f"kg.settled && kg.network.getSelectedNodes()[0] === {json.dumps(article)}", 60)
        assert chrome.js("return kg.network.getSelectedNodes()") == [article]
        text = chrome.js("return document.querySelector('#details .body').textContent")
        assert text == d["body"][: html.MAX_BODY]
        # The panel sits beside the graph, not below the legend: its card and the start of the
        # text are on screen without scrolling anything.
        box = chrome.js("const r = document.querySelector('#details').getBoundingClientRect();"
                        "const b = document.querySelector('#details .body').getBoundingClientRect();"
                        "return [r.left, r.right, r.top, b.top, document.getElementById('side').scrollTop,"
                        " document.scrollingElement.scrollTop];")
        left, right, top, body_top, *scrolled = box
        assert 0 <= left < right <= 1366 and 0 <= top < body_top < 768 - 100 and scrolled == [0, 0]
        assert no_errors(chrome) == []
        assert left_the_machine(chrome) == []
    finally:
        chrome.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_date_range_hides_dated_events_and_articles_outside_it(chrome: chromium.Page, seed_build) -> None:
    graph, _, out = seed_build
    chrome.open(out / "graph.html")
    chrome.js("kg.showAll()")
    chrome.wait("kg.settled", 120)
    dated = {n: d["date_start"] for n, d in graph.nodes(data=True) if d["kind"] == "Event" and d.get("date_start")}
    month = sorted(dated.values())[0][:7]
    chrome.js("document.querySelector('#timeline-bars button').click()")
    assert chrome.js("return [document.getElementById('date-from').value, document.getElementById('date-to').value]")[0] \
        == f"{month}-01"
    hidden = set(chrome.js("return kg.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    ends = {n: graph.nodes[n].get("date_end") or s for n, s in dated.items()}
    assert {n for n, s in dated.items() if not (s[:7] <= month <= ends[n][:7])} <= hidden
    assert not {n for n, s in dated.items() if s[:7] == month} & hidden
    assert not {n for n, d in graph.nodes(data=True) if d["kind"] == "Entity"} & hidden  # undated things stay
    chrome.js("document.getElementById('date-all').click()")
    assert chrome.js("return kg.nodes.get({filter: n => n.hidden}).length") == 0


def test_an_empty_view_settles_and_says_there_is_nothing_to_show(chrome: chromium.Page, tmp_path: Path) -> None:
    chrome.open(html.write(nx.MultiDiGraph(), tmp_path / "empty.html"), timeout=10)
    assert chrome.js("return document.getElementById('loading').textContent").startswith("没有可显示的节点 Nothing to show")
    assert no_errors(chrome) == []


def test_a_neighbourhood_page_opens_on_its_centre(chrome: chromium.Page, yongtai, tmp_path: Path) -> None:
    shown = view.neighbourhood(yongtai[0], "平城区永泰街道", depth=1)
    chrome.open(html.write(shown, tmp_path / "view.html", focus="Subdistrict/永泰街道"))
    assert chrome.js("return kg.network.getSelectedNodes()") == ["Subdistrict/永泰街道"]
    assert chrome.js("return document.querySelector('#details b').textContent") == "永泰街道"
    assert no_errors(chrome) == []


def test_the_screenshot_script_takes_the_docs_pictures_at_1366x768(chrome: chromium.Page, seed_build,
                                                                   tmp_path: Path) -> None:
    from benchmarks.screenshots import shoot

    _, _, out = seed_build
    work = tmp_path / "build"
    work.mkdir()
    for name in ("graph.html", "graph.graphml"):  # the view is written beside them
        (work / name).write_bytes((out / name).read_bytes())
    shots = shoot(chrome, work, tmp_path / "docs")
    assert [p.name for p in shots] == ["graph.png", "article.png", "view.png"]
    for shot in shots:
        head = shot.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (1366, 768)
    assert no_errors(chrome) == []
    assert left_the_machine(chrome) == []


def test_overview_button_returns_to_the_first_picture_where_it_was(chrome: chromium.Page, seed_build) -> None:
    from selenium.webdriver.common.by import By

    _, _, out = seed_build
    chrome.open(out / "graph.html")
    first = chrome.js("return kg.network.getPositions()")
    chrome.driver.find_element(By.ID, "show-all").click()
    chrome.wait("kg.settled", 120)
    assert chrome.js("return kg.nodes.length") == chrome.js("return kg.data.nodes.length")
    chrome.driver.find_element(By.ID, "show-overview").click()
    assert chrome.js("return kg.network.getPositions()") == first
    assert no_errors(chrome) == []
