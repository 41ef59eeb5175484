"""Could a faster segmenter replace kg.nlp.cut? Same tokens first, then speed.

    .venv/bin/python -m benchmarks.segmenters               # 1,000 varied pages, 30,000 random strings
    .venv/bin/python -m benchmarks.segmenters --pages 200 --strings 5000

Recognition needs exactly `jieba.lcut(text, HMM=False)` with our words added (kg.nlp.jieba):
the outputs must not change with the segmenter. kg.nlp.cut is our reimplementation of that
cut, compiled (kg/_cut.c) where it was built, with the pure-Python form beside it
(kg.nlp.python_word_ends, the reference and fallback; tests/test_nlp.py holds both to jieba
word for word). rjieba (PyPI; the Rust jieba-rs) is
given the same words and frequencies, then compared token for token on the varied corpus
(benchmarks/varied.py) and on random strings of the characters where cuts disagree (ties of
equal-probability paths, repeated characters, Latin, digits, blanks). CPU seconds on one core.
rjieba is optional: without it, only jieba and kg.nlp.cut are timed.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from .varied import generate

# Characters of the random strings: frequent news characters (so dictionary words form),
# doubled characters (ties), Latin, digits, blanks, full-width forms.
_ALPHABET = ("平城区有限公司村社区记者大同市开展活动第次年月日的了在是和与中国人民"
             "abcXYZ0123456789-._%+#&  \r\n\t，。、（）\u3000ｂ１")


def _timed(cut: Callable[[str], Any], texts: list[str]) -> tuple[float, list[Any]]:
    t0 = time.process_time()
    out = [cut(t) for t in texts]
    return time.process_time() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--strings", type=int, default=30000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})

    # The corpus first: it is tagged with jieba's own dictionary, before kg adds its words.
    with tempfile.TemporaryDirectory() as work:
        texts = [p.read_text(encoding="utf-8") for p in generate(args.pages, Path(work))]

    from kg.lexicon import boundary_words, user_words
    from kg.nlp import _cut, cut, jieba, python_word_ends, split_at

    def python_cut(text: str) -> list[str]:
        return split_at(text, python_word_ends(text))

    jb = jieba()
    chars = sum(map(len, texts))
    print(f"{args.pages:,} varied pages, {chars:,} characters; CPU seconds on one core\n")
    jieba_s, reference = _timed(lambda t: jb.lcut(t, HMM=False), texts)
    ours_s, ours = _timed(cut, texts)
    print("| segmenter | CPU s | pages whose tokens differ from jieba HMM=False |")
    print("|---|---:|---:|")
    print(f"| jieba.lcut(HMM=False) | {jieba_s:.2f} | (reference) |")
    python_s, in_python = _timed(python_cut, texts)
    compiled = "kg.nlp.cut (compiled, kg._cut)" if _cut is not None else "kg.nlp.cut (kg._cut not built: Python)"
    print(f"| {compiled} | {ours_s:.2f} | {sum(a != b for a, b in zip(reference, ours))} |")
    print(f"| kg.nlp.cut in Python (python_word_ends) | {python_s:.2f} | {sum(a != b for a, b in zip(reference, in_python))} |")
    try:
        import rjieba  # optional, measured only
    except ImportError:
        print("\nrjieba is not installed (pip install rjieba) : not measured")
        return
    rj = rjieba.Jieba()
    for word, tag in user_words():  # as kg.nlp.jieba adds them
        rj.add_word(word, max(jb.get_FREQ(word) or 0, 100000), tag)
    for word in boundary_words():
        if not rj.has_word(word):
            rj.add_word(word, 100000, "v")
    rj_s, theirs = _timed(lambda t: rj.cut(t, False), texts)
    print(f"| rjieba.Jieba.cut(hmm=False) | {rj_s:.2f} | {sum(a != b for a, b in zip(reference, theirs))} |")
    rng = random.Random(20)
    differ = []
    for _ in range(args.strings):
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(1, 40)))
        if jb.lcut(s, HMM=False) != rj.cut(s, False):
            differ.append(s)
    print(f"\nrandom strings: {len(differ):,} of {args.strings:,} cut differently by rjieba; kg.nlp.cut differs on "
          f"{sum(jb.lcut(s, HMM=False) != cut(s) for s in differ)} of those")
    for s in differ[:3]:
        print(f"- {s!r}: jieba {jb.lcut(s, HMM=False)}, rjieba {rj.cut(s, False)}")


if __name__ == "__main__":
    main()
