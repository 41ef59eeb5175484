"""The quick tests kg.ingest reads lines with decide as the slow ones they replace: the fold of
traditional characters, the navigation patterns, the meta-line check (Hypothesis over the
characters those patterns turn on)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg import ingest
from kg.lexicon import page_shapes
from kg.text import regex_branches

# Label, date, address, navigation and rule characters, traditional forms, names and punctuation.
PIECES = ["来源", "來源", "作者", "编辑", "編輯", "发布时间", "發佈時間", "日期", "时间", "通讯员", "索 引 号", "文/图",
          "本文已被浏览", "次", "当前版", "第", "版", "上一篇", "~~", "~", ">", "＞", "»", "首页", "分享到", "微信图片",
          "123456", "主办", "单位", "放大", "缩小", "打印", "关闭", "扫一扫", "当前位置", "您的位置", "扫一扫", "【", "】", "|", "｜",
          "2024", "-", "07", "1999年", "3月", "2024-07-01 10:00", "2025年3月5日", "http://", "www.x.cn", ":", "：", " ", "\u3000", "张三", "平城区",
          "。", "，", "1", "a"]
LINES = st.lists(st.sampled_from(PIECES), max_size=14).map("".join) | st.text(max_size=30)


@given(LINES)
@settings(max_examples=400, deadline=None)
def test_fold_is_the_translation_whatever_the_line(text: str) -> None:
    assert ingest._fold(text) == text.translate(ingest._shapes().fold)


@given(LINES)
@settings(max_examples=400, deadline=None)
def test_navigation_split_by_anchoring_finds_what_one_alternation_finds(text: str) -> None:
    one = re.compile("|".join(f"(?:{n})" for n in page_shapes().nav))
    assert ingest._is_nav(text, ingest._shapes()) == bool(one.search(text))


def test_branches_split_only_at_top_level_bars() -> None:
    assert regex_branches("^~{2,}|~{2,}$") == ["^~{2,}", "~{2,}$"]
    assert regex_branches("^[^]|]|b") == ["^[^]|]", "b"]
    assert regex_branches("^(?:上一版|下一版)") == ["^(?:上一版|下一版)"]
    assert regex_branches("^[|｜]x") == ["^[|｜]x"]
    assert regex_branches("^[]|]x") == ["^[]|]x"]
    assert regex_branches(r"^a\|b|c") == [r"^a\|b", "c"]


@given(LINES)
@settings(max_examples=600, deadline=None)
def test_meta_check_says_no_only_where_every_piece_says_no(text: str) -> None:
    # what meta_fields decided before its quick check: each bar-separated piece read in full
    cleaned = text.replace("【", " ").replace("】", " ").strip()
    pieces = [ingest._meta_chunk(p.strip(" \u3000")) for p in re.split(r"[|｜]", cleaned)]
    slow_none = len(text) > 160 or any(p is None for p in pieces) or not any(pieces)
    assert (ingest.meta_fields(text) is None) == slow_none


CREDIT_PIECES = ["。", "”", "）", "记者", "本报记者", "通讯员", "张三", "李建国", "摄", "摄影", "摄影报道", " ", "\u3000", "/",
                 "（", "）", "(", ")", "\n", "\r", "图", "x"]


@given(st.lists(st.sampled_from(CREDIT_PIECES), max_size=12).map("".join))
@example("早市方便。 记者 张三摄\n")
@example("居民。(孙向阳 通讯员安一平)\n")
@settings(max_examples=600, deadline=None)
def test_a_line_that_ends_otherwise_has_no_trailing_credit_or_byline(text: str) -> None:
    shapes = ingest._shapes()
    if not text.endswith(shapes.credit_tails):
        assert shapes.trailing_credit.search(text) is None
    if not text.endswith(shapes.byline_tails):
        assert shapes.trailing_byline.search(text) is None


def _duplicates_by_substring_search(segmented):
    """ingest._duplicate_paragraphs as it was: each pair of characters searched for in the rest."""
    seen = {}
    for d, segments in enumerate(segmented):
        for k, s in enumerate(segments):
            if s.role == "body" and len(s.text) >= 30:
                seen.setdefault(re.sub(r"\s+", "", s.text), []).append((d, k))
    drop = set()
    for key, places in seen.items():
        if len(places) < 2:
            continue

        def fit(place):
            d, k = place
            rest = "".join(s.text for j, s in enumerate(segmented[d]) if j != k)
            grams = {key[i: i + 2] for i in range(len(key) - 1)}
            return sum(1 for g in grams if g in rest) / max(1, len(grams))

        best = max(places, key=lambda p: (fit(p), -p[0]))
        drop.update(p for p in places if p != best)
    return drop


@given(st.text(max_size=12), st.text(max_size=40), st.text(alphabet="平城区ab\U0001F600\ud800", max_size=12),
       st.text(alphabet="平城区ab\U0001F600\ud800", max_size=40))
@settings(max_examples=600, deadline=None)
def test_pair_codes_count_the_shared_pairs_the_two_character_strings_count(a: str, b: str, c: str, d: str) -> None:
    def pairs(text: str) -> set[str]:
        return {text[i: i + 2] for i in range(len(text) - 1)}

    for left, right in ((a, b), (c, d), (c, c + d)):
        assert len(ingest._pair_codes(left)) == len(pairs(left))
        assert ingest._shared_pairs(ingest._pair_codes(left), right) == len(pairs(left) & pairs(right))


def test_split_drops_exactly_the_blanks_a_regex_drops() -> None:
    # _duplicate_paragraphs keys a paragraph by "".join(text.split()), once re.sub(r"\s+", "", text)
    blank = re.compile(r"\s")
    assert [c for c in map(chr, range(0x110000)) if bool(blank.match(c)) != c.isspace()] == []


# Paragraphs of 30+ characters over few characters, so that copies and shared pairs are common.
PARAGRAPH = st.text(alphabet="平城区社村开展 活动", min_size=28, max_size=40)


# Short and empty segments too: a pair may span the join of the two segments either side of a copy.
SHORT = st.text(alphabet="平城区 活动", max_size=3)


@given(st.lists(st.lists(st.tuples(st.sampled_from(["body", "body", "caption"]), st.integers(0, 6)), max_size=6),
                min_size=1, max_size=4),
       st.lists(PARAGRAPH, min_size=4, max_size=4), st.lists(SHORT, min_size=3, max_size=3))
@settings(max_examples=400, deadline=None)
def test_duplicate_paragraphs_keep_the_copy_the_substring_search_kept(layout, paragraphs, short):
    from kg.model import Segment

    pool = paragraphs + short
    segmented = [[Segment(role, 0, 0, pool[n], 0) for role, n in article] for article in layout]
    assert ingest._duplicate_paragraphs(segmented) == _duplicates_by_substring_search(segmented)


BYLINE_PIECES = [*page_shapes().byline_markers, "文", "图", "/", "／", ":", "：", " ", "\u3000", "张三", "李建国", "欧阳明",
                 "通讯员", "摄", "、", "x", "1"]


@given(st.lists(st.sampled_from(BYLINE_PIECES), max_size=8).map("".join))
@example("本报记者 张三")
@example("文/图 李建国")
@settings(max_examples=600, deadline=None)
def test_a_line_opening_with_no_byline_character_matches_no_byline_pattern(text: str) -> None:
    shapes = ingest._shapes()
    assert shapes.byline_firsts is not None
    for line in (text, text[1:], text[2:]):  # and pieces of it, starting elsewhere
        if line[:1] not in shapes.byline_firsts:
            assert shapes.byline_line.match(line) is None and shapes.slash_byline.match(line) is None
