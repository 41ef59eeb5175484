"""Nothing half-written, nothing lost: atomic builds and loads, outputs valid for any input.

Each test is one case of the probe in issue 19 (see docs/reliability.md for the table).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import manifest
from kg.build import build
from kg.cli import main
from kg.errors import InputError, OutputError
from tests.conftest import TINY_PAGE

OTHER_PAGE = """## 社区开展垃圾分类宣传

本报讯（记者 王芳）近日，平城区永泰街道组织志愿者在辖区开展垃圾分类宣传活动，向居民发放宣传材料。
"""


def _pages(tmp_path: Path, *texts: str) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir(exist_ok=True)
    for i, text in enumerate(texts):
        (pages / f"p{i}.txt").write_text(text, encoding="utf-8")
    return pages


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# ---------------------------------------------------------------- atomic builds

def test_build_writes_a_manifest_listing_every_output_with_size_and_digest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    found = manifest.check(out, [e.path for e in manifest.read(out).files])
    listed = {e.path for e in found.files}
    assert listed == set(_files(out)) - {"manifest.json"}
    assert {"graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "graph.graphml"} <= listed
    for e in found.files:
        assert (out / e.path).stat().st_size == e.size
    assert found.inputs == manifest.inputs_digest([("p0.txt", TINY_PAGE)])


def test_build_leaves_no_staging_or_temporary_files_beside_or_in_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = _pages(tmp_path, TINY_PAGE)
    build([pages], out)
    build([pages], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "pages"]
    assert not [p for p in out.rglob(".*") if ".cache" not in p.parts and p.name != ".cache"]


def test_leftover_staging_of_a_killed_build_is_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = _pages(tmp_path, TINY_PAGE)
    build([pages], out)
    left = tmp_path / ".out.staging-dead"
    left.mkdir()
    (left / "graph.ttl").write_text("half", encoding="utf-8")
    build([pages], out)
    assert not left.exists()


def test_a_build_of_fewer_formats_leaves_no_stale_file_for_readers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    (tmp_path / "pages" / "p1.txt").write_text(OTHER_PAGE, encoding="utf-8")
    build([tmp_path / "pages"], out, formats=["turtle"])
    assert sorted(_files(out)) == ["graph.ttl", "manifest.json", "pckg.ttl"]
    code, text = _run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/pckg/ontology#Article> }",
                      "-g", str(out), "--format", "csv")
    assert code == 0, text
    assert text.splitlines()[1] == "2"


def test_what_no_build_wrote_is_carried_over_into_the_new_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = _pages(tmp_path, TINY_PAGE)
    build([pages], out, cache=out / ".cache")
    (out / ".graph.ttl.x1y2").write_text("a temporary file of a build killed before staging", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "oxigraph").mkdir()
    (out / "oxigraph" / "CURRENT").write_text("x", encoding="utf-8")
    build([pages], out, formats=["ntriples"], cache=out / ".cache")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "oxigraph" / "CURRENT").exists()
    assert (out / ".cache").is_dir()
    assert not (out / ".graph.ttl.x1y2").exists()


@pytest.fixture
def disk_full_format():
    """An export format that writes half a file and then finds the disk full."""
    import errno

    from kg import export

    @export.register("test-disk-full")
    def write(g, out: Path, ctx: object = None) -> list[Path]:
        (out / "graph.nt").write_text("<http://x/a> <http://x/b> ", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    yield "test-disk-full"
    export._REGISTRY.pop("test-disk-full")


def test_a_failed_export_leaves_the_previous_build_whole(tmp_path: Path, disk_full_format: str) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    before = _files(out)
    (tmp_path / "pages" / "p1.txt").write_text(OTHER_PAGE, encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write output .无法写入.: No space left on device"):
        build([tmp_path / "pages"], out, formats=["ntriples", "html", disk_full_format])
    assert _files(out) == before
    manifest.check(out, ["graph.nt"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out", "pages"]


@pytest.mark.parametrize("command", ["query", "validate", "load", "eval"])
def test_readers_refuse_a_build_without_a_manifest_in_one_line(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    (out / "manifest.json").unlink()
    args = {"query": ["query", "timeline", "-g", str(out)], "validate": ["validate", str(out)],
            "load": ["load", str(out)], "eval": ["eval", "--gold", str(tmp_path), str(out)]}[command]
    code, text = _run(*args)
    assert code == 2
    assert text.strip() == (f"kg: {out}: no manifest.json, not a complete build (没有清单，构建不完整); "
                            f"run `kg build -o {out}`")


def test_readers_refuse_a_truncated_graph_naming_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    nt = out / "graph.nt"
    size = nt.stat().st_size
    with nt.open("r+b") as f:
        f.truncate(size // 2)
    code, text = _run("validate", str(out))
    assert code == 2
    assert text.strip() == (f"kg: {nt}: {size // 2:,} bytes, the manifest says {size:,} (与清单不符); "
                            f"the build was changed or cut short, run `kg build -o {out}` again")


def test_readers_refuse_a_graph_changed_after_the_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    nt = out / "graph.nt"
    data = bytearray(nt.read_bytes())
    data[:1] = b"X"  # same size, other bytes
    nt.write_bytes(bytes(data))
    with pytest.raises(InputError, match="content differs from the manifest"):
        manifest.check(out, ["graph.nt"])
    code, text = _run("query", "timeline", "-g", str(out))
    assert code == 2 and "graph.nt: content differs from the manifest" in text


def test_a_second_build_into_a_locked_directory_fails_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = _pages(tmp_path, TINY_PAGE)
    with manifest.locked(out):
        code, text = _run("build", str(pages), "-o", str(out))
    assert code == 2
    assert text.strip() == (f"kg: {out}: another build or load is writing this directory (另一个构建正在写入此目录); "
                            "wait for it to finish, or pass --wait")
    assert not out.exists()
    assert _run("build", str(pages), "-o", str(out), "--wait")[0] == 0


def test_the_manifest_is_the_same_for_the_same_input(tmp_path: Path) -> None:
    pages = _pages(tmp_path, TINY_PAGE, OTHER_PAGE)
    build([pages], tmp_path / "a", cache=None)
    build([pages], tmp_path / "b", cache=tmp_path / "cache")
    build([pages], tmp_path / "b", cache=tmp_path / "cache")
    a, b = (json.loads((tmp_path / d / "manifest.json").read_text(encoding="utf-8")) for d in "ab")
    assert a == b


def test_a_rebuild_reuses_blocks_and_gives_the_bytes_of_a_clean_build(tmp_path: Path) -> None:
    pages = _pages(tmp_path, TINY_PAGE)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([pages], out, cache=cache)
    (pages / "p1.txt").write_text(OTHER_PAGE, encoding="utf-8")
    build([pages], out, cache=cache)
    build([pages], tmp_path / "clean")
    assert _files(out) == _files(tmp_path / "clean")
    assert os.listdir(tmp_path / "cache")


# ---------------------------------------------------------------- text policy

def _nt_parses(path: Path) -> int:
    import pyoxigraph as ox

    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}[path.suffix]
    return len(list(ox.parse(path=str(path), format=fmt)))  # strict: no lenient flag


def test_clean_text_policy_for_breaks_controls_and_non_characters() -> None:
    from kg.pages import clean_text

    assert clean_text("一\f二") == "一\n\n二"  # pdftotext's page break: a paragraph break
    for ch in "\x0b\x1c\x1d\x1e\x1f\x85\u2028\u2029":
        assert clean_text(f"一{ch}二") == "一\n二", repr(ch)
    for ch in "\x00\x07\x1b\x7f\x80\x9c\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff\udcff":
        assert clean_text(f"一{ch}二") == "一\ufffd二", repr(ch)
    for kept in ("\t", "\ue000", "\U00020000", "\U000f0000", "平城区"):
        assert clean_text(f"一{kept}二") == f"一{kept}二", repr(kept)
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_the_scan_that_skips_cleaning_finds_every_binary_control_character() -> None:
    # decode_bytes counts binary control characters only when _ANY finds something to clean:
    # that is exact only while _ANY matches every character _BINARY_CONTROLS does.
    from kg.pages import _ANY, _BINARY_CONTROLS

    controls = [chr(c) for c in range(0x110000) if _BINARY_CONTROLS.match(chr(c))]
    assert len(controls) == 27 and all(_ANY.match(ch) for ch in controls)


def _odd_page() -> str:
    odd = "\x85\x9c\ue000\ufdd0\ufffe\x7f\x1b]0;pwned\x07\u2028"
    return (f"## 平城区{odd}开展交通安全\f专项行动\n\n"
            f"本报讯（记者 尚丽）近日，平城区清远街道{odd}在辖区开展交通安全宣传\x0b活动\x1c，"
            f"纠正辖区交通陋习\x1f，提升居民安全出行意识。\f\n\n"
            f"## 永泰街道{odd}举办志愿服务活动\n\n本报讯 5月12日，永泰街道在民和社区举办志愿服务活动。\n"
            # enough plain text that the controls stay under the 1% that marks a binary file
            + "\n志愿者为居民讲解垃圾分类知识，发放宣传材料，引导居民养成分类投放的好习惯。" * 40)


def test_controls_form_feeds_and_odd_characters_give_outputs_every_reader_accepts(tmp_path: Path) -> None:
    import networkx as nx
    import rdflib

    out = tmp_path / "out"
    _, report = build([_pages(tmp_path, _odd_page())], out)
    assert report.errors == () and report.pages == 1
    assert _nt_parses(out / "graph.nt") == _nt_parses(out / "graph.ttl") > 0
    nx.read_graphml(out / "graph.graphml")
    rdflib.Graph().parse(out / "graph.jsonld", format="json-ld")
    for args in (["validate", str(out)], ["query", "timeline", "-g", str(out)],
                 ["query", "timeline", "-g", str(out), "--engine", "rdflib"],
                 ["load", str(out), "--store", str(tmp_path / "store")]):
        code, text = _run(*args)
        assert code == 0, (args, text)
        assert "\x1b" not in text and "\x07" not in text
    assert "\x1b" not in (out / "graph.html").read_text(encoding="utf-8")


def test_a_terminal_sees_escapes_not_control_characters() -> None:
    from kg.query import Result, format_result, terminal_safe

    shown = format_result(Result(("name",), (("标题\x1b]0;pwned\x07\u202e",),)), "table")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b]0;pwned\\x07" in shown
    assert terminal_safe("a\nb\x1b", keep="\n") == "a\nb\\x1b"


def test_a_two_megabyte_headline_is_clipped_in_the_html_view(tmp_path: Path) -> None:
    headline = "平城区" + "很长的标题" * 400_000
    page = f"## {headline}\n\n本报讯（记者 尚丽）近日，平城区清远街道开展交通安全宣传活动。\n"
    out = tmp_path / "out"
    build([_pages(tmp_path, page)], out, formats=["html", "ntriples"])
    assert (out / "graph.html").stat().st_size < 2_000_000
    assert headline in (out / "graph.nt").read_text(encoding="utf-8")  # the graph keeps it whole


def test_private_use_and_non_characters_in_names_give_iris_oxigraph_reads(tmp_path: Path) -> None:
    from kg.export.rdf import node_iri

    import pyoxigraph as ox

    for name in ("永泰\ue000街道", "民和\U000f0001社区", "平城\ufff0区", "x\x85y"):
        iri = node_iri(f"Subdistrict/{name}", "https://w3id.org/pckg/id/")
        ox.NamedNode(str(iri))  # raises on an invalid IRI
        assert list(ox.parse(f"<{iri}> <http://x/p> <http://x/o> .\n", format=ox.RdfFormat.N_TRIPLES))


# ---------------------------------------------------------------- inputs

@pytest.mark.parametrize("kind", ["fifo", "device link", "socket"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    import socket

    pages = _pages(tmp_path, TINY_PAGE)
    odd = pages / "odd.txt"
    sock = None
    if kind == "fifo":
        os.mkfifo(odd)
        what = "a FIFO (named pipe)"
    elif kind == "device link":
        odd.symlink_to("/dev/zero")
        what = "a device"
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(odd))
        what = "a socket"
    try:
        _, report = build([pages], tmp_path / "out", formats=["ntriples"])
    finally:
        if sock is not None:
            sock.close()
    assert report.pages == 1
    assert report.errors == (f"{odd}: {what}, not a regular file (不是普通文件); give page files only",)


def test_kg_build_of_a_device_is_refused_with_a_message(tmp_path: Path) -> None:
    code, text = _run("build", "/dev/urandom", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "kg: /dev/urandom: a device, not a regular file (不是普通文件)" in text


def test_a_page_above_the_size_limit_is_refused_by_name(tmp_path: Path) -> None:
    pages = _pages(tmp_path, TINY_PAGE, OTHER_PAGE * 40)
    big = pages / "p1.txt"
    code, text = _run("build", str(pages), "-o", str(tmp_path / "out"), "--max-page-size", "2K")
    assert code == 0, text
    size = big.stat().st_size
    assert (f"kg: {big}: {size:,} bytes or more, above the page size limit of 2,048 bytes (超过单页大小上限); "
            "split the file, or raise --max-page-size") in text
    code, text = _run("build", str(pages), "-o", str(tmp_path / "out"), "--max-page-size", "lots")
    assert code == 2 and "'lots' is not a size" in text


def test_a_file_name_that_is_not_utf8_is_kept_and_written_safely(tmp_path: Path) -> None:
    import rdflib

    pages = _pages(tmp_path, TINY_PAGE)
    bad = os.path.join(os.fsencode(pages), b"bad\xff\x1b.txt")
    with open(bad, "wb") as f:
        f.write(OTHER_PAGE.encode("utf-8"))
    out = tmp_path / "out"
    code, text = _run("build", str(pages), "-o", str(out))
    assert code == 0, text
    assert "errors / 错误" in text and text.rstrip().count("\n") > 3
    g = rdflib.Graph().parse(out / "graph.nt")
    names = sorted(str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/pckg/ontology#sourceFile")))
    assert names == ["bad\\xff\\x1b.txt", "p0.txt"]
    manifest.check(out, [e.path for e in manifest.read(out).files])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_pages_are_read_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    from kg.pages import decode

    path = tmp_path / "wide.txt"
    path.write_bytes(TINY_PAGE.encode(encoding))  # "utf-16"/"utf-32" write a BOM, the others none
    page = decode(path)
    assert page.text == TINY_PAGE
    assert page.encoding.startswith(encoding[:6])


def test_symlinked_sub_directories_are_followed_and_a_loop_is_reported(tmp_path: Path) -> None:
    from kg.pages import collect

    pages = _pages(tmp_path, TINY_PAGE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.txt").write_text(OTHER_PAGE, encoding="utf-8")
    (pages / "linked").symlink_to(elsewhere)
    (pages / "loop").symlink_to(pages)
    files, errors = collect([pages])
    assert sorted(p.name for p in files) == ["far.txt", "p0.txt"]
    assert [str(e) for e in errors] == [f"{pages / 'loop'}: a directory already read, linked again (目录循环链接); "
                                        "its pages are read once"]


def test_an_unreadable_sub_directory_is_reported(tmp_path: Path) -> None:
    from kg.pages import collect

    pages = _pages(tmp_path, TINY_PAGE)
    closed = pages / "closed"
    closed.mkdir()
    (closed / "hidden.txt").write_text(OTHER_PAGE, encoding="utf-8")
    closed.chmod(0)
    try:
        if os.access(closed, os.R_OK):
            pytest.skip("running as root: a directory cannot be made unreadable")
        files, errors = collect([pages])
    finally:
        closed.chmod(0o755)
    assert [p.name for p in files] == ["p0.txt"]
    assert [str(e) for e in errors] == [f"{closed}: directory cannot be read (目录无法读取): Permission denied"]


def test_identical_texts_under_several_names_keep_every_name(tmp_path: Path) -> None:
    import rdflib

    pages = _pages(tmp_path, TINY_PAGE, TINY_PAGE, OTHER_PAGE, TINY_PAGE)
    out = tmp_path / "out"
    _, report = build([pages], out)
    assert (report.files, report.pages) == (4, 2)
    assert report.warnings == ("p1.txt, p3.txt: the same text as p0.txt, one page with every name (同文异名，合为一版)",)
    g = rdflib.Graph().parse(out / "graph.nt")
    source = rdflib.URIRef("https://w3id.org/pckg/ontology#sourceFile")
    by_page: dict[str, list[str]] = {}
    for page, _, name in sorted(g.triples((None, source, None))):
        by_page.setdefault(str(page), []).append(str(name))
    assert sorted(by_page.values()) == [["p0.txt", "p1.txt", "p3.txt"], ["p2.txt"]]
    code, text = _run("validate", str(out))
    assert code == 0, text


# ---------------------------------------------------------------- errors

def test_eval_with_a_gold_file_holding_a_list_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text("[1, 2]", encoding="utf-8")
    code, text = _run("eval", "--gold", str(gold), str(out))
    assert code == 2
    assert text.strip() == (f"kg: {gold / 'a.json'}: not a gold annotation (金标准文件无效): holds a JSON list, "
                            'where an object with "file" and "entities" is expected; see seeds/gold/GUIDELINE.md')


@pytest.mark.parametrize("update", ["INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                                    "PREFIX x: <http://x/> # a comment\n  delete where { ?s ?p ?o }",
                                    "DROP ALL"])
def test_updates_are_refused_as_updates(tmp_path: Path, update: str) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out, formats=["ntriples"])
    for engine in ("oxigraph", "rdflib"):
        code, text = _run("query", update, "-g", str(out), "--engine", engine)
        assert code == 2
        assert text == ("kg: query (inline): updates are not allowed (不允许更新查询); "
                        "kg query only reads: give a SELECT query\n")


def test_a_path_given_as_a_query_is_not_parsed_as_sparql(tmp_path: Path) -> None:
    code, text = _run("query", "../../etc/passwd", "-g", str(tmp_path))
    assert code == 2
    assert text == ("kg: ../../etc/passwd: not a named query, and not SPARQL text (不是预置查询名，也不是 SPARQL); "
                    "to run a query file, use --file ../../etc/passwd\n")


def test_a_bad_graph_is_named_in_one_short_line_without_its_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "graph.nt"
    bad.write_bytes(b"<http://x/a> <http://x/b> \"" + b"\x1b\x07" * 20_000 + b"\n")
    for args in (["query", "timeline", "-g", str(bad)], ["query", "timeline", "-g", str(bad), "--engine", "rdflib"],
                 ["validate", str(bad)]):
        code, text = _run(*args)
        assert code == 2, text
        assert text.startswith(f"kg: {bad}: ")
        assert len(text) < 600 and text.count("\n") == 1 and "\x1b" not in text and "\x07" not in text


# ---------------------------------------------------------------- kg load

def test_kg_load_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out, formats=["turtle"])
    store = tmp_path / "store"
    store.write_text("not a store", encoding="utf-8")
    code, text = _run("load", str(out), "--store", str(store))
    assert code == 2
    assert text == f"kg: {store}: is a file, not a store directory (不是目录); choose another --store\n"


def test_a_failed_load_leaves_the_old_store_whole(tmp_path: Path) -> None:
    from kg.store import load, open_store

    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out, formats=["turtle"])
    store = tmp_path / "store"
    before = load(out / "graph.ttl", store)
    bad = tmp_path / "bad" / "graph.ttl"
    bad.parent.mkdir()
    bad.write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid Turtle"):
        load(bad, store)
    assert len(open_store(store)) == before > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store")) == [".store.lock"]
