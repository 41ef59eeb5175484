"""A varied corpus for honest speed figures: no two pages alike, names and numbers redrawn.

benchmarks/corpus.py makes every page a whole seed page with its names replaced, so a large
corpus is five page layouts again and again, and memoised work looks cheaper than it is on an
archive. Here each page is a fresh draw:

- **Articles**: a page holds 1 to 9 articles (most pages one or two, as a web or government
  site prints them; some many, as an e-paper page does), each drawn from any seed page.
- **Paragraphs**: an article keeps its headline and lead paragraph in place; the paragraphs
  after them are shuffled.
- **Names**: people from the surname list (ontology/surnames.txt) and given-name characters;
  villages and communities half from the official register (ontology/register/datong.tsv),
  half from name characters; companies from name characters before the seed's company
  tail (科技有限公司 ...). Where the names are is found once per seed page by
  `benchmarks.corpus.find_slots` (generic patterns and jieba's part-of-speech tags). Pools grow
  with the corpus, so names recur across pages (resolution has merging to do) and the
  vocabulary keeps growing.
- **Numbers**: dates (2023年5月12日, 5月12日) and every other count are redrawn.

Seeded and deterministic: the same arguments write the same files, when jieba holds its own
dictionary only (generate before `kg.nlp.jieba()` adds our words in the same process).

    python -m benchmarks.varied 1000 /tmp/varied-1000     # 1,000 pages
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import lexicon

from .corpus import SEEDS, Names, Slot, find_slots

# Articles on a page and how often: mostly one or two, now and then a full e-paper page.
_ARTICLES_PER_PAGE = (1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9)
_HEADING = re.compile(r"^## ", re.M)
# A date, or any other run of digits (a count, a year, a share).
_NUMBER = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日|\d+")
_REGISTER_STEM = re.compile(r"^(.{2,4}?)(?:村|社区)$")


@dataclass(frozen=True)
class Article:
    """One seed article: its text and the name slots in it (offsets into that text)."""

    text: str
    slots: tuple[Slot, ...]


@lru_cache(maxsize=1)
def seed_articles() -> tuple[Article, ...]:
    """Every `## ` article of the seed pages, with its name slots."""
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        slots = _with_people(text, find_slots(text))
        starts = [m.start() for m in _HEADING.finditer(text)] + [len(text)]
        for a, b in zip(starts, starts[1:]):
            inside = tuple(Slot(s.start - a, s.end - a, s.kind, s.original) for s in slots
                           if a <= s.start and s.end <= b)
            articles.append(Article(text[a:b].strip("\n") + "\n", inside))
    return tuple(articles)


def _with_people(text: str, slots: list[Slot]) -> list[Slot]:
    """`slots` and the person names jieba tags in running text (nr, starting with a surname of
    the list, and no word of jieba's dictionary: 文明 and 师生 are tagged nr too), where they
    overlap no slot already found."""
    import jieba
    import jieba.posseg as pseg

    surnames = set(lexicon.read_lines("surnames.txt"))
    taken = [(s.start, s.end) for s in slots]
    found = list(slots)
    at = 0
    for w in pseg.cut(text):
        start, at = at, at + len(w.word)
        if (w.flag == "nr" and len(w.word) in (2, 3) and w.word[0] in surnames
                and jieba.get_FREQ(w.word) is None and not w.word.endswith("村")
                and not any(a < at and start < b for a, b in taken)):
            found.append(Slot(start, at, "Person", w.word))
    return sorted(found, key=lambda s: s.start)


@lru_cache(maxsize=1)
def register_stems() -> dict[str, tuple[str, ...]]:
    """Village and community names of the register without their suffix: kind -> stems."""
    stems: dict[str, list[str]] = {"Village": [], "Community": []}
    for line in lexicon.read_text("register/datong.tsv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _, name, level, *_ = line.split("\t")
        m = _REGISTER_STEM.match(name)
        if m and level in ("village", "community"):
            stems["Village" if name.endswith("村") else "Community"].append(m.group(1))
    return {k: tuple(sorted(set(v))) for k, v in stems.items()}


class _VariedNames(Names):
    """Names' pools, with villages and communities half drawn from the register."""

    def _make(self, kind: str) -> str:
        stems = register_stems().get(kind)
        if stems and self.rng.random() < 0.5:
            return self.rng.choice(stems)
        return super()._make(kind)


def _redraw_numbers(text: str, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(2):  # a date
            day = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
            return f"{rng.randint(2019, 2025)}年{day}" if m.group(1) else day
        digits = m.group(0)
        low = 10 ** (len(digits) - 1) if len(digits) > 1 else 1
        return str(rng.randint(low, 10 ** len(digits) - 1))

    return _NUMBER.sub(one, text)


def _article(a: Article, names: _VariedNames, rng: random.Random) -> str:
    mapping: dict[tuple[str, str], str] = {}  # one article keeps one name for one original
    parts, at = [], 0
    for s in a.slots:
        parts += [a.text[at:s.start], mapping.setdefault((s.kind, s.original), names.pick(s.kind))]
        at = s.end
    parts.append(a.text[at:])
    blocks = [b for b in "".join(parts).split("\n\n") if b.strip()]
    head, body = blocks[:2], blocks[2:]
    rng.shuffle(body)
    return _redraw_numbers("\n\n".join(head + body), rng)


def generate(pages: int, out: Path, seed: int = 20) -> list[Path]:
    """Write `pages` pages, no two alike, into `out`; returns the page files in order."""
    articles = seed_articles()
    rng = random.Random(seed)
    names = _VariedNames(rng, size=max(8, pages))
    out.mkdir(parents=True, exist_ok=True)
    seen: set[bytes] = set()
    written = []
    for n in range(pages):
        while True:
            k = rng.choice(_ARTICLES_PER_PAGE)
            text = "\n\n".join(_article(rng.choice(articles), names, rng) for _ in range(k)) + "\n"
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            if digest not in seen:
                break
        seen.add(digest)
        path = out / f"{n:06d}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    count, where = int(sys.argv[1]), Path(sys.argv[2])
    files = generate(count, where)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"{len(files):,} pages, {chars:,} characters in {where}")
