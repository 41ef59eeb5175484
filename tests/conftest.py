"""Shared fixtures: the seed pages, one seed build per test session, tiny real pages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = SEEDS / "gold"


@pytest.fixture(scope="session")
def seed_pages() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    """Build the seeds once per session: (graph, report, output directory)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    graph, report = build([SEEDS], out)
    return graph, report, out


# A short page in the paper's own words: section label, kicker, headline, a photo with
# caption and credit, inline byline, and a body paragraph broken at a column break.
TINY_PAGE = """## 平城头条

### 清远街道

## 开展交通安全专项行动

图为志愿者为居民讲解交通安全知识。

于宏摄

本报讯（记者 尚丽）近日，平城区清远街道多措并举、宣教结合，在辖区开展交通安全宣传与秩序劝导行动，纠正辖区交通

陋习，提升居民安全出行意识。
"""


@pytest.fixture
def tiny_page(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_PAGE, encoding="utf-8")
    return path


@pytest.fixture
def page_with_names(tmp_path: Path):
    """Build (docs, entities) from a short page and the names it prints, for relation and event tests.

    `names` maps each printed form to (type, canonical name); every occurrence in an article's
    passages becomes a mention, the longest form first, as a recognizer would report it. Entities
    group the mentions by (type, canonical name) here, so these tests do not depend on resolution.
    """
    from kg.pages import decode
    from kg.ingest import segment
    from kg.model import Entity, Mention

    def build(text: str, names: dict[str, tuple[str, str]]):
        path = tmp_path / "page.txt"
        path.write_text(text, encoding="utf-8")
        doc = segment(decode(path))
        mentions = []
        for article in doc.articles:
            for passage in article.passages:
                taken: list[tuple[int, int]] = []
                for form in sorted(names, key=len, reverse=True):
                    at = passage.text.find(form)
                    while at >= 0:
                        end = at + len(form)
                        if not any(s < end and at < e for s, e in taken):
                            taken.append((at, end))
                            start = passage.page_offset(at)
                            type_, name = names[form]
                            mentions.append(
                                Mention(type_, form, name, article.id, article.page, start, start + len(form), passage.text)
                            )
                        at = passage.text.find(form, at + 1)
        groups: dict[tuple[str, str], list[Mention]] = {}
        for m in sorted(mentions, key=lambda m: (m.start, m.end)):
            groups.setdefault((m.type, m.name), []).append(m)
        entities = tuple(
            Entity(type_, name, tuple(sorted({m.surface for m in ms} - {name})), tuple(ms))
            for (type_, name), ms in sorted(groups.items())
        )
        return [doc], entities

    return build
