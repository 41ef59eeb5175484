"""`kg serve`: a build on a read-only HTTP server: SPARQL endpoint, linked-data IRIs, HTML pages.

    site = Site.open(Path("output"))
    make_server(site, "127.0.0.1", 8000).serve_forever()

Routes (the WSGI app `App` holds them; any WSGI server can run it):

  /sparql               SPARQL 1.1 Protocol: GET ?query=, POST form or application/sparql-query.
                        SELECT/ASK as W3C JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle,
                        N-Triples, JSON-LD or RDF/XML; by the Accept header (or ?format=), written
                        by pyoxigraph's serialisers. Updates, LOAD and SERVICE are refused (403).
  /queries/NAME         a named query (ontology/queries/NAME.rq), parameters as ?name=value
  <base path>REST, /id/REST
                        the resource <base>REST by content negotiation: text/html a page,
                        text/turtle / application/ld+json / application/n-triples its description
  /search?q=            label and alias search          /graph.html  the build's graph view
  /                     the front page

Limits: a query that runs past `Limits.timeout` seconds, or whose result has more than
`Limits.max_rows` rows or triples, is answered with an error saying which. A streaming
evaluation stops at the deadline; one that must finish before its first row (a sort, an
aggregate) runs on in its worker after the answer, and at most `Limits.workers` run at once.
"""

from __future__ import annotations

import json
import re
import socketserver
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as _wsgi_server

import pyoxigraph as ox

from . import query as q
from .query import with_values
from .errors import KgError, QueryError
from .export.rdf import DEFAULT_BASE, PCKG, PREFIXES, _escape, check_base_iri
from .site import Pages, page_query
from .validate import graph_file

# Media types offered, the server's preference first. Aliases that clients send map to one of them.
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
            "application/turtle": "text/turtle", "text/plain": "application/n-triples",
            "application/x-json+ld": "application/ld+json"}
_FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
                 "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
                 "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
                 "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml", "html": "text/html"}
HTML = "text/html"
_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_BODY = 1_000_000  # bytes of a POSTed query

# An update request: after its prologue, an update keyword (SPARQL 1.1 Update, section 3).
# Looked for in the text with its IRIs blanked (below), so the prologue's IRIs are gone.
_PROLOGUE = r"(?:\s*(?:PREFIX\s+[^\s:]*:|BASE\b))*\s*"
_UPDATE = re.compile(_PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
# Strings, IRIs and comments, blanked before looking for keywords so that text cannot trigger them.
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


@dataclass(frozen=True)
class Limits:
    """What one query may cost."""

    timeout: float = 10.0  # seconds
    max_rows: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
    workers: int = 4  # queries evaluated at once


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class HttpError(Exception):
    """An answer other than 200, with a message for people (in English and Chinese)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _TimeLimit(Exception):
    pass


class _RowLimit(Exception):
    pass


def open_build(build: Path) -> tuple[Path, ox.Store]:
    """The graph file of a build (graph.nt, else graph.ttl or graph.jsonld) loaded into an in-memory store.

    graph_file refuses a build whose manifest is missing or does not match its files, as every reader does.
    """
    path = graph_file(build)
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}.get(path.suffix, ox.RdfFormat.TURTLE)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: cannot load the graph (无法加载图谱): {exc}") from None
    return path, store


def detect_base(store: ox.Store) -> str:
    """The data namespace of a build: where its page IRIs (`<base>page/<hash>`) live; the default if none."""
    for row in store.query(f"SELECT ?p WHERE {{ ?p a <{PCKG}Page> }} LIMIT 1"):  # type: ignore[union-attr]
        iri = row["p"].value
        at = iri.rfind("page/")
        if at > 0:
            return iri[:at]
    return DEFAULT_BASE


def refuse_unsafe(text: str) -> None:
    """An HttpError(403) for an update, LOAD or SERVICE: this server only reads its own graph."""
    bare = _OPAQUE.sub(" ", text)
    if _UPDATE.match(bare):
        raise HttpError(403, "updates are not allowed: this endpoint is read-only (不允许更新：只读端点)")
    if _SERVICE.search(bare):
        raise HttpError(403, "SERVICE is not allowed: this endpoint queries its own graph only (不允许 SERVICE 联邦查询)")


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers: highest q, then the most specific range,
    then the client's order; */* gets the first offered. None when nothing offered is acceptable."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        media = _ALIASES.get(media.lower(), media.lower())
        weight = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    weight = float(p[2:])
                except ValueError:
                    weight = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-weight, -specificity, i, media))
    for neg_weight, _, _, media in sorted(ranges):
        if neg_weight >= 0:
            break
        for offer in offered:
            if media in ("*/*", offer) or (media.endswith("/*") and offer.startswith(media[:-1])):
                return offer
    return None


@dataclass
class Site:
    """One loaded build and what serving it needs: store, data namespace, limits, page renderer."""

    store: ox.Store
    source: Path
    base: str = DEFAULT_BASE
    limits: Limits = field(default_factory=Limits)
    graph_html: Path | None = None

    def __post_init__(self) -> None:
        self.base = check_base_iri(self.base)
        self.triples = len(self.store)
        self._slots = threading.BoundedSemaphore(self.limits.workers)
        self.pages = Pages(self.rows, self.href, view=self.view_href)
        self._local = urlsplit(self.base).path  # also answered under this path, not only /id/

    @classmethod
    def open(cls, build: Path, base: str | None = None, limits: Limits | None = None) -> Site:
        path, store = open_build(build)
        html = path.with_name("graph.html")
        return cls(store, path, base or detect_base(store), limits or Limits(), html if html.is_file() else None)

    # ---- IRIs and local addresses

    def href(self, iri: str) -> str:
        """The local address of an IRI: /id/REST for the build's own IRIs, /resource?iri= otherwise."""
        if iri.startswith(self.base):
            return "/id/" + quote(iri[len(self.base):], safe="/%")
        return "/resource?iri=" + quote(iri, safe="")

    def view_href(self, iri: str) -> str | None:
        """Where the build's graph view opens on the node of one of its IRIs (graph.html#id=<node id>);
        None without a graph.html. The node id is the IRI after the namespace, unescaped."""
        if self.graph_html is None or not iri.startswith(self.base):
            return None
        return "/graph.html#id=" + quote(unquote(iri[len(self.base):]), safe="")

    def iri_of(self, path: str) -> str | None:
        """The build IRI that a request path names, or None: /id/Type/name and <base path>Type/name."""
        for prefix in ("/id/", self._local):
            if prefix and prefix != "/" and path.startswith(prefix) and len(path) > len(prefix):
                head, sep, name = path[len(prefix):].partition("/")
                # Paths arrive percent-decoded; the IRIs hold the characters kg.export.rdf escapes escaped.
                return f"{self.base}{head}{sep}{_escape(name)}" if sep else None
        return None

    # ---- queries under the limits

    def rows(self, name: str, bound: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows of a canned page query (ontology/pages/NAME.rq) with the variables of `bound` bound."""
        solutions = self.store.query(with_values(page_query(name), bound))
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    def answer(self, text: str, accept: str | None, bound: Mapping[str, Any] | None = None,
               html: Callable[[Any], Response] | None = None) -> Response:
        """Evaluate a query, with `bound` variables (name -> term), under the limits; its result in the
        negotiated format.

        `html`, when given, renders SELECT/ASK results for a browser (text/html is then offered too).
        """
        deadline = time.monotonic() + self.limits.timeout
        if bound:
            text = with_values(text, bound)
        if not self._slots.acquire(timeout=self.limits.timeout):
            raise HttpError(503, f"all {self.limits.workers} query workers are busy (服务器繁忙); try again later")
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["response"] = self._evaluate(text, accept, deadline, html)
            except BaseException as exc:  # handed to the request's thread
                outcome["error"] = exc
            finally:
                self._slots.release()
                done.set()

        # A daemon thread, not a pool's: a query that cannot be stopped must not keep the server
        # from exiting on Ctrl-C.
        threading.Thread(target=work, name="sparql", daemon=True).start()
        try:
            if not done.wait(self.limits.timeout + 0.5):
                raise _TimeLimit()
            if "error" in outcome:
                raise outcome["error"]
            return outcome["response"]
        except _TimeLimit:
            raise HttpError(503, self._too_long()) from None
        except _RowLimit:
            raise HttpError(400, f"the result has more than {self.limits.max_rows:,} rows, the limit of this server "
                            f"(结果超过 {self.limits.max_rows} 行上限); add LIMIT or ask for less") from None

    def _too_long(self) -> str:
        return (f"the query ran past the time limit of {self.limits.timeout:g} s (查询超时); "
                "ask for less, or use `kg query` on the build")

    def _take(self, items: Iterable[Any], deadline: float) -> list[Any]:
        taken = []
        for item in items:
            taken.append(item)
            if len(taken) > self.limits.max_rows:
                raise _RowLimit()
            if time.monotonic() > deadline:
                raise _TimeLimit()
        return taken

    def _evaluate(self, text: str, accept: str | None, deadline: float,
                  html: Callable[[Any], Response] | None) -> Response:
        try:
            result = self.store.query(text)
            if isinstance(result, ox.QueryTriples):
                media = negotiate(accept, RDF_TYPES)
                if media is None:
                    raise HttpError(406, f"a graph result can be sent as: {', '.join(RDF_TYPES)} (无法满足 Accept)")
                triples = self._take(result, deadline)
                body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=_prefixes())
                return Response(200, _typed(media), body or b"")
            offered = (*RESULT_TYPES, HTML) if html else RESULT_TYPES
            media = negotiate(accept, offered)
            if media is None:
                raise HttpError(406, f"results can be sent as: {', '.join(offered)} (无法满足 Accept)")
            if isinstance(result, ox.QuerySolutions):
                result = _solutions(result.variables, self._take(result, deadline))
            if media == HTML and html is not None:
                return html(json.loads(result.serialize(format=ox.QueryResultsFormat.JSON) or b"{}"))
            body = result.serialize(format=ox.QueryResultsFormat.from_media_type(media))
            return Response(200, _typed(media), body or b"")
        except SyntaxError as exc:
            raise HttpError(400, f"the query is not valid SPARQL (查询语法错误): {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise HttpError(400, f"the query failed (查询失败): {exc}") from None

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's own triples and the labels of what they point to (its description)."""
        node = ox.NamedNode(iri)
        triples = []
        for row in self.rows("resource", {"this": node}):
            triples.append(ox.Triple(node, row["p"], row["o"]))
            if "label" in row:
                triples.append(ox.Triple(row["o"], ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                         row["label"]))
        return sorted(set(triples), key=str)




def _prefixes() -> dict[str, str]:
    return {name: str(ns) for name, ns in PREFIXES.items()}


def _typed(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else media


def _solutions(variables: Sequence[ox.Variable], rows: Sequence[ox.QuerySolution]) -> ox.QuerySolutions:
    """Rows already taken from a result, as a QuerySolutions that pyoxigraph's writers accept.

    pyoxigraph cannot build one from Python objects, so the rows go through W3C TSV, whose cells
    are the terms in N-Triples syntax (str() of a term) and which it reads back exactly.
    """
    names = [v.value for v in variables]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows:
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)  # type: ignore[return-value]


class App:
    """The WSGI application over a Site."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            response = self.route(environ)
        except HttpError as exc:
            response = self.error(exc.status, exc.message, environ.get("HTTP_ACCEPT"))
        except KgError as exc:
            response = self.error(400, str(exc), environ.get("HTTP_ACCEPT"))
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                  406: "Not Acceptable", 413: "Payload Too Large", 415: "Unsupported Media Type",
                  503: "Service Unavailable"}.get(response.status, "Error")
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   ("Access-Control-Allow-Origin", "*"), *response.headers]
        start_response(f"{response.status} {reason}", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [response.body]

    def error(self, status: int, message: str, accept: str | None) -> Response:
        if negotiate(accept, ("text/plain", HTML)) == HTML:
            body = self.site.pages.render("error.html", status=status, message=message)
            return Response(status, "text/html; charset=utf-8", body.encode("utf-8"), _PAGE_HEADERS)
        return Response(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def route(self, environ: dict[str, Any]) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        # PEP 3333: PATH_INFO is the decoded path as latin-1 code points; the bytes are UTF-8.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        params = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        accept = environ.get("HTTP_ACCEPT")
        if path == "/sparql":
            return self.sparql(method, environ, params, accept)
        if method not in ("GET", "HEAD"):
            raise HttpError(405, f"{method} is not allowed here: this server is read-only (只读)")
        if "format" in params:
            accept = _FORMAT_PARAM.get(params["format"], params["format"])
        if path == "/":
            return _page(self.site.pages.home(self.site.triples, str(self.site.source)))
        if path == "/search":
            return _page(self.site.pages.search(params.get("q", "")))
        if path == "/graph.html":
            if self.site.graph_html is None:
                raise HttpError(404, "this build has no graph.html (没有图谱视图); build it with `kg build -f html`")
            return Response(200, "text/html; charset=utf-8", self.site.graph_html.read_bytes())
        if path == "/queries":
            return _page(self.site.pages.render("queries.html", queries=q.named_queries()))
        if path.startswith("/queries/"):
            return self.named(path[len("/queries/"):], params, accept)
        if path == "/resource":
            return self.resource(params.get("iri", ""), accept)
        iri = self.site.iri_of(path)
        if iri is not None:
            return self.resource(iri, accept)
        raise HttpError(404, f"nothing at {path} (未找到)")

    def sparql(self, method: str, environ: dict[str, Any], params: dict[str, str], accept: str | None) -> Response:
        text = params.get("query")
        update = params.get("update")
        if method == "POST":
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            body = _body(environ)
            if ctype == "application/x-www-form-urlencoded":
                form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
                text, update = form.get("query", text), form.get("update", update)
            elif ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype == "application/sparql-update":
                update = body.decode("utf-8", "replace")
            else:
                raise HttpError(415, "POST a query as application/x-www-form-urlencoded (query=…) or as "
                                     "application/sparql-query (请求类型不支持)")
        elif method not in ("GET", "HEAD"):
            raise HttpError(405, f"{method} is not allowed on /sparql: use GET or POST (只读)")
        if update is not None:
            raise HttpError(403, "updates are not allowed: this endpoint is read-only (不允许更新：只读端点)")
        if "format" in params:
            accept = _FORMAT_PARAM.get(params["format"], params["format"])
        if text is None:
            if negotiate(accept, (HTML, "text/plain")) == HTML:
                return _page(self.site.pages.render("sparql.html", query=_EXAMPLE, boolean=None))
            raise HttpError(400, "no query given: send ?query=SPARQL (未提供查询)")
        refuse_unsafe(text)
        return self.site.answer(text, accept, html=lambda result: self._table(text, result))

    def _table(self, text: str, result: dict[str, Any]) -> Response:
        columns = result.get("head", {}).get("vars", [])
        rows = []
        for binding in result.get("results", {}).get("bindings", []):
            row: list[tuple[str, str | None]] = []
            for c in columns:
                term = binding.get(c)
                if term is None:
                    row.append(("", None))
                elif term["type"] == "uri":
                    row.append((term["value"], self.site.href(term["value"])))
                else:
                    row.append((term["value"], None))
            rows.append(row)
        return _page(self.site.pages.render("sparql.html", query=text, columns=columns, rows=rows,
                                            boolean=result.get("boolean")))

    def named(self, name: str, params: dict[str, str], accept: str | None) -> Response:
        if not _QUERY_NAME.fullmatch(name):
            raise HttpError(404, f"no named query {name!r} (无此查询); see /queries")
        found = q.find_query(name)
        values = {k: v for k, v in params.items() if k != "format" and v != ""}
        bound = q.bindings(found, values)
        text = q.query_text(found, values)
        subs = {k: ox.NamedNode(v) if kind == "iri" else ox.Literal(v, language="zh") for k, (kind, v) in bound.items()}
        return self.site.answer(text, accept, subs, html=lambda result: self._table(text, result))

    def resource(self, iri: str, accept: str | None) -> Response:
        media = negotiate(accept, (HTML, *RDF_TYPES))
        if media is None:
            raise HttpError(406, f"a resource can be sent as: {', '.join((HTML, *RDF_TYPES))} (无法满足 Accept)")
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            raise HttpError(400, f"not an IRI: {iri!r} (IRI 无效)") from None
        if media == HTML:
            page = self.site.pages.resource(node.value)
            if page is None:
                raise HttpError(404, f"the graph says nothing about <{iri}> (图谱中没有此资源)")
            return _page(page, vary=True)
        triples = self.site.describe(node.value)
        if not triples:
            raise HttpError(404, f"the graph says nothing about <{iri}> (图谱中没有此资源)")
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=_prefixes())
        return Response(200, _typed(media), body or b"", (("Vary", "Accept"),))


_EXAMPLE = """PREFIX pckg: <https://w3id.org/pckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type (COUNT(?thing) AS ?n) WHERE { ?thing a ?type } GROUP BY ?type ORDER BY DESC(?n)"""
# Our pages hold no script and load nothing but themselves; forms post back here only.
_PAGE_HEADERS = (("Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'"),)


def _page(html: str, vary: bool = False) -> Response:
    headers = _PAGE_HEADERS + ((("Vary", "Accept"),) if vary else ())
    return Response(200, "text/html; charset=utf-8", html.encode("utf-8"), headers)


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise HttpError(413, f"the request body is over {MAX_BODY:,} bytes (请求过大)")
    return bytes(environ["wsgi.input"].read(length)) if length > 0 else b""


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    """Logs one line per request to stderr, as wsgiref does, without reverse DNS look-ups."""

    def address_string(self) -> str:
        return str(self.client_address[0])


def make_server(site: Site, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A threading WSGI server for `site`, bound but not yet serving; port 0 picks a free port."""
    try:
        return _wsgi_server(host, port, App(site), server_class=_ThreadingServer, handler_class=_Quiet)
    except OSError as exc:
        raise QueryError(f"cannot listen on {host}:{port} (无法监听端口): {exc.strerror or exc}") from None


def serve(build: Path, host: str = "127.0.0.1", port: int = 8000, base: str | None = None,
          limits: Limits | None = None, ready: Callable[[str, Site], None] | None = None) -> None:
    """Load `build` and serve it until interrupted; `ready(url, site)` is called once listening."""
    site = Site.open(build, base, limits)
    server = make_server(site, host, port)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}/"
    if ready is not None:
        ready(url, site)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


