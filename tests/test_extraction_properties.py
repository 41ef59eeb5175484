"""Property tests: any text goes through dates, relations and events without crashing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import dates
from kg.build import extract
from kg.pages import decode_bytes
from kg.ingest import segment

# Characters the patterns care about, mixed with anything else.
PIECES = st.sampled_from(
    ["平城区", "街道", "社区", "村", "辖区", "包保", "开展", "“", "”", "活动", "行动", "由", "主办", "承办",
     "月", "日", "—", "至", "年", "，", "。", "、", "\n\n", "## ", "本报讯（记者 尚丽）", "将", "会议", "7", "31"]
)
# no control characters: ingest rightly refuses those as binary data
PLAIN = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5)
TEXT = st.lists(st.one_of(PIECES, PLAIN), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_dates_never_crash_and_never_invent_a_year(text):
    span = dates.parse(text, dates.PageYear(None, None))
    assert span.text == text
    if span.start or span.end:
        assert span.basis == "printed"
    dates.find(text)
    dates.infer_year(text)


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_relations_and_events_never_crash_and_always_carry_evidence(text):
    # a leading sentence keeps the page from being empty, which ingest rightly refuses
    doc = segment(decode_bytes(("近日，平城区清远街道开展活动。\n\n" + text).encode("utf-8"), "random.txt"))
    found = extract([doc])
    assert all(r.evidence and r.article for r in found.relations)
    assert all(e.evidence and e.articles for e in found.events)


def _divisions_every_length(p):
    """entities._divisions as it was before it tried only the lengths of the forms that start
    with each character, at the positions where a form starts: every form length at every
    position (the reference)."""
    from kg import lexicon
    from kg.entities import Span, _division_index, _occurrences

    forms, _, by_first = _division_index()
    lengths = sorted({n for sizes in by_first.values() for n in sizes}, reverse=True)
    text, spans, after = p.text, [], 0
    covered = {i for at, phrase in _occurrences(text, lexicon.division_phrases()) for i in range(at, at + len(phrase))}
    for i in range(len(text)):
        if i < after or i in covered:
            continue
        for size in lengths:
            if i + size > len(text):
                continue
            name_short = forms.get(text[i : i + size])
            if name_short is None:
                continue
            name, short = name_short
            type_ = lexicon.gazetteer()[name].type
            if short and (type_ != "AdminArea" or not (i in p.bound_set and i + size in p.bound_set)):
                continue
            spans.append(Span(i, i + size, type_, name, "short" if short else "gazetteer"))
            after = i + size
            break
    return spans


# Division names and their pieces, so that long, short and overlapping forms meet.
DIVISION_PIECES = st.sampled_from(
    ["平城区", "平城", "大同市", "大同", "我市", "我区", "新荣区", "云冈区", "清远街道", "清远", "西街街道", "西街",
     "山西省", "山西", "北京", "中国", "美丽中国", "街道", "区", "市", "城", "，", "和"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(DIVISION_PIECES, PLAIN), max_size=30).map("".join))
def test_divisions_find_what_trying_every_length_finds(text):
    from kg.entities import _divisions, _Passage

    p = _Passage(text)
    assert _divisions(p) == _divisions_every_length(p)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["平", "平城", "平城区", "城区", "区", "大同", "同", "x", "."]), min_size=1, max_size=6),
       st.lists(st.sampled_from(["平", "城", "区", "大", "同", "市", "x", ".", "(", "\n"]), max_size=12).map("".join))
def test_starts_matches_where_a_word_starts_and_nowhere_else(words, text):
    from kg.entities import _starts

    found = [m.start() for m in _starts(words).finditer(text)]
    assert found == [i for i in range(len(text)) if any(text.startswith(w, i) for w in words)]


# Cue words before and after names, verbs of saying, names and clause marks.
CUE_PIECES = st.sampled_from(["老师", "先生", "（化名）", "(化名)", "书记", "主任", "说", "表示", "介绍", "张三", "李建国",
                              "王", "。", "，", "记者", "村民", "的", " ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(CUE_PIECES, max_size=16).map("".join))
def test_a_passage_where_no_cue_starts_has_nothing_for_the_cue_scans(text):
    from kg.entities import _any_cue, _cues_present, _person_patterns, _speech_pattern

    _, cue_after, _ = _person_patterns()
    after, speech = _cues_present()
    if not after.search(text):
        assert not list(cue_after.finditer(text))
    if not speech.search(text):
        assert not list(_speech_pattern().finditer(text))
    if not _any_cue().search(text):  # the one scan for both
        assert not after.search(text) and not speech.search(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(CUE_PIECES, max_size=16).map("".join))
def test_cue_before_scan_finds_what_a_lookahead_at_every_position_finds(text):
    """The cue-before pattern opens on its cues' first characters (so the regex engine skips in
    C); held to the plain form: a lookahead tried at every position."""
    import re

    from kg import lexicon
    from kg.entities import _person_patterns

    before = lexicon.person_cues().before
    alt = "|".join(sorted(map(re.escape, before), key=lambda s: (-len(s), s)))
    plain = re.compile(f"(?=({alt})[ \u3000]?([\u4e00-\u9fff]{{2,3}}))")
    cue_before, _, _ = _person_patterns()

    def found(pattern):
        return [(m.start(), m.start(1), m.group(1), m.start(2), m.group(2)) for m in pattern.finditer(text)]

    assert found(cue_before) == found(plain)


# Names, 、, list closers, cues, verbs of saying, 街道 and clause marks, for the scans tried only
# before a 、 or a cue.
LIST_PIECES = st.sampled_from(["张三", "李建国", "王", "、", "水泊寺", "文瀛湖", "街道", "当选", "等", "说", "表示",
                               "老师", "（化名）", "为", "。", "，", " ", "x", "\n", "村民", "书记"])


@settings(max_examples=400, deadline=None)
@given(st.lists(LIST_PIECES, max_size=20).map("".join))
def test_scans_tried_before_a_comma_or_cue_find_what_finditer_finds(text):
    """The list, speech and cue-after patterns are tried only 2-4 characters before a 、 or a
    cue (_matches_before); held to finditer over the whole text."""
    from kg.entities import (_LIST_OF_SUBDISTRICTS, _before_cues, _cues_present, _matches_before,
                             _name_list_pattern, _person_patterns, _positions, _speech_pattern)

    def spans(matches):
        return [(m.start(), m.end(), m.groups()) for m in matches]

    commas = _positions(text, "、")
    assert commas == [i for i, c in enumerate(text) if c == "、"]
    for pattern, marks, reach in (
        (_name_list_pattern(), commas, range(2, 4)),
        (_LIST_OF_SUBDISTRICTS, commas, range(2, 5)),
    ):
        assert spans(_matches_before(pattern, text, marks, reach)) == spans(pattern.finditer(text))
    # the names before a verb of saying or a title, tried only before each
    _, cue_after, _ = _person_patterns()
    after, speech = _cues_present()
    assert spans(_before_cues(_speech_pattern(), speech, text)) == spans(_speech_pattern().finditer(text))
    assert spans(_before_cues(cue_after, after, text)) == spans(cue_after.finditer(text))


def _suffix_ends_every_long_word(p):
    """entities._suffix_ends as it was before it looked for the roles glued to a suffix only at
    the word ends a role's last characters stand before: every word of 4 or more characters
    tried at every cut (the reference)."""
    from kg import lexicon
    from kg.entities import _end_patterns

    text, bounds, bound_set = p.text, p.bounds, p.bound_set
    table, cues = lexicon.suffixes(), lexicon.person_cues().before
    last, glued = _end_patterns()
    ends = [m.end() for m in last.finditer(text) if m.end() in bound_set]
    for ws, we in zip(bounds, bounds[1:]):
        for k in range(2, we - ws - 1):
            if text[ws + k : we] in cues and text[ws : ws + k] in table:
                ends.append(ws + k)
    for m in glued.finditer(text):
        ws = m.start()
        if ws in bound_set and ws + 2 in bound_set and ws + 1 not in bound_set:
            ends.append(ws + 1)
    return sorted(ends)


# Bodies' kind words, roles, words jieba glues them into (协会会长), tails and fillers.
SUFFIX_PIECES = st.sampled_from(["协会", "会长", "协会会长", "商会会长", "居委会主任", "主任", "党支部书记", "书记", "支部",
                                 "公司", "总经理", "社区", "村口", "陈庄村口", "桥下", "平城区", "观鸟", "的", "，", "x", "长"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(SUFFIX_PIECES, PLAIN), max_size=20).map("".join))
def test_suffix_ends_find_what_trying_every_long_word_finds(text):
    from kg.entities import _Passage, _suffix_ends

    p = _Passage(text)
    assert _suffix_ends(p) == _suffix_ends_every_long_word(p)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(SUFFIX_PIECES, st.sampled_from(["社会", "开会", "派出所", "所", "会", "协", "研究所"]), PLAIN),
                max_size=20).map("".join))
def test_word_ends_the_suffix_scan_passes_over_end_no_suffix(text):
    """_end_patterns' first pattern skips a word end whose last character only ends longer
    suffixes and whose character before stands in none of them: held to the plain class of
    every suffix's last character, no end it passes over has a suffix."""
    import re

    from kg import lexicon
    from kg.entities import _end_patterns, _Passage, _suffix_at

    p = _Passage(text)
    plain = re.compile("[" + "".join(sorted(map(re.escape, {s[-1] for s in lexicon.suffixes()}))) + "]")
    every = {m.end() for m in plain.finditer(text)}
    found = {m.end() for m in _end_patterns()[0].finditer(text)}
    assert found <= every
    assert all(_suffix_at(p, end) is None for end in every - found)
