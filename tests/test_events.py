"""Event patterns on short real sentences from the paper, with the entities given."""

from __future__ import annotations

from kg import events

PAGE = "## {headline}\n\n本报讯（记者 尚丽）{body}\n"


def by_name(found) -> dict[str, object]:
    return {e.name: e for e in found}


def test_quoted_title_with_sponsors_and_undertaker(page_with_names):
    body = (
        "近日，由平城区委统战部、区工商联主办，中国人寿大同分公司承办的“聚力助小微 同心赢未来”"
        "中小微企业发展赋能研讨会成功举办。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="平城区举办中小微企业发展赋能研讨会", body=body),
        {
            "平城区委统战部": ("Agency", "平城区委统战部"),
            "区工商联": ("Agency", "平城区工商联"),
            "中国人寿大同分公司": ("Company", "中国人寿大同分公司"),
        },
    )
    (event,) = events.extract(docs, ents)
    assert event.name == "“聚力助小微 同心赢未来”中小微企业发展赋能研讨会"
    assert event.type == "Meeting"
    assert event.organizers == ("Agency/平城区委统战部", "Agency/平城区工商联")
    assert event.undertakers == ("Company/中国人寿大同分公司",)
    assert event.date_text == "近日" and event.date_start is None
    assert event.evidence.startswith("近日，由平城区委统战部") and event.articles == (docs[0].articles[0].id,)


def test_trigger_phrase_with_partner_place_and_page_year(page_with_names):
    body = "3月16日，平城区文瀛湖街道携手爱心医院开展义诊进社区服务活动。当日，平城区安排部署了2023年度消防安全工作。"
    docs, ents = page_with_names(
        PAGE.format(headline="爱心义诊进社区 便民服务暖人心", body=body),
        {"平城区": ("AdminArea", "平城区"), "文瀛湖街道": ("Subdistrict", "文瀛湖街道"), "爱心医院": ("Organization", "爱心医院")},
    )
    event = by_name(events.extract(docs, ents))["义诊进社区服务活动"]
    assert event.type == "Service"
    assert set(event.organizers) == {"Subdistrict/文瀛湖街道", "Organization/爱心医院"}
    assert (event.date_text, event.date_start, event.date_end) == ("3月16日", "2023-03-16", "2023-03-16")
    assert event.date_basis and "2023" in event.date_basis


def test_range_given_later_in_the_article_dates_the_event(page_with_names):
    body = (
        "近日，平城区7月“首善平城·绿色文明周”主题活动全面展开。"
        "平城区7月“首善平城·绿色文明周”主题活动时间为7月17日—7月23日，活动聚焦文明素养提升。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="主题活动全面展开", body=body), {"平城区": ("AdminArea", "平城区")}
    )
    (event,) = events.extract(docs, ents)
    assert event.name == "“首善平城·绿色文明周”主题活动" and event.type == "Campaign"
    # the page prints no year: the range is kept as text and not made into dates
    assert (event.date_text, event.date_start, event.date_end) == ("7月17日—7月23日", None, None)


def test_quoted_list_items_are_each_an_event(page_with_names):
    body = "常态化开展的“文明大讲堂”“邻里议事会”“先锋服务日”等活动，成为居民家门口的“精神加油站”。"
    docs, ents = page_with_names(PAGE.format(headline="文明实践绘新景", body=body), {})
    assert {(e.name, e.type) for e in events.extract(docs, ents)} == {
        ("文明大讲堂", "Lecture"),
        ("邻里议事会", "Meeting"),
        ("先锋服务日", "Service"),
    }


def test_examination_of_a_named_street(page_with_names):
    body = "3月16日，平城区水泊寺街道对辖区伦敦街商户私设地桩等乱象进行排查和整治。"
    docs, ents = page_with_names(
        PAGE.format(headline="开展创城整治 共建美好家园", body=body),
        {"水泊寺街道": ("Subdistrict", "水泊寺街道"), "伦敦街": ("Place", "伦敦街")},
    )
    (event,) = events.extract(docs, ents)
    assert event.name == "伦敦街商户私设地桩等乱象排查整治"
    assert event.organizers == ("Subdistrict/水泊寺街道",)


def test_plans_duties_and_back_references_are_not_events(page_with_names):
    body = (
        "该区工商联还将与5家央企联合设立服务站，定期召开服务座谈会。"
        "各街道要完善消防安全委员会建设，定期召开专题会议研究消防工作。"
        "通过开展此次活动，师生防骗能力得到提升。累计开展各类文明实践活动398场。"
    )
    docs, ents = page_with_names(PAGE.format(headline="提升全区能力", body=body), {})
    assert events.extract(docs, ents) == ()


def test_headline_names_the_event_when_the_body_does_not(page_with_names):
    body = "日前，市公安局平城分局反诈中心联合开源街派出所，走进平城区第14小学集团校，为学生们宣讲防范诈骗知识。"
    docs, ents = page_with_names(
        PAGE.format(headline="反诈宣传进校园 携手共筑“安全网”", body=body),
        {
            "市公安局平城分局反诈中心": ("Agency", "大同市公安局平城分局反诈中心"),
            "开源街派出所": ("Agency", "开源街派出所"),
            "平城区第14小学集团校": ("Organization", "平城区第14小学校"),
        },
    )
    (event,) = events.extract(docs, ents)
    assert event.name == "反诈宣传进校园"
    assert set(event.organizers) == {"Agency/大同市公安局平城分局反诈中心", "Agency/开源街派出所"}
    assert event.location == "Organization/平城区第14小学校"


def test_one_event_in_two_articles_is_one_node(page_with_names):
    page = (
        "## 深入开展“垃圾清零”攻坚行动\n\n本报讯（记者 邸东芳）连日来，平城区园林绿化中心深入推进绿地“垃圾清零”攻坚行动。\n\n"
        "## 园林绿化再发力\n\n本报讯（记者 尚丽）近日，平城区园林绿化中心继续开展“垃圾清零”攻坚行动，清理绿地垃圾。\n"
    )
    docs, ents = page_with_names(page, {"平城区园林绿化中心": ("Agency", "平城区园林绿化中心")})
    assert len(docs[0].articles) == 2
    (event,) = events.extract(docs, ents)
    assert event.name == "“垃圾清零”攻坚行动" and len(event.articles) == 2


def test_one_name_run_by_different_organizers_is_two_events(page_with_names):
    page = (
        "## 卧虎湾街道 全力推进环境整治\n\n本报讯（记者 张志忠）连日来，卧虎湾街道多措并举开展“首善平城·绿色文明周”主题活动。\n\n"
        "## 御河街道 整治城市环境\n\n本报讯（记者 杨显郁）连日来，平城区御河街道办事处积极开展“首善平城·绿色文明周”主题活动。\n"
    )
    docs, ents = page_with_names(
        page,
        {"卧虎湾街道": ("Subdistrict", "卧虎湾街道"), "御河街道办事处": ("Subdistrict", "御河街道"), "平城区": ("AdminArea", "平城区")},
    )
    found = events.extract(docs, ents)
    assert {e.organizers for e in found} == {("Subdistrict/卧虎湾街道",), ("Subdistrict/御河街道",)}
    assert len({e.key for e in found}) == 2


def test_participants_of_an_event_they_attend(page_with_names):
    body = "2月底，平城区企业服务保障中心召开专精特新专题工作推进会，会上邀请星火咨询进行解读。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区全力支持企业", body=body),
        {"平城区企业服务保障中心": ("Agency", "平城区企业服务保障中心"), "星火咨询": ("Company", "星火咨询")},
    )
    event = by_name(events.extract(docs, ents))["专精特新专题工作推进会"]
    assert event.organizers == ("Agency/平城区企业服务保障中心",)
    assert event.participants == ("Company/星火咨询",)
