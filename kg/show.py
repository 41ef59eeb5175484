"""`kg view`: read a build's graph (or extract one from pages when asked), cut a view, write HTML.

By default the graph is the one the last `kg build` wrote: BUILD/graph.graphml, which
networkx reads back with every node and edge and their attributes. What GraphML does not
keep is the sentence of each mention (a mention edge keeps its count and surface forms), so a
view read from a build shows relation evidence but not the mention sentences in its edge
tooltips; `--pages` extracts afresh and has both.

    >>> path, shown, errors = write_view(Path("output"), Path("output/view.html"), "永泰街道")
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable
from xml.etree.ElementTree import ParseError

import networkx as nx

from . import view
from .build import extract, read
from .errors import OutputError, ViewError
from .export import html
from .export.graphml import LIST_DELIMITER
from .graph import build_graph

GRAPH_FILE = "graph.graphml"


def read_build(build: Path) -> nx.MultiDiGraph:
    """The graph of a build directory (its graph.graphml) or of a .graphml file."""
    path = build / GRAPH_FILE if build.is_dir() else build
    if not path.is_file():
        raise ViewError(
            f"{path}: no graph to view (没有图谱文件); run `kg build PAGES -o {build}` first "
            "(with the graphml format), or give --pages PAGES to extract one afresh"
        )
    try:
        g = nx.read_graphml(path, force_multigraph=True)
    except (ParseError, nx.NetworkXError, ValueError) as exc:
        raise ViewError(f"{path}: not a GraphML file kg can read (无法读取): {exc}") from None
    for _, d in g.nodes(data=True):
        if d.get("kind") == "Entity":
            # GraphML holds scalars: the writer joined the aliases (an empty value reads as absent).
            d["aliases"] = [a for a in str(d.get("aliases") or "").split(LIST_DELIMITER) if a]
    return g


def extract_pages(paths: Iterable[Path]) -> tuple[nx.MultiDiGraph, list[str]]:
    """Build the graph from page files without writing anything: (graph, page errors)."""
    docs, errors = read(paths)
    if not docs:
        raise ViewError("no page could be read (没有可读的版面); " + ("; ".join(errors) or "give page files or directories"))
    return build_graph(docs, extract(docs)), errors


def write_view(
    source: Path | Iterable[Path],
    out: Path,
    name: str | None = None,
    depth: int = 1,
    types: str | None = None,
    min_mentions: int = 0,
    max_nodes: int | None = view.MAX_NODES,
) -> tuple[Path, nx.MultiDiGraph, list[str]]:
    """Cut a view and write it as HTML: (path, graph shown, page errors).

    `source` is a build (a directory or a .graphml file) or, to extract afresh, page files
    and directories (any iterable of paths that is not itself a path).
    """
    errors: list[str] = []
    if isinstance(source, Path):
        graph = read_build(source)
    else:
        graph, errors = extract_pages(source)
    wanted = view.parse_types(types)
    focus = None
    if name:
        shown = view.neighbourhood(graph, name, depth, wanted, min_mentions)
        focus = view.find(graph, name)
        note = f"{name} 的 {depth} 度邻域 · depth-{depth} neighbourhood of {name}"
    else:
        shown = view.limit(graph, wanted, min_mentions, max_nodes)
        note = view.describe(graph, shown)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        html.write(shown, out, note=note, focus=focus)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the view (无法写入): {exc.strerror or exc}") from None
    return out, shown, errors
