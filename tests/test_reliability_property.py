"""Any page under any file name builds or is refused in one line, and every output parses strictly.

Pages are random Unicode with the characters that broke outputs in issue 19's probe (controls,
form feeds, separators, private use, non-characters), markup lines, and long lines; file names
hold bytes that are not UTF-8 and controls.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg import manifest
from kg.build import build
from kg.validate import validate

_ODD = "\f\x0b\x1c\x1d\x1e\x1f\x85\x9c\x7f\x1b\x07\x00\u2028\u2029\ue000\ufdd0\ufffe\uffff\U0001fffe\U000f0000\r\t"
_LINES = st.sampled_from([
    "## 平城区开展专项行动", "### 清远街道", "本报讯（记者 尚丽）近日，平城区清远街道开展交通安全宣传活动。",
    "于宏摄", "图为志愿者为居民讲解。", "本报记者 段雨萌", "——副标题", "# ", "2024年5月12日，永泰街道在民和社区举办活动。",
])
_CHARS = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(_ODD))
_LINE = st.one_of(
    _LINES,
    st.text(_CHARS, max_size=40),
    st.tuples(_LINES, st.sampled_from(_ODD), _LINES).map("".join),
    st.tuples(st.sampled_from(["## ", ""]), st.integers(1_000, 30_000)).map(lambda t: t[0] + "很长" * t[1]),
)
_PAGE = st.lists(_LINE, min_size=1, max_size=12).map("\n".join)
_NAME = st.lists(st.sampled_from([b"a", b"\xe4\xb8\xad", b"\xff", b"\xfe", b"\x1b", b" ", b"\xe2\x80\xa8", b"-"]),
                 min_size=1, max_size=6).map(lambda parts: b"".join(parts) + b".txt")


def _check_outputs(out: Path) -> None:
    import html5lib
    import networkx as nx
    import pyoxigraph as ox
    import rdflib

    manifest.check(out, [e.path for e in manifest.read(out).files])
    nt = list(ox.parse(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    ttl = list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(nt) == len(ttl) > 0
    assert len(rdflib.Graph().parse(out / "graph.jsonld", format="json-ld")) == len(nt)
    nx.read_graphml(out / "graph.graphml")
    csv.field_size_limit(1 << 30)  # an article body on one long line is one long field
    for table in sorted((out / "neo4j").rglob("*.csv")):
        with table.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, strict=True))
        assert rows and all(len(r) == len(rows[0]) for r in rows), table
    html5lib.HTMLParser(strict=True).parse((out / "graph.html").read_bytes())
    shacl = validate(out)
    assert shacl.conforms, "\n".join(str(v) for v in shacl.violations)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=st.lists(st.tuples(_NAME, _PAGE), min_size=1, max_size=3))
def test_any_pages_under_any_names_build_or_are_refused_and_every_output_parses(
        tmp_path: Path, pages: list[tuple[bytes, str]]) -> None:
    folder = tmp_path / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for i, (name, text) in enumerate(pages):
        with open(os.path.join(os.fsencode(folder), b"%d" % i + name), "wb") as f:
            f.write(text.encode("utf-8"))
    out = tmp_path / "out"
    _, report = build([folder], out)
    for error in report.errors:
        assert "\n" not in error and "\x1b" not in error and len(error) < 400, error
        error.encode("utf-8")  # no lone surrogate: printable anywhere
    if report.pages == 0:
        assert report.errors
        event("every page refused")
        return
    event("built")
    _check_outputs(out)
