"""Graph -> graph.html: an interactive pyvis/vis-network page that works offline and runs no article text.

Entities, events and articles are nodes. Articles stay in the picture because
they are what ties the graph together: most entities are linked only by the
articles that name them, so without them a page of news is a cloud of dots.
`kg view --types` leaves them out when a reader wants only the entities.

Safety: all text travels as JSON in a non-executable <script type="application/json">
(Jinja's `tojson` escapes < > & and ', so no "</script>" can close it early), and the
page puts it into the DOM with textContent only. A Content-Security-Policy with the
hashes of the page's own two scripts backs this up: nothing else may run or load.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import schema, view
from ..errors import OutputError
from .registry import ExportContext, register

ASSETS = Path(__file__).with_name("html_assets")
# pyvis ships the vis-network bundle the page inlines. Found without importing pyvis, whose
# import (IPython, jsonpickle) took 0.1 s of a 2 s rebuild: the page needs only the bundle.
VIS_DIR = Path(str(find_spec("pyvis").origin)).parent / "lib" / "vis-9.1.2"  # type: ignore[union-attr]
SEED = 20240601  # vis-network's layout.randomSeed: the same graph always lands the same way


@dataclass(frozen=True)
class Style:
    """How one legend group looks: Chinese and English name, vis shape, colour, legend glyph."""

    zh: str
    en: str
    shape: str
    color: str
    glyph: str


# Colour and shape together tell the eleven groups apart (vis has seven label-outside shapes):
# (shape, colour, legend glyph); the names are kg.schema's, which are pckg.ttl's.
_LOOKS: dict[str, tuple[str, str, str]] = {
    "AdminArea": ("hexagon", "#0b5394", "⬢"),
    "Subdistrict": ("hexagon", "#3d9be9", "⬢"),
    "Community": ("triangle", "#2e9e5b", "▲"),
    "Village": ("triangleDown", "#7fae1b", "▼"),
    "Place": ("diamond", "#e69f00", "◆"),
    "Agency": ("square", "#d55e00", "■"),
    "Company": ("square", "#c2569b", "■"),
    "Organization": ("diamond", "#8a5cc7", "◆"),
    "Person": ("dot", "#e03c3c", "●"),
    "Event": ("star", "#f2b700", "★"),
    "Article": ("square", "#a7a7a7", "■"),
}
GROUPS: dict[str, Style] = {g: Style(schema.GROUPS[g].zh, schema.GROUPS[g].en, *looks) for g, looks in _LOOKS.items()}
_FALLBACK = Style("其他", "Other", "dot", "#607d8b", "●")

# Edge predicates of kg.graph, in legend order: colour, dashed; the names are kg.schema's.
_LINES: dict[str, tuple[str, bool]] = {
    "partOf": ("#3d6e9e", False),
    "officialPartOf": ("#3d6e9e", True),
    "locatedIn": ("#3d6e9e", False),
    "responsibleFor": ("#b5542a", False),
    "memberOf": ("#8a5cc7", False),
    "organizer": ("#b08400", False),
    "undertaker": ("#b08400", False),
    "participant": ("#b08400", False),
    "location": ("#b08400", False),
    "author": ("#8c8c8c", False),
    "photographer": ("#8c8c8c", False),
    "mentions": ("#c9c9c9", True),
}
# Chinese label, English, colour, dashed.
RELATIONS: dict[str, tuple[str, str, str, bool]] = {
    key: (schema.PREDICATE_LABELS[key].zh, schema.PREDICATE_LABELS[key].en, *line) for key, line in _LINES.items()
}
MAX_HEADLINES = 20  # per node in the page; the rest are counted, not listed
MAX_EVIDENCE = 3
MAX_TEXT = 160  # characters of one evidence sentence
LABEL_CHARS = 14  # article and event labels are cut here; the full text is in the tooltip
# Any name, headline or fact in the page is cut here (the RDF, CSV and GraphML files keep it
# whole): a 2 MB one-line headline, copied into every node that lists it, made a 450 MB page.
MAX_NAME = 200
MAX_BODY = 4000  # characters of an article's text in the details panel
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _clip(text: object, n: int) -> str:
    raw = str(text)
    text = " ".join(raw[: 4 * n].split())  # cut first: a headline can be megabytes long
    return text if len(text) <= n and len(raw) <= 4 * n else text[: n - 1] + "…"


def _cut(text: object, n: int = MAX_NAME) -> str:
    """`text` as it is up to `n` characters, else its first n-1 and an ellipsis."""
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _style(group: str) -> Style:
    return GROUPS.get(group, _FALLBACK)


def colour(group: str) -> str:
    """A legend group's colour, "#rrggbb": GraphML gives Gephi the same colours as the page."""
    return _style(group).color


def _headline(d: dict) -> str:
    return _cut(d.get("headline") or d["label"])


def _iso_date(text: object) -> str | None:
    m = _ISO_DATE.match(str(text or ""))
    return m.group(0) if m else None


def _web_url(text: object) -> str | None:
    """Only an http(s) address becomes a link: a javascript: or data: one would run or load."""
    text = str(text or "")
    return text if text.startswith(("https://", "http://")) else None


def _article_facts(g: nx.MultiDiGraph, node: str) -> dict:
    """An article's text, publication date and source address (kg.graph's attributes), for the details panel."""
    d = g._node[node]
    body = str(d.get("body") or "")
    return {
        "body": body[:MAX_BODY],
        "bodyMore": max(0, len(body) - MAX_BODY),
        "date": _iso_date(d.get("published")),
        "url": _web_url(d.get("url")),
    }


def _node_info(g: nx.MultiDiGraph, node: str) -> dict:
    """What the tooltip and search know about a node (plain strings; the page escapes them)."""
    nodes = g._node  # networkx's own dicts: its edge views cost 5x
    d = nodes[node]
    grp = schema.group(d)
    style = _style(grp)
    facts: list[list[str]] = []
    if d["kind"] == "Article":
        name = _headline(d)
        for key, field in (("版面 page", "page"), ("栏目 kicker", "kicker"), ("副题 subtitle", "subtitle")):
            if d.get(field):
                facts.append([key, _cut(d[field])])
        linked = sorted({_clip(nodes[v]["label"], 40) for v in g._succ[node] if nodes[v]["kind"] != "Page"})
        headlines = linked
        headline_key = "提到 names"
        mentions: int | None = None
    else:
        name = _cut(d["label"])
        if d["kind"] == "Event":
            facts += [[k, _cut(d[f])] for k, f in (("类型 type", "type"), ("时间 date", "date_text")) if d.get(f)]
            if d.get("evidence"):
                facts.append(["依据 evidence", _clip(d["evidence"], MAX_TEXT)])
        headlines = sorted({_headline(nodes[u]) for u in g._pred[node] if nodes[u]["kind"] == "Article"})
        headline_key = "报道 articles"
        mentions = view.mentions(g, node)
    dates = {"date": _iso_date(d.get("date_start")), "dateEnd": _iso_date(d.get("date_end"))}
    extra = _article_facts(g, node) if d["kind"] == "Article" else dates if d["kind"] == "Event" else {}
    return {
        **extra,
        "name": name,
        "names": [_cut(n) for n in view.names(d)] if d["kind"] != "Article" else [name],
        "type": grp,
        "typeZh": f"{style.zh} {style.en}",
        "aliases": [_cut(a) for a in d.get("aliases") or ()],
        "mentions": mentions,
        "facts": facts,
        "headlineKey": headline_key,
        "headlines": headlines[:MAX_HEADLINES],
        "more": max(0, len(headlines) - MAX_HEADLINES),
    }


def _edge_info(g: nx.MultiDiGraph, u: str, v: str, key: str, d: dict, names: dict[str, str] | None = None) -> dict:
    """What an edge's tooltip shows; `names` remembers each node's short name across the edges
    of one page (a node has many edges, its name is clipped once)."""
    zh, en, _, _ = RELATIONS.get(key, (key, key, "", False))
    names = {} if names is None else names
    for node in (u, v):
        if node not in names:
            names[node] = _clip(g._node[node]["label"], 40)
    evidence: list[str] = []
    if d.get("evidence"):
        evidence.append(_clip(d["evidence"], MAX_TEXT))
    for mention in d.get("mentions") or ():
        if len(evidence) >= MAX_EVIDENCE:
            break  # only the first MAX_EVIDENCE are shown: the rest need not be clipped
        sentence = _clip(mention.sentence, MAX_TEXT)
        if sentence and sentence not in evidence:
            evidence.append(sentence)
    facts = [["职务 role", str(d["role"])]] if d.get("role") else []
    return {
        "rel": key,
        "relZh": zh,
        "fromName": names[u],
        "toName": names[v],
        "facts": facts,
        "evidence": evidence[:MAX_EVIDENCE],
    }


def _options(nodes: int, edges: int) -> dict:
    """vis-network options: seeded layout, physics that stabilises off-screen and then stops.

    Past a few hundred nodes each physics round costs tens of milliseconds in a browser, so
    big graphs get fewer rounds, straight edges and no overlap avoidance: each costs more
    than it shows there (benchmarks/html_layout.py).
    """
    big = nodes > 300
    font = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
    return {
        "autoResize": True,
        # vis gives up its Kamada-Kawai seeding on our graphs (many components) and says so: skip it.
        "layout": {"randomSeed": SEED, "improvedLayout": False},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                # Small views (the overview, a neighbourhood) get room for their labels, with enough
                # pull to the centre that unlinked nodes stay near enough to be read; big ones stay compact.
                "gravitationalConstant": -60 if nodes > 100 else -110,
                "centralGravity": 0.03,
                "springLength": 60 if nodes > 100 else 110,
                "springConstant": 0.08,
                "damping": 0.5,
                "avoidOverlap": 0 if big else 0.3,
            },
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": True,
                "iterations": max(100, min(1000, 200_000 // max(nodes, 1))),
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
        },
        "nodes": {
            "font": {"face": font, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            # Labels scale with the node, but never below a size that can be read on the overview.
            "scaling": {"min": 10, "max": 40, "label": {"enabled": True, "min": 14, "max": 28, "drawThreshold": 6}},
        },
        "edges": {
            "font": {"face": font, "size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1,
            "selectionWidth": 2,
        },
    }


@dataclass
class Network:
    """The nodes, edges and options a page hands vis-network, as pyvis's Network holds them
    (its node and edge option dicts, built as pyvis.node.Node and pyvis.edge.Edge build them)."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    node_map: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


def to_network(g: nx.MultiDiGraph) -> Network:
    """The network for a view of the graph: its shown nodes and every edge between them."""
    net = Network()
    shown = [n for n, d in g._node.items() if d["kind"] in schema.SHOWN_KINDS]
    for node in shown:
        d = g._node[node]
        style = _style(schema.group(d))
        info = _node_info(g, node)
        color = {
            "background": style.color,
            "border": "#ffffff" if d["kind"] != "Article" else "#8a8a8a",
            "highlight": {"background": style.color, "border": "#222222"},
            "hover": {"background": style.color, "border": "#222222"},
        }
        # Size grows with the log of the mention count: one district named in every article
        # would otherwise dwarf everything else into same-sized dots.
        if d["kind"] == "Article":
            extra: dict = {"size": 7}
        else:
            extra = {"value": round(1 + math.log2(max(1, info["mentions"] or 1)), 3)}
        label = info["name"] if d["kind"] == "Entity" else _clip(info["name"], LABEL_CHARS)
        # Not vis's `group`: pyvis drops a node's colour when a group is given.
        _add_node(net, node, label=label, shape=style.shape, color=color, kg=info, **extra)
    ids = set(shown)
    names: dict[str, str] = {}
    pairs: dict[tuple[str, str], int] = {}
    for u, v, key, d in g.edges(keys=True, data=True):
        if u not in ids or v not in ids:
            continue
        # A counter is a stable id: kg.graph inserts edges in a deterministic order.
        zh, _, colour, dashed = RELATIONS.get(key, (key, key, "#777777", False))
        edge: dict = {
            "id": f"e{len(net.edges)}",
            "label": "" if key == "mentions" else zh,
            "color": {"color": colour, "highlight": "#222222", "hover": "#555555"},
            "dashes": dashed,
            "kg": _edge_info(g, u, v, key, d, names),
        }
        # Parallel edges (an author who is also mentioned) would lie on top of each other: bend the later ones.
        nth = pairs.get((u, v), 0) + pairs.get((v, u), 0)
        pairs[(u, v)] = pairs.get((u, v), 0) + 1
        if nth:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}
        _add_edge(net, u, v, edge)
    net.options = _options(len(net.nodes), len(net.edges))
    return net


def _add_node(net: Network, node: str, label: str, shape: str, color: dict, **options: object) -> None:
    """pyvis's Network.add_node for a node not yet in `net` (without its quadratic search of
    every node added so far); no font colour, as pyvis gives none by default."""
    options = {**options, "color": color, "id": node, "label": label or node, "shape": shape}
    net.nodes.append(options)
    net.node_map[node] = options


def _add_edge(net: Network, u: str, v: str, options: dict) -> None:
    """pyvis's Network.add_edge, directed, between nodes known to be in `net`."""
    net.edges.append({**options, "from": u, "to": v, **({} if "arrows" in options else {"arrows": "to"})})


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render(g: nx.MultiDiGraph, title: str = "平城新闻知识图谱 Pingcheng news graph", note: str = "",
           focus: str | None = None) -> str:
    """The whole page as one string: every script and style inlined, no network request.

    Every node and edge of the view is in the page; it opens on `view.overview` and the
    reader grows it from there. `focus` is a node selected, with its details shown, once
    the layout settles.
    """
    net = to_network(g)
    initial = view.overview(g, focus)
    # Physics is tuned for what is laid out first, the overview, not for every node the page holds.
    net.options = _options(len(initial), len(net.edges))
    # vis-network's bundle holds a raw U+0085 in a string literal, a parse error to an HTML5
    # parser: written as the JavaScript escape it means the same.
    vis_js = re.sub("[\x80-\x9f]", lambda m: f"\\x{ord(m.group()):02x}",
                    (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"))
    app_js = (ASSETS / "app.js").read_text(encoding="utf-8")
    css = (ASSETS / "page.css").read_text(encoding="utf-8")
    for name, text in (("vis-network.min.js", vis_js), ("app.js", app_js), ("page.css", css)):
        if "</script" in text.lower() or "</style" in text.lower():
            raise OutputError(f"{name}: holds a closing tag and cannot be inlined (无法内联); check the pyvis install")
    counts = {group: 0 for group in view.groups(g)}
    for n in net.nodes:
        counts[n["kg"]["type"]] += 1
    groups = []
    for key in (*GROUPS, *sorted(set(counts) - set(GROUPS))):
        if counts.get(key):
            s = _style(key)
            groups.append({"id": key, "zh": s.zh, "en": s.en, "color": s.color, "glyph": s.glyph, "count": counts[key]})
    used = {e["kg"]["rel"] for e in net.edges}
    relations = [{"id": k, "zh": zh, "en": en, "color": c, "dashed": dash}
                 for k, (zh, en, c, dash) in RELATIONS.items() if k in used]
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "groups": groups,
            "relations": relations, "note": note, "focus": focus, "initial": initial,
            "optionsAll": _options(len(net.nodes), len(net.edges))}
    csp = "; ".join((
        "default-src 'none'",
        f"script-src {_sha256(vis_js)} {_sha256(app_js)}",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ))
    env = Environment(loader=FileSystemLoader(ASSETS), autoescape=select_autoescape(["html"]),
                      keep_trailing_newline=True)
    template = env.get_template("page.html")
    return template.render(
        title=title, csp=csp, css=css, vis_js=vis_js, app_js=app_js, data=json_for_script(data),
        pyvis_version=version("pyvis"), vis_version=VIS_DIR.name.removeprefix("vis-"),
    )


def json_for_script(data: object) -> str:
    """JSON that can sit inside <script type="application/json">: < > & escaped as \\u003c etc."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def write(g: nx.MultiDiGraph, path: Path, note: str = "", focus: str | None = None) -> Path:
    """Write one view of the graph as a self-contained page."""
    path.write_text(render(g, note=note, focus=focus), encoding="utf-8")
    return path


@register("html")
def export(g: nx.MultiDiGraph, out: Path, ctx: ExportContext | None = None) -> list[Path]:
    """output/graph.html: every entity, event and article, up to view.MAX_NODES of the most mentioned."""
    # Written whole every build: it is small (0.3 s at 10,000 articles), `ctx.reuse` is not needed.
    shown = view.limit(g, max_nodes=view.MAX_NODES)
    return [write(shown, out / "graph.html", note=view.describe(g, shown))]
