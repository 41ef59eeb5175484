"""Synthetic corpora for benchmarks: the seed pages again and again, with entity names varied.

Each generated page is one seed page with its village, community, company and person
names replaced by names drawn from pools that grow with the corpus, so that names recur
across pages (resolution has real merging to do) and the vocabulary keeps growing
(it cannot just memoise the seeds). Which stretches are names is found once per seed
page from generic patterns and jieba's part-of-speech tags, not from a list.

    python -m benchmarks.corpus 1000 /tmp/corpus-1000   # about 1,000 articles
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import lexicon

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Seed pages hold 46 articles on 5 pages.
ARTICLES_PER_PAGE = 9.2

# Characters for generated names: common in place, shop and given names.
_NAME_CHARS = (
    "安宝北昌晨春翠大德东芳丰福富刚光广国海和恒红宏华辉惠吉佳建江金锦晶静康兰乐立丽利莲良林"
    "玲龙隆梅美敏明南宁平萍旗强庆秋荣瑞润森山善胜盛顺泰涛天田婷伟文武西霞祥新鑫兴秀旭雪阳"
    "燕毅英永勇玉元园源远月云泽振正志中忠洲柱卓"
)
_PLACE_SUFFIX = {"Village": "村", "Community": "社区"}
_COMPANY_TAIL = re.compile(r"(?:科技|农业|建设|商贸|物业|文化|实业)?(?:有限责任公司|有限公司|分公司|公司)")
_BYLINE = re.compile(r"(?:记者|通讯员)[ \u3000]*([\u4e00-\u9fff]{2,3})(?=[ \u3000）)\n])")
_CREDIT = re.compile(r"^([\u4e00-\u9fff]{2,3})摄$", re.M)


@dataclass(frozen=True)
class Slot:
    """A stretch of a seed page that holds a name of `kind`, to be replaced."""

    start: int
    end: int
    kind: str  # Village Community Company Person
    original: str


@lru_cache(maxsize=1)
def _surnames() -> tuple[str, ...]:
    return tuple(s for s in lexicon.read_lines("surnames.txt") if len(s) == 1)


def find_slots(text: str) -> list[Slot]:
    """Name stretches of one page: X村, X社区 with a noun-like X, companies, bylines, credits."""
    import jieba.posseg as pseg

    slots: list[Slot] = []
    at = 0
    words = list(pseg.cut(text))
    for i, w in enumerate(words):
        start, at = at, at + len(w.word)
        if i + 1 >= len(words):
            continue
        nxt = words[i + 1].word
        kind = {"村": "Village", "社区": "Community"}.get(nxt)
        if kind and len(w.word) == 2 and w.flag in ("ns", "nr", "nz", "n", "nrt", "a", "m"):
            slots.append(Slot(start, start + 2, kind, w.word))
    for m in _COMPANY_TAIL.finditer(text):
        stem = m.start() - 2
        if stem >= 0 and re.fullmatch(r"[\u4e00-\u9fff]{2}", text[stem: m.start()]):
            slots.append(Slot(stem, m.start(), "Company", text[stem: m.start()]))
    for pattern in (_BYLINE, _CREDIT):
        for m in pattern.finditer(text):
            slots.append(Slot(m.start(1), m.end(1), "Person", m.group(1)))
    slots.sort(key=lambda s: s.start)
    kept: list[Slot] = []
    for s in slots:  # drop overlaps, first wins
        if not kept or s.start >= kept[-1].end:
            kept.append(s)
    return kept


class Names:
    """Pools of generated names per kind; a pool of size n makes names recur about pages/n times."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.pools: dict[str, list[str]] = {}
        self.size = size

    def _make(self, kind: str) -> str:
        r = self.rng
        if kind == "Person":
            return r.choice(_surnames()) + "".join(r.choice(_NAME_CHARS) for _ in range(r.choice((1, 2))))
        return r.choice(_NAME_CHARS) + r.choice(_NAME_CHARS)

    def pick(self, kind: str) -> str:
        pool = self.pools.setdefault(kind, [])
        if len(pool) < self.size:
            pool.append(self._make(kind))
            return pool[-1]
        return self.rng.choice(pool)


def generate(articles: int, out: Path, seed: int = 8) -> list[Path]:
    """Write about `articles` articles' worth of pages into `out`; returns the page files."""
    seeds = sorted(SEEDS.glob("*.txt"))
    templates = [(p.read_text(encoding="utf-8"), find_slots(p.read_text(encoding="utf-8"))) for p in seeds]
    pages = max(1, round(articles / ARTICLES_PER_PAGE))
    rng = random.Random(seed)
    names = Names(rng, size=max(8, pages * 2))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(pages):
        text, slots = templates[n % len(templates)]
        mapping: dict[tuple[str, str], str] = {}  # one page keeps one name for one original
        parts, at = [], 0
        for s in slots:
            new = mapping.setdefault((s.kind, s.original), names.pick(s.kind))
            parts += [text[at: s.start], new]
            at = s.end
        parts.append(text[at:])
        path = out / f"{n:06d}.txt"
        path.write_text("".join(parts), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    count, where = int(sys.argv[1]), Path(sys.argv[2])
    print(len(generate(count, where)), "pages in", where)
