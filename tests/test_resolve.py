"""Resolution: one entity per real-world thing, under its canonical name, with every alias."""

from __future__ import annotations

import random

from kg.entities import recognize
from kg.model import Article, Mention, Passage, Segment
from kg.resolve import resolve


def mention(type_: str, name: str, surface: str | None = None, article: str = "a1", start: int = 0) -> Mention:
    surface = surface or name
    return Mention(type_, surface, name, article, "p.txt", start, start + len(surface), surface, "test")


def article(text: str, id_: str, reporters: tuple[str, ...] = ()) -> Article:
    return Article(
        id_, "p.txt", "p1", 0, None, None, None, reporters, (), (), (),
        (Segment("body", 0, len(text), text, 0),), (Passage("body", text, ((0, 0),)),),
    )


def by_name(entities) -> dict[str, tuple[str, ...]]:
    return {e.name: e.aliases for e in entities}


def test_short_agency_name_resolves_to_the_long_form_the_corpus_prints():
    found = [
        *recognize(article("为彻底治理顽疾，武定街道联合区城市管理局启动专项整治行动。", "a1")),
        *recognize(article("区城管局包保责任区为古城街道、永泰街道。", "a2")),
    ]
    agencies = [e for e in resolve(found) if e.type == "Agency"]
    assert [e.name for e in agencies] == ["平城区城市管理局"]
    assert {"区城管局", "区城市管理局", "平城区城管局"} <= set(agencies[0].aliases)


def test_short_form_stays_when_no_long_form_is_printed():
    found = recognize(article("平城区文旅局自今年6月以来开展了上百场活动。", "a1"))
    assert "平城区文旅局" in by_name(resolve(found))


def test_review_agency_short_and_long_names_are_one_body():
    found = [mention("Agency", "平城区行政审批局"), mention("Agency", "平城区行政审批服务管理局", article="a2")]
    assert by_name(resolve(found)) == {"平城区行政审批服务管理局": ("平城区行政审批局",)}


def test_look_alike_subdistrict_slip_joins_the_gazetteer_name():
    found = [
        *recognize(article("区城管局包保责任区为古城街道、水泰街道、武定街道。", "a1")),
        *recognize(article("近日，平城区永泰街道开展安全生产专项整治行动。", "a2")),
    ]
    subs = {e.name: e for e in resolve(found) if e.type == "Subdistrict"}
    assert "水泰街道" not in subs
    assert "水泰街道" in subs["永泰街道"].aliases
    assert {m.article for m in subs["永泰街道"].mentions} == {"a1", "a2"}


def test_look_alike_person_name_joins_the_more_frequent_form():
    found = [mention("Person", "邸东芳", article=f"a{i}") for i in range(3)] + [mention("Person", "邱东芳", article="a9")]
    (person,) = resolve(found)
    assert person.name == "邸东芳" and person.aliases == ("邱东芳",)
    assert all(m.name == "邸东芳" for m in person.mentions)
    assert {m.surface for m in person.mentions} == {"邸东芳", "邱东芳"}


def test_people_who_differ_by_other_characters_stay_apart():
    found = [mention("Person", "张鑫"), mention("Person", "孙鑫")]
    assert set(by_name(resolve(found))) == {"张鑫", "孙鑫"}


def test_doubled_characters_collapse_to_a_known_name():
    found = [mention("Village", "西谷庄村"), mention("Village", "西谷庄西谷庄村", article="a2")]
    assert by_name(resolve(found)) == {"西谷庄村": ("西谷庄西谷庄村",)}


def test_a_name_with_a_real_doubled_character_is_kept():
    assert set(by_name(resolve([mention("Village", "东河河村")]))) == {"东河河村"}


def test_numbered_school_forms_are_one_school_and_its_branch_another():
    found = [
        mention("Organization", "平城区第14小学校"),
        mention("Organization", "平城区十四校", article="a2"),
        mention("Organization", "平城区第14小学集团校", article="a3"),
        mention("Organization", "平城区14校知行分校", article="a4"),
        mention("Organization", "平城区45校", article="a5"),
    ]
    names = by_name(resolve(found))
    assert set(names) == {"平城区第14小学校", "平城区14校知行分校", "平城区45校"}
    assert set(names["平城区第14小学校"]) == {"平城区十四校", "平城区第14小学集团校"}


def test_resolution_does_not_depend_on_input_order():
    found = [
        *recognize(article("由平城区委统战部、区工商联主办，中国人寿大同分公司承办。", "a1", ("邸东芳",))),
        *recognize(article("区水务局包保责任区为白登山街道、文瀾湖街道。", "a2", ("邱东芳",))),
    ]
    shuffled = list(found)
    random.Random(7).shuffle(shuffled)
    assert resolve(found) == resolve(shuffled)
