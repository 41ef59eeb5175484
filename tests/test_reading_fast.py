"""The fast forms of reading an article (kg.sentences, kg.relations, kg.events) decide exactly as
the plain forms they replaced, which are kept here as the reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import relations
from kg.sentences import Sentence, Span, _sentence

# Words the relation and event patterns read, and the entities to place on them.
WORDS = ["平城区", "大同市", "新建南路街道", "东岭街道", "青杨社区", "西谷庄村", "伦敦街", "区水务局", "派出所",
         "平城区公安分局", "书记", "主任", "位于", "隶属于", "建成", "包保", "辖区", "该街道", "由", "的", "、",
         "，", "。", "开展", "活动", "王强", "担任", "“", "”", "第五届", "2024年", "召开", "会议"]
ENTITIES = {"平城区": "AdminArea", "大同市": "AdminArea", "新建南路街道": "Subdistrict", "东岭街道": "Subdistrict",
            "青杨社区": "Community", "西谷庄村": "Village", "伦敦街": "Place", "区水务局": "Agency",
            "平城区公安分局": "Agency", "派出所": "Agency", "王强": "Person"}


@st.composite
def sentences(draw: st.DrawFn, most_spans: int | None = None) -> Sentence:
    """A sentence of the words above; entity words become mentions (up to `most_spans` of them)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
    text, spans = "", []
    for word in words:
        type_ = ENTITIES.get(word)
        if type_ and (most_spans is None or len(spans) < most_spans) and draw(st.booleans()):
            spans.append(Span(len(text), len(text) + len(word), word, type_, f"{type_}/{word}"))
        text += word
    return _sentence(None, draw(st.sampled_from(["body", "headline"])), 0, text, tuple(spans))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(sentences(most_spans=1))
def test_the_patterns_article_relations_skips_for_one_mention_find_nothing_there(s: Sentence) -> None:
    # article_relations tries only `contained` and `printed_chains` on a sentence with one mention or none
    for pattern in (relations.appositions, relations.district_clauses, relations.register_confirmed,
                    relations.responsible, relations.memberships, relations.located, relations.stated_links):
        assert pattern(s) == [], pattern.__name__
    if not s.spans:
        subject = Span(0, 4, "东岭街道", "Subdistrict", "Subdistrict/东岭街道")
        assert relations.contained(s, subject, None) == []
