"""kg build --cluster: on a Dask LocalCluster of 2 worker processes, the same graph as a local build.

The corpus is the seed pages with their village, community, company and person names varied
(benchmarks/corpus.py), plus a second name for one page's text and a file that is no page.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any, Iterator

import pytest

distributed = pytest.importorskip("distributed")

from benchmarks.corpus import generate  # noqa: E402
from kg import cluster  # noqa: E402
from kg.build import build as local_build  # noqa: E402
from kg.errors import InputError  # noqa: E402
from kg.store import load_build  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("pages")
    files = generate(150, pages, seed=18)
    (pages / "copy-of-first.txt").write_bytes(files[0].read_bytes())  # the same text under another name
    (pages / "empty.txt").write_bytes(b"")  # an error, reported by both builds
    return pages


@pytest.fixture(scope="module")
def local(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("local") / "out"
    _, report = local_build([corpus], out, ("ntriples", "neo4j"), cache=None)
    return out, report


@pytest.fixture(scope="module")
def scheduler() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as lc:
        yield lc


def _records(path: Path) -> list[bytes]:
    return list(cluster._csv_records(path.read_bytes()))


def _sorted_shards(out: Path) -> bytes:
    lines: list[bytes] = []
    for part in sorted((out / "graph").glob("part-*.nt")):
        lines += part.read_bytes().splitlines(keepends=True)
    return b"".join(sorted(lines))


def test_two_workers_build_the_local_graph_byte_for_byte(corpus: Path, local: tuple[Path, object],
                                                         scheduler: Any, tmp_path: Path) -> None:
    local_out, local_report = local
    out = tmp_path / "out"
    report = cluster.build([str(corpus)], str(out), scheduler.scheduler_address, ("ntriples",), partitions=3)
    expected = (local_out / "graph.nt").read_bytes()
    assert _sorted_shards(out) == b"".join(sorted(expected.splitlines(keepends=True)))
    assert (out / "graph.nt").read_bytes() == expected  # a whole format asked for with -f
    assert report.errors == local_report.errors and report.warnings == local_report.warnings  # type: ignore[attr-defined]
    assert (report.files, report.pages, report.articles, report.relations, report.events) == (
        local_report.files, local_report.pages, local_report.articles, local_report.relations, local_report.events)  # type: ignore[attr-defined]
    index = json.loads((out / "graph" / "parts.json").read_text())
    nt = [p for p in index["parts"] if p["path"].endswith(".nt")]
    assert [p["path"] for p in nt] == [f"graph/part-{j:05d}.nt" for j in range(3)]
    assert sum(p["count"] for p in nt) == index["triples"] == expected.count(b"\n")
    # Neo4j: each file's rows, spread over shards with its header each
    for whole in sorted((local_out / "neo4j").rglob("*.csv")):
        stem = whole.relative_to(local_out / "neo4j").as_posix()[:-len(".csv")]
        shards = sorted((out / "neo4j").glob(f"{stem}.part-*.csv"))
        header, *rows = _records(whole)
        assert shards and all(_records(s)[0] == header for s in shards)
        assert sorted(r for s in shards for r in _records(s)[1:]) == sorted(rows)
        listed = {p["path"]: p["count"] for p in index["parts"]}
        assert sum(listed[s.relative_to(out).as_posix()] for s in shards) == len(rows)
    sealed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert {p["path"] for p in index["parts"]} <= sealed
    # kg load takes a sharded build: every part into one Oxigraph store.
    assert load_build(out, tmp_path / "store") == index["triples"]


def test_the_number_of_partitions_does_not_change_the_union(corpus: Path, local: tuple[Path, object],
                                                            scheduler: Any, tmp_path: Path) -> None:
    out = tmp_path / "one"
    cluster.build([str(corpus)], str(out), scheduler.scheduler_address, partitions=1)
    assert [p.name for p in (out / "graph").glob("part-*.nt")] == ["part-00000.nt"]
    assert _sorted_shards(out) == b"".join(sorted((local[0] / "graph.nt").read_bytes().splitlines(keepends=True)))
    assert not (out / "graph.ttl").exists()  # whole formats only when asked for


@pytest.mark.parametrize("stage", ["recognition", "merge"])
def test_a_worker_killed_mid_build_is_replaced_and_the_output_is_the_same(
        stage: str, corpus: Path, local: tuple[Path, object], scheduler: Any, tmp_path: Path) -> None:
    # recognition: after the first batches are analysed, their results on that worker are lost
    # with it. merge: once the partitions have merged, results the client no longer holds (page
    # results, the entity table, the merges) are lost, and remade from their tasks.
    client = distributed.Client(scheduler.scheduler_address)
    try:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed: list[int] = []

        def progress(at: str, done: int, total: int) -> None:
            if at == stage and done >= (1 if stage == "recognition" else 0) and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        out = tmp_path / "out"
        cluster.build([str(corpus)], str(out), scheduler.scheduler_address, progress=progress, partitions=2)
        assert killed
        client.wait_for_workers(2, timeout=60)
        assert victim not in client.run(os.getpid).values()  # the nanny started another worker
    finally:
        client.close()
    assert _sorted_shards(out) == b"".join(sorted((local[0] / "graph.nt").read_bytes().splitlines(keepends=True)))


def test_the_cli_takes_urls_and_prints_the_dashboard(corpus: Path, local: tuple[Path, object],
                                                     scheduler: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.run([str(Path(sys.executable).parent / "kg"), "build", corpus.as_uri(), "-o", out.as_uri(),
                          "--cluster", scheduler.scheduler_address], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "kg: Dask: 2 workers; " in run.stderr
    assert ("dashboard http" if cluster._has_bokeh() else "no dashboard: install bokeh") in run.stderr
    assert _sorted_shards(out) == b"".join(sorted((local[0] / "graph.nt").read_bytes().splitlines(keepends=True)))


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(cluster.ClusterError) as caught:
        cluster.build(["seeds"], str(tmp_path / "out"), "tcp://127.0.0.1:9", timeout=2)
    message = str(caught.value)
    assert message.startswith("tcp://127.0.0.1:9: cannot reach the Dask scheduler within 2 s"), message
    assert "\n" not in message
    assert not (tmp_path / "out").exists()


def test_one_file_name_in_two_folders_gets_the_local_build_s_page_ids(scheduler: Any, tmp_path: Path) -> None:
    # Two texts under one name: both builds give each page an id that hashes its text too.
    pages = tmp_path / "pages"
    files = generate(20, pages, seed=5)  # about three pages
    (pages / "more").mkdir()
    (pages / "more" / files[0].name).write_bytes(files[1].read_bytes() + "\n补记一段。\n".encode("utf-8"))
    local_build([pages], tmp_path / "local", ("ntriples",), cache=None)
    cluster.build([str(pages)], str(tmp_path / "out"), scheduler.scheduler_address, ("ntriples",), partitions=2)
    expected = (tmp_path / "local" / "graph.nt").read_bytes()
    assert _sorted_shards(tmp_path / "out") == b"".join(sorted(expected.splitlines(keepends=True)))


def test_a_manifest_gives_the_pages_the_local_build_s_addresses_and_dates(scheduler: Any, tmp_path: Path) -> None:
    # Two files get addresses and dates (one by its path's end), a third the same address as
    # another with another text: both builds give those two ids that hash their texts too.
    pages = tmp_path / "pages"
    files = generate(30, pages, seed=7)
    (pages / "sub").mkdir()
    files[2].rename(pages / "sub" / files[2].name)
    manifest = tmp_path / "pages.tsv"
    manifest.write_text("file\turl\tdate\n"
                        f"{files[0].name}\thttp://epaper.example.cn/2024-05-11/1.htm\t2024-05-11\n"
                        f"sub/{files[2].name}\thttp://epaper.example.cn/2024-05-12/3.htm\t2024-05-12\n"
                        f"{files[1].name}\thttp://epaper.example.cn/2024-05-12/3.htm\t\n", encoding="utf-8")
    local_build([pages], tmp_path / "local", ("ntriples",), cache=None, manifest=manifest)
    cluster.build([str(pages)], str(tmp_path / "out"), scheduler.scheduler_address, partitions=2,
                  manifest=manifest)
    expected = (tmp_path / "local" / "graph.nt").read_bytes()
    assert b"http://epaper.example.cn/2024-05-11/1.htm" in expected
    assert _sorted_shards(tmp_path / "out") == b"".join(sorted(expected.splitlines(keepends=True)))


def test_a_remote_out_gets_the_shards_from_the_workers_and_the_rest_uploaded(
        corpus: Path, local: tuple[Path, object], scheduler: Any, tmp_path: Path) -> None:
    # local:// is fsspec's local file system under a URL: the path a remote OUT (s3://...) takes.
    out = tmp_path / "remote"
    run = subprocess.run([str(Path(sys.executable).parent / "kg"), "build", str(corpus), "-o", f"local://{out}",
                          "--cluster", scheduler.scheduler_address, "--partitions", "2"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"files to local://{out} (graph/parts.json and manifest.json list them)" in run.stdout
    assert _sorted_shards(out) == b"".join(sorted((local[0] / "graph.nt").read_bytes().splitlines(keepends=True)))
    # The manifest lists the shards the workers wrote with their digests: kg load checks each.
    assert load_build(out, tmp_path / "store") == json.loads((out / "graph" / "parts.json").read_text())["triples"]


def test_a_missing_manifest_is_the_local_build_s_error(scheduler: Any, tmp_path: Path) -> None:
    # The manifest is read on a worker with the page list: its error still reaches the user as is.
    generate(2, tmp_path / "pages", seed=3)
    with pytest.raises(InputError, match="no such manifest"):
        cluster.build([str(tmp_path / "pages")], str(tmp_path / "out"), scheduler.scheduler_address,
                      manifest=tmp_path / "missing.tsv")


def test_the_client_s_memory_does_not_grow_with_the_number_of_pages(scheduler: Any, tmp_path: Path) -> None:
    # The page files are listed, sorted and cut into batches on a worker: the client's peak while
    # that is done is the same for 2,000 and 20,000 files (listing them here took 1.7 and 16 MB).
    def peak(n: int) -> int:
        pages = tmp_path / f"pages-{n}"
        pages.mkdir()
        for i in range(n):
            (pages / f"{i:06d}.txt").write_bytes(b"x")
        with distributed.Client(scheduler.scheduler_address) as client:
            tracemalloc.start()
            try:
                _, (files, batches, errors) = cluster.submit_plan(client, [str(pages)], None, 8)
                assert (files, batches, errors) == (n, 8, ())
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    small, large = peak(2_000), peak(20_000)
    assert large < small + 1_000_000, (small, large)
