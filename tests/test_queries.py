"""kg query: the named queries, their answers on the seeds, both engines agreeing, safe parameters.

Two graphs are queried. The gold graph (tests/gold_graph.py: the seed pages with the gold
entities, relations and events) checks each query's logic exactly against answers computed
from seeds/gold/*.json. The seed build checks that the real pipeline answers the questions
people ask, with facts taken from the gold standard.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.gold_graph import gold_extraction, load_gold
from kg.cli import main
from kg.errors import QueryError
from kg.export.rdf import serialize
from kg.graph import build_graph
from kg.lexicon import locate
from kg.query import Query, Result, Store, find_query, format_result, named_queries
from kg.text import display_width
from tests.score_reference import similar

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = load_gold(SEEDS / "gold")

NAMES = ["agencies-responsible", "articles-mentioning", "co-mentioned", "co-organizers", "company-partners",
         "events-in-subdistrict", "events-in-year", "evidence", "people-roles", "reporter-articles", "subdistrict-members",
         "timeline", "top-entities"]
# One example binding per query, for the engine comparison and the CLI.
EXAMPLES: dict[str, dict[str, str]] = {
    "agencies-responsible": {"subdistrict": "白登山街道"},
    "articles-mentioning": {"name": "西谷庄村"},
    "co-mentioned": {"name": "清远街道"},
    "co-organizers": {"name": "平城区委统战部"},
    "company-partners": {"company": "雨泽农业科技有限公司"},
    "events-in-subdistrict": {"subdistrict": "水泊寺街道"},
    "events-in-year": {"year": "2023"},
    "evidence": {"name": "金家湾村"},
    "people-roles": {"person": "柴沛明"},
    "reporter-articles": {"reporter": "段雨萌"},
    "subdistrict-members": {"subdistrict": "清远街道"},
    "timeline": {"type": "Contest"},
    "top-entities": {"type": "Subdistrict"},
}


@pytest.fixture(scope="module")
def gold_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs, extraction = gold_extraction(SEEDS, SEEDS / "gold")
    path = tmp_path_factory.mktemp("gold") / "graph.ttl"
    path.write_text(serialize(build_graph(docs, extraction), "turtle"), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def gold(request: pytest.FixtureRequest, gold_ttl: Path) -> Store:
    return Store(gold_ttl, request.param)


@pytest.fixture(scope="module")
def seed(seed_build) -> Store:
    return Store(seed_build[2])


def ask(store: Store, query: str, /, **params: str) -> Result:
    return store.select(find_query(query), params)


def column(result: Result, name: str) -> list[str | None]:
    i = result.columns.index(name)
    return [row[i] for row in result.rows]


def pairs(result: Result, a: str, b: str) -> set[tuple[str | None, str | None]]:
    return set(zip(column(result, a), column(result, b)))


# ---------------------------------------------------------------- gold truth, computed from the JSON

def gold_relations(*predicates: str) -> list[dict]:
    return [r for g in GOLD.values() for r in g["relations"] if r["predicate"] in predicates]


def gold_type(name: str) -> str:
    return next(e["type"] for g in GOLD.values() for e in g["entities"] if e["name"] == name)


def gold_events() -> list[dict]:
    return [{**e, "file": f} for f, g in GOLD.items() for e in g["events"]]


def gold_articles_mentioning(name: str) -> set[tuple[str, str]]:
    return {(f, str(i)) for f, g in GOLD.items() for e in g["entities"] if e["name"] == name
            for i in e["articles"] if i >= 0}


# ---------------------------------------------------------------- the query files

def test_the_named_queries_exist_with_a_title() -> None:
    queries = named_queries()
    assert [q.name for q in queries] == NAMES
    for q in queries:
        assert q.title and " / " in q.title, q.name  # English / Chinese


def test_every_declared_parameter_is_a_selected_variable() -> None:
    for q in named_queries():
        select = q.text.split("WHERE")[0]
        for p in q.params:
            assert f"?{p.name}" in select, (q.name, p.name)


@pytest.mark.parametrize("name", NAMES)
def test_both_engines_give_the_same_answer(gold_ttl: Path, seed_build, name: str) -> None:
    q = find_query(name)
    for path in (gold_ttl, seed_build[2]):
        for params in ({}, EXAMPLES[name]):
            if not params and any(p.required for p in q.params):
                continue
            assert Store(path, "oxigraph").select(q, params) == Store(path, "rdflib").select(q, params)


# ---------------------------------------------------------------- each query on the gold graph, exactly

def test_agencies_responsible_on_gold(gold: Store) -> None:
    want = {(r["object"], r["subject"]) for r in gold_relations("responsibleFor")}
    assert pairs(ask(gold, "agencies-responsible"), "subdistrict", "agency") == want
    assert ask(gold, "agencies-responsible", subdistrict="白登山街道").rows == (("白登山街道", "平城区水务局"),)


def test_articles_mentioning_on_gold(gold: Store) -> None:
    for name in ("西谷庄村", "水泊寺街道", "平城区城市管理局"):
        assert pairs(ask(gold, "articles-mentioning", name=name), "file", "position") == gold_articles_mentioning(name)
    # A printed variant finds the same articles as the canonical name.
    assert ask(gold, "articles-mentioning", name="区城管局").rows[0][1:] == ask(
        gold, "articles-mentioning", name="平城区城市管理局").rows[0][1:]


def test_co_mentioned_on_gold(gold: Store) -> None:
    counts: dict[str, int] = defaultdict(int)
    for f, g in GOLD.items():
        mine = next(set(e["articles"]) for e in g["entities"] if e["name"] == "清远街道") if any(
            e["name"] == "清远街道" for e in g["entities"]) else set()
        for e in g["entities"]:
            if e["name"] != "清远街道":
                counts[e["name"]] += len(mine & set(e["articles"]))
    want = {(n, str(c)) for n, c in counts.items() if c}
    assert pairs(ask(gold, "co-mentioned", name="清远街道"), "other", "articles") == want


def test_co_organizers_on_gold(gold: Store) -> None:
    want = {(o, e["name"]) for e in gold_events() if "平城区委统战部" in e["organizers"] + e["undertakers"]
            for o in e["organizers"] + e["undertakers"] if o != "平城区委统战部"}
    assert want == {("平城区工商联", "“聚力助小微 同心赢未来”中小微企业发展赋能研讨会"),
                    ("中国人寿大同分公司", "“聚力助小微 同心赢未来”中小微企业发展赋能研讨会")}
    assert pairs(ask(gold, "co-organizers", name="平城区委统战部"), "coorganizer", "event") == want


def test_company_partners_on_gold(gold: Store) -> None:
    part_of = {r["subject"]: r["object"] for r in gold_relations("partOf")}
    want = set()
    for e in gold_events():
        sides = e["organizers"] + e["undertakers"] + e["participants"]
        places = sides + ([e["location"], part_of.get(e["location"])] if e["location"] else [])
        for c in (n for n in sides if gold_type(n) == "Company"):
            want |= {(c, p) for p in places if p and gold_type(p) in ("Village", "Community")}
    assert want == {("雨泽农业科技有限公司", "西谷庄村"), ("中国移动大同分公司", "西谷庄村"), ("博世邻里之家", "永安社区")}
    assert pairs(ask(gold, "company-partners"), "company", "partner") == want


def test_events_in_subdistrict_on_gold(gold: Store) -> None:
    members = {r["subject"] for r in gold_relations("partOf") if r["object"] == "水泊寺街道"} | {"水泊寺街道"}
    want = {e["name"] for e in gold_events()
            if members & set(e["organizers"] + e["participants"] + [e["location"] or ""])}
    result = ask(gold, "events-in-subdistrict", subdistrict="水泊寺街道")
    assert set(column(result, "event")) == want
    assert ("便民夜校", "文兴社区") in pairs(result, "event", "organizer")


def test_evidence_on_gold(gold: Store) -> None:
    want = {(r["subject"], r["object"], r["evidence"]) for r in gold_relations("partOf")
            if "金家湾村" in (r["subject"], r["object"])}
    result = ask(gold, "evidence", name="金家湾村")
    got = {(s, o, e) for s, p, o, e in zip(column(result, "subject"), column(result, "predicate"),
                                           column(result, "object"), column(result, "evidence"))}
    assert got == want


def test_people_roles_on_gold(gold: Store) -> None:
    want = {(r["subject"], r["role"], r["object"]) for r in gold_relations("memberOf", "roleIn")}
    result = ask(gold, "people-roles")
    assert set(result.rows) == want
    assert ask(gold, "people-roles", person="沈媛").rows == (("沈媛", "党支部书记兼主任", "民和社区"),)


def test_reporter_articles_on_gold(gold: Store) -> None:
    want = {(f, str(i)) for f, g in GOLD.items() for i, a in enumerate(g["articles"]) if "段雨萌" in a["reporters"]}
    result = ask(gold, "reporter-articles", reporter="段雨萌")
    assert pairs(result, "file", "position") == want
    assert set(column(result, "beat")) == {"永泰街道", "小南头街道"}


def test_subdistrict_members_on_gold(gold: Store) -> None:
    want = {(r["object"], r["subject"]) for r in gold_relations("partOf")
            if gold_type(r["subject"]) in ("Community", "Village") and gold_type(r["object"]) == "Subdistrict"}
    assert pairs(ask(gold, "subdistrict-members"), "subdistrict", "member") == want


def test_timeline_on_gold(gold: Store) -> None:
    want = {e["name"] for e in gold_events() if e["type"] == "Contest"}
    result = ask(gold, "timeline", type="Contest")
    assert set(column(result, "event")) == want
    assert set(column(result, "type")) == {"pckg:Contest"}
    assert len(set(column(ask(gold, "timeline"), "event"))) == len({e["name"] for e in gold_events()})


def test_top_entities_on_gold(gold: Store) -> None:
    counts: dict[str, int] = defaultdict(int)
    for g in GOLD.values():
        for e in g["entities"]:
            if e["type"] == "Subdistrict":
                counts[e["name"]] += len([i for i in e["articles"] if i >= 0])
    result = ask(gold, "top-entities", type="Subdistrict")
    assert {(n, int(c or 0)) for n, c in pairs(result, "entity", "articles")} == set(counts.items())
    assert column(result, "entity")[0] == max(counts, key=lambda n: (counts[n], [-ord(c) for c in n]))


# ---------------------------------------------------------------- the seed build: real extraction
# These ask the questions of the pipeline's own output; the facts come from seeds/gold.

def test_seed_agencies_responsible_for_baidengshan_is_the_water_bureau(seed: Store) -> None:
    assert column(ask(seed, "agencies-responsible", subdistrict="白登山街道"), "agency") == ["平城区水务局"]


def test_seed_articles_mentioning_xiguzhuang(seed: Store) -> None:
    assert "西谷庄村激活智慧农业助力乡村振兴" in column(ask(seed, "articles-mentioning", name="西谷庄村"), "article")


def test_seed_co_mentioned_with_xiguzhuang(seed: Store) -> None:
    others = set(column(ask(seed, "co-mentioned", name="西谷庄村"), "other"))
    assert {"雨泽农业科技有限公司", "中国移动大同分公司", "小南头街道"} <= others


def test_seed_co_organizers_of_the_united_front_department(seed: Store) -> None:
    found = set(column(ask(seed, "co-organizers", name="平城区委统战部"), "coorganizer"))
    assert {"平城区工商联", "中国人寿大同分公司"} <= found


def test_seed_company_partners_of_yuze(seed: Store) -> None:
    assert "西谷庄村" in column(ask(seed, "company-partners", company="雨泽农业科技有限公司"), "partner")


def test_seed_events_in_qingyuan(seed: Store) -> None:
    events = column(ask(seed, "events-in-subdistrict", subdistrict="清远街道"), "event")
    assert any(similar("交通安全宣传与秩序劝导行动", e or "") for e in events), events


def test_seed_evidence_for_jinjiawan(seed: Store) -> None:
    result = ask(seed, "evidence", name="金家湾村")
    rows = set(zip(column(result, "predicate"), column(result, "object"), column(result, "evidence")))
    assert any(p == "pckg:partOf" and o == "白登山街道" and "白登山街道金家湾村" in (e or "") for p, o, e in rows), rows


def test_seed_people_roles_of_a_young_pioneer(seed: Store) -> None:
    assert ("柴沛明", "少先队员", "平城区第47小学校") in ask(seed, "people-roles", person="柴沛明").rows


def test_seed_reporter_articles_of_duan_yumeng(seed: Store) -> None:
    result = ask(seed, "reporter-articles", reporter="段雨萌")
    assert set(column(result, "article")) == {"文明实践绘新景 基层善治谱新篇", "西谷庄村激活智慧农业助力乡村振兴"}
    assert {"永泰街道", "小南头街道"} <= set(column(result, "beat"))


def test_seed_subdistrict_members_of_qingyuan(seed: Store) -> None:
    members = set(column(ask(seed, "subdistrict-members", subdistrict="清远街道"), "member"))
    assert {"大齿社区", "惠达社区", "学府社区"} <= members


def test_seed_timeline_has_the_red_scarf_contest(seed: Store) -> None:
    events = column(ask(seed, "timeline", type="Contest"), "event")
    assert any(similar("2026年山西省“红领巾讲解员”竞演讲述活动决赛", e or "") for e in events), events


def test_seed_top_admin_area_is_pingcheng(seed: Store) -> None:
    assert column(ask(seed, "top-entities", type="AdminArea"), "entity")[:1] == ["平城区"]


# ---------------------------------------------------------------- parameters, formats, errors, CLI

def test_a_parameter_value_is_bound_as_data_never_as_query_text(gold: Store) -> None:
    hostile = '白登山街道"@zh } UNION { ?a ?b ?subdistrict } #'
    assert ask(gold, "agencies-responsible", subdistrict=hostile).rows == ()


def test_missing_and_unknown_parameters_are_named(gold: Store) -> None:
    with pytest.raises(QueryError, match="parameter name is required .* add -p name=VALUE"):
        ask(gold, "articles-mentioning")
    with pytest.raises(QueryError, match="unknown parameter town .* it takes: subdistrict"):
        ask(gold, "agencies-responsible", town="x")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_inline_query_with_a_parameter_that_is_not_its_variable_says_so(seed_build, engine: str) -> None:
    q = find_query('SELECT ?s WHERE { ?s ?p ?name }')
    with pytest.raises(QueryError, match="parameter nme is not a variable of the query"):
        Store(seed_build[2], engine).select(q, {"nme": "x"})


def test_unknown_named_query_lists_the_names() -> None:
    with pytest.raises(QueryError, match="no named query 'agencies' .* agencies-responsible, articles-mentioning"):
        find_query("agencies")


def test_table_aligns_chinese_by_display_width() -> None:
    text = format_result(Result(("name", "n"), (("白登山街道", "1"), ("ab", None))), "table")
    lines = text.splitlines()
    assert lines == ["name        n", "----------  -", "白登山街道  1", "ab", "(2 rows)"]
    assert display_width("白登山街道") == 10


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_w3c_results_formats_keep_term_types_and_language_tags(engine: str, tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_text('<https://w3id.org/pckg/id/Subdistrict/永泰街道> <http://www.w3.org/2000/01/rdf-schema#label> '
                   '"永泰街道"@zh ;\n  <https://w3id.org/pckg/ontology#mentionCount> 3 .\n', encoding="utf-8")
    store = Store(ttl, engine)
    q = find_query("SELECT ?s ?label ?n ?none WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label ; "
                   "<https://w3id.org/pckg/ontology#mentionCount> ?n }")
    got = json.loads(store.serialize(q, fmt="json"))
    assert got["head"]["vars"] == ["s", "label", "n", "none"]
    assert got["results"]["bindings"] == [{
        "s": {"type": "uri", "value": "https://w3id.org/pckg/id/Subdistrict/永泰街道"},
        "label": {"type": "literal", "value": "永泰街道", "xml:lang": "zh"},
        "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    }]
    csv_rows = list(csv.reader(io.StringIO(store.serialize(q, fmt="csv").decode("utf-8"))))
    assert csv_rows == [["s", "label", "n", "none"], ["https://w3id.org/pckg/id/Subdistrict/永泰街道", "永泰街道", "3", ""]]
    tsv = store.serialize(q, fmt="tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?s\t?label\t?n\t?none"
    assert tsv[1].split("\t")[:3] == ["<https://w3id.org/pckg/id/Subdistrict/永泰街道>", '"永泰街道"@zh', "3"]
    xml = store.serialize(q, fmt="xml").decode("utf-8")
    assert 'xml:lang="zh"' in xml and "http://www.w3.org/2005/sparql-results#" in xml
    with pytest.raises(QueryError, match="unknown results format 'yaml'"):
        store.serialize(q, fmt="yaml")
    with pytest.raises(QueryError, match="only SELECT and ASK results"):
        store.serialize(find_query("CONSTRUCT WHERE { ?s ?p ?o }"), fmt="json")


def test_ask_is_written_as_a_w3c_boolean(seed: Store) -> None:
    assert json.loads(seed.serialize(find_query("ASK { ?s ?p ?o }"), fmt="json"))["boolean"] is True


def test_kg_query_runs_a_named_query_with_a_parameter(seed_build) -> None:
    result = CliRunner().invoke(main, ["query", "top-entities", "-p", "type=AdminArea", "-g", str(seed_build[2]),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "type,entity,articles"


def test_kg_query_runs_inline_sparql_and_a_query_file(seed_build, tmp_path: Path) -> None:
    text = "PREFIX pckg: <https://w3id.org/pckg/ontology#> SELECT (COUNT(?p) AS ?pages) WHERE { ?p a pckg:Page }"
    inline = CliRunner().invoke(main, ["query", text, "-g", str(seed_build[2]), "--format", "json", "--engine", "rdflib"])
    assert inline.exit_code == 0, inline.output
    assert json.loads(inline.output)["results"]["bindings"] == [
        {"pages": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
    rq = tmp_path / "pages.rq"
    rq.write_text(text, encoding="utf-8")
    from_file = CliRunner().invoke(main, ["query", "-f", str(rq), "-g", str(seed_build[2]), "--format", "json"])
    assert json.loads(from_file.output)["results"]["bindings"][0]["pages"]["value"] == "5"


def test_kg_query_reports_errors_cleanly(seed_build) -> None:
    result = CliRunner().invoke(main, ["query", "articles-mentioning", "-g", str(seed_build[2])])
    assert result.exit_code == 2
    assert result.output == ("kg: query articles-mentioning: parameter name is required (缺少参数); "
                             "add -p name=VALUE\n")
    bad = CliRunner().invoke(main, ["query", "-p", "novalue", "timeline", "-g", str(seed_build[2])])
    assert "is not NAME=VALUE" in bad.output


def test_kg_query_list_shows_titles_and_parameters() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    assert "agencies-responsible  Agencies responsible for each subdistrict" in result.output
    assert "-p subdistrict=…  (optional)" in result.output
    assert len([line for line in result.output.splitlines() if not line.startswith(" ")]) == len(NAMES)


def test_query_directory_is_the_ontology_one() -> None:
    assert locate("queries") == ROOT / "ontology" / "queries"
    assert isinstance(find_query("timeline"), Query)


@pytest.mark.parametrize("engine,message", [("oxigraph", "cannot load the graph"), ("rdflib", "not valid nt")])
def test_a_broken_graph_file_is_named_by_either_engine(tmp_path: Path, engine: str, message: str) -> None:
    from kg.errors import KgError

    bad = tmp_path / "graph.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(KgError, match=f"{bad}: {message}"):
        Store(bad, engine)  # a file given directly: a directory must hold a build manifest


# ---------------------------------------------------------------- shapes rewritten for the planner
# The named queries are written so Oxigraph starts from a bound parameter; these check that the
# shape did not change the answer: a bound parameter keeps exactly the unbound query's rows with
# that value, and the facts behind evidence and events-in-subdistrict are each found.

# Optional parameter -> the column its value appears in.
OPTIONAL_COLUMNS = {"agencies-responsible": "subdistrict", "company-partners": "company", "events-in-year": "year",
                    "people-roles": "person", "subdistrict-members": "subdistrict", "timeline": "type",
                    "top-entities": "type"}


@pytest.mark.parametrize("name", sorted(OPTIONAL_COLUMNS))
def test_a_bound_parameter_keeps_the_unbound_rows_with_that_value(gold: Store, seed: Store, name: str) -> None:
    q = find_query(name)
    (param,) = [p for p in q.params if not p.required]
    col = OPTIONAL_COLUMNS[name]
    every = {"limit": "0"} if q.limit is not None else {}
    checked = 0
    for store in (gold, seed):
        unbound = store.select(q, every)
        if name == "events-in-year":  # ?year is only bound by the parameter: the year is the date's
            values = {(r[1] or r[2] or "")[:4] for r in unbound.rows}
        else:
            values = {v for v in column(unbound, col) if v}
        checked += len(values)
        for value in sorted(values):
            given = value.removeprefix("pckg:") if param.iri_prefix else value
            bound = store.select(q, {param.name: given, **every})
            if name == "events-in-year":
                want = [r for r in unbound.rows if (r[1] or r[2] or "")[:4] == value]
                assert [r[1:] for r in bound.rows] == [r[1:] for r in want], (name, value)
            else:
                i = unbound.columns.index(col)
                assert list(bound.rows) == [r for r in unbound.rows if r[i] == value], (name, value)
    assert checked, f"{name}: no value to bind on the gold graph or the seeds"


FACTS = """
@prefix pckg: <https://w3id.org/pckg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix : <https://w3id.org/pckg/id/> .
:s a pckg:Subdistrict ; rdfs:label "东街街道"@zh ; skos:altLabel "东街"@zh .
:c a pckg:Community ; rdfs:label "南社区"@zh ; pckg:partOf :s .
:v a pckg:Village ; rdfs:label "北村"@zh ; pckg:partOf :c .
:w a pckg:Village ; rdfs:label "西村"@zh .
:o a pckg:Agency ; rdfs:label "文化站"@zh .
:o2 a pckg:Agency ; rdfs:label "团委"@zh .
:page a pckg:Page ; pckg:sourceFile "p1.txt" .
:art a pckg:Article ; schema:isPartOf :page ; pckg:position 0 ; rdfs:label "一篇"@zh .
:st1 a pckg:RelationStatement ; rdf:subject :v ; rdf:predicate pckg:partOf ; rdf:object :c ;
     pckg:evidence "北村属南社区。"@zh ; prov:wasDerivedFrom :art .
:st2 a pckg:RelationStatement ; rdf:subject :c ; rdf:predicate pckg:partOf ; rdf:object :s ;
     pckg:evidence "南社区属东街街道。"@zh ; prov:wasDerivedFrom :art .
:e1 a pckg:Event ; rdfs:label "北村夜校"@zh ; pckg:eventType pckg:Lecture ; schema:location :v ;
    schema:organizer :o , :o2 ; pckg:evidence "北村夜校开课。"@zh ; prov:wasDerivedFrom :art .
:e2 a pckg:Event ; rdfs:label "街道例会"@zh ; pckg:eventType pckg:Meeting ; schema:organizer :s ;
    pckg:evidence "街道开例会。"@zh ; prov:wasDerivedFrom :art .
:e3 a pckg:Event ; rdfs:label "西村集市"@zh ; pckg:eventType pckg:Other ; schema:location :w ;
    pckg:evidence "西村赶集。"@zh ; prov:wasDerivedFrom :art .
"""


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def facts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("facts") / "graph.ttl"
    path.write_text(FACTS, encoding="utf-8")
    return Store(path, request.param)


def test_evidence_finds_statements_with_x_on_either_side_and_the_events_x_is_in(facts: Store) -> None:
    rows = {r[1:5] for r in ask(facts, "evidence", name="南社区").rows}
    assert rows == {("北村", "pckg:partOf", "南社区", "北村属南社区。"), ("南社区", "pckg:partOf", "东街街道", "南社区属东街街道。")}
    rows = {r[1:5] for r in ask(facts, "evidence", name="北村").rows}
    assert rows == {("北村", "pckg:partOf", "南社区", "北村属南社区。"), ("北村夜校", "schema:location", "北村", "北村夜校开课。")}
    by_alias = ask(facts, "evidence", name="东街")
    assert {r[1:] for r in by_alias.rows} == {r[1:] for r in ask(facts, "evidence", name="东街街道").rows}
    assert {r[1:3] for r in by_alias.rows} == {("南社区", "pckg:partOf"), ("街道例会", "schema:organizer")}


def test_events_in_subdistrict_reach_through_every_level_and_list_each_organizer(facts: Store) -> None:
    result = ask(facts, "events-in-subdistrict", subdistrict="东街")
    assert pairs(result, "event", "organizer") == {("北村夜校", "团委"), ("北村夜校", "文化站"), ("街道例会", "东街街道")}


def test_a_limited_query_returns_its_first_rows_unless_told(seed: Store) -> None:
    q = find_query("top-entities")
    assert q.limit == 50
    every = seed.select(q, {"limit": "0"})
    assert len(every.rows) > 50
    assert seed.select(q).rows == every.rows[:50]
    assert seed.select(q, {"limit": "3"}).rows == every.rows[:3]
    counts = [int(c or 0) for c in column(every, "articles")]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(QueryError, match="is not a number of rows"):
        seed.select(q, {"limit": "-1"})
    with pytest.raises(QueryError, match="unknown parameter limit"):
        ask(seed, "timeline", limit="3")
    listed = CliRunner().invoke(main, ["query", "--list"]).output
    assert "    -p limit=…  (optional)  rows to return, default 50; 0 for every row\n" in listed
