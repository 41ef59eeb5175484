"""Pages as the sites publish them: e-paper excerpts, web articles, government pages.

Every page here is written for the test, in the shape of the real ones: navigation lines,
meta lines and footers become data or fragments, never headlines, body or mentions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from kg import dates
from kg.build import build
from kg.cli import main
from kg.entities import recognize
from kg.errors import InputError
from kg.pages import decode_bytes, read_manifest
from kg.ingest import meta_fields, segment
from kg.model import PageDoc

from .test_ingest import assert_partition

SCHEMA = Namespace("https://schema.org/")
PCKG = Namespace("https://w3id.org/pckg/ontology#")

EPAPER = """当前版: 03版 上一版  下一版

社区新事
城东街道举办邻里节
——居民共话和谐家园

□ 本报记者 王晓明 通讯员 李红

  5月10日，城东街道在和平广场举办邻里节，居民们欢聚一堂，共品家乡美食。
  居民们在活动中结识了新朋友。邻里节由城东街道主办，和平社区承办。
居民在邻里节上包饺子。 赵强摄

     标题导航
   第01版:要闻
   第02版:综合
~~~市委书记 赵一凡
北关街道开展义诊
"""

WEB = """大同新闻网

老街焕新颜
2024-07-24 10:52:54  作者:刘春燕  来源:大同日报

老街焕新颜

——鼓楼西街改造见闻

  昨日，鼓楼西街举办“老街文化节”，吸引众多市民游客。
  据了解，鼓楼西街改造工程由平城区住建局实施。
责任编辑:孙立
-----------------------------------------------------------------------
关于我们 网站运营 版权所有 北岳传媒集团
"""

GOV = """索 引 号:
信息分类: 平城动态
发布机构:
发布日期: 2025-09-15 10:27
标题: 新建街道开展消防演练
文号:
时效:

新建街道开展消防演练

发布时间:2025-09-15 10:27 来源:新建街道
| | | |

9月12日，新建街道组织辖区商户在永安小区开展消防演练。

扫一扫在手机上查看当前页面

相关解读
相关政策
"""

FOOTER = """市容整治见成效
    为巩固整治成果，该区成立了督查组，对发现的问题跟踪督办。(周海涛 通讯员吴敏)
返回首页,查看更多 本文地址:矿区市容整治见成效https://news.example.cn/html/2023-06/11/content_9.htm
栏目推荐
-
南关街道举办读书会
"""


def page(text: str, name: str = "page.txt") -> PageDoc:
    doc = segment(decode_bytes(text.encode("utf-8"), name))
    assert_partition(doc)
    return doc


def surfaces(doc: PageDoc) -> set[str]:
    return {m.surface for a in doc.articles for m in recognize(a)}


def test_epaper_excerpt_reads_the_stack_bylines_and_credit_and_leaves_the_navigation() -> None:
    doc = page(EPAPER)
    [article] = doc.articles
    assert article.headline == "城东街道举办邻里节"
    assert article.kicker == "社区新事"
    assert article.subtitle == "居民共话和谐家园"
    assert article.reporters == ("王晓明",)
    assert article.correspondents == ("李红",)
    assert article.photographers == ("赵强",)
    assert "标题导航" not in article.body and "上一版" not in article.body
    found = surfaces(doc)
    assert {"王晓明", "李红", "赵强"} <= found
    assert not {"赵一凡", "北关街道"} & found  # named only in the navigation list


def test_web_article_meta_line_gives_date_author_and_publisher() -> None:
    doc = page(WEB)
    [article] = doc.articles
    assert article.headline == "老街焕新颜"
    assert article.subtitle == "鼓楼西街改造见闻"
    assert article.reporters == ("刘春燕",)
    assert article.publisher == "大同日报"
    assert article.published == "2024-07-24"
    assert article.editors == ("孙立",)
    assert "作者" not in article.body and "版权所有" not in article.body
    assert article.body.startswith("昨日，鼓楼西街")
    found = surfaces(doc)
    assert {"刘春燕", "大同日报"} <= found  # the source the page prints is a body it names
    assert not {"孙立", "北岳传媒集团"} & found  # an editor and the copyright footer are not


def test_government_page_header_gives_headline_date_and_publisher() -> None:
    doc = page(GOV)
    [article] = doc.articles
    assert article.headline == "新建街道开展消防演练"
    assert article.published == "2025-09-15"
    assert article.publisher == "新建街道"
    assert article.body == "9月12日，新建街道组织辖区商户在永安小区开展消防演练。"
    assert "相关解读" not in article.body


def test_footer_address_gives_headline_and_url_and_a_closing_byline_gives_reporters() -> None:
    doc = page(FOOTER)
    [article] = doc.articles
    assert article.headline == "市容整治见成效"
    assert article.url == "https://news.example.cn/html/2023-06/11/content_9.htm"
    assert article.published == "2023-06-11"  # from the address
    assert article.reporters == ("周海涛",) and article.correspondents == ("吴敏",)
    assert article.body.endswith("跟踪督办。")
    assert "南关街道" not in surfaces(doc)


def test_an_address_printed_on_its_own_line_gives_url_and_date() -> None:
    [article] = page("http://epaper.example.cn/dtrb/html/2024-11/11/content_1_244519.htm\n城东街道举办邻里节\n"
                     "本报讯 近日，城东街道举办邻里节。\n").articles
    assert article.headline == "城东街道举办邻里节"
    assert (article.url, article.published) == ("http://epaper.example.cn/dtrb/html/2024-11/11/content_1_244519.htm",
                                                 "2024-11-11")
    assert "http" not in article.body


def test_a_column_name_over_a_photo_story_is_a_kicker_not_a_headline() -> None:
    doc = page("图片新闻\n11月10日上午，小记者走进消防站参观学习。\n本报记者 孙明摄\n")
    [article] = doc.articles
    assert article.headline is None and article.kicker == "图片新闻"
    assert article.photographers == ("孙明",)


def test_related_articles_after_the_story_are_not_articles() -> None:
    text = ("为保障灯会安全，消防救援支队开展全面检查。\n"
            "天镇县举办迎春赛事\n3月2日，天镇县体育馆乒乓球场内掌声此起彼伏 ...\n"
            "灯会开城迎宾盛典惊艳游客\n正月里，灯会成为瞩目的焦点 ...\n光雕秀持续热演\n")
    doc = page(text)
    assert [a.headline for a in doc.articles] == [None]
    assert "天镇县" not in surfaces(doc)


@pytest.mark.parametrize("line, want", [
    ("发布时间:2025-09-15 10:27 来源:迎宾街道", {"date": "2025-09-15 10:27", "publisher": "迎宾街道"}),
    ("2020-10-10 发表|来源:戏剧网|作者:张诗珩 陈云华", {"date": "2020-10-10", "publisher": "戏剧网", "author": "张诗珩 陈云华"}),
    ("索 引 号:", {"other": ""}),
    ("编辑:郭琳、陶冶", {"editor": "郭琳、陶冶"}),
    ("一审：张三 二审：李四 | 三审：王五", {"editor": "张三 李四 王五"}),
    ("2024-06-25 11:16:21", {"date": "2024-06-25 11:16:21"}),
])
def test_meta_lines_are_read_as_fields(line: str, want: dict[str, str]) -> None:
    assert meta_fields(line) == want


@pytest.mark.parametrize("line", [
    "图：志愿者为游客处理伤口。",  # a caption
    "时间：3月16日上午",  # a notice in the body: 时间 counts only with a full date
    "时间：2024年3月16日 地点：和阳广场",  # nor with more than a date
    "记者走访发现，问题已经解决。",
    "活动来源于群众的需要",
])
def test_text_that_only_looks_like_meta_is_not(line: str) -> None:
    assert meta_fields(line) is None


def test_seed_style_byline_words_stay_body_text() -> None:
    doc = page("## 记者手记\n\n记者手记\n\n城东街道的变化让人欣喜。\n")
    assert doc.articles[0].reporters == ()


@pytest.mark.parametrize("name, want", [
    ("2024-05-11_p3.txt", "2024-05-11"), ("20240511.txt", "2024-05-11"), ("2024_05_11.txt", "2024-05-11"),
    ("000_f8335e88f8bab63f.txt", None), ("20241399.txt", None),
])
def test_publication_date_from_the_file_name(name: str, want: str | None) -> None:
    [article] = page("城东街道举办邻里节\n本报讯 5月10日，城东街道举办邻里节。\n", name).articles
    assert article.published == want


@pytest.mark.parametrize("url, want", [
    ("http://epaper.example.cn/dtwb/html/2023-06/11/content_52_193136.htm", "2023-06-11"),
    ("http://www.example.com/html/news/2020/1009/13706.html", "2020-10-09"),
    ("http://www.example.com/20240511/a.html", "2024-05-11"),
    ("https://gov.example.cn/pcq/202504/d08f7d6cbaf4414faad06c2f823e7226.shtml", None),
    ("http://20240511.example.com/news/1.html", None),
])
def test_publication_date_from_the_address(url: str, want: str | None) -> None:
    assert dates.date_in_url(url) == want


@pytest.mark.parametrize("text, want", [
    ("昨日", "2024-05-10"), ("前天", "2024-05-09"), ("上周五", "2024-05-03"), ("7日上午", "2024-05-07"),
    ("28日", "2024-04-28"), ("6月5日", "2024-06-05"), ("12月3日", "2023-12-03"), ("近日", None),
])
def test_relative_dates_count_from_the_publication_date(text: str, want: str | None) -> None:
    assert dates.parse(text, dates.page_year("", "2024-05-11")).start == want  # a Saturday


def test_recent_days_end_at_the_publication_date() -> None:
    span = dates.parse("近日", dates.page_year("", "2024-05-11"))
    assert (span.start, span.end, span.text) == (None, "2024-05-11", "近日")


def test_without_a_publication_date_relative_words_stay_unresolved() -> None:
    assert dates.parse("昨日", dates.infer_year("")).start is None
    assert dates.find("昨日，城东街道举办活动。") == []


def _graph(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def test_manifest_gives_url_and_date_and_relative_event_dates_resolve(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "x1.txt").write_text("城东街道举办邻里节\n本报讯 昨日，城东街道在和平广场举办“邻里节”活动。\n", encoding="utf-8")
    (pages / "x2.txt").write_text(GOV, encoding="utf-8")
    manifest = tmp_path / "pages.tsv"
    manifest.write_text("file\turl\tdate\nx1.txt\thttp://epaper.example.cn/html/2024-05-11/1.htm\t2024-05-12\n"
                        "x2.txt\thttps://gov.example.cn/a.shtml\t\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(pages), "-o", str(tmp_path / "out"), "-f", "turtle",
                                       "--manifest", str(manifest), "--no-cache"])
    assert result.exit_code == 0, result.output
    g = _graph(tmp_path / "out")
    by_headline = {str(h): a for a, h in g.subject_objects(SCHEMA.headline)}
    x1, x2 = by_headline["城东街道举办邻里节"], by_headline["新建街道开展消防演练"]
    # the manifest's date wins over the one in its address; a page's own header over none
    assert g.value(x1, SCHEMA.datePublished) == Literal("2024-05-12", datatype=XSD.date)
    assert g.value(x1, SCHEMA.url) == Literal("http://epaper.example.cn/html/2024-05-11/1.htm", datatype=XSD.anyURI)
    assert g.value(x2, SCHEMA.datePublished) == Literal("2025-09-15", datatype=XSD.date)
    assert g.value(x2, SCHEMA.publisher) == Literal("新建街道", lang="zh")
    starts = {str(g.value(ev, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): str(g.value(ev, SCHEMA.startDate))
              for ev in g.subjects(predicate=PCKG.eventType)}
    assert starts.get("“邻里节”活动") == "2024-05-11"  # 昨日, published 2024-05-12
    valid = CliRunner().invoke(main, ["validate", str(tmp_path / "out")])
    assert valid.exit_code == 0, valid.output


def test_a_manifest_with_a_bad_date_is_an_input_error(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,url,date\na.txt,,someday\n", encoding="utf-8")
    with pytest.raises(InputError, match="someday"):
        read_manifest(manifest)


def test_a_manifest_without_a_header_is_file_url_date(tmp_path: Path) -> None:
    manifest = tmp_path / "m.tsv"
    manifest.write_text("a.txt\thttp://x.example/1\t2024年5月11日\n", encoding="utf-8")
    entry = read_manifest(manifest)["a.txt"]
    assert (entry.url, entry.date) == ("http://x.example/1", "2024-05-11")


def test_build_without_manifest_dates_a_page_by_its_file_name(tmp_path: Path) -> None:
    pages = tmp_path / "p"
    pages.mkdir()
    (pages / "2024-05-11_p3.txt").write_text("城东街道举办邻里节\n本报讯 城东街道举办邻里节。\n", encoding="utf-8")
    graph, _ = build([pages], tmp_path / "out", formats=("turtle",))
    [published] = [d.get("published") for _, d in graph.nodes(data=True) if d["kind"] == "Article"]
    assert published == "2024-05-11"


NOTICE = """首页 > 信息公开 > 通知公告
大同市平城区人民政府
索引号：11140202MB1234567X/2024-00012 信息分类：工作动态
发布机构：平城区人民政府办公室 发文日期：2024-03-05
名称：关于开展春季爱国卫生运动的通知
关于开展春季爱国卫生运动的通知
  经区政府同意，决定于3月10日至4月10日在全区开展春季爱国卫生运动。
平城区人民政府办公室
2024年3月5日
打印 关闭
"""


def test_a_notice_keeps_its_signature_and_drops_breadcrumbs_and_buttons() -> None:
    doc = page(NOTICE)
    [article] = doc.articles  # the signature over its date is not a second article
    assert article.headline == "关于开展春季爱国卫生运动的通知"
    assert (article.publisher, article.published) == ("平城区人民政府办公室", "2024-03-05")
    assert "首页" not in article.body and "打印" not in article.body
    assert article.kicker is None  # the site's name over the header is no kicker


def test_bar_separated_meta_and_closing_lines_of_a_web_article() -> None:
    doc = page("平城区举办消夏晚会\n来源：大同日报 | 作者：张晓东 | 编辑：李明 | 2024-07-01 10:00:00 | 浏览次数：123\n"
               "  6月30日晚，平城区在和阳广场举办消夏晚会。\n记者：王芳\n编辑：郭琳、陶冶\n上一篇：新旺街道开展义诊活动\n")
    [article] = doc.articles
    assert article.headline == "平城区举办消夏晚会"
    assert (article.publisher, article.published) == ("大同日报", "2024-07-01")
    assert article.reporters == ("张晓东", "王芳") and article.editors == ("李明", "郭琳", "陶冶")
    assert article.body == "6月30日晚，平城区在和阳广场举办消夏晚会。"
    assert "新旺街道" not in surfaces(doc)


def test_a_brief_with_its_reporter_in_closing_brackets() -> None:
    [article] = page("本报讯 近日，北关街道召开安全生产工作会议。（王强）\n").articles
    assert article.reporters == ("王强",) and article.body == "近日，北关街道召开安全生产工作会议。"


def test_a_heading_over_a_paragraph_ending_in_a_chinese_ellipsis_is_not_a_teaser() -> None:
    doc = page("## 平城区开展便民活动\n\n本报讯 近日，平城区开展便民活动。\n\n现场采访\n\n居民说：“好处说也说不完……\n\n"
               "多方联动\n\n活动由平城区民政局主办。\n")
    [article] = doc.articles
    assert article.body.endswith("活动由平城区民政局主办。")


def test_footer_words_opening_a_sentence_of_the_body_do_not_end_the_article() -> None:
    doc = page("城东街道推出便民新举措\n本报讯 近日，城东街道推出便民新举措。\n相关政策将于下月在全区推广，扫一扫二维码即可预约。\n"
               "分享到朋友圈的居民可获得小礼品。\n")
    [article] = doc.articles
    assert article.body.endswith("可获得小礼品。")


def test_traditional_characters_in_marker_words_are_read_too() -> None:
    doc = page("索 引 號:\n信息分類: 工作動態\n發布日期: 2025-03-11 09:09\n標題: 新建街道開展義診\n\n新建街道開展義診\n\n"
               "發布時間:2025-03-11 09:09 來源:新建街道\n| | | |\n\n本報訊（記者 劉偉 通訊員 張華）近日，新建街道開展義診。\n\n"
               "相關解讀\n")
    [article] = doc.articles
    assert article.headline == "新建街道開展義診"
    assert (article.published, article.publisher) == ("2025-03-11", "新建街道")
    assert article.reporters == ("劉偉",) and article.correspondents == ("張華",)  # as printed
    assert article.body == "近日，新建街道開展義診。"


@pytest.mark.parametrize("text, reporters, body", [
    ("观察网山西12月1日电(记者 周世俊)迎宾街道开展活动。\n", ("周世俊",), "迎宾街道开展活动。"),
    ("本报大同6月5日讯（记者 张三）近日，平城区开展活动。\n", ("张三",), "近日，平城区开展活动。"),
    ("国网大同供电公司12月1日电力抢修完成，居民恢复用电。\n", (), "国网大同供电公司12月1日电力抢修完成，居民恢复用电。"),
])
def test_a_dateline_opens_a_story_like_benbaoxun(text: str, reporters: tuple[str, ...], body: str) -> None:
    [article] = page(text).articles
    assert (article.reporters, article.body) == (reporters, body)


def test_events_extract_dates_relative_words_as_the_build_does() -> None:
    from kg import events, resolve

    doc = page("城东街道举办邻里节\n本报讯 昨日，城东街道在和平广场举办“邻里节”活动。\n", "2024-05-12.txt")
    found = resolve.resolve([m for a in doc.articles for m in recognize(a)])
    [event] = [e for e in events.extract([doc], found) if "邻里节" in e.name]
    assert (event.date_text, event.date_start) == ("昨日", "2024-05-11")


def test_the_paper_before_a_reporter_is_not_a_reporter() -> None:
    [article] = page("老街焕新颜\n作者：大同日报记者 张三  来源：大同日报\n昨日，老街焕新颜。\n").articles
    assert article.reporters == ("张三",) and article.publisher == "大同日报"


@pytest.mark.parametrize("first, headline", [("大同新闻网", None), ("织密防汛抗洪安全网", "织密防汛抗洪安全网")])
def test_a_site_name_over_a_page_is_no_headline(first: str, headline: str | None) -> None:
    [article] = page(f"{first}\n近日，平城区开展防汛演练。\n").articles
    assert article.headline == headline


def test_kg_build_names_a_missing_manifest(tmp_path: Path) -> None:
    pages = tmp_path / "p"
    pages.mkdir()
    (pages / "a.txt").write_text("本报讯 近日，城东街道举办邻里节。\n", encoding="utf-8")
    missing = tmp_path / "none.tsv"
    result = CliRunner().invoke(main, ["build", str(pages), "-o", str(tmp_path / "out"), "--manifest", str(missing)])
    assert result.exit_code == 2
    assert result.output.strip().endswith(f"kg: {missing}: no such manifest (清单文件不存在)")
