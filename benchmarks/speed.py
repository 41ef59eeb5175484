"""Speed measured honestly: `kg build` end to end against plain `jieba.cut` on the same text.

    .venv/bin/python -m benchmarks.speed                        # 1,000 and 10,000 pages
    .venv/bin/python -m benchmarks.speed --pages 1000 --rebuild-pages 0
    make bench-speed
    .venv/bin/python -m benchmarks.speed --profile 1000         # where a cold build's time goes

For each size it writes a varied corpus (benchmarks/varied.py: no two pages alike), then, one
after the other, each in a child process pinned to the same single CPU:

1. plain jieba: `import jieba; jieba.initialize()` (the dictionary load, timed apart), then
   `jieba.cut` (its default cut) over the text of every page, read before the clock starts;
2. `kg build CORPUS -o FRESH --no-cache --jobs 1`, the command a user runs, end to end:
   interpreter start-up, imports, jieba's dictionary and our words, every stage, every default
   export.

Times are CPU seconds (user + system) of each child and its children (`os.wait4`), which
other work on a shared machine skews far less than the wall clock, printed beside them.
"ratio" is kg's throughput over jieba.cut's on the same characters: jieba.cut CPU s / kg CPU s
(1.0 = as fast as cutting the text with jieba, without its dictionary load). Peak RSS is the
build's `ru_maxrss`. kg/ is byte-compiled first, as pip compiles a package it installs: a
checkout run under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module of kg in
every child (about 0.07 s), which no installed kg does.

Then the rebuild after one changed page (`--rebuild-pages`, default 1,000): a clean build that
writes its cache, then `--repeats` times another short brief added to one page and a rebuild
with the cache, each a `kg build` process as above; the median rebuild counts. Beside it, the
floor any rebuild of that output pays before it reads a page: start-up with kg's imports, and
the SHA-256 of every output file that sealing the output takes (kg/manifest.py).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pipeline import _Clock
from .varied import generate

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    """One child process: CPU seconds (user + system, with its children), wall seconds, peak RSS."""

    cpu: float
    wall: float
    rss_mb: float
    stdout: str


def run(argv: list[str], cpu: int | None) -> Run:
    """Run `argv` pinned to `cpu`, and measure it with wait4 (its own and its children's usage)."""
    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        # Output to files, not pipes: Popen.communicate would reap the child before wait4 could.
        child = subprocess.Popen(argv, stdout=out, stderr=err, text=True, preexec_fn=pin)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}):\n{err.read()[-2000:]}")
        text = out.read()
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, text)


def jieba_child(pages: Path) -> None:
    """In a child: jieba's dictionary load, then jieba.cut over every page's text; prints JSON."""
    t0 = time.process_time()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    load = time.process_time() - t0
    texts = [p.read_text(encoding="utf-8") for p in sorted(pages.glob("*.txt"))]
    t1 = time.process_time()
    words = 0
    for text in texts:
        for _ in jieba.cut(text):
            words += 1
    cut = time.process_time() - t1
    print(json.dumps({"load_s": load, "cut_s": cut, "chars": sum(map(len, texts)), "words": words}))


def profile_child(pages: Path, out: Path, top: int) -> None:
    """In a child: `kg build PAGES -o OUT --no-cache --jobs 1` under cProfile (CPU clock); prints
    the top functions by own time and by cumulative time, as shares of the profiled build."""
    import cProfile
    import pstats

    from kg.cli import main as kg

    profiler = cProfile.Profile(time.process_time)
    with contextlib.redirect_stdout(io.StringIO()):  # kg's report; the tables are this child's output
        profiler.runcall(kg, ["build", str(pages), "-o", str(out), "--no-cache", "--jobs", "1"],
                         standalone_mode=False)
    table: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]  # documented, not in the stubs
    total = max(v[3] for v in table.values())
    root = str(Path(__file__).resolve().parent.parent) + "/"
    for title, column in (("own time", 2), ("cumulative time", 3)):
        print(f"\nTop {top} by {title} (CPU {total:.1f} s under cProfile, which slows small calls most)\n")
        print("| own | cumulative | calls | function |")
        print("|---:|---:|---:|---|")
        rows = [(file.split("site-packages/")[-1].replace(root, ""), line, name, v) for (file, line, name), v in table.items()]
        rows = [r for r in rows if not r[0].startswith("click/")]  # the CLI framework's frames hold everything
        for where, line, name, (_, calls, own, cum, _) in sorted(rows, key=lambda r: -r[3][column])[:top]:
            print(f"| {own / total:.1%} | {cum / total:.1%} | {calls:,} | `{name}` {where}:{line} |")


def stages_child(pages: Path, out: Path) -> None:
    """In a child, without a profiler: one cold build as `kg build` runs it (kg.build.build, no
    cache, one job, the default exports), CPU seconds per stage and per export format."""
    from kg.build import DEFAULT_FORMATS, build
    from kg import nlp

    t0 = time.process_time()
    nlp.load()
    load = time.process_time() - t0
    clock = _Clock()
    build([pages], out, progress=clock)
    end = time.process_time()
    stages = {"jieba and our words": load, **clock.stages(end)}
    total = end - t0
    print(f"\nCPU seconds per stage, without the profiler (build {total:.2f} s, after start-up and imports)\n")
    print("| stage | CPU s | share |")
    print("|---|---:|---:|")
    for stage, spent in stages.items():
        print(f"| {stage} | {spent:.2f} | {spent / total:.0%} |")
    for fmt, spent in clock.per_format(DEFAULT_FORMATS).items():
        print(f"| export: {fmt} | {spent:.2f} | {spent / total:.0%} |")


def _articles(build_stdout: str) -> int:
    m = re.search(r"^articles / 文章\s+([\d,]+)", build_stdout, re.M)
    return int(m.group(1).replace(",", "")) if m else 0


def kg_build(pages: Path, out: Path, cpu: int | None, *extra: str) -> Run:
    return run([str(BIN / "kg"), "build", str(pages), "-o", str(out), "--jobs", "1", *extra], cpu)


def _change_one_page(pages: Path, n: int) -> None:
    """Add the `n`th short brief, unlike any before it, to the page in the middle of the corpus."""
    files = sorted(pages.glob("*.txt"))
    page = files[len(files) // 2]
    with page.open("a", encoding="utf-8") as f:
        f.write(f"\n## 水磨村开展第{n}次环境整治\n\n本报讯（记者 韩梅）近日，水磨村开展第{n}次环境整治，清运垃圾{n + 3}吨。\n")


def _rebuild_floor(out: Path, clean_cpu: float, cpu: int | None) -> None:
    """What any rebuild into `out` pays before it analyses anything, each in a child on the same
    CPU: the interpreter with the modules `kg build` imports, and the output seal's SHA-256 of
    every output file (kg.manifest.file_digest), against a 20x rebuild's budget."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and ".cache" not in p.relative_to(out).parts
                   and p.name != "manifest.json")
    start = run([sys.executable, "-c", "import kg.cli, kg.build"], cpu)
    listing = out / ".cache" / "floor-files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    seal = run([sys.executable, "-c", "import sys, time; from pathlib import Path; from kg.manifest import file_digest; "
                "paths = Path(sys.argv[1]).read_text(encoding='utf-8').splitlines(); t = time.process_time(); "
                "[file_digest(Path(p)) for p in paths]; print(time.process_time() - t)", str(listing)], cpu)
    listing.unlink()
    hashing = float(seal.stdout.split()[-1])
    size = sum(p.stat().st_size for p in files)
    print(f"\nFloor of any rebuild of this output: start-up and imports {start.cpu:.2f} CPU s; the seal's SHA-256 "
          f"of the {len(files)} output files ({size / 1e6:,.0f} MB) {hashing:.2f} CPU s; together "
          f"{start.cpu + hashing:.2f} CPU s, where "
          f"a 20x rebuild may take {clean_cpu / 20:.2f} CPU s in all")


def _provenance() -> str:
    """The date and the commit measured, so a table in the docs says what it is of."""
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    return f"{time.strftime('%Y-%m-%d')}, kg at {commit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000], help="pages per corpus")
    parser.add_argument("--rebuild-pages", type=int, default=1000, help="pages in the rebuild corpus (0: skip)")
    parser.add_argument("--rebuild-only", action="store_true", help="skip the jieba.cut and cold build table")
    parser.add_argument("--repeats", type=int, default=3, help="rebuilds, each after another change; the median counts")
    parser.add_argument("--cpu", type=int, default=max(os.sched_getaffinity(0)), help="the CPU every child runs on")
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and outputs here")
    parser.add_argument("--profile", type=int, metavar="PAGES", help="profile one cold build of this many pages instead")
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument("--jieba", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.jieba:
        jieba_child(args.jieba)
        return
    if args.stages_child:
        stages_child(args.stages_child / "pages", args.stages_child / "out")
        return
    if args.profile_child:
        profile_child(args.profile_child / "pages", args.profile_child / "out", args.top)
        return

    import jieba

    import kg

    compileall.compile_dir(Path(kg.__file__).parent, quiet=1)  # as pip install does (docstring)
    jieba.setLogLevel(60)  # the corpus generator tags the seed pages with jieba, quietly
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-speed-"))
    if args.profile:
        where = work / f"profile{args.profile}"
        shutil.rmtree(where, ignore_errors=True)
        generate(args.profile, where / "pages")
        done = run([sys.executable, "-m", "benchmarks.speed", "--profile-child", str(where), "--top", str(args.top)],
                   args.cpu)
        print(f"Profile of `kg build` over {args.profile:,} varied pages, --no-cache --jobs 1, "
              f"{done.cpu:.1f} CPU s with the profiler")
        print(done.stdout)
        shutil.rmtree(where / "out", ignore_errors=True)
        print(run([sys.executable, "-m", "benchmarks.speed", "--stages-child", str(where)], args.cpu).stdout)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        return
    goals: list[tuple[str, str, bool]] = []
    print(f"`python -m benchmarks.speed {' '.join(sys.argv[1:])}`, {_provenance()}, {os.cpu_count()} CPUs\n")
    if not args.rebuild_only:
        print(f"CPU seconds of each child process pinned to CPU {args.cpu}; wall seconds beside them.\n")
        print("| pages | articles | characters | jieba load CPU s | jieba.cut CPU s | kg build CPU s | ratio "
              "| jieba.cut wall s | kg build wall s | kg build peak RSS MB | MB per 10k articles |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in [] if args.rebuild_only else args.pages:
        where = work / f"p{size}"
        shutil.rmtree(where, ignore_errors=True)
        generate(size, where / "pages")
        cut = run([sys.executable, "-m", "benchmarks.speed", "--jieba", str(where / "pages")], args.cpu)
        j = json.loads(cut.stdout.strip().splitlines()[-1])
        # jieba's wall share of its child: its cut's CPU share of the child's CPU
        cut_wall = cut.wall * j["cut_s"] / cut.cpu
        build = kg_build(where / "pages", where / "out", args.cpu, "--no-cache")
        articles = _articles(build.stdout)
        print(f"| {size:,} | {articles:,} | {j['chars']:,} | {j['load_s']:.2f} | {j['cut_s']:.2f} | "
              f"{build.cpu:.2f} | **{j['cut_s'] / build.cpu:.2f}** | {cut_wall:.2f} | {build.wall:.2f} | "
              f"{build.rss_mb:,.0f} | {build.rss_mb * 10000 / max(articles, 1):,.0f} |", flush=True)
        shutil.rmtree(where / "out", ignore_errors=True)
        if size == max(args.pages):
            ratio, per_10k = j["cut_s"] / build.cpu, build.rss_mb * 10000 / max(articles, 1)
            goals.append((f"cold single-core build >= 1.0x jieba.cut's throughput ({size:,} pages)",
                          f"{ratio:.2f}x", ratio >= 1.0))
            goals.append((f"peak memory <= 500 MB per 10,000 articles ({articles:,} articles)",
                          f"{per_10k:,.0f} MB", per_10k <= 500))
    if args.rebuild_pages:
        where = work / f"rebuild{args.rebuild_pages}"
        shutil.rmtree(where, ignore_errors=True)
        generate(args.rebuild_pages, where / "pages")
        clean = kg_build(where / "pages", where / "out", args.cpu)
        rebuilds = []
        for n in range(1, args.repeats + 1):
            _change_one_page(where / "pages", n)
            rebuilds.append(kg_build(where / "pages", where / "out", args.cpu))
        median = sorted(rebuilds, key=lambda r: r.cpu)[len(rebuilds) // 2]
        runs = ", ".join(f"{r.cpu:.2f}" for r in rebuilds)
        print(f"\nRebuild after one changed page of {args.rebuild_pages:,} ({_articles(clean.stdout):,} articles), "
              f"each `kg build` with its cache in its own process: clean build {clean.cpu:.2f} CPU s "
              f"({clean.wall:.2f} wall), rebuild {median.cpu:.2f} CPU s ({median.wall:.2f} wall; median of "
              f"{runs}), speed-up **{clean.cpu / median.cpu:.1f}x**")
        goals.append((f"rebuild after 1 changed page of {args.rebuild_pages:,} >= 20x faster than a clean build",
                      f"{clean.cpu / median.cpu:.1f}x", clean.cpu / median.cpu >= 20))
        _rebuild_floor(where / "out", clean.cpu, args.cpu)
    if goals:
        print("\n| goal (issue 20) | measured | met |\n|---|---:|---|")
        for goal, measured, met in goals:
            print(f"| {goal} | {measured} | {'yes' if met else 'no'} |")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
