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
