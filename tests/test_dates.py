"""Date rules: raw text kept, ISO where the text and the page's year allow, nothing invented."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dates import PageYear, cn_number, find, infer_year, parse

Y2023 = PageYear(2023, "page: 2023年度 -> 2023")


def test_day_takes_the_page_year_and_says_how():
    span = parse("3月16日", Y2023)
    assert (span.text, span.start, span.end, span.basis) == ("3月16日", "2023-03-16", "2023-03-16", Y2023.basis)


def test_range_with_dash_gives_start_and_end():
    span = parse("7月17日—7月23日", Y2023)
    assert (span.start, span.end) == ("2023-07-17", "2023-07-23")


def test_printed_year_needs_no_page_year_and_shares_it_with_the_range_end():
    span = parse("2018年2月18日至2月24日")
    assert (span.start, span.end, span.basis) == ("2018-02-18", "2018-02-24", "printed")


def test_month_part_becomes_a_range_of_days():
    assert (parse("今年5月初", Y2023).start, parse("今年5月初", Y2023).end) == ("2023-05-01", "2023-05-10")
    assert parse("2月底", Y2023).end == "2023-02-28"


def test_open_end_keeps_only_the_end():
    span = parse("持续到7月26日", Y2023)
    assert (span.start, span.end) == (None, "2023-07-26")


@pytest.mark.parametrize("text", ["3月16日", "7月17日—7月23日"])
def test_day_without_any_year_stays_unresolved_but_keeps_its_text(text):
    span = parse(text, PageYear(None, None))
    assert (span.text, span.start, span.end, span.basis) == (text, None, None, None)


@pytest.mark.parametrize("text", ["近日", "连日来", "日前", "去年"])
def test_relative_words_are_never_given_a_date(text):
    span = parse(text, Y2023)
    assert (span.text, span.start, span.end) == (text, None, None)


def test_impossible_day_is_not_turned_into_a_date():
    assert parse("2月30日", Y2023).start is None


def test_party_anniversary_dates_the_page():
    page = infer_year("献礼中国共产党成立105周年，为群众送上沉浸式红色文化大餐。")
    assert page.year == 2026 and "105周年" in (page.basis or "")


def test_census_ordinal_dates_the_page():
    page = infer_year("连日来，平城区各街道全面开展第七次全国人口普查工作。")
    assert page.year == 2020 and "第七次全国人口普查" in (page.basis or "")


def test_current_year_beats_a_year_looked_back_on():
    page = infer_year("仅2022年，6家企业获得奖励。3月21日，平城区安排部署了2023年度消防安全工作。")
    assert page.year == 2023


def test_page_without_year_evidence_has_no_year():
    assert infer_year("近日，平城区清远街道开展交通安全宣传。今年以来，工单总量稳中有降。") == PageYear(None, None)


def test_founding_year_of_an_association_is_not_the_page_year():
    assert infer_year("大同市爱心公益协会从2013年成立以来坚持做公益。").year is None


def test_find_joins_a_relative_word_to_the_date_after_it():
    assert [t for _, _, t in find("今年5月初，平城区防汛抗旱指挥部办公室组织排查，截至5月底共排查出67处。")] == [
        "今年5月初",
        "截至5月底",
    ]


def test_chinese_numerals():
    assert [cn_number(t) for t in ("七", "十六", "二十", "一百零五", "105", "几")] == [7, 16, 20, 105, 105, None]


@pytest.mark.parametrize(
    "text",
    [
        "深入学习贯彻习近平总书记在庆祝中国共产党成立100周年大会上的重要讲话精神。",
        "根据第七次全国人口普查数据，平城区常住人口达112万人。",
    ],
)
def test_a_cited_earlier_occasion_does_not_date_the_page(text):
    assert infer_year(text) == PageYear(None, None)


def test_range_across_months_ends_in_the_later_month():
    text = "1月25日至2月5日，小南头街道与大同市书法家协会在辖区新胜社区共同举办“翰墨迎新春”书法作品展。"
    (found,) = find(text)
    span = parse(found[2], PageYear(2024, "page: 2024年中国农民丰收节庆祝活动 -> 2024"))
    assert (span.text, span.start, span.end) == ("1月25日至2月5日", "2024-01-25", "2024-02-05")


def test_this_years_month_takes_the_page_year_or_stays_unresolved():
    (found,) = find("今年3月，由平城区妇联主办的家政服务技能培训班开班。")
    assert found[2] == "今年3月"
    assert (parse(found[2], Y2023).start, parse(found[2], Y2023).end) == ("2023-03-01", "2023-03-31")
    assert (parse(found[2]).start, parse(found[2]).end, parse(found[2]).text) == (None, None, "今年3月")


@pytest.mark.parametrize(
    "text, printed, start",
    [("6月以来，平城区卧虎湾街道联合", "6月以来", "2023-06-01"), ("今年5月起，平城区新华街道每周六", "今年5月起", "2023-05-01")],
)
def test_a_date_that_opens_a_period_keeps_its_start_and_no_end(text, printed, start):
    (found,) = find(text)
    span = parse(found[2], Y2023)
    assert (span.text, span.start, span.end) == (printed, start, None)


def test_anniversary_of_the_peoples_republic_dates_the_page():
    year = infer_year("为庆祝中华人民共和国成立75周年，9月26日，平城区鹿苑街道在鹿苑广场举办文艺汇演。")
    assert year.year == 2024 and "75周年" in (year.basis or "")
    assert parse("9月26日", year).start == "2024-09-26"


def test_an_anchor_s_pattern_without_look_behinds_finds_every_page_the_pattern_does() -> None:
    # infer_year skips an anchor whose `needed` finds nothing: that must never skip a match
    from kg.dates import year_anchors

    texts = ["在庆祝中国共产党成立105周年大会上", "庆祝中国共产党成立一百零五周年", "建军98周年", "在纪念建军98周年",
             "中国少年先锋队建队77周年", "共青团成立104周年", "第七次全国人口普查", "无关的文字",
             "中国人民解放军建军98周年", "新中国成立75周年", "中华人民共和国成立七十五周年", "少年先锋队成立77周年",
             "中国共产主义青年团成立104周年", "在纪念中华人民共和国成立75周年"]
    anchors = [a for a in year_anchors() if a.needed is not None]
    assert anchors
    for anchor in anchors:
        for text in texts:
            if anchor.pattern.search(text):
                assert anchor.needed is not None and anchor.needed.search(text), (anchor.pattern.pattern, text)
    assert infer_year("在纪念中国共产党成立105周年之际，党的一百零五周年").year is None
    assert infer_year("庆祝中国共产党成立105周年").year == 2026


def test_needed_leaves_out_the_look_behinds_and_groups_that_open_a_pattern() -> None:
    from kg.dates import _needed

    needed = _needed("(?<!在庆祝)(?:中国人民解放军)?建军(?P<n>\\d{2})周年(?!大会上)")
    assert needed is not None and needed.pattern == "建军(?P<n>\\d{2})周年(?!大会上)"
    needed = _needed("(?<!在纪念)(?:新中国|中华人民共和国)成立(?P<n>\\d+)周年")
    assert needed is not None and needed.pattern == "成立(?P<n>\\d+)周年"
    assert _needed("第(?P<n>\\d)次全国人口普查") is None  # a group that holds the number stays
    for repeated in ("(?:中国)+成立", "(?:中国){2}成立", "(?:中国)*成立", "(?:中国)?+成立"):
        assert _needed(repeated) is None, repeated  # what follows a repeated group is no pattern of its own
    needed = _needed("(?<!在)(?:中国)??成立")
    assert needed is not None and needed.pattern == "成立"


_ANCHOR_PIECES = ["在庆祝", "在纪念", "中国人民解放军", "建军", "新中国", "中华人民共和国", "中国共产党", "共青团",
                  "中国", "少年先锋队", "建队", "成立", "改革开放", "98", "七十五", "1", "周年", "大会上", "第七次",
                  "全国人口普查", "数据", "，"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ANCHOR_PIECES), max_size=8).map("".join))
def test_a_page_an_anchor_s_needed_pattern_misses_holds_no_match_of_it(text: str) -> None:
    from kg.dates import year_anchors

    for anchor in year_anchors():
        if anchor.needed is not None and anchor.pattern.search(text):
            assert anchor.needed.search(text), (anchor.pattern.pattern, text)
