"""The RDF export: ontology terms, SHACL validity, parsers agreeing, offsets, base IRI, determinism."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.namespace import OWL

from tests.gold_graph import gold_extraction
from tests.rdflib_reference import to_rdf as reference_rdf
from kg.build import build, extract, read
from kg.cli import main
from kg.errors import OutputError
from kg.export.rdf import NIF, PCKG, SCHEMA, serialize, to_rdf
from kg.graph import build_graph
from kg.lexicon import locate
from kg.validate import validate, validate_graph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld")


@pytest.fixture(scope="module")
def gold_graph() -> nx.MultiDiGraph:
    docs, extraction = gold_extraction(SEEDS, SEEDS / "gold")
    return build_graph(docs, extraction)


@pytest.fixture(scope="module")
def gold_rdf(gold_graph: nx.MultiDiGraph) -> Graph:
    return to_rdf(gold_graph)


def _pckg_terms(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PCKG))}


def test_every_pckg_term_the_export_writes_is_declared_in_the_ontology(seed_build, gold_rdf: Graph) -> None:
    ontology = Graph().parse(locate("pckg.ttl"))
    declared = set(ontology.subjects())
    seed = Graph().parse(seed_build[2] / "graph.ttl")
    undeclared = (_pckg_terms(seed) | _pckg_terms(gold_rdf)) - declared
    assert not undeclared, sorted(undeclared)


def test_ontology_declares_the_nine_entity_types_disjoint() -> None:
    ontology = Graph().parse(locate("pckg.ttl"))
    nine = ["AdminArea", "Subdistrict", "Community", "Village", "Place", "Agency", "Company", "Organization", "Person"]
    for name in nine:
        assert (PCKG[name], RDFS.subClassOf, PCKG.Entity) in ontology
    assert any(True for _ in ontology.subjects(RDF.type, OWL.AllDisjointClasses))


def test_seed_build_conforms_to_the_shapes(seed_build) -> None:
    report = validate(seed_build[2])
    assert report.conforms, "\n".join(map(str, report.violations))
    assert report.triples > 0


def test_gold_graph_with_relations_events_and_memberships_conforms(gold_rdf: Graph) -> None:
    report = validate_graph(gold_rdf)
    assert report.conforms, "\n".join(map(str, report.violations))


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))[0]


def test_shapes_report_an_article_without_headline_by_its_label(gold_rdf: Graph) -> None:
    g = Graph() + gold_rdf
    article = _first(g, PCKG.Article)
    g.remove((article, SCHEMA.headline, None))
    report = validate_graph(g)
    assert not report.conforms
    [v] = report.violations
    assert v.focus_iri == str(article) and v.focus == str(g.value(article, RDFS.label))
    assert "headline" in v.message and "标题" in v.message


def test_shapes_report_an_entity_with_two_types_and_a_statement_without_evidence(gold_rdf: Graph) -> None:
    g = Graph() + gold_rdf
    person = _first(g, PCKG.Person)
    g.add((person, RDF.type, PCKG.Agency))
    statement = _first(g, PCKG.RelationStatement)
    g.remove((statement, PCKG.evidence, None))
    messages = {(v.focus_iri, v.message) for v in validate_graph(g).violations}
    assert (str(person), "an entity must have exactly one of the nine entity types / 实体须有且仅有九类之一") in messages
    assert (str(statement), "a relation statement needs an evidence sentence / 关系须有证据句") in messages


def test_kg_validate_exits_nonzero_and_names_the_violation(tmp_path: Path, gold_rdf: Graph) -> None:
    g = Graph() + gold_rdf
    event = _first(g, PCKG.Event)
    g.remove((event, PCKG.evidence, None))
    bad = tmp_path / "graph.ttl"
    bad.write_text(g.serialize(format="turtle"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])  # a directory must hold a build manifest
    assert result.exit_code == 1
    assert f"Violation: {g.value(event, RDFS.label)} <{event}> pckg:evidence: an event needs an evidence sentence" in result.output
    assert "1 violations" in result.output


def test_kg_validate_passes_the_seed_build(seed_build) -> None:
    result = CliRunner().invoke(main, ["validate", str(seed_build[2])])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_kg_validate_names_a_missing_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no graph.nt, graph.ttl or graph.jsonld found" in result.output


@pytest.mark.parametrize("name,fmt", [("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES),
                                      ("graph.jsonld", ox.RdfFormat.JSON_LD)])
def test_oxigraph_and_rdflib_read_the_same_number_of_triples(seed_build, name: str, fmt: ox.RdfFormat) -> None:
    path = seed_build[2] / name
    store = ox.Store()
    store.load(path=str(path), format=fmt)
    reference = Graph().parse(path)
    assert len(store) == len(reference) == len(Graph().parse(seed_build[2] / "graph.ttl"))


def test_the_three_formats_hold_the_same_graph(gold_graph: nx.MultiDiGraph, gold_rdf: Graph) -> None:
    from rdflib.compare import isomorphic

    for fmt in ("turtle", "nt", "json-ld"):
        assert isomorphic(Graph().parse(data=serialize(gold_graph, fmt), format=fmt), gold_rdf), fmt


@pytest.mark.parametrize("name", OUTPUTS)
def test_streamed_exports_hold_exactly_the_triples_of_the_rdflib_mapping(seed_build, name: str) -> None:
    graph, _, out = seed_build
    written = Graph().parse(out / name)
    assert set(written) == set(reference_rdf(graph))  # no blank nodes: isomorphic means equal


def test_gold_exports_hold_exactly_the_triples_of_the_rdflib_mapping(gold_graph: nx.MultiDiGraph) -> None:
    # The gold graph has relations, memberships with roles and dated events the seed build may lack.
    for fmt in ("turtle", "json-ld"):
        assert set(Graph().parse(data=serialize(gold_graph, fmt), format=fmt)) == set(reference_rdf(gold_graph)), fmt


def test_mention_offsets_point_at_the_printed_text(gold_rdf: Graph) -> None:
    docs, _ = read([SEEDS])
    text_of = {d.page.name: d.page.text for d in docs}
    mentions = list(gold_rdf.subjects(RDF.type, PCKG.Mention))
    assert len(mentions) > 300
    for m in mentions:
        page = gold_rdf.value(m, NIF.referenceContext)
        text = text_of[str(gold_rdf.value(page, PCKG.sourceFile))]
        start, end = int(gold_rdf.value(m, NIF.beginIndex)), int(gold_rdf.value(m, NIF.endIndex))
        assert text[start:end] == str(gold_rdf.value(m, NIF.anchorOf))


def test_memberships_carry_the_role_as_an_org_role(gold_rdf: Graph) -> None:
    rows = gold_rdf.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?person ?role ?org WHERE {
          ?m a org:Membership ; org:member/rdfs:label ?person ; org:organization/rdfs:label ?org ;
             org:role/rdfs:label ?role . }""")
    found = set()
    for row in rows:
        assert isinstance(row, ResultRow)  # a SELECT's rows
        found.add((str(row[0]), str(row[1]), str(row[2])))
    assert ("吴晓东", "创始人", "大同市爱心公益协会") in found
    assert ("柴沛明", "少先队员", "平城区第47小学校") in found


def test_part_of_between_organisations_is_also_an_org_sub_organization(gold_rdf: Graph) -> None:
    from kg.export.rdf import ORG

    sub = URIRef(str(next(gold_rdf.subjects(RDFS.label, Literal("大同市公安局平城分局反诈中心", lang="zh")))))
    parent = next(gold_rdf.objects(sub, ORG.subOrganizationOf))
    assert gold_rdf.value(parent, RDFS.label) == Literal("大同市公安局平城分局", lang="zh")


def test_base_iri_option_moves_every_data_iri(tmp_path: Path, tiny_page: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tiny_page), "-o", str(tmp_path), "--base-iri", "https://example.org/kg/"])
    assert result.exit_code == 0, result.output
    nt = (tmp_path / "graph.nt").read_text(encoding="utf-8")
    assert "<https://example.org/kg/page/" in nt and "w3id.org/pckg/id/" not in nt


def test_base_iri_comes_from_the_environment(tmp_path: Path, tiny_page: Path) -> None:
    bad = CliRunner().invoke(main, ["build", str(tiny_page), "-o", str(tmp_path)], env={"PCKG_BASE_IRI": "urn:x-pckg:"})
    assert bad.exit_code == 2 and "not an absolute IRI ending in '/' or '#'" in bad.output
    good = CliRunner().invoke(main, ["build", str(tiny_page), "-o", str(tmp_path)], env={"PCKG_BASE_IRI": "https://example.org/env#"})
    assert good.exit_code == 0, good.output
    assert "<https://example.org/env#page/" in (tmp_path / "graph.nt").read_text(encoding="utf-8")


def test_the_library_takes_the_base_iri_it_is_given_not_the_environment(
        tmp_path: Path, tiny_page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCKG_BASE_IRI", "https://example.org/env#")
    build([tiny_page], tmp_path, ["ntriples"])
    assert "<https://w3id.org/pckg/id/page/" in (tmp_path / "graph.nt").read_text(encoding="utf-8")
    with pytest.raises(OutputError, match="not an absolute IRI ending in '/' or '#'"):
        build([tiny_page], tmp_path, ["ntriples"], base_iri="urn:x-pckg:")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.slow
def test_two_builds_and_a_shuffled_build_write_identical_bytes(tmp_path: Path, seed_build) -> None:
    first = _outputs(seed_build[2])
    again = tmp_path / "again"
    build([SEEDS], again)
    assert _outputs(again) == first
    # The same pages under other directories, handed over file by file in a shuffled order.
    files = sorted(SEEDS.glob("*.txt"))
    random.Random(7).shuffle(files)
    copies = []
    for i, f in enumerate(files):
        d = tmp_path / "shuffled" / f"{len(files) - i:02d}"
        d.mkdir(parents=True)
        copies.append(Path(shutil.copy(f, d / f.name)))
    shuffled = tmp_path / "shuffled-out"
    build(copies, shuffled)
    assert _outputs(shuffled) == first


def test_graph_and_rdf_do_not_depend_on_the_order_pages_are_extracted_in(seed_build) -> None:
    docs, _ = read([SEEDS])
    reference = {fmt: serialize(build_graph(docs, extract(docs)), fmt) for fmt in ("turtle", "nt", "json-ld")}
    shuffled = list(reversed(docs))
    random.Random(3).shuffle(shuffled)
    again = {fmt: serialize(build_graph(shuffled, extract(shuffled)), fmt) for fmt in ("turtle", "nt", "json-ld")}
    assert again == reference


@pytest.mark.slow
def test_outputs_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEEDS), "-o", str(out)], env=env, check=True,
                       capture_output=True)
        outs.append(_outputs(out))
    assert outs[0] == outs[1]


def test_json_ld_and_turtle_keep_quotes_backslashes_and_control_characters() -> None:
    from tests.graph_fixture import tiny_graph

    g = tiny_graph()
    g.nodes["article/a1"]["body"] += '\\ "引号" \t\r\x01\u2028 😀'
    expected = set(reference_rdf(g))
    for fmt in ("turtle", "nt", "json-ld"):
        assert set(Graph().parse(data=serialize(g, fmt), format=fmt)) == expected, fmt
    store = ox.Store()
    store.load(serialize(g, "json-ld").encode("utf-8"), format=ox.RdfFormat.JSON_LD)
    assert len(store) == len(expected)


def test_the_rdf_formats_are_written_in_one_pass_and_the_last_of_them_releases_it(tmp_path: Path) -> None:
    from kg.export.rdf import serialize, write_jsonld, write_ntriples, write_turtle
    from kg.export.registry import ExportContext
    from tests.graph_fixture import tiny_graph

    g = tiny_graph()
    ctx = ExportContext(formats=("turtle", "ntriples", "html"))
    write_turtle(g, tmp_path, ctx)  # writes graph.nt too, which this build asks for
    assert "rdf written" in ctx._shared
    assert (tmp_path / "graph.nt").read_text(encoding="utf-8") == serialize(g, "nt")
    write_ntriples(g, tmp_path, ctx)  # the last RDF format of this build: nothing after it reads them
    assert not ctx._shared
    assert (tmp_path / "graph.nt").read_text(encoding="utf-8") == serialize(g, "nt")
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8") == serialize(g, "turtle")
    assert not (tmp_path / "graph.jsonld").exists()  # not a format of this build
    write_jsonld(g, tmp_path, ctx)  # not announced: made afresh, and nothing kept
    assert not ctx._shared
    assert (tmp_path / "graph.jsonld").read_text(encoding="utf-8") == serialize(g, "json-ld")


def _split(data: bytes) -> list[str]:
    """A subject's UTF-8 N-Triples as its lines (N-Triples escapes every line break in a literal)."""
    return [line + "\n" for line in data.decode("utf-8").split("\n")[:-1]]


def _json_node(lines: list[str], compact) -> str:
    """One subject's sorted N-Triples lines as one compact JSON-LD node, line by line: the
    reference kg.export.rdf._json_block is held to."""
    from kg.export import rdf

    props: dict[str, list[str]] = {}
    for line in lines:
        s, p, rest = line.split(" ", 2)
        o = rest[:-3]  # " .\n"
        if p == rdf._TYPE:
            props.setdefault("@type", []).append(f'"{compact[o]}"')
        else:
            props.setdefault(compact[p], []).append(rdf._json_value(o, compact))
    return rdf._node(compact[s], props)


def test_jsonld_from_packed_blocks_is_the_line_by_line_writers_text(gold_graph: nx.MultiDiGraph) -> None:
    from kg.export.rdf import DEFAULT_BASE, _Compact, _json_block, _sorted_utf8, _subjects, _Values

    g = gold_graph.copy()
    # literals that need escaping: a quote, a backslash and a line break inside a label
    g.nodes[next(n for n, d in g.nodes(data=True) if d["kind"] == "Entity")]["aliases"] = ['引"号\\与\n换行']
    values = _Values()
    subjects = _subjects(g, DEFAULT_BASE, None, _sorted_utf8)
    assert len(subjects) > 100
    for s, (_, data) in subjects.items():
        assert _json_block(s, data, values) == _json_node(_split(data), _Compact()).encode(), s


def test_iri_text_is_node_iri_in_angle_brackets() -> None:
    from kg.export.rdf import DEFAULT_BASE, _iri_text, node_iri

    for node in ("Subdistrict/永泰街道", "article/ab12", "Place/a b<c>#?%", "Event/“文明”周/二", "noslash", ""):
        assert _iri_text(node, DEFAULT_BASE) == f"<{node_iri(node, DEFAULT_BASE)}>"


def test_rdf_formats_without_n_triples_leave_no_other_file(tmp_path: Path) -> None:
    from kg.export.rdf import serialize, write_jsonld, write_turtle
    from kg.export.registry import ExportContext
    from tests.graph_fixture import tiny_graph

    g = tiny_graph()
    ctx = ExportContext(formats=("turtle", "jsonld"))
    write_turtle(g, tmp_path, ctx)
    write_jsonld(g, tmp_path, ctx)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.ttl", "pckg.ttl"]
    assert (tmp_path / "graph.jsonld").read_text(encoding="utf-8") == serialize(g, "json-ld")
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8") == serialize(g, "turtle")


def test_an_rdf_writer_called_alone_writes_only_its_own_files(tmp_path: Path) -> None:
    from kg.export.rdf import serialize, write_turtle
    from tests.graph_fixture import tiny_graph

    g = tiny_graph()
    write_turtle(g, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "pckg.ttl"]
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8") == serialize(g, "turtle")


def _oxigraph_turtle(nt: str) -> str:
    """What Oxigraph writes as Turtle for these N-Triples: the reference kg.export.rdf's
    Turtle writer is held to (it wrote the Turtle files itself until issue 20)."""
    from kg import schema

    quads = ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    written = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=dict(schema.PREFIXES))
    assert written is not None
    return written.decode("utf-8")


def _awkward(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`g` with literals and names that need escaping, in Turtle and in an IRI's local name."""
    from kg.graph import MentionAt

    g = g.copy()
    entity = next(n for n, d in g.nodes(data=True) if d["kind"] == "Entity")
    g.nodes[entity]["aliases"] = ['引"号\\与\n换行', "\t\r\x01\x7f\ufffe😀\u2028", "a.b/c#d?e%f"]
    g.add_node("Place/x.y-z_(1)", kind="Entity", type="Place", label="x.y-z_(1)", aliases=[], mention_count=1)
    article = next(n for n, d in g.nodes(data=True) if d["kind"] == "Article")
    g.add_edge(article, "Place/x.y-z_(1)", key="mentions",
               mentions=[MentionAt('"x"\\', 1, 5, "句\n子\x00"), MentionAt("x", 7, 8, "")])
    return g


@pytest.mark.parametrize("base", ["https://w3id.org/pckg/id/", "https://schema.org/", "http://www.w3.org/ns/org#"])
def test_turtle_is_the_text_oxigraph_writes_for_the_same_triples(gold_graph: nx.MultiDiGraph, base: str) -> None:
    from tests.graph_fixture import tiny_graph

    for g in (gold_graph, _awkward(gold_graph), _awkward(tiny_graph())):
        assert serialize(g, "turtle", base) == _oxigraph_turtle(serialize(g, "nt", base))


def test_the_files_a_build_writes_are_the_serialized_graph(tmp_path: Path) -> None:
    """The build's one-pass writer (mentions from templates) against serialize (line by line)."""
    from kg.export.rdf import write_jsonld, write_ntriples, write_turtle
    from kg.export.registry import ExportContext
    from tests.graph_fixture import tiny_graph

    g = _awkward(tiny_graph())
    for base in ("https://w3id.org/pckg/id/", "https://schema.org/"):
        ctx = ExportContext(base_iri=base, formats=("turtle", "ntriples", "jsonld"))
        for write in (write_turtle, write_ntriples, write_jsonld):
            write(g, tmp_path, ctx)
        for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
            assert (tmp_path / name).read_text(encoding="utf-8") == serialize(g, fmt, base), (base, name)


def test_mention_key_is_the_number_content_id_spells() -> None:
    from hypothesis import given, settings, strategies as st

    from kg.export import rdf
    from kg.model import content_id

    text = st.text(st.characters(codec="utf-8"), max_size=12)

    @settings(max_examples=300, deadline=None)
    @given(article=text, entity=text, start=st.integers(0, 10**12), end=st.integers(0, 10**12))
    def check(article: str, entity: str, start: int, end: int) -> None:
        expected = content_id(article, entity, str(start), str(end))
        key = rdf._mention_key(f"{article}\x1f{entity}\x1f", start, end)
        assert key == int(expected, 16)
        assert rdf._mention_iri("b:", key) == f"<b:mention/{expected}>"

    check()


def test_mention_templates_write_what_the_general_writers_write() -> None:
    from hypothesis import given, settings, strategies as st

    from kg.export import rdf

    text = st.text(st.characters(codec="utf-8"), max_size=12)

    @settings(max_examples=300, deadline=None)
    @given(surface=text, sentence=text, start=st.integers(0, 10**9), length=st.integers(0, 99), name=text,
           base=st.sampled_from(["https://w3id.org/pckg/id/", "https://schema.org/"]))
    def check(surface: str, sentence: str, start: int, length: int, name: str, base: str) -> None:
        subject = rdf._mention_iri(base, 0xABC)
        held = (rdf._iri_text("article/a1", base), rdf._iri_text(f"Person/{name}", base),
                rdf._iri_text("page/p1", base), (surface, start, start + length, sentence))
        nt, ttl, js = rdf._mention_templates()(subject, held, rdf._Terms())
        data = rdf._mention_block(subject, held)
        assert nt == data
        assert (ttl.decode("utf-8"), js.decode("utf-8")) == rdf._turtle_and_json(subject, data, rdf._Terms())
        assert ttl.decode("utf-8") == rdf._turtle_block(subject, data, rdf._Terms())
        assert js == rdf._json_block(subject, data, rdf._Values())
        assert (rdf._turtle_header() + ttl).decode("utf-8") == _oxigraph_turtle(nt.decode("utf-8"))

    check()
