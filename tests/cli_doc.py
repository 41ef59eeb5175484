"""docs/cli.md, generated from the CLI's own --help: `.venv/bin/python -m tests.cli_doc` rewrites it,
and tests/test_cli.py checks that the file is what this would write."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
WIDTH = 100  # a fixed width, so the text does not depend on the terminal that ran it


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="kg", terminal_width=WIDTH, max_content_width=WIDTH)
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def render() -> str:
    parts = [
        "# kg command reference\n\n",
        "Generated from `kg --help` and each command's `--help` by `.venv/bin/python -m tests.cli_doc`;\n",
        "tests/test_cli.py fails when this file and the CLI disagree. Do not edit by hand.\n\n",
        "```text\n", _help([]), "```\n",
    ]
    for name in sorted(main.commands):
        parts += [f"\n## kg {name}\n\n", "```text\n", _help([name]), "```\n"]
    return "".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
