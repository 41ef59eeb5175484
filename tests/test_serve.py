"""kg serve: the SPARQL endpoint, dereferenceable IRIs and pages, with tools nobody here wrote.

The seed build is served by `kg serve` in a subprocess on a free port, and asked by SPARQLWrapper
and by urllib as any client would; answers are compared with what `kg query` gives.
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.query import Store, named_queries, query_text
from kg.serve import HttpError, Limits, Site, negotiate, refuse_unsafe

PCKG = Namespace("https://w3id.org/pckg/ontology#")
VILLAGE = "https://w3id.org/pckg/id/Village/西谷庄村"
_EXAMPLE = re.compile(r"e\.g\.\s*(\S+)")


class Server:
    """`kg serve` in a subprocess; stopped by its pid."""

    def __init__(self, build: Path, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-u", "-m", "kg.cli", "serve", str(build), "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        found = re.search(r"at (http://\S+/) ", line)
        assert found, f"kg serve did not start: {line!r}"
        self.url = found.group(1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def server(seed_build) -> Iterator[Server]:
    s = Server(seed_build[2])
    yield s
    s.stop()


def get(url: str, accept: str | None = None, data: bytes | None = None,
        ctype: str | None = None) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if ctype:
        request.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def sparql_url(server: Server, text: str) -> str:
    return server.url + "sparql?" + urllib.parse.urlencode({"query": text})


def example(query) -> dict[str, str]:
    """The example value of each required parameter, from the query's header."""
    values = {}
    for p in query.params:
        if p.required:
            m = _EXAMPLE.search(p.doc)
            assert m, f"{query.name}: parameter {p.name} has no example"
            values[p.name] = m.group(1).rstrip(",.;")
    return values


def test_named_queries_over_http_give_the_rows_of_kg_query(server: Server, seed_build) -> None:
    local = Store(seed_build[2])
    for query in named_queries():
        values = example(query)
        want = json.loads(local.serialize(query, values, "json"))
        url = f"{server.url}queries/{query.name}?" + urllib.parse.urlencode(values)
        status, ctype, body = get(url, "application/sparql-results+json")
        assert (status, ctype) == (200, "application/sparql-results+json; charset=utf-8"), body
        assert json.loads(body) == want, query.name
        assert want["results"]["bindings"], f"{query.name} answers nothing on the seeds"


def test_sparqlwrapper_runs_the_named_queries_that_need_no_parameter(server: Server, seed_build) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    local = Store(seed_build[2])
    ran = 0
    for query in named_queries():
        if any(p.required for p in query.params):
            continue
        client = SPARQLWrapper(server.url + "sparql")
        client.setQuery(query_text(query))  # as kg query runs it: with its default row limit
        client.setReturnFormat(JSON)
        assert client.query().convert() == json.loads(local.serialize(query, {}, "json")), query.name
        ran += 1
    assert ran >= 2


def test_each_results_format_by_accept_header(server: Server) -> None:
    text = "PREFIX pckg: <https://w3id.org/pckg/ontology#> SELECT ?s ?n WHERE { ?s pckg:mentionCount ?n } ORDER BY DESC(?n) ?s LIMIT 3"
    url = sparql_url(server, text)
    status, ctype, body = get(url, "application/sparql-results+json")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert len(rows) == 3 and rows[0]["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    top = rows[0]["s"]["value"]

    status, ctype, body = get(url, "application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert ET.fromstring(body).find("r:results/r:result/r:binding/r:uri", ns).text == top  # type: ignore[union-attr]

    status, ctype, body = get(url, "text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == ["s", "n"] and table[1][0] == top

    status, ctype, body = get(url, "text/tab-separated-values")
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?s\t?n" and lines[1].split("\t")[0] == f"<{top}>"

    assert get(url, "image/png")[0] == 406
    assert get(url, None)[1].startswith("application/sparql-results+json")  # no Accept: JSON


def test_construct_as_turtle_ntriples_and_jsonld(server: Server) -> None:
    text = f"CONSTRUCT {{ <{VILLAGE}> ?p ?o }} WHERE {{ <{VILLAGE}> ?p ?o }}"
    graphs = []
    for media, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        status, ctype, body = get(sparql_url(server, text), media)
        assert status == 200 and ctype.startswith(media), body
        graphs.append(Graph().parse(data=body.decode("utf-8"), format=fmt))
    assert len(graphs[0]) >= 4
    assert (URIRef(VILLAGE), RDF.type, PCKG.Village) in graphs[0]
    assert set(graphs[0]) == set(graphs[1]) == set(graphs[2])


def test_post_form_and_sparql_query_bodies(server: Server) -> None:
    text = "ASK { ?s a <https://w3id.org/pckg/ontology#Subdistrict> }"
    form = urllib.parse.urlencode({"query": text}).encode()
    for data, ctype in ((form, "application/x-www-form-urlencoded"), (text.encode(), "application/sparql-query")):
        status, _, body = get(server.url + "sparql", "application/sparql-results+json", data, ctype)
        assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    assert get(server.url + "sparql", None, b"x", "text/plain")[0] == 415


def test_updates_load_and_service_are_refused(server: Server) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    insert = 'INSERT DATA { <urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }'
    client = SPARQLWrapper(server.url + "sparql")
    client.setMethod(POST)
    client.setQuery(insert)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as refused:
        client.query()
    assert "403" in str(refused.value) or "not allowed" in str(refused.value)

    for data, ctype in ((insert.encode(), "application/sparql-update"),
                        (urllib.parse.urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"),
                        (insert.encode(), "application/sparql-query")):
        status, _, body = get(server.url + "sparql", None, data, ctype)
        assert status == 403 and "updates are not allowed" in body.decode() and "不允许更新" in body.decode()
    status, _, body = get(sparql_url(server, "LOAD <http://example.org/data.ttl>"))
    assert status == 403 and "不允许更新" in body.decode()
    status, _, body = get(sparql_url(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    assert status == 403 and "SERVICE is not allowed" in body.decode()
    status, _, body = get(sparql_url(server, "ASK { <urn:x> ?p ?o }"), "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False  # nothing was written


def test_an_entity_iri_dereferences_as_html_and_as_turtle(server: Server) -> None:
    path = server.url + "id/" + urllib.parse.quote("Village/西谷庄村")
    status, ctype, body = get(path, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and ctype.startswith("text/html")
    page = body.decode("utf-8")
    assert "<h1>西谷庄村</h1>" in page
    assert re.search(r'id="chain".*小南头街道.*平城区', page, re.S)  # the register chain, nearest first
    assert "西谷庄村激活智慧农业助力乡村振兴" in page  # an article that mentions it
    assert 'id="timeline"' in page and "1180亩智慧玉米示范种植项目" in page
    assert f'id="in-view" href="/graph.html#id={urllib.parse.quote("Village/西谷庄村", safe="")}"' in page

    status, ctype, body = get(path, "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (URIRef(VILLAGE), RDF.type, PCKG.Village) in g
    assert (URIRef(VILLAGE), RDFS.label, Literal("西谷庄村", lang="zh")) in g
    parent = URIRef("https://w3id.org/pckg/id/Subdistrict/小南头街道")
    assert (parent, RDFS.label, Literal("小南头街道", lang="zh")) in g  # labels of what it points to

    # The default IRIs answer under their own path too, and other forms by Accept or ?format=.
    assert get(server.url + "pckg/id/" + urllib.parse.quote("Village/西谷庄村"), "text/turtle")[0] == 200
    assert get(path + "?format=jsonld")[1].startswith("application/ld+json")
    assert get(path, "application/n-triples")[1].startswith("application/n-triples")
    assert get(server.url + "id/Village/" + urllib.parse.quote("没有这个村"), "text/html")[0] == 404
    head = urllib.request.Request(path, method="HEAD", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(head, timeout=60) as response:
        assert response.status == 200 and response.read() == b"" and int(response.headers["Content-Length"]) > 0


def test_article_page_shows_the_text_with_its_entities_linked(server: Server, seed_build) -> None:
    status, _, body = get(server.url + "search?q=" + urllib.parse.quote("智慧农业助力"), "text/html")
    assert status == 200
    article = re.search(r'href="(/id/article/[0-9a-f]+)">西谷庄村激活智慧农业助力乡村振兴', body.decode())
    assert article, body.decode()
    status, _, body = get(server.url + article.group(1)[1:], "text/html")
    page = body.decode("utf-8")
    assert status == 200 and 'id="body"' in page
    assert "实时监测墒情" in page  # body text, far from the first sentence
    assert re.search(r'<a class="ent Village" href="/id/Village/[^"]+" title="西谷庄村">西谷庄村</a>', page)


def test_search_finds_aliases(server: Server) -> None:
    status, _, body = get(server.url + "search?q=" + urllib.parse.quote("西谷"), "text/html")
    assert status == 200 and "/id/Village/" in body.decode() and ">西谷庄村</a>" in body.decode()


def test_the_graph_view_and_the_front_page_are_served(server: Server) -> None:
    status, ctype, body = get(server.url + "graph.html")
    assert status == 200 and ctype.startswith("text/html") and b"vis.Network" in body
    status, _, body = get(server.url, "text/html")
    assert status == 200 and "提及最多" in body.decode()


def test_limits_answer_with_a_clear_error(seed_build) -> None:
    small = Server(seed_build[2], "--max-rows", "100", "--timeout", "0.3")
    try:
        status, _, body = get(sparql_url(small, "SELECT * WHERE { ?s ?p ?o }"))
        assert status == 400 and "more than 100 rows" in body.decode()
        # Not streamed: the count must finish before any row; it answers at the time limit.
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        status, _, body = get(sparql_url(small, slow))
        assert status == 503 and "time limit of 0.3 s" in body.decode()
        status, _, body = get(sparql_url(small, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"))
        assert status in (400, 503)  # streamed: stopped by whichever limit comes first
        # The count still runs in its worker; Ctrl-C stops the server all the same.
        small.proc.send_signal(signal.SIGINT)
        assert small.proc.wait(20) == 0
    finally:
        if small.proc.poll() is None:
            small.stop()


def test_syntax_errors_are_400_with_the_parser_message(server: Server) -> None:
    status, ctype, body = get(sparql_url(server, "SELECT WHERE {"))
    assert status == 400 and ctype.startswith("text/plain") and "not valid SPARQL" in body.decode()


def test_negotiation_prefers_quality_then_specificity_then_client_order() -> None:
    offered = ("text/html", "text/turtle", "application/ld+json")
    assert negotiate("text/turtle;q=0.9, text/html;q=0.5", offered) == "text/turtle"
    assert negotiate("*/*", offered) == "text/html"
    assert negotiate("text/*;q=0.5, application/ld+json", offered) == "application/ld+json"
    assert negotiate("application/x-turtle", offered) == "text/turtle"
    assert negotiate("image/png", offered) is None
    assert negotiate("text/html;q=0, */*;q=0.1", offered) == "text/html"  # q=0 ranges are skipped, */* matches


def test_keywords_inside_strings_iris_and_comments_are_not_refused() -> None:
    refuse_unsafe('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE <x>')
    refuse_unsafe("PREFIX ex: <http://example.org/SERVICE/> SELECT * WHERE { ?s ex:p ?o }")
    refuse_unsafe("SELECT * WHERE { ?s ?p ?o FILTER(?o != 'INSERT DATA') }")
    for text in ("PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }", "select * { service <http://e/> { ?s ?p ?o } }",
                 "CLEAR ALL", "# note\nDROP GRAPH <urn:g>"):
        with pytest.raises(HttpError) as refused:
            refuse_unsafe(text)
        assert refused.value.status == 403


def test_pages_escape_what_the_graph_holds(tmp_path: Path) -> None:
    nasty = '<script>alert("x")</script>'
    nt = tmp_path / "graph.nt"
    base = "https://w3id.org/pckg/id/"
    lines = [
        f'<{base}Person/a> <{RDF.type}> <{PCKG.Person}> .',
        f'<{base}Person/a> <{RDFS.label}> {ox.Literal(nasty, language="zh")} .',
        f'<{base}article/1> <{RDF.type}> <{PCKG.Article}> .',
        f'<{base}article/1> <{RDFS.label}> "a"@zh .',
        f'<{base}article/1> <https://schema.org/articleBody> {ox.Literal("正文" + nasty + "<img src=x>", language="zh")} .',
    ]
    nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    site = Site.open(nt, limits=Limits())
    for iri in (f"{base}Person/a", f"{base}article/1"):
        html = site.pages.resource(iri)
        assert html is not None and "<script>alert" not in html and "<img src=x>" not in html
        assert "&lt;script&gt;" in html
    assert site.iri_of("/id/Person/a") == f"{base}Person/a"
    assert site.iri_of("/id/Event/a/b c") == f"{base}Event/a%2Fb%20c"  # as kg.export.rdf escapes names
    assert site.href(f"{base}Event/a%2Fb%20c") == "/id/Event/a%2Fb%20c"
    assert 'id="in-view"' not in (site.pages.resource(f"{base}Person/a") or "")  # no graph.html, no link
    site.graph_html = tmp_path / "graph.html"
    # the node id is the name unescaped: Event/a/b c, one fragment parameter
    assert site.view_href(f"{base}Event/a%2Fb%20c") == "/graph.html#id=Event%2Fa%2Fb%20c"


def test_bound_values_are_terms_not_query_text(server: Server) -> None:
    from kg.query import with_values

    text = with_values("SELECT ?q WHERE { }", {"q": ox.Literal('x" } . ?s ?p ?o . FILTER("', language="zh")})
    rows = ox.Store().query(text)
    assert isinstance(rows, ox.QuerySolutions) and len(list(rows)) == 1  # one row: the whole value is one literal
    status, _, body = get(server.url + "search?q=" + urllib.parse.quote('"} SERVICE <http://e/> {'), "text/html")
    assert status == 200 and "Nothing found" in body.decode()
    status, _, body = get(f"{server.url}queries/articles-mentioning?name=" + urllib.parse.quote('x"@zh } ?a ?b ?c {'),
                          "application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_a_build_with_its_own_base_iri_answers_under_that_path(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8000/data/"
    nt = tmp_path / "graph.nt"
    nt.write_text(f'<{base}page/1> <{RDF.type}> <{PCKG.Page}> .\n<{base}Village/甲村> <{RDFS.label}> "甲村"@zh .\n',
                  encoding="utf-8")
    site = Site.open(nt)
    assert site.base == base  # read from the build's page IRIs
    assert site.iri_of("/data/Village/甲村") == site.iri_of("/id/Village/甲村") == f"{base}Village/甲村"
    assert site.href(f"{base}Village/甲村") == "/id/" + urllib.parse.quote("Village/甲村")
    assert site.href("https://schema.org/Place") == "/resource?iri=https%3A%2F%2Fschema.org%2FPlace"


def test_a_build_without_its_manifest_is_not_served(seed_build, tmp_path: Path) -> None:
    from kg.errors import InputError
    from kg.serve import open_build

    _, _, out = seed_build
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "graph.nt").write_bytes((out / "graph.nt").read_bytes())
    with pytest.raises(InputError, match="manifest"):
        open_build(copy)


def test_a_named_query_row_limit_is_a_parameter_over_http_too(server: Server, seed_build) -> None:
    local = Store(seed_build[2])
    query = named_queries()[[q.name for q in named_queries()].index("top-entities")]
    for values in ({}, {"limit": "2"}, {"limit": "0"}, {"type": "Person", "limit": "1"}):
        want = json.loads(local.serialize(query, values, "json"))
        url = f"{server.url}queries/top-entities?" + urllib.parse.urlencode(values)
        status, _, body = get(url, "application/sparql-results+json")
        assert status == 200, body
        assert json.loads(body) == want, values
    assert len(json.loads(local.serialize(query, {"limit": "2"}, "json"))["results"]["bindings"]) == 2
    status, _, body = get(f"{server.url}queries/top-entities?limit=many", "application/sparql-results+json")
    assert status == 400 and b"not a number of rows" in body
    status, _, page = get(f"{server.url}queries", "text/html")
    assert status == 200 and page.count(b'name="limit"') == 1  # only top-entities has a row limit
