"""CPU seconds of page segmentation alone (kg.ingest.segment), the part of the build's
"recognition" stage that cuts pages into articles, fragments and passages.

    .venv/bin/python -m benchmarks.segment                   # 1,000 varied pages (benchmarks/varied.py)
    .venv/bin/python -m benchmarks.segment --dir PAGES       # a folder of pages instead
    .venv/bin/python -m benchmarks.segment --runs 7

Pages are read as `kg build` reads them (decoded, the same text once, identified); the
dictionary is loaded and the patterns compiled before the clock starts, the garbage collector
is off as in the build, and the cut's memo of column breaks is emptied before each run, so every
run is a cold one. Prints each run's CPU seconds and the best: the machine may be shared.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

from kg import build, ingest, nlp
from kg.pages import identify

from .varied import generate


def time_segment(folder: Path, runs: int) -> tuple[int, list[float]]:
    """(pages, CPU seconds of each run of segment over every page of `folder`)."""
    files, pages, _errors = build._load([folder], None)
    pages = identify(build.same_text(files, pages)[1])
    nlp.load()
    if pages:
        ingest.segment(pages[0])  # compiles the page-shape patterns, reads the surnames
    enabled = gc.isenabled()
    gc.disable()
    times = []
    try:
        for _ in range(runs):
            ingest._word_spans_break.cache_clear()
            t0 = time.process_time()
            for page in pages:
                ingest.segment(page)
            times.append(time.process_time() - t0)
    finally:
        if enabled:
            gc.enable()
    return len(pages), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="a folder of pages (default: 1,000 generated varied pages)")
    parser.add_argument("--pages", type=int, default=1000, help="how many varied pages to generate")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir
        if folder is None:
            folder = Path(tmp) / "pages"
            generate(args.pages, folder)
        count, times = time_segment(folder, args.runs)
    print(f"segment over {count} pages: best {min(times):.3f} CPU s of {len(times)} runs "
          f"({' '.join(f'{t:.3f}' for t in times)})")


if __name__ == "__main__":
    main()
