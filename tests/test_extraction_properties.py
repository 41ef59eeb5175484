"""Property tests: any text goes through dates, relations and events without crashing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import dates
from kg.build import extract
from kg.ingest import decode_bytes, segment

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
