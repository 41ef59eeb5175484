"""kg serve's pages in a real headless chromium that cannot reach any other host.

What a reader sees: the entity page with its articles, sentences and timeline; an article
page with its full text; and nothing requested from anywhere but the local server.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator

import pytest

from tests import chromium
from tests.test_serve import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(seed_build) -> Iterator[Server]:
    s = Server(seed_build[2])
    yield s
    s.stop()


@pytest.fixture(scope="module")
def chrome() -> Iterator[chromium.Page]:
    if not chromium.available():
        pytest.fail(chromium.MISSING)
    with chromium.browser(chromium.LOOPBACK_ONLY) as page:
        yield page


def visit(page: chromium.Page, url: str) -> None:
    page.console()
    page.url = url
    page.driver.get(url)
    page.wait("document.readyState === 'complete'", 30)


def text_of(page: chromium.Page, selector: str) -> str:
    return str(page.js("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", selector))


def elsewhere(page: chromium.Page, server: Server) -> list[str]:
    return [url for url in page.requests() if not url.startswith(server.url)]


def test_other_hosts_stay_unreachable(chrome: chromium.Page, served: Server) -> None:
    # The control for "nothing left the machine": a page that fetches from elsewhere is caught failing.
    visit(chrome, served.url + "search?q=" + urllib.parse.quote("西谷"))
    chrome.js("const i = new Image(); i.onerror = () => { window.failed = true }; i.src = 'http://example.com/x.png'")
    chrome.wait("window.failed === true", 15)
    # Only that the request is caught: under load the browser may add its own (a favicon retry).
    assert "http://example.com/x.png" in elsewhere(chrome, served)


def test_an_entity_page_shows_its_articles_and_timeline_offline(chrome: chromium.Page, served: Server) -> None:
    visit(chrome, served.url + "id/" + urllib.parse.quote("Village/西谷庄村"))
    assert text_of(chrome, "h1") == "西谷庄村"
    chain = text_of(chrome, "#chain")  # each step with its register code where it has one
    assert re.search(r"小南头街道 (\d{12} )?› 平城区 (\d{12} )?› 大同市", chain), chain
    articles = text_of(chrome, "main")
    assert "西谷庄村激活智慧农业助力乡村振兴" in articles
    assert "加快传统农耕向智慧农业迭代升级" in articles  # the evidence sentence
    marked = chrome.js("return [...document.querySelectorAll('blockquote mark')].map(m => m.textContent)")
    assert "西谷庄村" in marked
    assert "1180亩智慧玉米示范种植项目" in text_of(chrome, "#timeline")
    assert chrome.js("return document.querySelectorAll('#timeline li').length") >= 1
    assert chrome.js("return document.querySelectorAll('script').length") == 0
    assert elsewhere(chrome, served) == []
    assert [e for e in chrome.console() if e["level"] in ("SEVERE", "ERROR")] == []


def test_an_entity_page_links_into_the_graph_view_open_on_it(chrome: chromium.Page, served: Server) -> None:
    from selenium.webdriver.common.by import By

    visit(chrome, served.url + "id/" + urllib.parse.quote("Village/西谷庄村"))
    chrome.driver.find_element(By.ID, "in-view").click()
    chrome.wait("window.kg && kg.settled && kg.network.getSelectedNodes()[0] === 'Village/西谷庄村'", 120)
    assert "西谷庄村" in text_of(chrome, "#details")
    assert elsewhere(chrome, served) == []


def test_following_an_article_link_shows_the_full_text(chrome: chromium.Page, served: Server) -> None:
    from selenium.webdriver.common.by import By

    visit(chrome, served.url + "id/" + urllib.parse.quote("Village/西谷庄村"))
    chrome.driver.find_element(By.PARTIAL_LINK_TEXT, "西谷庄村激活智慧农业助力乡村振兴").click()
    chrome.wait("document.querySelector('#body') !== null", 30)
    body = text_of(chrome, "#body")
    assert "实时监测墒情" in body and len(body) > 500
    linked = chrome.js("return [...document.querySelectorAll('#body a.ent')].map(a => a.textContent)")
    assert {"西谷庄村", "小南头街道", "雨泽农业科技有限公司"} <= set(linked)
    assert elsewhere(chrome, served) == []


def test_the_search_box_finds_an_entity(chrome: chromium.Page, served: Server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    visit(chrome, served.url)
    box = chrome.driver.find_element(By.ID, "q")
    box.send_keys("西谷", Keys.ENTER)
    chrome.wait("document.querySelector('#results') !== null", 30)
    assert "西谷庄村" in text_of(chrome, "#results")
    assert elsewhere(chrome, served) == []
