"""Bad input: odd encodings, line ends, punctuation, sizes, names and unreadable files.

Every case checks the same three things: the bad page is handled with a message that
names its file, the other pages build exactly as they would alone, and nothing is
silently dropped: every character of every page lies in exactly one article segment
or fragment. (Empty, binary, missing and directory inputs are covered in test_ingest.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TINY_PAGE
from tests.test_ingest import assert_partition
from kg.build import build, extract, read
from kg.graph import build_graph
from kg.pages import decode
from kg.model import PageDoc
from kg.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


def _read_one(path: Path) -> PageDoc:
    docs, errors = read([path])
    assert errors == [], errors
    (doc,) = docs
    assert_partition(doc)
    return doc


def _shape(doc: PageDoc) -> list[tuple]:
    """What segmentation found, independent of the page's bytes: comparable across encodings."""
    return [(a.headline, a.reporters, a.photographers, tuple((p.role, p.text) for p in a.passages)) for a in doc.articles]


def _write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_page_in_gbk_gb18030_or_with_bom_reads_like_utf8(tmp_path: Path, encoding: str) -> None:
    want = _read_one(_write(tmp_path / "utf8.txt", TINY_PAGE))
    got = _read_one(_write(tmp_path / "other.txt", TINY_PAGE, encoding))
    assert got.page.text == want.page.text
    assert got.page.encoding == ("gb18030" if encoding.startswith("gb") else encoding)
    assert _shape(got) == _shape(want)


def test_gb18030_page_keeps_characters_outside_gbk(tmp_path: Path) -> None:
    text = TINY_PAGE.replace("尚丽", "尚𠀾丽")  # an Extension B character: GB18030 four-byte code
    doc = _read_one(_write(tmp_path / "ext.txt", text, "gb18030"))
    assert "𠀾" in doc.page.text and doc.page.encoding == "gb18030"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_segment_like_lf(tmp_path: Path, newline: str) -> None:
    want = _read_one(_write(tmp_path / "lf.txt", TINY_PAGE))
    got = _read_one(_write(tmp_path / "crlf.txt", TINY_PAGE, newline=newline))
    assert _shape(got) == _shape(want)
    assert [s.start for a in got.articles for s in a.segments] == [s.start for a in want.articles for s in a.segments]


def test_half_width_punctuation_in_byline_and_body_is_read(tmp_path: Path) -> None:
    mixed = (
        "## 开展交通安全专项行动\n\n"
        "本报讯(记者 尚丽)近日,平城区清远街道多措并举、宣教结合:在辖区开展交通安全宣传!\n\n"
        "活动现场，志愿者向居民发放宣传资料200余份;居民纷纷表示“受益匪浅”,现场气氛热烈。\n\n"
        "(来源:平城区融媒体中心)\n"
    )
    doc = _read_one(_write(tmp_path / "mixed.txt", mixed))
    (article,) = doc.articles
    assert article.headline == "开展交通安全专项行动"
    assert article.reporters == ("尚丽",)
    assert "居民纷纷表示“受益匪浅”,现场气氛热烈。" in article.body
    placed = article.body + "".join(f.text for f in doc.fragments)
    assert "(来源:平城区融媒体中心)" in placed


def test_page_that_is_one_huge_line_is_one_article_with_all_its_text(tmp_path: Path) -> None:
    line = SEED.read_text(encoding="utf-8").replace("\n", "") * 20  # about 340,000 characters, no line end
    doc = _read_one(_write(tmp_path / "line.txt", line))
    assert len(doc.page.text) == len(line)
    placed = "".join(p.text for a in doc.articles for p in a.passages) + "".join(f.text for f in doc.fragments)
    assert placed == line.removeprefix("## ")  # everything but the heading's markup


@pytest.mark.slow
def test_50_mb_page_builds_and_every_character_is_placed(tmp_path: Path) -> None:
    seed = b"\n\n".join(p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt")))
    size = 50 * 2**20
    big = tmp_path / "pages" / "big.txt"
    big.parent.mkdir()
    big.write_bytes((seed * (size // len(seed) + 1))[:size])
    docs, errors = read([big])
    assert errors == []
    (doc,) = docs
    assert_partition(doc)
    assert len(doc.articles) > 20_000
    # The corpus-wide stages too; not the exports, which are the same code over a bigger graph.
    graph = build_graph(docs, extract(docs))
    # The page is one seed text printed 560 times: identical articles share their content id.
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Article") == len({a.id for a in doc.articles})


def test_file_names_with_spaces_and_chinese_build_and_are_named(tmp_path: Path) -> None:
    pages = tmp_path / "大同日报 2024"
    pages.mkdir()
    good = _write(pages / "第 3 版 平城新闻.txt", TINY_PAGE)
    bad = pages / "第 4 版 （空白）.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00 binary")
    graph, report = build([pages], tmp_path / "out", formats=("turtle",))
    assert report.pages == 1
    (error,) = report.errors
    assert error.startswith(f"{bad}: ")
    labels = {d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "Page"}
    assert labels == {good.name}
    rdf = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl")
    assert good.name in {str(o) for o in rdf.objects()}


def _unreadable(path: Path) -> str:
    """Make `path` a page file that exists but cannot be read; say how.

    chmod 000 is the ordinary way, but root reads such files anyway: then make the
    name a symbolic link to itself, which every reader, root included, fails on (ELOOP).
    """
    _write(path, TINY_PAGE)
    path.chmod(0)
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        return "chmod 000"
    path.chmod(0o644)
    path.unlink()
    path.symlink_to(path.name)
    return "symlink loop"


@pytest.mark.parametrize("given_as", ["file", "directory"])
def test_unreadable_page_is_reported_and_the_others_still_build(tmp_path: Path, given_as: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEED, pages / SEED.name)
    locked = pages / "锁定 页.txt"
    how = _unreadable(locked)
    try:
        inputs = [pages] if given_as == "directory" else [pages / SEED.name, locked]
        graph, report = build(inputs, tmp_path / "out", formats=("turtle",))
    finally:
        if how == "chmod 000":
            locked.chmod(0o644)
    (error,) = report.errors
    assert error.startswith(f"{locked}: ") and ("无法读取" in error), (how, error)
    build([pages / SEED.name], tmp_path / "alone", formats=("turtle",))
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "alone" / "graph.ttl").read_bytes()


def test_dangling_symlink_in_a_page_directory_is_reported_not_skipped(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    _write(pages / "good.txt", TINY_PAGE)
    (pages / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    _, report = build([pages], tmp_path / "out", formats=("turtle",))
    assert report.pages == 1
    (error,) = report.errors
    assert error.startswith(f"{pages / 'gone.txt'}: ")


def test_a_page_that_breaks_analysis_is_reported_and_the_others_build(tmp_path: Path) -> None:
    # Lone surrogates cannot come from a decoder, but a caller can hand such a Page over:
    # the page fails with its name, the rest of the batch is unaffected.
    from kg.build import analyse
    from kg.model import Page

    good = decode(SEED)
    odd = Page(name="odd.txt", text="## 标题\n\n\ud800" * 3, encoding="utf-8")
    results, errors, _ = analyse([good, odd], sources=[SEED, Path("odd.txt")])
    assert [r.doc.page for r in results] == [good]
    (error,) = errors
    assert error.startswith("odd.txt: could not be analysed (无法分析): UnicodeEncodeError")


# ---------------------------------------------------------------- any text at all

_LINES = st.sampled_from([
    "", " ", "\u3000", "## 平城区开展专项行动", "### ——副标题", "# ", "#", "本报讯（记者 尚丽）近日，", "本报讯(记者 张三 通讯员 李四)",
    "本报记者 段雨萌", "于宏摄", "记者 于宏 摄", "图为志愿者为居民讲解。", "- 一项", "1. 第一", "1、", "——", "欧阳明",
    "平城区永泰街道民和社区", "水磨村党支部书记王某某介绍。", "2024年5月12日，", "“", "”", "（", "）",
])
_CHARS = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"), include_characters="\n\r\t")
_TEXT = st.lists(st.one_of(_LINES, st.text(_CHARS, max_size=60)), max_size=25).map("\n".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_any_text_builds_or_is_refused_by_name_and_its_turtle_passes_shacl(tmp_path: Path, text: str) -> None:
    pages = tmp_path / "any"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir()
    page = pages / "page.txt"
    page.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    graph, report = build([pages], out, formats=("turtle",))
    if report.pages == 0:
        (error,) = report.errors
        assert error.startswith(f"{page}: ")
        return
    assert report.errors == ()
    docs, _ = read([page])
    assert_partition(docs[0])
    shacl = validate(out / "graph.ttl")
    assert shacl.conforms, "\n".join(str(v) for v in shacl.violations)
