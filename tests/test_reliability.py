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
    assert sorted(_files(out)) == ["graph.ttl", "manifest.json"]
    code, text = _run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/pckg/ontology#Article> }",
                      "-g", str(out), "--format", "csv")
    assert code == 0, text
    assert text.splitlines()[1] == "2"


def test_what_no_build_wrote_is_carried_over_into_the_new_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = _pages(tmp_path, TINY_PAGE)
    build([pages], out, cache=out / ".cache")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "oxigraph").mkdir()
    (out / "oxigraph" / "CURRENT").write_text("x", encoding="utf-8")
    build([pages], out, formats=["ntriples"], cache=out / ".cache")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "oxigraph" / "CURRENT").exists()
    assert (out / ".cache").is_dir()


def test_a_failed_export_leaves_the_previous_build_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_pages(tmp_path, TINY_PAGE)], out)
    before = _files(out)
    (tmp_path / "pages" / "p1.txt").write_text(OTHER_PAGE, encoding="utf-8")
    with pytest.raises(OutputError):
        build([tmp_path / "pages"], out, formats=["turtle", "no-such-format"])
    assert _files(out) == before
    manifest.check(out, ["graph.nt"])


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
