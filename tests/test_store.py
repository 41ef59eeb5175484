"""`kg load`: graph.ttl into a persistent Oxigraph store on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from .graph_fixture import tiny_graph
from kg.cli import main
from kg.errors import InputError, OutputError
from kg.export.rdf import write_turtle
from kg.store import PersistentStore, load, open_store


def test_kg_load_stores_every_triple_of_the_seed_build(seed_build, tmp_path: Path) -> None:
    _, _, out = seed_build
    result = CliRunner().invoke(main, ["load", str(out), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    triples = len(rdflib.Graph().parse(out / "graph.ttl"))
    assert result.output == f"loaded {triples:,} triples into {tmp_path / 'store'} (已载入)\n"
    assert len(open_store(tmp_path / "store")) == triples


def test_loading_again_replaces_the_store_instead_of_adding_to_it(tmp_path: Path) -> None:
    write_turtle(tiny_graph(), tmp_path)
    first = load(tmp_path / "graph.ttl", tmp_path / "store")
    g = tiny_graph()
    g.remove_node("Person/沈媛")
    write_turtle(g, tmp_path)
    second = load(tmp_path / "graph.ttl", tmp_path / "store")
    assert second < first
    assert len(open_store(tmp_path / "store")) == second == len(rdflib.Graph().parse(tmp_path / "graph.ttl"))


def test_named_queries_run_on_the_store_after_it_is_reopened(tmp_path: Path) -> None:
    from kg.query import find_query

    write_turtle(tiny_graph(), tmp_path)
    load(tmp_path / "graph.ttl", tmp_path / "store")
    result = PersistentStore(tmp_path / "store").select(find_query("agencies-responsible"))
    assert result.rows == (("清远街道", "平城区水务局"),)


def test_kg_load_without_a_build_says_to_build_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (f"kg: {tmp_path / 'graph.ttl'}: no such Turtle file (找不到 Turtle 文件); "
                             "run `kg build` first\n")


def test_kg_load_refuses_a_directory_that_holds_other_files(tmp_path: Path) -> None:
    write_turtle(tiny_graph(), tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty and not an Oxigraph store"):
        load(tmp_path / "graph.ttl", tmp_path / "notes")
    assert (tmp_path / "notes" / "todo.txt").read_text(encoding="utf-8") == "keep me"


def test_opening_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run `kg load --store"):
        open_store(tmp_path / "none")
