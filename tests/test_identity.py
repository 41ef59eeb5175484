"""Page, article and fragment IRIs name a page by its identity, not its text (docs/rdf-sparql.md,
"Article IRIs"): a fixed character keeps every link, a changed headline renames its article only."""

from __future__ import annotations

import re
from pathlib import Path

from kg.build import build

PCKG = "https://w3id.org/pckg/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# Two headlined stories and a headline-less brief, in words written for this test.
PAGE = """## 清远街道开展交通安全宣传

本报讯（记者 王某）近日，平城区清远街道在辖区开展交通安全宣传活动，李某为居民讲解出行常识。

## 水泊寺乡举办农民丰收节

本报讯（记者 赵某）九月二十三日，水泊寺乡在文化广场举办农民丰收节，展示当地特色农产品。

本报讯 近日，永泰街道组织志愿者清理楼道杂物，消除消防隐患。
"""


def _build(pages: Path, out: Path, manifest: Path | None = None) -> dict[str, set[str]]:
    """IRIs by pckg class (Page, Article, Fragment) in the build's graph.nt, and headline per article."""
    build([pages], out, formats=("ntriples",), manifest=manifest)
    found: dict[str, set[str]] = {}
    for line in (out / "graph.nt").read_text(encoding="utf-8").splitlines():
        subject, predicate, rest = line.split(" ", 2)
        if predicate == TYPE and rest.startswith(f"<{PCKG}"):
            found.setdefault(rest[len(PCKG) + 1:].split(">")[0], set()).add(subject)
    return found


def _headlines(out: Path) -> dict[str, str]:
    headline = "<https://schema.org/headline>"
    pairs = (line.split(" ", 2) for line in (out / "graph.nt").read_text(encoding="utf-8").splitlines())
    return {re.match(r'"(.*)"@zh', o).group(1): s for s, p, o in pairs if p == headline}  # type: ignore[union-attr]


def _page(tmp_path: Path, folder: str, text: str, name: str = "p1.txt") -> Path:
    where = tmp_path / folder
    where.mkdir(parents=True, exist_ok=True)
    (where / name).write_text(text, encoding="utf-8")
    return where


def test_fixing_one_character_of_a_body_keeps_every_page_article_and_fragment_iri(tmp_path: Path) -> None:
    before = _build(_page(tmp_path, "a", PAGE), tmp_path / "a-out")
    fixed = PAGE.replace("出行常识", "出行知识").replace("农产品", "农产品和手工艺品")
    after = _build(_page(tmp_path, "b", fixed), tmp_path / "b-out")
    assert len(before["Article"]) == 3 and len(before["Page"]) == 1
    assert after["Article"] == before["Article"]
    assert after["Page"] == before["Page"]
    assert after.get("Fragment") == before.get("Fragment")
    # the text did change: the graph says so
    assert "出行知识" in (tmp_path / "b-out" / "graph.nt").read_text(encoding="utf-8")


def test_a_changed_headline_renames_its_article_only(tmp_path: Path) -> None:
    _build(_page(tmp_path, "a", PAGE), tmp_path / "a-out")
    _build(_page(tmp_path, "b", PAGE.replace("农民丰收节\n", "农民丰收节活动\n")), tmp_path / "b-out")
    before, after = _headlines(tmp_path / "a-out"), _headlines(tmp_path / "b-out")
    assert after["清远街道开展交通安全宣传"] == before["清远街道开展交通安全宣传"]
    assert after["水泊寺乡举办农民丰收节活动"] != before["水泊寺乡举办农民丰收节"]


def test_reordered_headlined_articles_keep_their_iris(tmp_path: Path) -> None:
    first, second, brief = PAGE.split("\n\n## ")[0], "## " + PAGE.split("\n\n## ")[1].split("\n\n本报讯 ")[0], \
        "本报讯 " + PAGE.split("\n\n本报讯 ")[1]
    swapped = f"{second}\n\n{first}\n\n{brief}"
    _build(_page(tmp_path, "a", PAGE), tmp_path / "a-out")
    _build(_page(tmp_path, "b", swapped), tmp_path / "b-out")
    assert _headlines(tmp_path / "a-out") == _headlines(tmp_path / "b-out")


def test_page_identity_is_the_manifest_address_else_the_file_name(tmp_path: Path) -> None:
    by_name = _build(_page(tmp_path, "a", PAGE), tmp_path / "a-out")
    renamed = _build(_page(tmp_path, "b", PAGE, name="p2.txt"), tmp_path / "b-out")
    assert renamed["Article"].isdisjoint(by_name["Article"])
    manifest = tmp_path / "pages.tsv"
    manifest.write_text("file\turl\tdate\np1.txt\thttp://epaper.example.cn/1.htm\t2024-05-12\n"
                        "p2.txt\thttp://epaper.example.cn/1.htm\t2024-05-12\n", encoding="utf-8")
    one = _build(tmp_path / "a", tmp_path / "a-url", manifest)
    two = _build(tmp_path / "b", tmp_path / "b-url", manifest)
    assert one["Article"] == two["Article"] and one["Page"] == two["Page"]
    assert one["Article"].isdisjoint(by_name["Article"])


def test_one_file_name_in_two_folders_with_two_texts_gives_two_pages(tmp_path: Path) -> None:
    _page(tmp_path, "pages/x", PAGE)
    _page(tmp_path, "pages/y", PAGE.replace("出行常识", "出行知识"))
    found = _build(tmp_path / "pages", tmp_path / "out")
    assert len(found["Page"]) == 2 and len(found["Article"]) == 6


def test_one_text_under_two_names_is_the_page_of_the_first_name(tmp_path: Path) -> None:
    alone = _build(_page(tmp_path, "a", PAGE, name="b.txt"), tmp_path / "a-out")
    _page(tmp_path, "b", PAGE, name="b.txt")
    both = _build(_page(tmp_path, "b", PAGE, name="c.txt"), tmp_path / "b-out")
    assert both["Page"] == alone["Page"] and both["Article"] == alone["Article"]
