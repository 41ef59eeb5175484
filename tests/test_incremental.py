"""Incremental and parallel builds: the cache and --jobs never change a byte of the outputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from kg.build import build
from kg.cache import Memo, PageCache, digest, digester, page_key
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a build wrote, by path under `out`; the cache is not an output."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(out).parts
    }


def _assert_same_outputs(got: Path, want: Path) -> None:
    a, b = _outputs(got), _outputs(want)
    assert sorted(a) == sorted(b)
    assert "graph.ttl" in a
    for name in a:
        assert a[name] == b[name], f"{name} differs from a clean build"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A private copy of the seed pages that a test may change."""
    where = tmp_path / "pages"
    where.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, where / p.name)
    return where


def _edit_one_page(pages: Path) -> Path:
    page = sorted(pages.glob("*.txt"))[2]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("平城区", "平城区城区", 1) + "\n\n本报讯（记者 韩梅）近日，水磨村开展环境整治。\n", encoding="utf-8")
    return page


def test_rebuild_after_changing_one_page_reanalyses_only_that_page(pages: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    _, first = build([pages], out, cache=cache)
    assert (first.pages, first.cached) == (5, 0)
    _edit_one_page(pages)
    _, again = build([pages], out, cache=cache)
    assert (again.pages, again.cached, again.warnings) == (5, 4, ())
    # the other pages' articles are not read again, unless resolution changed their mentions
    assert 0 < again.cached_articles < again.articles
    _, clean = build([pages], tmp_path / "clean")
    _assert_same_outputs(out, tmp_path / "clean")
    assert again.entity_counts == clean.entity_counts


def test_rebuild_after_adding_a_page_reuses_every_old_page(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([pages], tmp_path / "out", cache=cache)
    (pages / "005_new.txt").write_text("## 新闻\n\n本报讯（记者 韩梅）近日，清远街道开展宣传。\n", encoding="utf-8")
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert (again.pages, again.cached) == (6, 5)
    build([pages], tmp_path / "clean")
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")


def _add_page_that_renames_a_person(pages: Path) -> None:
    # The seeds print 邸东芳 nine times and the slip 邱东芳 twice; a page printing the slip more
    # often makes it the canonical name, so every old article naming her has new resolved mentions.
    briefs = [f"## 第{i}条消息\n\n本报讯（记者 邱东芳）近日，清远街道开展第{i}次宣传活动。" for i in range(12)]
    (pages / "005_new.txt").write_text("\n\n".join(briefs) + "\n", encoding="utf-8")


def test_a_new_page_that_changes_resolution_rereads_the_articles_it_touches(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, first = build([pages], tmp_path / "out", cache=cache)
    _add_page_that_renames_a_person(pages)
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert "Person/邱东芳>" in (tmp_path / "out" / "graph.nt").read_text(encoding="utf-8")
    assert again.cached == 5 and again.cached_articles < first.articles - 1
    build([pages], tmp_path / "clean")
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")


def test_unchanged_rebuild_takes_every_page_from_the_cache(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([pages], tmp_path / "a", cache=cache)
    _, again = build([pages], tmp_path / "b", cache=cache)
    assert (again.cached, again.cached_articles) == (5, again.articles)
    _assert_same_outputs(tmp_path / "b", tmp_path / "a")


def _page_entries(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.rglob("pages*.pickle"))


DAMAGE = [
    lambda data: b"",
    lambda data: data[: len(data) // 2],
    lambda data: data[:-20] + b"\x00" * 20,
    lambda data: b"not a pickle at all",
]
DAMAGE_IDS = ["empty", "truncated", "overwritten-tail", "foreign-file"]


@pytest.mark.parametrize("damage", DAMAGE, ids=DAMAGE_IDS)
def test_damaged_article_memo_is_reported_and_rebuilt(pages: Path, tmp_path: Path, damage) -> None:
    cache = tmp_path / "cache"
    _, first = build([pages], tmp_path / "clean", cache=cache)
    (memo,) = cache.rglob("articles.pickle")
    memo.write_bytes(damage(memo.read_bytes()))
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert (again.cached, again.cached_articles, again.errors) == (5, 0, ())
    (warning,) = again.warnings
    assert str(memo) in warning and "corrupt cache entry" in warning
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")
    _, healed = build([pages], tmp_path / "out", cache=cache)
    assert (healed.cached_articles, healed.warnings) == (first.articles, ())


def _memo_files(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.rglob("articles*.pickle"))


def test_a_rebuild_adds_only_its_new_article_results_and_compacts_them_in_time(
    pages: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(Memo, "MAX_DELTAS", 2)
    cache, page = tmp_path / "cache", sorted(pages.glob("*.txt"))[1]
    text = page.read_text(encoding="utf-8")
    build([pages], tmp_path / "out", cache=cache)
    seen = []
    for i in range(4):
        page.write_text(text + f"\n本报讯（记者 韩梅）近日，水磨村开展第{i}次环境整治。\n", encoding="utf-8")
        _, again = build([pages], tmp_path / "out", cache=cache)
        assert 0 < again.cached_articles < again.articles
        seen.append(_memo_files(cache))
    assert seen == [
        ["articles.1.pickle", "articles.pickle"],
        ["articles.1.pickle", "articles.2.pickle", "articles.pickle"],
        ["articles.pickle"],  # two deltas: rewritten with only what that build used
        ["articles.1.pickle", "articles.pickle"],
    ]
    build([pages], tmp_path / "clean")
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")


def test_damaged_memo_delta_costs_only_its_entries(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([pages], tmp_path / "out", cache=cache)
    _edit_one_page(pages)
    _, edited = build([pages], tmp_path / "out", cache=cache)
    (delta,) = cache.rglob("articles.1.pickle")
    delta.write_bytes(delta.read_bytes()[:-20])
    _, again = build([pages], tmp_path / "out", cache=cache)
    (warning,) = again.warnings
    assert str(delta) in warning and "corrupt cache entry" in warning
    assert edited.cached_articles <= again.cached_articles < again.articles
    build([pages], tmp_path / "clean")
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")


@pytest.mark.parametrize("damage", DAMAGE, ids=DAMAGE_IDS)
def test_corrupt_page_results_delta_costs_only_its_pages(pages: Path, tmp_path: Path, damage) -> None:
    cache = tmp_path / "cache"
    build([pages], tmp_path / "out", cache=cache)
    _edit_one_page(pages)
    build([pages], tmp_path / "out", cache=cache)
    assert _page_entries(cache) == ["pages.1.pickle", "pages.pickle"]  # the edited page's result
    (delta,) = cache.rglob("pages.1.pickle")
    delta.write_bytes(damage(delta.read_bytes()))
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert again.cached == 4 and again.errors == ()
    (warning,) = again.warnings
    assert str(delta) in warning and "corrupt cache entry" in warning and "re-extracting" in warning
    build([pages], tmp_path / "clean")
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")
    _, healed = build([pages], tmp_path / "out", cache=cache)  # the damaged entry was replaced
    assert (healed.cached, healed.warnings) == (5, ())


def test_page_results_are_written_along_the_way_and_read_back_whole(pages: Path, tmp_path: Path, monkeypatch) -> None:
    import kg.cache

    monkeypatch.setattr(kg.cache, "SAVE_EVERY", 2)
    cache = tmp_path / "cache"
    build([pages], tmp_path / "out", cache=cache)
    # 2 pages, then 2 more (as many as stored), then the last one at the end of the analysis
    assert _page_entries(cache) == ["pages.1.pickle", "pages.2.pickle", "pages.pickle"]
    _, again = build([pages], tmp_path / "again", cache=cache)
    assert (again.cached, again.warnings) == (5, ())
    _assert_same_outputs(tmp_path / "again", tmp_path / "out")


def test_corrupt_page_results_are_reported_and_recomputed(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build([pages], tmp_path / "clean", cache=cache)
    (base,) = cache.rglob("pages.pickle")
    base.write_bytes(base.read_bytes()[:-20])
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert again.cached == 0 and again.errors == ()
    (warning,) = again.warnings
    assert str(base) in warning and "corrupt cache entry" in warning
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")
    _, healed = build([pages], tmp_path / "out", cache=cache)
    assert (healed.cached, healed.warnings) == (5, ())


def test_entry_of_another_page_under_a_key_is_reported_and_recomputed(pages: Path, tmp_path: Path) -> None:
    # Sound entries, swapped: each would give its results to the other page.
    import pickle

    cache = tmp_path / "cache"
    build([pages], tmp_path / "clean", cache=cache)
    (base,) = cache.rglob("pages.pickle")
    entries = pickle.loads(base.read_bytes()[len(b"pckg-page-cache\n") + 32:])
    a, b = sorted(entries)[:2]
    entries[a], entries[b] = entries[b], entries[a]
    PageCache(cache).write_entry(base, pickle.dumps(entries))
    _, again = build([pages], tmp_path / "out", cache=cache)
    assert again.cached == 3 and len(again.warnings) == 2
    assert all("it holds a different page" in w for w in again.warnings)
    _assert_same_outputs(tmp_path / "out", tmp_path / "clean")
    _, healed = build([pages], tmp_path / "out", cache=cache)  # the swapped entries were dropped
    assert (healed.cached, healed.warnings) == (5, ())


def test_cache_that_cannot_be_written_warns_and_builds_anyway(pages: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    _, report = build([pages], tmp_path / "out", cache=blocker)
    assert report.pages == 5 and report.errors == ()
    (warning,) = report.warnings
    assert str(blocker) in warning and "cannot be written" in warning


def test_cache_key_follows_page_name_and_text(pages: Path) -> None:
    from kg.pages import decode

    page = decode(sorted(pages.glob("*.txt"))[0])
    same = decode(sorted(pages.glob("*.txt"))[0])
    assert page_key(page) == page_key(same)
    renamed = type(page)(name="other.txt", text=page.text, encoding=page.encoding)
    edited = type(page)(name=page.name, text=page.text + "。", encoding=page.encoding)
    assert len({page_key(page), page_key(renamed), page_key(edited)}) == 3


def test_page_results_come_back_from_the_cache_equal_field_by_field(pages: Path, tmp_path: Path) -> None:
    from dataclasses import fields, is_dataclass

    from kg.build import analyse_page
    from kg.pages import decode

    page = decode(sorted(pages.glob("*.txt"))[0])
    result = analyse_page(page)
    assert not isinstance(result, str) and result.mentions and result.doc.fragments
    cache = PageCache(tmp_path / "cache")
    cache.store(page, result)
    cache.save()
    back = PageCache(tmp_path / "cache").load(decode(sorted(pages.glob("*.txt"))[0]))  # as the next build reads it
    assert back is not None and back == result
    # equal by value is not enough for the slotted classes pickled through their constructor:
    # every field must come back in its place, of its type
    for got, want in [(back.doc, result.doc), *zip(back.mentions, result.mentions),
                      *zip(back.doc.fragments, result.doc.fragments),
                      *zip(back.doc.articles[0].segments, result.doc.articles[0].segments),
                      *zip(back.doc.articles[0].passages, result.doc.articles[0].passages)]:
        assert type(got) is type(want) and is_dataclass(got) and not isinstance(got, type)
        names = [f.name for f in fields(got)]
        assert [getattr(got, n) for n in names] == [getattr(want, n) for n in names]


def test_entries_of_an_old_extractor_version_are_removed(pages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stale = cache / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "x.pickle").write_bytes(b"old")
    keep = cache / "notes"  # not ours: left alone
    keep.mkdir()
    build([pages], tmp_path / "out", cache=cache)
    assert not stale.parent.exists() and keep.exists()
    assert PageCache(cache).dir.exists()


def test_two_jobs_give_the_same_bytes_as_one(pages: Path, tmp_path: Path) -> None:
    (pages / "zz_empty.txt").write_bytes(b"")
    _, one = build([pages], tmp_path / "one", jobs=1)
    _, two = build([pages], tmp_path / "two", jobs=2)
    _assert_same_outputs(tmp_path / "two", tmp_path / "one")
    assert two.errors == one.errors and len(one.errors) == 1
    assert (two.pages, two.articles, two.entity_counts) == (one.pages, one.articles, one.entity_counts)


def test_cli_build_uses_a_cache_under_the_output_and_reports_it(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(pages), "-o", str(out), "--jobs", "2"])
    assert first.exit_code == 0, first.output
    assert (out / ".cache").is_dir()
    second = runner.invoke(main, ["build", str(pages), "-o", str(out)])
    assert second.exit_code == 0
    assert any(line.split()[-1] == "5" for line in second.output.splitlines() if "from cache" in line)
    third = runner.invoke(main, ["build", str(pages), "-o", str(tmp_path / "nc"), "--no-cache"])
    assert third.exit_code == 0 and not (tmp_path / "nc" / ".cache").exists()
    assert _outputs(tmp_path / "nc") == _outputs(out)


# ---- exports reuse the previous build's files: every rebuild below is compared byte for byte
# with a clean build without any cache.

def _rebuild_matches_clean(pages: Path, tmp_path: Path, change) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    graph, _ = build([pages], out, cache=cache)
    change(graph)
    build([pages], out, cache=cache)
    build([pages], tmp_path / "clean")
    _assert_same_outputs(out, tmp_path / "clean")


def _rename_an_entity_to_another(pages: Path, graph) -> None:
    """In one page, write one entity's name as another entity's of the same type: resolution then
    merges the two (and the old one loses that page's mentions)."""
    by_type: dict[str, list[str]] = {}
    for node, d in sorted(graph.nodes(data=True)):
        if d["kind"] == "Entity" and d["mention_count"] > 0 and len(d["label"]) > 2:
            by_type.setdefault(d["type"], []).append(d["label"])
    for names in by_type.values():
        for page in sorted(pages.glob("*.txt")):
            text = page.read_text(encoding="utf-8")
            present = [n for n in names if n in text]
            absent = [n for n in names if n not in text]
            if present and absent:
                page.write_text(text.replace(present[0], absent[0]), encoding="utf-8")
                return
    raise AssertionError("no entity to rename in the seed pages")


def _fix_one_character_of_a_body(pages: Path, graph) -> str:
    """Change one 的 of an article's body to 地, away from any name, as an OCR fix would: the
    article keeps its id (tests/test_identity.py) and its mentions, while its text changes."""
    for node, d in sorted(graph.nodes(data=True)):
        if d["kind"] != "Article":
            continue
        spans = [(m.start, m.end) for keys in graph.succ[node].values() for e in keys.values() for m in e.get("mentions", ())]
        page = pages / d["page"]
        text = page.read_text(encoding="utf-8")
        for i in range(d["start"], d["end"]):
            if text[i] == "的" and not any(s - 3 <= i < e + 3 for s, e in spans):
                page.write_text(text[:i] + "地" + text[i + 1:], encoding="utf-8")
                return node
    raise AssertionError("no body to fix in the seed pages")


def test_rebuild_after_fixing_a_character_of_a_body_writes_the_bytes_of_a_clean_build(
        pages: Path, tmp_path: Path) -> None:
    """The article's IRI stays while its text, hence its record, changes: the record's digest
    must follow the text, not the id."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    first, _ = build([pages], out, cache=cache)
    node = _fix_one_character_of_a_body(pages, first)
    second, _ = build([pages], out, cache=cache)
    assert node in second and second.nodes[node]["body"] != first.nodes[node]["body"]
    build([pages], tmp_path / "clean")
    _assert_same_outputs(out, tmp_path / "clean")


def test_an_article_of_the_same_key_has_the_same_record(pages: Path, tmp_path: Path) -> None:
    """A rebuild takes an article's key for its record, but for its events (kg/export/reuse.py):
    across a change of resolution, an unchanged key means the same attributes and the same
    edges to the same entities, in the same order."""

    def records(g) -> dict[str, tuple[bytes, list, list]]:
        return {
            n: (key, list(g.nodes[n].items()),
                [(v, list(keys.items())) for v, keys in g.succ[n].items() if g.nodes[v]["kind"] != "Event"])
            for n, key in g.graph["article_keys"].items()
        }

    first, _ = build([pages], tmp_path / "a", cache=tmp_path / "cache")
    _add_page_that_renames_a_person(pages)
    second, _ = build([pages], tmp_path / "b", cache=tmp_path / "cache")
    before, after = records(first), records(second)
    kept = sorted(before.keys() & after.keys())
    same = [n for n in kept if before[n][0] == after[n][0]]
    assert 0 < len(same) < len(kept)
    for n in same:
        assert before[n] == after[n], n
    assert "article_keys" not in build([pages], tmp_path / "c")[0].graph  # no memo, no keys


@pytest.mark.parametrize(
    "change",
    [
        lambda pages, graph: sorted(pages.glob("*.txt"))[1].unlink(),
        _rename_an_entity_to_another,
        lambda pages, graph: (pages / "000_first.txt").write_text(
            "## 要闻\n\n本报讯（记者 韩梅）近日，永泰街道与大同市平城区人民政府开展联合宣传活动。\n", encoding="utf-8"),
    ],
    ids=["page-deleted", "entity-renamed", "page-added-first"],
)
def test_rebuild_after_a_change_writes_the_bytes_of_a_clean_build(pages: Path, tmp_path: Path, change) -> None:
    _rebuild_matches_clean(pages, tmp_path, lambda graph: change(pages, graph))


@pytest.mark.parametrize(
    "damage",
    [
        lambda out, cache: (out / "graph.ttl").write_text("# edited by hand\n", encoding="utf-8"),
        lambda out, cache: (out / "graph.nt").unlink(),
        lambda out, cache: (out / "neo4j" / "nodes" / "Article.csv").unlink(),
        lambda out, cache: [p.write_bytes(b"not an index") for p in cache.rglob("*.index")],
        lambda out, cache: [p.write_bytes(p.read_bytes()[:-9]) for p in cache.rglob("*.index")],
    ],
    ids=["output-edited", "output-deleted", "neo4j-table-deleted", "index-foreign", "index-truncated"],
)
def test_outputs_or_indexes_touched_between_builds_still_give_a_clean_build(pages: Path, tmp_path: Path,
                                                                           damage) -> None:
    def change(graph) -> None:
        _edit_one_page(pages)
        damage(tmp_path / "out", tmp_path / "cache")

    _rebuild_matches_clean(pages, tmp_path, change)


def test_edited_output_of_the_same_size_is_not_taken_for_the_old_one(pages: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([pages], out, cache=cache)
    nt = out / "graph.nt"
    data = bytearray(nt.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4] = b"XXXX"
    nt.write_bytes(bytes(data))  # same size; the mtime or inode tells
    _edit_one_page(pages)
    build([pages], out, cache=cache)
    build([pages], tmp_path / "clean")
    _assert_same_outputs(out, tmp_path / "clean")


def test_unchanged_rebuild_leaves_files_without_changed_blocks_untouched(pages: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([pages], out, cache=cache)
    keep = [out / "graph.graphml", *sorted((out / "neo4j" / "nodes").glob("*.csv"))]
    before = [p.stat() for p in keep]
    build([pages], out, cache=cache)
    # Not rewritten at all: every block was reused and nothing was generated.
    assert [(s.st_ino, s.st_mtime_ns) for s in before] == [(p.stat().st_ino, p.stat().st_mtime_ns) for p in keep]
    assert sorted(p.name for p in (cache.rglob("*.index"))) == sorted(
        ["graph.ttl.index", "graph.nt.index", "graph.jsonld.index", "graph.graphml.index", "neo4j.index"])


def test_base_iri_change_rewrites_the_rdf_in_full(pages: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([pages], out, cache=cache)
    build([pages], out, cache=cache, base_iri="https://example.org/kg/")
    build([pages], tmp_path / "clean", base_iri="https://example.org/kg/")
    _assert_same_outputs(out, tmp_path / "clean")


def test_generated_corpus_rebuilds_to_the_bytes_of_a_clean_build(tmp_path: Path) -> None:
    from benchmarks.corpus import generate

    files = generate(120, tmp_path / "pages")
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([tmp_path / "pages"], out, cache=cache)
    page = files[len(files) // 2]
    page.write_text(page.read_text(encoding="utf-8") + "\n本报讯（记者 韩梅）近日，水磨村开展环境整治。\n", encoding="utf-8")
    files[0].unlink()
    build([tmp_path / "pages"], out, cache=cache)
    build([tmp_path / "pages"], tmp_path / "clean")
    _assert_same_outputs(out, tmp_path / "clean")


def test_rebuild_copies_unchanged_blocks_from_the_previous_files(pages: Path, tmp_path: Path) -> None:
    """The old files are the memo: a mark put into one, keeping its size, mtime and inode, survives
    a rebuild (which is why a build trusts only files whose stat is unchanged)."""
    import os

    cache, out = tmp_path / "cache", tmp_path / "out"
    build([pages], out, cache=cache)
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        path = out / name
        st = path.stat()
        data = path.read_bytes()
        at = data.index("平城区".encode()) if name != "graph.nt" else data.index("平城区".encode(), len(data) // 2)
        with path.open("r+b") as f:
            f.seek(at)
            f.write("平城县".encode())
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    build([pages], out, cache=cache)
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        assert "平城县".encode() in (out / name).read_bytes(), name
    build([pages], tmp_path / "clean")
    assert "平城县".encode() not in (tmp_path / "clean" / "graph.nt").read_bytes()


def test_outputs_get_the_mode_open_would_give_them_with_or_without_cache(pages: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.write_text("")  # what the umask makes of a file anyone may read
    want = probe.stat().st_mode
    build([pages], tmp_path / "plain")
    build([pages], tmp_path / "cached", cache=tmp_path / "cache")
    _edit_one_page(pages)
    build([pages], tmp_path / "cached", cache=tmp_path / "cache")
    for out in (tmp_path / "plain", tmp_path / "cached"):
        modes = {p.relative_to(out).as_posix(): oct(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
        assert modes and set(modes.values()) == {oct(want)}, modes


def test_output_and_store_directories_get_the_mode_mkdir_would_give_them(pages: Path, tmp_path: Path) -> None:
    from kg.store import load_build

    (tmp_path / "probe").mkdir()  # what the umask makes of a directory anyone may read
    want = oct((tmp_path / "probe").stat().st_mode)
    build([pages], tmp_path / "out")
    _edit_one_page(pages)
    build([pages], tmp_path / "out")  # switched in again over the first
    load_build(tmp_path / "out", tmp_path / "store")
    for d in (tmp_path / "out", tmp_path / "out" / "neo4j", tmp_path / "store"):
        assert oct(d.stat().st_mode) == want, d
    (tmp_path / "out").chmod(0o750)  # a mode the user chose is kept by the next build
    build([pages], tmp_path / "out")
    assert oct((tmp_path / "out").stat().st_mode & 0o777) == "0o750"


def test_rebuild_in_a_new_process_loads_no_jieba_dictionary_and_writes_the_same_bytes(
        pages: Path, tmp_path: Path) -> None:
    """The compiled dictionary reads jieba's dict.txt itself: no build, first or rebuild, has
    jieba load its own (which would leave its cache file in TMPDIR); a rebuild writes a clean
    build's bytes."""
    import subprocess
    import sys

    temp = tmp_path / "temp"  # where jieba would keep its own cache of the dictionary it loads
    temp.mkdir()

    def kg(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "kg.cli", "build", *args], capture_output=True, cwd=ROOT, check=True,
                       env={**os.environ, "TMPDIR": str(temp)})

    out, clean = tmp_path / "out", tmp_path / "clean"
    kg(str(pages), "-o", str(out))
    _edit_one_page(pages)
    (pages / "new.txt").write_text("## 南关街道召开会议\n\n本报讯 近日，南关街道东延社区召开居民议事会，对标先进。\n",
                                   encoding="utf-8")
    kg(str(pages), "-o", str(out))
    kg(str(pages), "-o", str(clean), "--no-cache")
    assert not (temp / "jieba.cache").exists()
    _assert_same_outputs(out, clean)


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_VALUES, max_size=8))
def test_a_reused_digester_gives_each_value_the_digest_of_a_fresh_pickler(values: list) -> None:
    import hashlib
    import io
    import pickle

    def fresh(value: object) -> bytes:  # the form digest had: a new pickler per value
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=5)
        pickler.fast = True
        pickler.dump(value)
        return hashlib.blake2b(buf.getbuffer(), digest_size=16).digest()

    one = digester()
    assert [one(v) for v in values] == [fresh(v) for v in values] == [digest(v) for v in values]
    # the same value shared or copied: the same digest (no memo)
    shared = "平城区" * 3
    assert one([shared, shared]) == one([shared, "".join(["平城区"] * 3)])
