"""Our hand-written serialisers against the libraries we already depend on, on one generated corpus.

    .venv/bin/python -m benchmarks.serialisers [ARTICLES]   # default 1000

For each piece the hand-written code keeps, the library route that would replace it, timed on
the same graph (best of 3, seconds of CPU in this process) and checked for the same output:
  literals     kg.export.rdf._zh/_plain (escape only when needed) vs str(pyoxigraph.Literal) always
  Turtle       kg.export.rdf._turtle_lines vs pyoxigraph's Turtle serializer (parse + write): the
               build writes Turtle beside N-Triples and JSON-LD in one pass, held to Oxigraph's text
  JSON-LD      kg.export.rdf._jsonld_lines vs pyoxigraph's JSON-LD serializer (parse + write)
  GraphML      kg.export.graphml (streamed) vs networkx.write_graphml (ElementTree)
IRI minting (kg.export.rdf._escape) has no library counterpart: pyoxigraph.NamedNode validates an
IRI and rejects one with a space or a "<", it does not percent-encode it.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import networkx as nx
import pyoxigraph as ox

from benchmarks.corpus import generate
from kg.build import extract, read
from kg.export import graphml, rdf
from kg.graph import build_graph


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        began = time.process_time()
        fn()
        times.append(time.process_time() - began)
    return min(times)


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        generate(articles, pages)
        docs, _ = read([pages])
        g = build_graph(docs, extract(docs))
        lines = rdf.nt_lines(g)
        print(f"{articles:,} articles: {g.number_of_nodes():,} nodes, {len(lines):,} triples")

        texts = [str(d.get("label") or "") for _, d in g.nodes(data=True)]
        texts += [str(d.get("body") or "") for _, d in g.nodes(data=True)]
        texts += [t for _, _, d in g.edges(data=True) for m in d.get("mentions", ()) for t in (m.surface, m.sentence)]
        texts += [str(d["evidence"]) for _, _, d in g.edges(data=True) if d.get("evidence")]
        assert [rdf._zh(t) for t in texts] == [str(ox.Literal(t, language="zh")) for t in texts]
        ours = best(lambda: [rdf._zh(t) for t in texts], 5)
        theirs = best(lambda: [str(ox.Literal(t, language="zh")) for t in texts], 5)
        print(f"literals ({len(texts):,}): ours {ours:.3f} s, pyoxigraph {theirs:.3f} s, same text")

        text = "".join(lines).encode()
        prefixes = {p: str(ns) for p, ns in rdf.PREFIXES.items()}

        def oxigraph_turtle() -> bytes:
            quads = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
            out = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            assert out is not None
            return out

        ours = best(lambda: "".join(rdf._turtle_lines(lines)))
        theirs = best(oxigraph_turtle)
        same = oxigraph_turtle().decode() == "".join(rdf._turtle_lines(lines))
        print(f"Turtle: ours {ours:.3f} s, pyoxigraph {theirs:.3f} s, same text: {same}")

        ours = best(lambda: "".join(rdf._jsonld_lines(lines)))

        def oxigraph_jsonld() -> bytes:
            quads = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
            out = ox.serialize(quads, format=ox.RdfFormat.JSON_LD, prefixes=prefixes)
            assert out is not None
            return out

        theirs = best(oxigraph_jsonld)
        same = oxigraph_jsonld().decode() == "".join(rdf._jsonld_lines(lines))
        print(f"JSON-LD: ours {ours:.3f} s, pyoxigraph {theirs:.3f} s, same bytes: {same}")

        out = Path(tmp) / "out"
        out.mkdir()
        ours = best(lambda: graphml.write_graphml(g, out))

        def networkx_graphml() -> bytes:
            buffer = io.BytesIO()
            nx.write_graphml(graphml.to_graphml_graph(g), buffer)
            return buffer.getvalue()

        theirs = best(networkx_graphml)
        same = networkx_graphml() == (out / "graph.graphml").read_bytes()
        print(f"GraphML: ours {ours:.3f} s, networkx {theirs:.3f} s, same bytes: {same}")


if __name__ == "__main__":
    main()
