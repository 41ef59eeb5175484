"""Relation patterns on short real sentences from the paper, with the entities given."""

from __future__ import annotations

from kg import relations

PAGE = "## {headline}\n\n本报讯（记者 尚丽）{body}\n"

PINGCHENG = {"平城区": ("AdminArea", "平城区")}


def triples(rels) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in rels}


def test_apposition_chain_places_village_in_subdistrict_in_district(page_with_names):
    body = "近年来，平城区小南头街道西谷庄村加快传统农耕向智慧农业迭代升级。"
    docs, ents = page_with_names(
        PAGE.format(headline="西谷庄村激活智慧农业助力乡村振兴", body=body),
        {**PINGCHENG, "小南头街道": ("Subdistrict", "小南头街道"), "西谷庄村": ("Village", "西谷庄村")},
    )
    found = relations.extract(docs, ents)
    assert triples(found) >= {
        ("Village/西谷庄村", "partOf", "Subdistrict/小南头街道"),
        ("Subdistrict/小南头街道", "partOf", "AdminArea/平城区"),
    }
    assert ("Village/西谷庄村", "partOf", "AdminArea/平城区") not in triples(found)
    assert all(r.evidence.startswith("近年来，平城区小南头街道西谷庄村") and r.article for r in found)


def test_apposition_starts_a_list_of_places_in_the_subdistrict(page_with_names):
    body = "卧虎湾街道旧桥西小区东门、陈庄村口、桥北小区、尚都小区门口及其周边，人员流动性大。"
    docs, ents = page_with_names(
        PAGE.format(headline="卧虎湾街道 全力推进环境整治服务提升", body=body),
        {
            "卧虎湾街道": ("Subdistrict", "卧虎湾街道"),
            "旧桥西小区": ("Place", "旧桥西小区"),
            "陈庄村": ("Village", "陈庄村"),
            "桥北小区": ("Place", "桥北小区"),
            "尚都小区": ("Place", "尚都小区"),
        },
    )
    found = triples(relations.extract(docs, ents))
    for child in ("Place/旧桥西小区", "Village/陈庄村", "Place/桥北小区", "Place/尚都小区"):
        assert (child, "partOf", "Subdistrict/卧虎湾街道") in found


def test_container_cue_points_back_to_the_articles_subdistrict(page_with_names):
    body = "连日来，平城区武定街道开展整治行动。此前，该街道辖区观城壹号小区外围流动摊贩扎堆聚集问题突出。"
    docs, ents = page_with_names(
        PAGE.format(headline="集中整治占道经营乱象", body=body),
        {**PINGCHENG, "武定街道": ("Subdistrict", "武定街道"), "观城壹号小区": ("Place", "观城壹号小区")},
    )
    rel = next(r for r in relations.extract(docs, ents) if r.subject == "Place/观城壹号小区")
    assert (rel.predicate, rel.object) == ("partOf", "Subdistrict/武定街道")
    assert "该街道辖区观城壹号小区" in rel.evidence


def test_community_manages_a_residential_compound(page_with_names):
    body = "民和社区管辖魏都新城A、B两个居民小区,共83栋居民楼。"
    docs, ents = page_with_names(
        PAGE.format(headline="党建引领促发展 服务先行惠民生", body=body),
        {"民和社区": ("Community", "民和社区"), "魏都新城": ("Place", "魏都新城")},
    )
    assert ("Place/魏都新城", "partOf", "Community/民和社区") in triples(relations.extract(docs, ents))


def test_communities_of_an_article_about_one_subdistrict_belong_to_it(page_with_names):
    body = (
        "近日，平城区清远街道在辖区开展交通安全宣传与秩序劝导行动。"
        "各社区同步开展特色专项行动。大齿社区联合交警部门开展警社联动宣传。惠达社区组织工作人员在重点路口开展劝导。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="开展交通安全专项行动", body=body),
        {
            **PINGCHENG,
            "清远街道": ("Subdistrict", "清远街道"),
            "大齿社区": ("Community", "大齿社区"),
            "惠达社区": ("Community", "惠达社区"),
        },
    )
    found = triples(relations.extract(docs, ents))
    assert ("Community/大齿社区", "partOf", "Subdistrict/清远街道") in found
    assert ("Community/惠达社区", "partOf", "Subdistrict/清远街道") in found


def test_communities_stay_unplaced_when_an_article_names_several_subdistricts(page_with_names):
    body = "北关街道普查员走访辖区。新建北路街道各社区居委会开展入户摸底。惠达社区组织工作人员宣传。"
    docs, ents = page_with_names(
        PAGE.format(headline="全力做好人口普查工作", body=body),
        {
            "北关街道": ("Subdistrict", "北关街道"),
            "新建北路街道": ("Subdistrict", "新建北路街道"),
            "惠达社区": ("Community", "惠达社区"),
        },
    )
    assert not [r for r in relations.extract(docs, ents) if r.subject == "Community/惠达社区"]


def test_district_and_subdistrict_in_one_clause(page_with_names):
    body = "近日，平城区以水泊寺街道为试点正式启动智慧社区建设工作。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区开展智慧社区试点建设", body=body),
        {**PINGCHENG, "水泊寺街道": ("Subdistrict", "水泊寺街道")},
    )
    assert ("Subdistrict/水泊寺街道", "partOf", "AdminArea/平城区") in triples(relations.extract(docs, ents))


def test_district_all_subdistricts_cue_places_the_subdistricts_named_after_it(page_with_names):
    body = "连日来，平城区各街道、社区整合多方资源，全面开展普查工作。北关街道普查员通过前期实地考察标绘建筑物。"
    docs, ents = page_with_names(
        PAGE.format(headline="全力做好人口普查工作", body=body),
        {**PINGCHENG, "北关街道": ("Subdistrict", "北关街道")},
    )
    rel = next(r for r in relations.extract(docs, ents) if r.subject == "Subdistrict/北关街道")
    assert rel.object == "AdminArea/平城区" and "平城区各街道" in rel.evidence


def test_baobao_assignment_makes_the_agency_responsible_for_each_subdistrict(page_with_names):
    body = "区水务局包保责任区为白登山街道、大庆路街道、开源街道、御河街道。包保责任单位要督导责任区防汛责任。"
    subs = ("白登山街道", "大庆路街道", "开源街道", "御河街道")
    docs, ents = page_with_names(
        PAGE.format(headline="平城区全力筑牢防汛安全线", body=body),
        {"区水务局": ("Agency", "平城区水务局"), **{s: ("Subdistrict", s) for s in subs}},
    )
    found = [r for r in relations.extract(docs, ents) if r.predicate == "responsibleFor"]
    assert {r.object for r in found} == {f"Subdistrict/{s}" for s in subs}
    assert {r.subject for r in found} == {"Agency/平城区水务局"}


def test_role_as_printed_between_organization_and_person(page_with_names):
    body = "获奖的是平城区第47小学校少先队员柴沛明、平城区14校知行分校少先队员胡富冠。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区5名少先队员为家乡代言获佳绩", body=body),
        {
            "平城区第47小学校": ("Organization", "平城区第47小学校"),
            "平城区14校知行分校": ("Organization", "平城区14校知行分校"),
            "柴沛明": ("Person", "柴沛明"),
            "胡富冠": ("Person", "胡富冠"),
        },
    )
    members = {(r.subject, r.object, r.role) for r in relations.extract(docs, ents) if r.predicate == "memberOf"}
    assert members == {
        ("Person/柴沛明", "Organization/平城区第47小学校", "少先队员"),
        ("Person/胡富冠", "Organization/平城区14校知行分校", "少先队员"),
    }


def test_compound_role_and_a_villager(page_with_names):
    body = "颁奖词给予平城区开源街民和社区党支部书记兼主任沈媛。平城区马军营街道西水磨村村民武成早早来到大棚。"
    docs, ents = page_with_names(
        PAGE.format(headline="党建引领促发展", body=body),
        {
            **PINGCHENG,
            "开源街": ("Subdistrict", "开源街道"),
            "民和社区": ("Community", "民和社区"),
            "沈媛": ("Person", "沈媛"),
            "马军营街道": ("Subdistrict", "马军营街道"),
            "西水磨村": ("Village", "西水磨村"),
            "武成": ("Person", "武成"),
        },
    )
    found = relations.extract(docs, ents)
    roles = {(r.subject, r.role) for r in found if r.predicate == "memberOf"}
    assert roles == {("Person/沈媛", "党支部书记兼主任"), ("Person/武成", "村民")}
    assert ("Community/民和社区", "partOf", "Subdistrict/开源街道") in triples(found)


def test_branch_school_and_police_sub_unit_are_part_of_their_parent(page_with_names):
    body = (
        "日前，市公安局平城分局反诈中心走进校园。平城区14校知行分校打造读书节。"
        "平城区第14小学校少先队员张轩获奖。市公安局平城分局民警讲解案例。"
    )
    docs, ents = page_with_names(
        PAGE.format(headline="反诈宣传进校园", body=body),
        {
            "市公安局平城分局反诈中心": ("Agency", "大同市公安局平城分局反诈中心"),
            "市公安局平城分局": ("Agency", "大同市公安局平城分局"),
            "平城区14校知行分校": ("Organization", "平城区14校知行分校"),
            "平城区第14小学校": ("Organization", "平城区第14小学校"),
        },
    )
    found = triples(relations.extract(docs, ents))
    assert ("Agency/大同市公安局平城分局反诈中心", "partOf", "Agency/大同市公安局平城分局") in found
    assert ("Organization/平城区14校知行分校", "partOf", "Organization/平城区第14小学校") in found


def test_facility_built_by_a_community_is_located_in_it(page_with_names):
    body = "文源社区盘活闲置用房建成幸福托管中心，引入专业机构规范运营。"
    docs, ents = page_with_names(
        PAGE.format(headline="合伙人共治绘就社区满园春", body=body),
        {"文源社区": ("Community", "文源社区"), "幸福托管中心": ("Organization", "幸福托管中心")},
    )
    assert ("Organization/幸福托管中心", "locatedIn", "Community/文源社区") in triples(relations.extract(docs, ents))


def test_gazetteer_places_two_areas_one_article_names(page_with_names):
    body = "经过激烈比拼，我市10名选手脱颖而出，其中，平城区5名选手获得优秀奖。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区5名少先队员为家乡代言获佳绩", body=body),
        {**PINGCHENG, "我市": ("AdminArea", "大同市")},
    )
    rel = next(r for r in relations.extract(docs, ents) if r.subject == "AdminArea/平城区")
    assert rel.object == "AdminArea/大同市" and "我市" in rel.evidence


def test_no_relation_without_a_stated_link(page_with_names):
    body = "平城区企业服务保障中心进一步加大政策宣传力度。清远街道开展宣传。"
    docs, ents = page_with_names(
        PAGE.format(headline="平城区举办研讨会", body=body),
        {"平城区企业服务保障中心": ("Agency", "平城区企业服务保障中心"), "清远街道": ("Subdistrict", "清远街道")},
    )
    assert relations.extract(docs, ents) == ()


def test_relations_are_sorted_and_unique_whatever_the_entity_order(page_with_names):
    body = "区应急局包保责任区为鹿苑街道、迎宾街道。区应急局包保责任区为鹿苑街道。"
    docs, ents = page_with_names(
        PAGE.format(headline="防汛", body=body),
        {"区应急局": ("Agency", "平城区应急局"), "鹿苑街道": ("Subdistrict", "鹿苑街道"), "迎宾街道": ("Subdistrict", "迎宾街道")},
    )
    forward = relations.extract(docs, ents)
    assert forward == relations.extract(docs, tuple(reversed(ents)))
    assert len(forward) == 2 and list(forward) == sorted(forward, key=lambda r: (r.subject, r.predicate, r.object))


def test_reversed_baobao_assignment(page_with_names):
    body = "白登山街道、开源街道由区水务局包保，做好防汛工作。"
    docs, ents = page_with_names(
        PAGE.format(headline="防汛", body=body),
        {"区水务局": ("Agency", "平城区水务局"), "白登山街道": ("Subdistrict", "白登山街道"), "开源街道": ("Subdistrict", "开源街道")},
    )
    found = triples(relations.extract(docs, ents))
    assert found == {
        ("Agency/平城区水务局", "responsibleFor", "Subdistrict/白登山街道"),
        ("Agency/平城区水务局", "responsibleFor", "Subdistrict/开源街道"),
    }


def test_appointment_and_a_double_role(page_with_names):
    body = "王强担任五里店村党支部书记，翠湖社区党委书记、居委会主任李红介绍了情况。"
    docs, ents = page_with_names(
        PAGE.format(headline="乡村振兴", body=body),
        {
            "王强": ("Person", "王强"),
            "五里店村": ("Village", "五里店村"),
            "翠湖社区": ("Community", "翠湖社区"),
            "李红": ("Person", "李红"),
        },
    )
    roles = {(r.subject, r.object, r.role) for r in relations.extract(docs, ents) if r.predicate == "memberOf"}
    assert roles == {
        ("Person/王强", "Village/五里店村", "党支部书记"),
        ("Person/李红", "Community/翠湖社区", "党委书记、居委会主任"),
    }


def test_location_stated_with_weiyu(page_with_names):
    body = "观城壹号小区位于武定街道，雨泽农业科技有限公司位于西谷庄村。"
    docs, ents = page_with_names(
        PAGE.format(headline="乡村振兴", body=body),
        {
            "观城壹号小区": ("Place", "观城壹号小区"),
            "武定街道": ("Subdistrict", "武定街道"),
            "雨泽农业科技有限公司": ("Company", "雨泽农业科技有限公司"),
            "西谷庄村": ("Village", "西谷庄村"),
        },
    )
    found = triples(relations.extract(docs, ents))
    assert ("Place/观城壹号小区", "partOf", "Subdistrict/武定街道") in found
    assert ("Company/雨泽农业科技有限公司", "locatedIn", "Village/西谷庄村") in found
    # the article is not about 武定街道 (not named up front), and a village is never placed by topic alone
    assert ("Village/西谷庄村", "partOf", "Subdistrict/武定街道") not in found


def test_list_goes_on_past_an_item_the_recognizer_missed(page_with_names):
    body = "卧虎湾街道旧桥西小区东门、陈庄村口、桥北小区、尚都小区门口及其周边，人员流动性大。"
    docs, ents = page_with_names(
        PAGE.format(headline="卧虎湾街道 全力推进环境整治服务提升", body=body),
        {"卧虎湾街道": ("Subdistrict", "卧虎湾街道"), "旧桥西小区": ("Place", "旧桥西小区"), "尚都小区": ("Place", "尚都小区")},
    )
    assert ("Place/尚都小区", "partOf", "Subdistrict/卧虎湾街道") in triples(relations.extract(docs, ents))


def test_parent_spelled_out_by_a_sub_units_name_and_by_gai_ju(page_with_names, tmp_path):
    from kg.graph import build_graph
    from kg.model import Extraction

    body = "日前，市公安局平城分局反诈中心联合该局出入境管理大队、开源街派出所，走进平城区第14小学集团校开展校区。"
    docs, ents = page_with_names(
        PAGE.format(headline="反诈宣传进校园", body=body),
        {
            "市公安局平城分局反诈中心": ("Agency", "大同市公安局平城分局反诈中心"),
            "出入境管理大队": ("Agency", "出入境管理大队"),
            "开源街派出所": ("Agency", "开源街派出所"),
        },
    )
    found = relations.extract(docs, ents)
    parent = "Agency/大同市公安局平城分局"
    assert {r.subject for r in found if r.object == parent} == {
        "Agency/大同市公安局平城分局反诈中心",
        "Agency/出入境管理大队",
    }
    assert "Agency/开源街派出所" not in {r.subject for r in found}
    # resolution made no entity of the parent: the graph adds it, named and never mentioned
    g = build_graph(docs, Extraction(ents, found))
    assert g.nodes[parent]["label"] == "大同市公安局平城分局" and g.nodes[parent]["mention_count"] == 0
    assert g.has_edge("Agency/出入境管理大队", parent, key="partOf")


def test_a_printed_placement_beats_one_read_from_an_articles_topic(page_with_names):
    page = (
        "## 开展交通安全专项行动\n\n本报讯（记者 尚丽）近日，平城区清远街道开展交通安全宣传。惠达社区组织工作人员劝导。\n\n"
        "## 人口普查\n\n本报讯（记者 邸东芳）北街街道惠达社区工作人员向居民发放宣传资料。北关街道开展普查。\n"
    )
    docs, ents = page_with_names(
        page,
        {
            "清远街道": ("Subdistrict", "清远街道"),
            "北街街道": ("Subdistrict", "北街街道"),
            "北关街道": ("Subdistrict", "北关街道"),
            "惠达社区": ("Community", "惠达社区"),
        },
    )
    placed = {r.object for r in relations.extract(docs, ents) if r.subject == "Community/惠达社区"}
    assert placed == {"Subdistrict/北街街道"}


def test_each_agency_in_one_sentence_is_responsible_only_for_the_subdistricts_after_its_own_cue(page_with_names):
    body = "会议进一步压实包保责任：区住建局包保古城街道、鹿苑街道，区市场监管局负责包保大庆路街道、振华街道和新华街道。"
    names = {
        "区住建局": ("Agency", "平城区住建局"),
        "区市场监管局": ("Agency", "平城区市场监管局"),
        **{n: ("Subdistrict", n) for n in ("古城街道", "鹿苑街道", "大庆路街道", "振华街道", "新华街道")},
    }
    docs, ents = page_with_names(PAGE.format(headline="平城区召开安全生产工作会议", body=body), names)
    found = {t for t in triples(relations.extract(docs, ents)) if t[1] == "responsibleFor"}
    assert found == {
        ("Agency/平城区住建局", "responsibleFor", "Subdistrict/古城街道"),
        ("Agency/平城区住建局", "responsibleFor", "Subdistrict/鹿苑街道"),
        ("Agency/平城区市场监管局", "responsibleFor", "Subdistrict/大庆路街道"),
        ("Agency/平城区市场监管局", "responsibleFor", "Subdistrict/振华街道"),
        ("Agency/平城区市场监管局", "responsibleFor", "Subdistrict/新华街道"),
    }


def test_a_role_in_a_communitys_party_branch_is_a_role_in_the_community(page_with_names):
    body = "近日，志愿者走进华林社区看望独居老人。华林社区党支部书记兼主任郝丽萍表示，社区将建立服务台账。"
    docs, ents = page_with_names(
        PAGE.format(headline="新华街道开展主题活动", body=body),
        {"华林社区党支部": ("Organization", "华林社区党支部"), "华林社区": ("Community", "华林社区"), "郝丽萍": ("Person", "郝丽萍")},
    )
    roles = {(r.subject, r.object, r.role) for r in relations.extract(docs, ents) if r.predicate == "memberOf"}
    assert roles == {("Person/郝丽萍", "Community/华林社区", "党支部书记兼主任")}


def test_the_company_a_founder_belongs_to_is_the_last_company_named(page_with_names):
    body = "山西云岗建筑工程有限公司位于大庆路街道辖区同泰路，公司创始人王志强表示，企业将积极参与社区建设。"
    docs, ents = page_with_names(
        PAGE.format(headline="大庆路街道与企业签约共建", body=body),
        {
            "山西云岗建筑工程有限公司": ("Company", "山西云岗建筑工程有限公司"),
            "大庆路街道": ("Subdistrict", "大庆路街道"),
            "同泰路": ("Place", "同泰路"),
            "王志强": ("Person", "王志强"),
        },
    )
    found = relations.extract(docs, ents)
    assert {(r.subject, r.object, r.role) for r in found if r.predicate == "memberOf"} == {
        ("Person/王志强", "Company/山西云岗建筑工程有限公司", "创始人")
    }
    assert ("Place/同泰路", "partOf", "Subdistrict/大庆路街道") in triples(found)
    assert ("Company/山西云岗建筑工程有限公司", "locatedIn", "Place/同泰路") in triples(found)


def test_an_assignment_whose_unit_went_unrecognized_is_not_given_to_the_unit_before(page_with_names):
    # 二中队 is not in the entity list: its subdistricts are left out, not handed to 一中队
    body = "按照分工，区城管局一中队包联古城街道、新华街道，二中队包联大庆路街道、鹿苑街道。"
    names = {
        "区城管局一中队": ("Agency", "平城区城管局一中队"),
        **{n: ("Subdistrict", n) for n in ("古城街道", "新华街道", "大庆路街道", "鹿苑街道")},
    }
    docs, ents = page_with_names(PAGE.format(headline="平城区开展“三包”责任制集中宣传", body=body), names)
    found = {t for t in triples(relations.extract(docs, ents)) if t[1] == "responsibleFor"}
    assert found == {
        ("Agency/平城区城管局一中队", "responsibleFor", "Subdistrict/古城街道"),
        ("Agency/平城区城管局一中队", "responsibleFor", "Subdistrict/新华街道"),
    }


def test_a_squad_is_part_of_the_bureau_printed_in_short_elsewhere(page_with_names):
    body = "5月9日起，平城区城市管理局开展集中宣传月活动。区城管局一中队负责古城街道。"
    names = {
        "平城区城市管理局": ("Agency", "平城区城市管理局"),
        "区城管局一中队": ("Agency", "平城区城管局一中队"),
        "古城街道": ("Subdistrict", "古城街道"),
    }
    docs, ents = page_with_names(PAGE.format(headline="平城区开展集中宣传", body=body), names)
    # the short form 区城管局 is known as the bureau's alias (as resolution records it)
    from dataclasses import replace

    ents = [replace(e, aliases=("区城管局",)) if e.name == "平城区城市管理局" else e for e in ents]
    assert ("Agency/平城区城管局一中队", "partOf", "Agency/平城区城市管理局") in triples(relations.extract(docs, ents))


def test_a_physicians_role_after_a_back_reference_to_the_hospital(page_with_names):
    body = "6月14日，大同市第二人民医院在振华街道开展义诊。医院心内科主任医师孙立新为居民讲解高血压防治知识。"
    names = {"大同市第二人民医院": ("Organization", "大同市第二人民医院"), "振华街道": ("Subdistrict", "振华街道"), "孙立新": ("Person", "孙立新")}
    docs, ents = page_with_names(PAGE.format(headline="大同市第二人民医院专家走进振华街道", body=body), names)
    roles = {(r.subject, r.object, r.role) for r in relations.extract(docs, ents) if r.predicate == "memberOf"}
    assert roles == {("Person/孙立新", "Organization/大同市第二人民医院", "心内科主任医师")}


def test_a_settlement_and_its_register_subdistrict_in_one_sentence_are_linked(page_with_names):
    body = "白登山街道组织志愿者走进马家小村，为村民义诊。"
    docs, ents = page_with_names(
        PAGE.format(headline="志愿服务进乡村", body=body),
        {"白登山街道": ("Subdistrict", "白登山街道"), "马家小村": ("Village", "马家小村")},
    )
    assert ("Village/马家小村", "partOf", "Subdistrict/白登山街道") in triples(relations.extract(docs, ents))


def test_a_settlement_the_register_puts_elsewhere_is_not_linked_to_a_subdistrict_beside_it(page_with_names):
    body = "白登山街道组织志愿者走进西谷庄村，为村民义诊。"  # 西谷庄村 is 小南头街道's
    docs, ents = page_with_names(
        PAGE.format(headline="志愿服务进乡村", body=body),
        {"白登山街道": ("Subdistrict", "白登山街道"), "西谷庄村": ("Village", "西谷庄村")},
    )
    assert not any(r.predicate == "partOf" for r in relations.extract(docs, ents))


def test_the_village_a_body_is_named_after_lies_in_the_township_printed_before_it(page_with_names):
    body = "志愿者为广灵县一斗泉乡榆林村图书馆送去新书。"
    docs, ents = page_with_names(
        PAGE.format(headline="送书下乡", body=body),
        {"广灵县": ("AdminArea", "广灵县"), "一斗泉乡": ("Subdistrict", "一斗泉乡"),
         "榆林村图书馆": ("Agency", "榆林村图书馆")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Village/榆林村", "partOf", "Subdistrict/一斗泉乡") in found
    assert ("Subdistrict/一斗泉乡", "partOf", "AdminArea/广灵县") in found


def test_a_place_named_after_a_place_or_a_county_lies_in_it(page_with_names):
    body = "纯阳宫广场上演晋剧，阳高县全民健身中心举行羽毛球赛，纯阳宫游人如织。"
    docs, ents = page_with_names(
        PAGE.format(headline="节日活动丰富", body=body),
        {"纯阳宫广场": ("Place", "纯阳宫广场"), "纯阳宫": ("Place", "纯阳宫"),
         "阳高县全民健身中心": ("Place", "阳高县全民健身中心"), "阳高县": ("AdminArea", "阳高县")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Place/纯阳宫广场", "partOf", "Place/纯阳宫") in found
    assert ("Place/阳高县全民健身中心", "partOf", "AdminArea/阳高县") in found


def test_a_lane_printed_after_its_street_and_a_place_after_located_in_its_street(page_with_names):
    body = "环卫工人清理了全民街民益巷的杂物，又来到位于师校街的大同府衙。"
    docs, ents = page_with_names(
        PAGE.format(headline="街巷换新颜", body=body),
        {"全民街": ("Place", "全民街"), "民益巷": ("Place", "民益巷"), "师校街": ("Place", "师校街"),
         "大同府衙": ("Place", "大同府衙")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Place/民益巷", "partOf", "Place/全民街") in found
    assert ("Place/大同府衙", "partOf", "Place/师校街") in found


def test_the_area_of_an_article_about_one_community_is_that_community(page_with_names):
    text = (
        "## 迎宾街道：多部门联动整治街巷\n\n本报讯（记者 尚丽）近日，迎宾街道华安社区联合物业公司开展环境整治。"
        "此次行动聚焦辖区周家店北巷环境卫生难题。\n"
    )
    docs, ents = page_with_names(
        text,
        {"迎宾街道": ("Subdistrict", "迎宾街道"), "华安社区": ("Community", "华安社区"),
         "周家店北巷": ("Place", "周家店北巷")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Place/周家店北巷", "partOf", "Community/华安社区") in found
    assert ("Community/华安社区", "partOf", "Subdistrict/迎宾街道") in found


def test_a_station_printed_right_after_its_brigade_belongs_to_it(page_with_names):
    body = "学生们参观平城区消防救援大队天祥街消防救援站，平城区公安分局新旺派出所的民警同行。"
    docs, ents = page_with_names(
        PAGE.format(headline="走进消防站", body=body),
        {"平城区消防救援大队": ("Agency", "平城区消防救援大队"), "天祥街消防救援站": ("Agency", "天祥街消防救援站"),
         "平城区公安分局": ("Agency", "平城区公安分局"), "新旺派出所": ("Agency", "新旺派出所")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Agency/天祥街消防救援站", "partOf", "Agency/平城区消防救援大队") in found
    assert ("Agency/新旺派出所", "partOf", "Agency/平城区公安分局") in found


def test_divisions_printed_together_inside_a_longer_name_are_stated_to_hold_one_another(page_with_names):
    body = "政协第二届大同市平城区委员会第五次会议闭幕，平城区小南头街道西谷庄村党支部书记列席。"
    docs, ents = page_with_names(
        PAGE.format(headline="区政协会议闭幕", body=body),
        {"政协第二届大同市平城区委员会": ("Agency", "平城区政协"), "平城区小南头街道西谷庄村党支部": ("Organization", "西谷庄村党支部")},
    )
    found = {r for r in relations.extract(docs, ents) if r.predicate == "partOf"}
    assert triples(found) == {
        ("AdminArea/平城区", "partOf", "AdminArea/大同市"),
        ("Subdistrict/小南头街道", "partOf", "AdminArea/平城区"),
        ("Village/西谷庄村", "partOf", "Subdistrict/小南头街道"),
    }
    assert {r.evidence for r in found} == {body} and all(r.article for r in found)


def test_divisions_printed_together_that_the_register_does_not_nest_are_not_linked(page_with_names):
    body = "白登山街道西谷庄村的村民前来参观。"  # the register puts 西谷庄村 in 小南头街道
    docs, ents = page_with_names(PAGE.format(headline="参观", body=body), {"白登山街道": ("Subdistrict", "白登山街道")})
    assert not any(r.predicate == "partOf" for r in relations.extract(docs, ents))


def test_a_station_named_alone_belongs_to_the_bureau_the_article_places_its_like_in(page_with_names):
    text = (
        "## 民警救助迷路老人\n\n本报讯（记者 尚丽）8月12日，平城区公安分局新旺派出所接到求助。"
        "当日下午，南关派出所也接到报警。\n"
    )
    docs, ents = page_with_names(
        text,
        {"平城区公安分局": ("Agency", "平城区公安分局"), "新旺派出所": ("Agency", "新旺派出所"),
         "南关派出所": ("Agency", "南关派出所")},
    )
    found = triples(relations.extract(docs, ents))
    assert ("Agency/新旺派出所", "partOf", "Agency/平城区公安分局") in found
    assert ("Agency/南关派出所", "partOf", "Agency/平城区公安分局") in found


def test_a_station_named_alone_is_left_alone_when_the_article_places_none_of_its_kind(page_with_names):
    text = "## 民警救助迷路老人\n\n本报讯（记者 尚丽）平城区公安分局民警赶到现场。南关派出所也接到报警。\n"
    docs, ents = page_with_names(
        text, {"平城区公安分局": ("Agency", "平城区公安分局"), "南关派出所": ("Agency", "南关派出所")},
    )
    assert not any(r.predicate == "partOf" for r in relations.extract(docs, ents))


def test_a_lead_that_opens_with_its_purpose_names_the_subdistrict_in_its_next_sentence(page_with_names):
    body = "为巩固创建成果，营造整洁环境。连日来，东岭街道各社区积极开展清洁活动。青杨社区组织居民清理楼道。"
    names = {"东岭街道": ("Subdistrict", "东岭街道"), "青杨社区": ("Community", "青杨社区")}
    docs, ents = page_with_names(PAGE.format(headline="清洁家园", body=body), names)
    assert ("Community/青杨社区", "partOf", "Subdistrict/东岭街道") in triples(relations.extract(docs, ents))
    # a subdistrict first named deep in the story is still no topic
    body = "为巩固创建成果，营造整洁环境。青杨社区组织居民清理楼道。居民说好。记者随后走访了东岭街道。"
    docs, ents = page_with_names(PAGE.format(headline="清洁家园", body=body), names)
    assert ("Community/青杨社区", "partOf", "Subdistrict/东岭街道") not in triples(relations.extract(docs, ents))


def test_the_reader_makes_sentences_as_their_constructor_does() -> None:
    # kg.sentences._sentence skips the frozen dataclass's __init__; it must make the same object
    from dataclasses import fields

    from kg.sentences import Sentence, Span, _sentence

    spans = (Span(0, 3, "平城区", "AdminArea", "AdminArea/平城区"), Span(3, 7, "新建南路", "Subdistrict", "Subdistrict/新建南路"))
    for given in (spans, ()):
        made, built = _sentence(None, "body", 2, "平城区新建南路街道", given), Sentence(None, "body", 2, "平城区新建南路街道", given)  # type: ignore[arg-type]
        assert made == built and made.types == built.types and vars(made) == vars(built)
        assert [f.name for f in fields(Sentence)] == list(vars(made))
