"""The `kg build` command: outputs, summary, and bad pages that never sink a build."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF

from kg.cli import main

PCKG = Namespace("https://w3id.org/pckg/ontology#")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    # Keep the messages; drop the progress bar's own lines.
    messages = "".join(line for line in result.stderr.splitlines(keepends=True) if line.startswith("kg:"))
    return result.exit_code, result.stdout, messages


def test_build_writes_turtle_and_reports_counts(tiny_page: Path, tmp_path: Path) -> None:
    import gc

    out = tmp_path / "out"
    code, stdout, _ = run("build", str(tiny_page), "-o", str(out))
    assert code == 0
    assert gc.isenabled()  # off for the imports and the build only
    assert "pages / 版面" in stdout and "articles / 文章" in stdout
    g = Graph().parse(out / "graph.ttl")
    [page] = g.subjects(RDF.type, PCKG.Page)
    assert (page, PCKG.sourceFile, Literal("tiny.txt")) in g


def test_build_as_a_program_reports_everything_before_its_quick_exit(tiny_page: Path, tmp_path: Path) -> None:
    # Called as a program, `kg build` ends its process without freeing the graph (kg.cli._end_program):
    # the summary in a pipe, the warnings and a complete, sealed build must all be there first.
    import subprocess
    import sys

    from kg import manifest

    (tmp_path / "same.txt").write_bytes(tiny_page.read_bytes())
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tiny_page), str(tmp_path / "same.txt"),
                           "-o", str(out), "-f", "turtle"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = [e.path for e in manifest.check(out, ["graph.ttl", "pckg.ttl"]).files]
    assert written == ["graph.ttl", "pckg.ttl"]
    assert "pages / 版面" in done.stdout and done.stdout.endswith(f"wrote {out / 'pckg.ttl'}\n")
    assert "the same text as" in done.stderr  # a warning, written before the exit


def test_build_called_with_standalone_mode_off_returns_to_its_caller(tiny_page: Path, tmp_path: Path) -> None:
    # as benchmarks.speed's profiler calls it: the process must live on after the build
    import subprocess
    import sys

    script = ("import sys; from kg.cli import main; "
              "main(['build', sys.argv[1], '-o', sys.argv[2], '-f', 'turtle'], standalone_mode=False); print('back')")
    done = subprocess.run([sys.executable, "-c", script, str(tiny_page), str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("back\n") and "pages / 版面" in done.stdout


def test_build_keeps_going_past_bad_pages_and_names_each(tiny_page: Path, tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    code, stdout, stderr = run("build", str(tmp_path), str(tmp_path / "missing.txt"), "-o", str(out))
    assert code == 0
    assert stderr.splitlines()[:3] == [
        f"kg: {tmp_path / 'missing.txt'}: no such file or directory (路径不存在)",
        f"kg: {tmp_path / 'binary.txt'}: binary data, not a text page (二进制文件): NUL byte at offset 0",
        f"kg: {tmp_path / 'empty.txt'}: empty file, nothing to build (空文件)",
    ]
    assert re.search(r"^errors / 错误 +3$", stdout, re.M)
    assert (out / "graph.ttl").exists()


def test_build_fails_only_when_nothing_could_be_built(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    code, _, stderr = run("build", str(tmp_path / "pages"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert stderr.splitlines() == [
        f"kg: {tmp_path / 'pages'}: directory has no .txt pages (目录中没有 .txt 文件)",
        "kg: nothing could be built (没有可构建的版面)",
    ]


def test_build_rejects_an_unknown_format_listing_the_valid_ones(tiny_page: Path, tmp_path: Path) -> None:
    code, _, stderr = run("build", str(tiny_page), "-o", str(tmp_path), "-f", "docx")
    assert code == 2
    assert stderr.startswith("kg: unknown export format 'docx' (未知格式); choose from: ")
    assert "turtle" in stderr


def test_build_lists_each_output_file_and_each_output_directory_once(tiny_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run("build", str(tiny_page), "-o", str(out))
    assert code == 0
    wrote = [line for line in stdout.splitlines() if line.startswith("wrote ")]
    assert f"wrote {out / 'graph.ttl'}" in wrote
    [neo4j] = [line for line in wrote if "neo4j" in line]
    files = sum(1 for p in (out / "neo4j").rglob("*") if p.is_file())
    assert neo4j == f"wrote {out / 'neo4j'}/ ({files} files)"


def test_the_cli_reference_in_docs_is_what_help_prints_now() -> None:
    from tests import cli_doc

    assert cli_doc.DOC.read_text(encoding="utf-8") == cli_doc.render(), (
        "docs/cli.md is stale: run `.venv/bin/python -m tests.cli_doc` and commit it"
    )


def test_build_help_lists_every_format_name() -> None:
    from kg.schema import FORMATS

    result = CliRunner().invoke(main, ["build", "--help"], terminal_width=200)
    assert all(name in result.output for name in FORMATS)
