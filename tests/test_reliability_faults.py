"""kill -9 at random moments of `kg build` and `kg load`: the output directory and the store are
always the complete old state or the complete new one, and the next run succeeds.

The build runs in a forked child (the pipeline already imported, so the child's time is the
work itself, not Python's start-up), the load in a process of its own; each is killed with
SIGKILL after a random delay spread over how long that work takes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from kg import manifest
from kg.build import build
from kg.store import load, open_store
from tests.conftest import TINY_PAGE
from tests.test_reliability import OTHER_PAGE

TRIALS = 20


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def _killed(target: Callable[[], object], delay: float) -> bool:
    """Run `target` in a forked child, SIGKILL it after `delay` seconds; True if it finished first."""
    child = multiprocessing.get_context("fork").Process(target=target)
    child.start()
    child.join(delay)
    if child.exitcode is None:
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        return False
    assert child.exitcode == 0
    return True


def _killed_process(args: list[str], delay: float) -> bool:
    """Run a command, SIGKILL it after `delay` seconds; True if it finished first."""
    child = subprocess.Popen(args)
    try:
        assert child.wait(delay) == 0
        return True
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return False


def _load_command(ttl: Path, store: Path) -> list[str]:
    # A process of its own: RocksDB's threads in this process would deadlock a forked child.
    return [sys.executable, "-c", "import sys; from pathlib import Path; from kg.store import load; "
            "load(Path(sys.argv[1]), Path(sys.argv[2]))", str(ttl), str(store)]


def _delays(rng: random.Random, took: float) -> list[float]:
    # Half spread over the whole run, half over its end, where outputs are written and switched.
    return [rng.uniform(0, took * 1.5) if i % 2 else rng.uniform(took * 0.6, took * 1.1) for i in range(TRIALS)]


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_build_whole(tmp_path: Path) -> None:
    sets = []
    for i, texts in enumerate(((TINY_PAGE,), (TINY_PAGE, OTHER_PAGE))):
        pages = tmp_path / f"pages{i}"
        pages.mkdir()
        for j, text in enumerate(texts):
            (pages / f"p{j}.txt").write_text(text, encoding="utf-8")
        sets.append(pages)
    reference = []
    for i, pages in enumerate(sets):
        build([pages], tmp_path / f"ref{i}", cache=tmp_path / f"ref{i}" / ".cache")
        reference.append(_files(tmp_path / f"ref{i}"))
    assert reference[0] != reference[1]
    out = tmp_path / "out"
    build([sets[0]], out, cache=out / ".cache")
    started = time.perf_counter()  # a whole build as a trial runs it: forked, into a directory with a build
    assert _killed(lambda: build([sets[1]], tmp_path / "warm", cache=tmp_path / "warm" / ".cache"), 60)
    took = time.perf_counter() - started
    rng = random.Random(19)
    finished = 0
    for trial, delay in enumerate(_delays(rng, took)):
        pages = sets[(trial + 1) % 2]
        finished += _killed(lambda: build([pages], out, cache=out / ".cache"), delay)
        state = _files(out)
        assert state in reference, (f"trial {trial}: a mixed or partial output after a kill at {delay:.3f} s: "
                                    f"{[sorted(k for k in set(r) | set(state) if r.get(k) != state.get(k)) for r in reference]}")
        manifest.check(out, [e.path for e in manifest.read(out).files])
    build([sets[1]], out, cache=out / ".cache")
    assert _files(out) == reference[1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == [".out.lock"]
    assert finished < TRIALS  # the kills hit builds (how many finish first depends on the machine)


@pytest.mark.slow
def test_a_load_killed_at_any_moment_leaves_the_old_or_the_new_store_whole(tmp_path: Path) -> None:
    graphs = []
    for i, texts in enumerate(((TINY_PAGE,), (TINY_PAGE, OTHER_PAGE))):
        pages = tmp_path / f"pages{i}"
        pages.mkdir()
        for j, text in enumerate(texts):
            (pages / f"p{j}.txt").write_text(text, encoding="utf-8")
        build([pages], tmp_path / f"b{i}", formats=["turtle"])
        ttl = tmp_path / f"b{i}" / "graph.ttl"
        load(ttl, tmp_path / f"ref{i}")  # the triples as a store holds them (it normalises some datatypes)
        opened = open_store(tmp_path / f"ref{i}")
        graphs.append((ttl, {str(q.triple) for q in opened}))
        del opened
    store = tmp_path / "store"
    load(graphs[0][0], store)
    started = time.perf_counter()  # a whole load as a trial runs it: forked, over a store
    assert _killed_process(_load_command(graphs[1][0], tmp_path / "warm"), 60)
    took = time.perf_counter() - started
    rng = random.Random(19)
    for trial, delay in enumerate(_delays(rng, took)):
        ttl = graphs[(trial + 1) % 2][0]
        _killed_process(_load_command(ttl, store), delay)
        opened = open_store(store)
        held = {str(q.triple) for q in opened}
        del opened  # closed before the next child opens the store
        assert held in (graphs[0][1], graphs[1][1]), f"trial {trial}: a partial store after a kill at {delay:.3f} s"
    assert load(graphs[1][0], store) == len(graphs[1][1])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store")) == [".store.lock"]
