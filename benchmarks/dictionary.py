"""jieba's dictionary compiled (kg._cut.Dictionary) against jieba's own: load and tagging.

    .venv/bin/python -m benchmarks.dictionary                 # 1,000 varied pages, as speed.py profiles
    .venv/bin/python -m benchmarks.dictionary --pages DIR     # the page files in DIR instead

1. Load, each in a fresh process (CPU seconds, the best of --repeat): the compiled dictionary
   with our words and the HMM tables pos_cut reads from jieba's modules (kg.nlp.load: both), against
   jieba's (jieba.initialize from its marshalled cache, our words added: kg.nlp.jieba) and
   jieba.posseg's tag table (import jieba.posseg).
2. Tagging: kg.nlp.pos_cut against jieba.posseg.lcut over the strings a build tags (entities'
   _could_be_place and events' _opening_verb, recorded from a build of --pages), after each
   has loaded; the answers must be the same (tests/test_nlp.py holds them to it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_LOADS = {
    "compiled dictionary and our words (kg.nlp._dictionary)": "from kg import nlp; nlp._dictionary()",
    "jieba's dictionary and our words (kg.nlp.jieba)": "from kg import nlp; nlp.jieba()",
    "jieba.posseg's tag table (import jieba.posseg, after the above)": "from kg import nlp; nlp.jieba(); "
                                                                       "t0 = time.process_time(); import jieba.posseg",
    "jieba.posseg's HMM tables for pos_cut (after the compiled dictionary)": "from kg import nlp; nlp._dictionary(); "
                                                                            "t0 = time.process_time(); nlp._pos_cut()",
}


def _load_seconds(code: str) -> float:
    """CPU seconds of `code` in a fresh process, after its imports of kg and time."""
    script = ("import time, kg.lexicon, kg.nlp; kg.lexicon.user_words(); kg.lexicon.boundary_words(); "
              f"t0 = time.process_time(); {code}; print(time.process_time() - t0)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def _tagged_strings(pages: Path) -> list[str]:
    """The strings a build of `pages` tags, in the order it tags them."""
    from kg import nlp

    seen: list[str] = []
    tag = nlp.pos_cut

    def recording(text: str) -> list[tuple[str, str]]:
        seen.append(text)
        return tag(text)

    nlp.pos_cut = recording  # before kg.entities imports it
    try:
        from kg.build import build

        with tempfile.TemporaryDirectory() as out:
            build([pages], Path(out), formats=("turtle",))
    finally:
        nlp.pos_cut = tag
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, help="page files to tag (default: 1,000 generated varied pages)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("\nLoad, CPU seconds in a fresh process (best of %d)\n" % args.repeat)
    print("| what | CPU s |")
    print("|---|---:|")
    for what, code in _LOADS.items():
        print(f"| {what} | {min(_load_seconds(code) for _ in range(args.repeat)):.3f} |")

    from kg import nlp

    if args.pages is None:
        from benchmarks.varied import generate

        with tempfile.TemporaryDirectory() as tmp:
            generate(1000, Path(tmp) / "pages")  # the corpus speed.py --profile 1000 builds
            texts = _tagged_strings(Path(tmp) / "pages")
        args.pages = "1,000 varied pages"
    else:
        texts = _tagged_strings(args.pages)
    nlp.posseg()  # loaded before timing, as pos_cut's tables are by the build above
    reference = [[(p.word, p.flag) for p in nlp.posseg().lcut(t)] for t in texts]
    print(f"\nTagging the {len(texts):,} strings a build of {args.pages} tags ({sum(map(len, texts)):,} characters; "
          f"{len(set(texts)):,} distinct), CPU seconds (best of {args.repeat})\n")
    print("| tagger | CPU s | answers unlike jieba.posseg's |")
    print("|---|---:|---:|")
    for what, tag in (("jieba.posseg.lcut", lambda t: [(p.word, p.flag) for p in nlp.posseg().lcut(t)]),
                      ("kg.nlp.pos_cut", nlp.pos_cut)):
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            out = [tag(t) for t in texts]
            best = min(best, time.process_time() - t0)
        print(f"| {what} | {best:.3f} | {sum(a != b for a, b in zip(out, reference))} |")


if __name__ == "__main__":
    main()
