"""The ontology data files: loaded once, documented, and errors that name the file and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import lexicon


@pytest.fixture
def ontology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the lexicon at a scratch ontology directory, with the caches cleared around it."""
    monkeypatch.setattr(lexicon, "ontology_dir", lambda: tmp_path)
    lexicon.gazetteer.cache_clear()
    yield tmp_path
    lexicon.gazetteer.cache_clear()


def test_gazetteer_type_outside_the_two_division_types_is_named(ontology: Path):
    (ontology / "gazetteer.tsv").write_text("# header\n平城区\tDistrict\tdistrict\t大同市\t\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"gazetteer.tsv: 平城区: type 'District' is not AdminArea or Subdistrict"):
        lexicon.gazetteer()


def test_missing_lexicon_file_names_the_file_and_the_fix(ontology: Path):
    with pytest.raises(lexicon.LexiconError, match=r"gazetteer.tsv: cannot read lexicon .*restore it from git"):
        lexicon.gazetteer()


def test_every_data_file_starts_with_a_header_that_says_what_it_is():
    for name in ("gazetteer.tsv", "home.tsv", "suffixes.tsv", "boundaries.tsv", "not_names.txt",
                 "person_cues.tsv", "lookalikes.tsv", "abbreviations.tsv"):
        first = lexicon.read_text(name).splitlines()[0]
        assert first.startswith("# "), name


def test_gazetteer_holds_pingcheng_s_eighteen_subdistricts_and_former_ones():
    divisions = lexicon.gazetteer().values()
    current = [d for d in divisions if d.type == "Subdistrict" and d.level == "subdistrict" and d.parent == "平城区"]
    assert len(current) == 18
    assert {"北关街道", "北街街道", "新建北路街道"} <= {d.name for d in divisions if d.level == "former"}


def test_suffix_flags_are_the_documented_ones():
    documented = {"gov", "bare", "name", "proper", "placed", "num", "admin", "sub", "party", "gov-only", "feature", "committee", "jur", "area"}
    assert {f for s in lexicon.suffixes().values() for f in s.flags} <= documented


def test_every_data_reader_raises_the_project_error_naming_the_file(ontology: Path):
    (ontology / "broken.toml").write_text("[heads\n", encoding="utf-8")
    (ontology / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    with pytest.raises(lexicon.LexiconError, match=r"broken.toml: not valid TOML"):
        lexicon.read_toml("broken.toml")
    with pytest.raises(lexicon.LexiconError, match=r"latin1.txt: not UTF-8 at byte 3"):
        lexicon.read_lines("latin1.txt")
    with pytest.raises(lexicon.LexiconError, match=r"queries: missing data file"):
        lexicon.locate("queries")
    with pytest.raises(lexicon.LexiconError, match=r"event_lexicon.toml: cannot read lexicon"):
        lexicon.read_toml("event_lexicon.toml")
