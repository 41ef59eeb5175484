"""A reporter only a byline names is the article's author, not a name in its text
(docs/rdf-sparql.md, "Bylines"): `articles-mentioning` and its Cypher twin list the articles
that name someone in the text; the scorer's `schema:mentions` link stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import cypher
from kg.cli import main

# 王某 reports the story and is named nowhere else; 李建国 is named in the body.
PAGE = """## 清远街道开展交通安全宣传

本报讯（记者 王某）近日，平城区清远街道在辖区开展交通安全宣传活动。清远街道党工委书记李建国介绍，活动将持续一个月。
"""
SCHEMA = "https://schema.org/"
PCKG = "https://w3id.org/pckg/ontology#"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bylines")
    (root / "pages").mkdir()
    (root / "pages" / "p1.txt").write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "pages"), "-o", str(root / "out"), "--no-cache",
                                       "-f", "turtle", "-f", "ntriples", "-f", "neo4j"])
    assert result.exit_code == 0, result.output
    return root / "out"


def _query(out: Path, name: str) -> list[str]:
    result = CliRunner().invoke(main, ["query", "articles-mentioning", "-p", f"name={name}", "-g", str(out),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[1:]


def test_articles_mentioning_lists_a_name_in_the_text_and_not_a_byline(out: Path) -> None:
    assert _query(out, "王某") == []
    (row,) = _query(out, "李建国")
    assert row.startswith("李建国,p1.txt,0,清远街道开展交通安全宣传")


def test_the_cypher_twin_on_ladybugdb_answers_the_same(out: Path, tmp_path: Path) -> None:
    with cypher.load(out / "neo4j", tmp_path / "bylines.lbdb") as db:
        query = cypher.named_query("articles-mentioning")
        assert db.run(query, {"name": "王某"})[1] == []
        assert db.run(query, {"name": "李建国"})[1] == [["李建国", "p1.txt", 0, "清远街道开展交通安全宣传"]]


def test_a_byline_is_an_author_and_a_mentions_link_without_a_mention_node(out: Path) -> None:
    lines = (out / "graph.nt").read_text(encoding="utf-8").splitlines()
    wang, li = "<https://w3id.org/pckg/id/Person/王某>", "<https://w3id.org/pckg/id/Person/李建国>"
    ref = "<http://www.w3.org/2005/11/its/rdf#taIdentRef>"

    def about(person: str, predicate: str) -> list[str]:
        return [line for line in lines if line.endswith(f"{predicate} {person} .")]

    assert about(wang, f"<{SCHEMA}author>") and about(wang, f"<{SCHEMA}mentions>")
    assert about(wang, ref) == []  # no pckg:Mention: the byline is a credit, not text
    assert about(li, f"<{SCHEMA}mentions>") and about(li, ref)
    assert about(li, f"<{SCHEMA}author>") == []
