"""Event patterns on short real sentences from the paper, with the entities given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import events

PAGE = "## {headline}\n\n本报讯（记者 尚丽）{body}\n"

PINGCHENG = {"平城区": ("AdminArea", "平城区")}


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
    assert event.location == "Place/伦敦街"


def test_place_in_the_clause_after_the_event(page_with_names):
    body = "近日，平城区永泰街道开展安全生产专项整治行动，深入辖区新中佳苑小区商铺，排查安全隐患。"
    docs, ents = page_with_names(
        PAGE.format(headline="永泰街道开展安全生产专项整治行动", body=body),
        {"永泰街道": ("Subdistrict", "永泰街道"), "新中佳苑小区": ("Place", "新中佳苑小区")},
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.location, event.organizers) == (
        "安全生产专项整治行动",
        "Place/新中佳苑小区",
        ("Subdistrict/永泰街道",),
    )


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


def test_means_listed_in_a_clause_are_not_events(page_with_names):
    body = "社区党支部组织老党员通过召开民情调查会、协调会、发放调查问卷等方式充分调研。"
    docs, ents = page_with_names(PAGE.format(headline="党建引领促发展", body=body), {})
    assert events.extract(docs, ents) == ()


def test_those_who_attend_are_participants_not_organizers(page_with_names):
    body = "平城区积极组织企业参加进口商品博览会，助力推进服务业领域开展多层次的国内外合作与交流。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区全力打造现代服务业高质量发展新引擎", body=body),
        {"平城区": ("AdminArea", "平城区")},
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type) == ("进口商品博览会", "Exhibition")
    assert (event.organizers, event.participants) == ((), ("AdminArea/平城区",))


def test_event_without_its_own_date_takes_the_one_just_before(page_with_names):
    body = (
        "让吴晓东最感慨的是2018年2月18日至2月24日的一次搜救行动，一位卖梨的老人离家出走。"
        "吴晓东和几名志愿者放弃和家人的团聚，投入到搜寻卖梨老人的行动中。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="用行动诠释爱的力量", body=body), {"吴晓东": ("Person", "吴晓东")}
    )
    event = by_name(events.extract(docs, ents))["搜寻卖梨老人的行动"]
    assert (event.date_text, event.date_start, event.date_end, event.date_basis) == (
        "2018年2月18日至2月24日",
        "2018-02-18",
        "2018-02-24",
        "printed",
    )


def test_name_before_a_verb_that_reports_it_with_sponsors_in_the_next_sentence(page_with_names):
    body = (
        "近日,为期3天的2026年山西省“红领巾讲解员”竞演讲述活动决赛落下帷幕。经过激烈角逐,平城区5名少先队员获得优秀奖。"
        "此次活动由共青团山西省委、省委宣传部、省教育厅联合主办。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="平城区5名少先队员为家乡代言获佳绩", body=body),
        {
            "平城区": ("AdminArea", "平城区"),
            "共青团山西省委": ("Agency", "共青团山西省委"),
            "省委宣传部": ("Agency", "山西省委宣传部"),
            "省教育厅": ("Agency", "山西省教育厅"),
        },
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type) == ("2026年山西省“红领巾讲解员”竞演讲述活动决赛", "Contest")
    assert event.organizers == ("Agency/共青团山西省委", "Agency/山西省委宣传部", "Agency/山西省教育厅")
    assert (event.date_text, event.date_start) == ("近日", None)


def test_a_common_head_needs_a_longer_name(page_with_names):
    body = "截至目前，全区共实施重点项目120个。由雨泽农业科技有限公司牵头，落地1180亩智慧玉米示范种植项目。"
    docs, ents = page_with_names(
        PAGE.format(headline="乡村振兴", body=body), {"雨泽农业科技有限公司": ("Company", "雨泽农业科技有限公司")}
    )
    assert [e.name for e in events.extract(docs, ents)] == ["1180亩智慧玉米示范种植项目"]


def test_items_of_a_list_of_things_habitually_done_are_not_events(page_with_names):
    body = (
        "关爱留守儿童、开展帮扶救助活动、为山区儿童捐书、帮环卫工完成微心愿、爱心送考……大同市爱心公益协会做过的公益活动数不胜数。"
        "继续深入开展安全生产大排查大整治大提升行动。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="用行动诠释爱的力量", body=body), {"大同市爱心公益协会": ("Organization", "大同市爱心公益协会")}
    )
    assert [e.name for e in events.extract(docs, ents)] == ["安全生产大排查大整治大提升行动"]


def test_place_right_after_the_name(page_with_names):
    # in the paper's usual wording for an opening (…展在…开幕), with sponsors in the same sentence
    body = "近日，由平城区文旅局主办、平城区文化馆承办的“迎新春”书法作品展在平城区图书馆开幕。"
    docs, ents = page_with_names(
        PAGE.format(headline="书法作品展开幕", body=body),
        {
            "平城区文旅局": ("Agency", "平城区文旅局"),
            "平城区文化馆": ("Agency", "平城区文化馆"),
            "平城区图书馆": ("Agency", "平城区图书馆"),
        },
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type, event.location) == ("“迎新春”书法作品展", "Exhibition", "Agency/平城区图书馆")
    assert (event.organizers, event.undertakers) == (("Agency/平城区文旅局",), ("Agency/平城区文化馆",))


def test_event_with_no_place_of_its_own_is_set_in_the_village_of_the_lead(page_with_names):
    body = (
        "近年来，平城区小南头街道西谷庄村加快传统农耕向智慧农业迭代升级。"
        "由雨泽农业科技有限公司牵头，落地1180亩智慧玉米示范种植项目。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="西谷庄村激活智慧农业助力乡村振兴", body=body),
        {
            "平城区": ("AdminArea", "平城区"),
            "小南头街道": ("Subdistrict", "小南头街道"),
            "西谷庄村": ("Village", "西谷庄村"),
            "雨泽农业科技有限公司": ("Company", "雨泽农业科技有限公司"),
        },
    )
    event = by_name(events.extract(docs, ents))["1180亩智慧玉米示范种植项目"]
    assert event.location == "Village/西谷庄村"
    assert event.organizers == ("Company/雨泽农业科技有限公司",)


def test_a_count_after_the_name_tallies_events_and_names_none(page_with_names):
    body = "10月中旬，平城区开源街道东花园社区开展健康义诊服务活动。社区今年已组织义诊活动6场，服务居民800余人次。"
    docs, ents = page_with_names(
        PAGE.format(headline="开源街道组织居民健康义诊", body=body),
        {"平城区": ("AdminArea", "平城区"), "开源街道": ("Subdistrict", "开源街道"), "东花园社区": ("Community", "东花园社区")},
    )
    assert [e.name for e in events.extract(docs, ents)] == ["健康义诊服务活动"]


def test_work_deployed_after_a_meeting_in_its_sentence_is_the_meetings_agenda(page_with_names):
    body = "10月28日，平城区召开冬季供暖保障工作推进会，安排部署今冬明春供暖保障工作。"
    docs, ents = page_with_names(PAGE.format(headline="平城区部署冬季供暖保障工作", body=body), PINGCHENG)
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type, event.organizers) == ("冬季供暖保障工作推进会", "Meeting", ("AdminArea/平城区",))


def test_a_duration_before_a_bare_head_refers_back_to_the_event_named_before(page_with_names):
    body = "由平城区妇联主办的家政服务技能培训班在平城区就业服务中心开班，50名城乡妇女参加为期10天的培训。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区举办家政服务技能培训班", body=body),
        {"平城区妇联": ("Agency", "平城区妇联"), "平城区就业服务中心": ("Agency", "平城区就业服务中心")},
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type) == ("家政服务技能培训班", "Training")
    assert event.organizers == ("Agency/平城区妇联",) and event.location == "Agency/平城区就业服务中心"


def test_a_recurring_event_the_headline_names_is_reported_but_routine_work_is_not(page_with_names):
    body = (
        "今年5月起，平城区新华街道每周六在辖区魏都大道东侧举办“周末集市”便民活动。"
        "街道每日开展环境卫生巡查，定期召开“商户议事会”。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="新华街道“周末集市”开市", body=body),
        {"平城区": ("AdminArea", "平城区"), "新华街道": ("Subdistrict", "新华街道"), "魏都大道": ("Place", "魏都大道")},
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type, event.location) == ("“周末集市”便民活动", "Service", "Place/魏都大道")
    assert event.organizers == ("Subdistrict/新华街道",)


def test_an_area_in_a_purpose_clause_does_not_organize_the_event(page_with_names):
    body = "为庆祝中华人民共和国成立75周年，9月26日，平城区鹿苑街道在鹿苑广场举办“礼赞新中国 奋进新时代”文艺汇演。"
    docs, ents = page_with_names(
        PAGE.format(headline="鹿苑街道举办文艺汇演", body=body),
        {
            "中华人民共和国": ("AdminArea", "中国"),
            **PINGCHENG,
            "鹿苑街道": ("Subdistrict", "鹿苑街道"),
            "鹿苑广场": ("Place", "鹿苑广场"),
        },
    )
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type) == ("“礼赞新中国 奋进新时代”文艺汇演", "Performance")
    assert event.organizers == ("Subdistrict/鹿苑街道",) and event.location == "Place/鹿苑广场"
    assert (event.date_start, event.date_end) == ("2024-09-26", "2024-09-26")


def test_units_that_attend_a_meeting_in_the_next_sentence_are_its_participants(page_with_names):
    body = (
        "2月27日，平城区召开2024年度安全生产工作会议，总结去年安全生产工作。"
        "区应急局、区住建局、区市场监管局及各街道主要负责人参加会议。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="平城区召开2024年度安全生产工作会议", body=body),
        {**PINGCHENG, "区应急局": ("Agency", "平城区应急局"), "区住建局": ("Agency", "平城区住建局"), "区市场监管局": ("Agency", "平城区市场监管局")},
    )
    (event,) = events.extract(docs, ents)
    assert event.organizers == ("AdminArea/平城区",)
    assert event.participants == ("Agency/平城区住建局", "Agency/平城区市场监管局", "Agency/平城区应急局")
    assert (event.date_text, event.date_start) == ("2月27日", "2024-02-27")


def test_sponsors_undertaker_and_the_schools_teams_came_from(page_with_names):
    body = (
        "7月17日—7月19日，由平城区人力资源和社会保障局主办、大同市创业孵化基地承办的2024年“创业平城”大学生创新创业大赛"
        "在平城区青年创业园举行。来自山西大同大学、大同职业技术学院的42支团队同台竞技。"
    )
    names = {
        **PINGCHENG,
        "平城区人力资源和社会保障局": ("Agency", "平城区人力资源和社会保障局"),
        "大同市创业孵化基地": ("Organization", "大同市创业孵化基地"),
        "平城区青年创业园": ("Place", "平城区青年创业园"),
        "山西大同大学": ("Organization", "山西大同大学"),
        "大同职业技术学院": ("Organization", "大同职业技术学院"),
    }
    docs, ents = page_with_names(PAGE.format(headline="平城区举办大学生创新创业大赛", body=body), names)
    (event,) = events.extract(docs, ents)
    assert (event.name, event.type) == ("2024年“创业平城”大学生创新创业大赛", "Contest")
    assert event.organizers == ("Agency/平城区人力资源和社会保障局",)
    assert event.undertakers == ("Organization/大同市创业孵化基地",)
    assert event.participants == ("Organization/大同职业技术学院", "Organization/山西大同大学")
    assert event.location == "Place/平城区青年创业园"
    assert (event.date_start, event.date_end) == ("2024-07-17", "2024-07-19")


def test_a_district_that_only_places_the_sponsor_is_not_a_sponsor_and_invited_units_take_part(page_with_names):
    body = (
        "3月12日，由平城区振华街道主办、平城区消防救援大队承办的消防安全知识讲座在振华南街社区举行，"
        "讲座还邀请人大代表及大同市第三人民医院医生代表到场。"
    )
    names = {
        **PINGCHENG,
        "振华街道": ("Subdistrict", "振华街道"),
        "平城区消防救援大队": ("Agency", "平城区消防救援大队"),
        "振华南街社区": ("Community", "振华南街社区"),
        "大同市第三人民医院": ("Organization", "大同市第三人民医院"),
    }
    docs, ents = page_with_names(PAGE.format(headline="振华街道举办消防安全知识讲座", body=body), names)
    (event,) = events.extract(docs, ents)
    assert event.organizers == ("Subdistrict/振华街道",) and event.undertakers == ("Agency/平城区消防救援大队",)
    assert event.participants == ("Organization/大同市第三人民医院",)
    assert event.location == "Community/振华南街社区"


def test_units_whose_people_took_part_and_the_most_specific_place_of_a_chain(page_with_names):
    body = (
        "4月18日，平城区古城街道在振华街道魏都新苑社区举办以“传承非遗文化 共建和美社区”为主题的非遗展示活动，"
        "大同市非物质文化遗产保护中心、大同铜器研究会等单位的20余名非遗传承人现场展示技艺。"
    )
    names = {
        **PINGCHENG,
        "古城街道": ("Subdistrict", "古城街道"),
        "振华街道": ("Subdistrict", "振华街道"),
        "魏都新苑社区": ("Community", "魏都新苑社区"),
        "大同市非物质文化遗产保护中心": ("Agency", "大同市非物质文化遗产保护中心"),
        "大同铜器研究会": ("Organization", "大同铜器研究会"),
    }
    docs, ents = page_with_names(PAGE.format(headline="古城街道举办非遗展示活动", body=body), names)
    (event,) = events.extract(docs, ents)
    assert event.organizers == ("Subdistrict/古城街道",)
    assert event.location == "Community/魏都新苑社区"
    assert event.participants == ("Agency/大同市非物质文化遗产保护中心", "Organization/大同铜器研究会")


def _first_matching_groups(found: list[events.Report]) -> list[list[events.Report]]:
    """The grouping rule stated plainly: a report joins the first group with a report naming one
    of its organizers, or with a report naming none; a report naming none joins the first group."""
    groups: list[list[events.Report]] = []
    for f in found:
        at = next((g for g in groups if not f.organizers
                   or any(not r.organizers or set(r.organizers) & set(f.organizers) for r in g)), None)
        if at is None:
            groups.append(at := [])
        at.append(f)
    return groups


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["Agency/甲", "Agency/乙", "Agency/丙", "Agency/丁"]), max_size=3), max_size=12))
def test_reports_of_one_name_group_as_the_rule_states(organizers: list[list[str]]) -> None:
    found = [events.Report("文明周", "Campaign", "", f"a{i}", tuple(o), (), (), None, None) for i, o in enumerate(organizers)]
    assert events._occurrences(found) == _first_matching_groups(found)


def test_an_edition_or_year_and_a_head_name_an_event_without_a_trigger(page_with_names):
    body = (
        "近日，第三届乡村丰收节在平城区开幕。"
        "该村曾承办2019年山西省越野跑公开赛、2020年全国越野跑冠军赛等赛事。"
        "围绕第九届省运会主题开展宣传，共有2000余名师生参加。"
    )
    docs, ents = page_with_names(PAGE.format(headline="丰收节开幕", body=body), PINGCHENG)
    names = set(by_name(events.extract(docs, ents)))
    assert {"第三届乡村丰收节", "2019年山西省越野跑公开赛", "2020年全国越野跑冠军赛"} <= names
    assert not any("省运会" in n or "2000" in n for n in names)


def test_a_meeting_that_opens_a_clause_and_the_items_of_a_programme_list(page_with_names):
    body = (
        "全区环境整治动员会后，各街道成立了工作专班。"
        "活动包括：青年组演讲比赛；少年组书法比赛；"
        "幼儿组绘画大赛和亲子手工大赛。"
    )
    docs, ents = page_with_names(PAGE.format(headline="活动丰富", body=body), PINGCHENG)
    names = set(by_name(events.extract(docs, ents)))
    assert {"全区环境整治动员会", "青年组演讲比赛", "少年组书法比赛", "幼儿组绘画大赛", "亲子手工大赛"} <= names


def test_a_verb_in_a_list_of_duties_opens_no_event(page_with_names):
    body = "约有60名家长参与组织、指导、评选以及宣传工作。"
    docs, ents = page_with_names(PAGE.format(headline="教师参与", body=body), PINGCHENG)
    assert not events.extract(docs, ents)


def test_an_opening_of_a_named_venue_and_a_list_of_verb_phrases(page_with_names):
    body = (
        "昨日是平城区美术馆开馆首日，市民纷纷前来参观。"
        "举办检察开放日活动、开展巡河会诊……平城区检察院持续开展宣传。"
        "选手全部晋级第九届省运会自行车决赛。"
    )
    names = {"平城区美术馆": ("Agency", "平城区美术馆"), "平城区检察院": ("Agency", "平城区检察院"), **PINGCHENG}
    docs, ents = page_with_names(PAGE.format(headline="美术馆开馆", body=body), names)
    got = set(by_name(events.extract(docs, ents)))
    assert {"平城区美术馆开馆", "检察开放日活动", "巡河会诊"} <= got
    assert not any("决赛" in n for n in got)


def test_a_quoted_title_followed_by_a_predicate_or_a_list_and_more_meeting_heads(page_with_names):
    body = (
        "此次“邻里服务大集”包含儿童集市、手工制作、文艺表演等志愿服务。"
        "1月26日，平城区城市管理局召开2025年度科长述职会。"
    )
    docs, ents = page_with_names(PAGE.format(headline="大集", body=body), PINGCHENG)
    got = set(by_name(events.extract(docs, ents)))
    assert {"邻里服务大集", "2025年度科长述职会"} <= got
    assert not any("包含" in n for n in got)


def test_an_edition_and_a_quoted_festival_name_the_event(page_with_names):
    body = "5月20日，平城区第五届“社区邻里节”在文化广场拉开序幕。"
    docs, ents = page_with_names(PAGE.format(headline="邻里节开幕", body=body), PINGCHENG)
    assert "第五届“社区邻里节”" in set(by_name(events.extract(docs, ents)))


def test_a_quoted_thing_taken_by_a_verb_and_one_event_under_two_names(page_with_names):
    body = (
        "“端午暖心包”发放现场社区广场上像庙会一样热闹。"
        "“追风吧·青春”2023年大同市公路自行车锦标赛暨大同市第九届运动会公路自行车选拔赛于18日收官。"
    )
    docs, ents = page_with_names(PAGE.format(headline="大礼包", body=body), PINGCHENG)
    got = set(by_name(events.extract(docs, ents)))
    assert "“端午暖心包”发放" in got
    assert "“追风吧·青春”2023年大同市公路自行车锦标赛暨大同市第九届运动会公路自行车选拔赛" in got
    assert not any("庙会" in n or n.startswith("第九届") for n in got)


def test_a_week_or_month_of_events_and_the_same_event_with_or_without_its_activity_word(page_with_names):
    body = "8月3日，2022平城古城民俗文化活动月开启。各法院开展了第三届新时代法治宣传周活动，第三届新时代法治宣传周吸引了市民。"
    docs, ents = page_with_names(PAGE.format(headline="活动月", body=body), PINGCHENG)
    got = set(by_name(events.extract(docs, ents)))
    assert "2022平城古城民俗文化活动月" in got
    assert len([n for n in got if "法治宣传周" in n]) == 1


def test_the_items_before_a_generic_tail_are_events_and_a_cited_document_or_manner_word_is_none(page_with_names):
    body = (
        "2月1日，平城区举办青年书法作品展、民俗摄影作品展等活动。"
        "社区按照《关于开展冬季关爱志愿服务行动的通知》，组织人员进行“地毯式”清理整治。"
    )
    docs, ents = page_with_names(PAGE.format(headline="新春活动多", body=body), PINGCHENG)
    names = {e.name for e in events.extract(docs, ents)}
    assert {"青年书法作品展", "民俗摄影作品展"} <= names
    assert not any("关爱志愿服务行动" in n or "地毯式" in n for n in names)
    # a list of short works before 等活动 is still no event of its own
    docs, ents = page_with_names(PAGE.format(headline="社区活动", body="社区开展志愿服务、环境整治等活动。"), PINGCHENG)
    assert events.extract(docs, ents) == ()


def test_a_named_service_a_reading_by_title_and_praise_before_a_name_but_no_modifier_head(page_with_names):
    body = (
        "1月7日，服务队开展新年度“文明实践”微笑志愿服务。该校举行“推广普通话，喜迎二十大”师生经典诵读会。"
        "连日来，各学校开展丰富多彩的推普周活动。社区在路口开展文明交通志愿服务劝导。"
        "各学校开展了形式多样的阅读活动。来自“文明桑林”志愿服务队的志愿者到场。社区开展志愿服务。"
    )
    docs, ents = page_with_names(PAGE.format(headline="活动", body=body), PINGCHENG)
    names = {e.name for e in events.extract(docs, ents)}
    assert {"“文明实践”微笑志愿服务", "“推广普通话，喜迎二十大”师生经典诵读会", "推普周活动"} <= names
    assert not any("劝导" in n or n in ("文明交通志愿服务", "阅读活动", "志愿服务") or "志愿服务队" in n or n.startswith("“文明桑林”") for n in names)


def test_quoted_titles_side_by_side_share_the_head_after_them(page_with_names):
    body = "该校开展了“年级共读，让阅读有迹可循”“亲子共读，让爱润泽家庭”读书活动。社区开展“文明大讲堂”“邻里议事会”等活动。"
    docs, ents = page_with_names(PAGE.format(headline="读书", body=body), PINGCHENG)
    names = {e.name for e in events.extract(docs, ents)}
    assert {"“年级共读，让阅读有迹可循”读书活动", "“亲子共读，让爱润泽家庭”读书活动", "文明大讲堂", "邻里议事会"} <= names


def _clause_end_by_characters(text: str, start: int) -> int:
    """What events._clause_end computes, one character at a time (its code before the fast path)."""
    at, depth = start, 0
    while at < len(text):
        ch = text[at]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch in events._STOP and depth == 0:
            break
        at += 1
    return at


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "，", "。", "…", " ", "\n", "、", "活动", "x"]), max_size=12).map("".join),
       st.integers(0, 14))
def test_clause_end_finds_the_stop_character_outside_quotes(text: str, start: int) -> None:
    assert events._clause_end(text, start) == _clause_end_by_characters(text, start)


def test_lookbehinds_are_taken_only_from_the_start_of_top_level_alternatives() -> None:
    strip = events._without_leading_lookbehinds
    assert strip(r"(?<!a)b|c") == "b|c"
    assert strip(r"x(?<!a)|(?<=[()|])y") == r"x(?<!a)|y"
    assert strip(r"(a|b)(?<!c)|[|(]z|(?<![0-9.])(?:19|20)") == r"(a|b)(?<!c)|[|(]z|(?:19|20)"
    assert strip(r"[\](|]x|[]|(]y|[^]|(]z|(?<!a)w") == r"[\](|]x|[]|(]y|[^]|(]z|w"  # | and ( inside classes


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["第", "5", "五", "届", "期", "19", "20", "2023", "年", "度", "月", ".", "“", "活动", "x"]),
                max_size=10).map("".join))
def test_a_sentence_without_the_edition_cue_has_no_edition(text: str) -> None:
    lex = events.lexicon()
    if lex.edition_re.search(text):
        assert lex.edition_cue.search(text)
