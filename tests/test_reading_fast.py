"""The fast forms of reading an article (kg.sentences, kg.relations, kg.events) decide exactly as
the plain forms they replaced, which are kept here as the reference."""

from __future__ import annotations

from hypothesis import example, given, settings
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
    text = ""
    spans: list[Span] = []
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


def test_the_reader_makes_spans_as_their_constructor_does() -> None:
    from kg.sentences import _span

    made, built = _span(3, 7, "新建南路", "Subdistrict", "Subdistrict/新建南路"), Span(3, 7, "新建南路", "Subdistrict", "Subdistrict/新建南路")
    assert made == built and hash(made) == hash(built) and vars(made) == vars(built) and repr(made) == repr(built)


def _sentences_reference(reader, article) -> list[Sentence]:
    """Reader.sentences as it was: each sentence's spans filtered from all of its passage's."""
    from kg.sentences import _SENTENCE, _longest_first, _text_offset

    out: list[Sentence] = []
    for passage in article.passages:
        located: list[tuple[int, int, str, str, str]] = []
        for start, end, surface, type_, key, parts in reader._mentions.get(article.id, []):
            at = _text_offset(passage, start, len(passage.text))
            if at is not None and passage.text[at : at + len(surface)] == surface:
                if parts:
                    located.extend((at + s, at + e, f, t, k) for s, e, f, t, k in parts)
                else:
                    located.append((at, at + len(surface), surface, type_, key))
        for piece in _SENTENCE.finditer(passage.text):
            whole = piece.group()
            opened = whole.lstrip()
            text = opened.rstrip()
            if not text:
                continue
            lead = piece.start() + len(whole) - len(opened)
            tail = lead + len(text)
            spans = [Span(s - lead, e - lead, surface, type_, key)
                     for s, e, surface, type_, key in located if lead <= s and e <= tail]
            out.append(Sentence(article, passage.role, len(out), text, tuple(_longest_first(spans))))
    return out


# Pieces of a page: names (some nested in longer ones, some compound), sentence ends and line ends.
PAGE_PIECES = st.sampled_from(
    ["平城区", "平城区委统战部", "新建南路街道", "平城区开源街民和社区", "民和社区", "开源街", "青杨社区", "区水务局",
     "王强", "开展", "活动", "。", "；", "！", "\n", "\n\n", "”", " ", "，", "、", "本报讯（记者 尚丽）"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PAGE_PIECES, max_size=30).map("".join))
def test_the_reader_finds_each_sentence_s_mentions_as_it_did(body: str) -> None:
    from kg import entities, resolve
    from kg.ingest import segment
    from kg.pages import decode_bytes
    from kg.sentences import Reader

    doc = segment(decode_bytes(f"## 平城区民和社区开展活动\n\n本报讯 近日，平城区新建南路街道开展活动。{body}\n".encode("utf-8"), "p.txt"))
    found = resolve.resolve([m for a in doc.articles for m in entities.recognize(a)])
    reader = Reader(found)
    for article in doc.articles:
        fast, slow = reader.sentences(article), _sentences_reference(reader, article)
        assert [(s.role, s.index, s.text, s.spans, s.types) for s in fast] == [(s.role, s.index, s.text, s.spans, s.types) for s in slow]


def _find_reference(text: str, page=None) -> list[tuple[int, int, str]]:
    """dates.find as it was: every pattern run over every sentence."""
    import re

    from kg.dates import _FROM_PUBLICATION, _SINCE, DATE_RE

    relative_re = re.compile(r"(?:自?今年(?:以来)?|近日|日前|连日来|近期|这些天|前不久|去年|眼下|当天|当日|近年来|此前)")
    found = [(m.start(), m.end(), m.group()) for m in DATE_RE.finditer(text) if m.group("m1")]
    relative = [relative_re]
    if page is not None and page.published:
        relative.append(_FROM_PUBLICATION)
    for pattern in relative:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), m.group()))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, t in found:
        if merged and merged[-1][1] == s and not DATE_RE.fullmatch(merged[-1][2]):
            ps, _, pt = merged.pop()
            merged.append((ps, e, pt + t))
        else:
            merged.append((s, e, t))
    opened: list[tuple[int, int, str]] = []
    for s, e, t in merged:
        since = _SINCE.match(text, e) if DATE_RE.search(t) else None
        opened.append((s, e + len(since.group()), t + since.group()) if since else (s, e, t))
    return opened


DATE_PIECES = st.sampled_from(
    ["自", "今年", "以来", "近日", "日前", "连日来", "去年", "当天", "当日", "2024年", "19", "3", "12", "月", "日", "初",
     "下旬", "至", "—", "起", "开始", "持续到", "截至", "今天", "昨日", "上", "本", "周", "星期", "礼拜", "五", "天", "，", "号"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(DATE_PIECES, max_size=12).map("".join), st.booleans())
def test_dates_are_found_as_they_were(text: str, published: bool) -> None:
    from kg import dates

    page = dates.PageYear(2024, "published 2024-05-11", "2024-05-11") if published else dates.PageYear(2024, "page")
    assert dates.find(text, page) == _find_reference(text, page)
    assert dates.find(text) == _find_reference(text)


def _event_words() -> list[str]:
    from kg.lexicon import read_toml

    data = read_toml("event_lexicon.toml")
    words = [*data["heads"], *data["triggers"], *data["organizer_verbs"], *data["undertaker_verbs"], *data["joint_adverbs"],
             *data["took_part"], *data["invited"], *data["came_from"], *data["group_nouns"], *data["means_after"],
             *data["generic_starts"], *data["not_happened"], *data["routine"], "要", "求", "重要", "将"]
    return sorted(set(words))


EVENT_TEXT = st.lists(
    st.one_of(st.sampled_from(_event_words()),
              st.sampled_from(["第", "五", "届", "期", "2024", "19", "年", "度", "月", "“", "”", "，", "、", "和", "及", "等", "的",
                               "由", "以", "平城区", "3", "个", "支"]),
              st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=2)),
    max_size=16,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(EVENT_TEXT, st.integers(min_value=0, max_value=30))
def test_each_cue_finds_something_wherever_its_pattern_does(text: str, at: int) -> None:
    from kg import events

    lex = events.lexicon()
    at = min(at, len(text))
    # _sponsors, _joined and marked skip a pattern where its cue finds nothing
    if lex.organizer_re.search(text):
        assert lex.organizer_cue.search(text)
    if lex.undertaker_re.search(text, at):
        assert lex.undertaker_cue.search(text, at)
    if lex.joined_re.search(text, at):
        assert lex.joined_cue.search(text, at)
    assert bool(lex.edition_cue.search(text)) == any(cue.search(text) for cue in lex.edition_cues)
    if lex.not_happened.search(text):  # _happened tries the cue first
        assert lex.not_happened_cue.search(text)
    # triggered and quoted_titles look for a head ending a text only where its last character ends one
    head = events._last_head(text)
    if head is not None and head.end() == len(text):
        assert text[-1] in lex.head_ends
    assert bool(lex.means_after_re.search(text, at)) == any(w in text[at:] for w in lex.means_after)
    assert (next((g for g in lex.generic_starts if text.startswith(g + "的")), None) is not None) == text.startswith(lex.generic_openers)
    assert bool(events._LIST_MARK.search(text)) == any(ch in "、和及" for ch in text)


def _date_for_reference(c, sents: list[Sentence], page_year):
    """events._date_for as it was: every other sentence whose normed text holds the name looked at."""
    from kg import dates
    from kg.events import _specificity, norm

    def find(s: Sentence) -> list[tuple[int, int, str]]:
        return dates.find(s.text, page_year)

    before = [d for d in find(c.sentence) if d[0] <= c.start]
    chosen = before[-1][2] if before else None
    if chosen is None:
        previous = [s for s in sents if s.role == "body" and s.index < c.sentence.index][-1:]
        if c.sentence.role == "headline":
            previous = [s for s in sents if s.role == "body"][:1]
        for s in previous:
            found = find(s)
            chosen = found[-1][2] if found else None
    key = norm(c.name)
    if key:
        for s, normed in zip(sents, [norm(s.text) for s in sents]):
            if s is not c.sentence and key in normed:
                for _, _, t in find(s):
                    if _specificity(t) > _specificity(chosen or ""):
                        chosen = t
    return dates.parse(chosen, page_year) if chosen else None


DATED_TEXT = st.lists(st.one_of(DATE_PIECES, st.sampled_from(["“文明”", "大讲堂", "活动", "月", "7月", "3日", "上旬", " "])),
                      max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(DATED_TEXT, st.sampled_from(["body", "headline"])), min_size=1, max_size=5),
       st.integers(0, 4), st.integers(0, 12), st.integers(0, 8), st.booleans())
def test_an_event_is_dated_as_it_was(drawn, which: int, start: int, size: int, published: bool) -> None:
    from kg import dates, events

    sents = [_sentence(None, role, i, text, ()) for i, (text, role) in enumerate(drawn)]  # type: ignore[arg-type]
    told = sents[which % len(sents)]
    at = min(start, len(told.text))
    name = told.text[at : at + size] or "文明大讲堂"
    c = events.Candidate(name, "Other", at, told, False)
    page = dates.PageYear(2024, "published 2024-05-11", "2024-05-11") if published else dates.PageYear(2024, "page")
    assert events._date_for(c, events._ArticleDates(sents, page)) == _date_for_reference(c, sents, page)


def _rare_shape_words() -> list[str]:
    from kg.lexicon import read_toml

    data = read_toml("event_lexicon.toml")
    return sorted({*data["announced_verbs"], *data["after_event"], *data["list_intro"], *data["opening_verbs"],
                   *data["verb_objects"], *(o for objs in data["verb_objects"].values() for o in objs), *data["heads"],
                   "对", "进行", "了", "，", ",", "：", "；", "、", "“", "”", "在", "的"})


@st.composite
def event_sentences(draw: st.DrawFn) -> Sentence:
    """A body sentence of event words; the places and bodies in it are mentions."""
    places = {"市美术馆": "Place", "便民市场": "Place", "平城区图书馆": "Organization", "新建南路街道": "Subdistrict"}
    pieces = draw(st.lists(st.one_of(st.sampled_from(_rare_shape_words()), st.sampled_from(sorted(places)),
                                     st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=2)), max_size=14))
    text, spans = "", []
    for piece in pieces:
        if piece in places:
            spans.append(Span(len(text), len(text) + len(piece), piece, places[piece], f"{places[piece]}/{piece}"))
        text += piece
    return _sentence(None, "body", 0, text, tuple(spans))  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(event_sentences())
def test_the_rarer_shapes_find_nothing_where_their_words_are_missing(s: Sentence) -> None:
    # _article_events tries them only where lexicon().rare_shapes finds a word (or a list goes on)
    from kg import events

    if not events.lexicon().rare_shapes.search(s.text):
        for shape in (events.announced, events.examined, events.opened, events.listed, events.opening, events.verb_objects):
            assert shape(s) == [], shape.__name__


def _printed_chains_reference(s: Sentence) -> list:
    """relations.printed_chains as it was: every sentence scanned for names."""
    from kg import lexicon
    from kg.relations import _division_names, _rel

    last, lengths, table = _division_names()
    text = s.text
    names: dict[int, list[tuple[int, str]]] = {}
    for m in last.finditer(text):
        end = m.end()
        for size in lengths.get(text[end - 2 : end], ()):
            if size <= end and text[end - size : end] in table:
                names.setdefault(end, []).append((end - size, text[end - size : end]))
    found = []
    for end, here in names.items():
        child_start, child = here[0]
        parent = next((p for _, p in names.get(child_start, ())), None)
        if parent is None:
            continue
        (ptype, _), (ctype, above) = table[parent], table[child]
        inside = parent in lexicon.register_parents(child, ctype) if ctype in ("Community", "Village") else above == parent
        if inside and ptype in ("AdminArea", "Subdistrict"):
            found.append(_rel(f"{ctype}/{child}", "partOf", f"{ptype}/{parent}", s))
    return found


DIVISION_TEXT = st.lists(st.sampled_from(
    ["平城区", "大同市", "山西省", "新荣区", "云冈区", "阳高县", "新建南路街道", "北关街道", "小南头街道", "西谷庄村", "区", "市", "县",
     "村", "乡", "镇", "街道", "政协第二届", "委员会", "党支部", "，", "和", "的"]), max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(DIVISION_TEXT)
def test_printed_chains_finds_what_it_did(text: str) -> None:
    from kg.model import Article

    article = object.__new__(Article)
    article.__dict__["id"] = "a1"
    s = _sentence(article, "body", 0, text, ())
    assert relations.printed_chains(s) == _printed_chains_reference(s)


def _quoted_titles_reference(s: Sentence) -> list:
    """events.quoted_titles as it was: the opening verb looked up for every head after a title."""
    import re

    from kg.events import _QUOTED, _QUOTED_TITLE, Candidate, _clause_end, _last_head, _opening_verb, _type_of, lexicon

    lex = lexicon()
    found: list[Candidate] = []
    if "“" not in s.text:
        return found
    for m in _QUOTED_TITLE.finditer(s.text):
        inner = m.group(1)
        if inner.endswith(lex.manner_ends):
            continue
        after = m.end()
        while (chained := _QUOTED.match(s.text, after)) is not None:
            after = chained.end()
        run = s.text[after : _clause_end(s.text, after)]
        run = run[: run.find("“")] if "“" in run else run
        head = _last_head(re.split("[、的]", run[:24], maxsplit=1)[0] if not run.startswith(("、", "等")) else run[:24])
        while head is not None and run[head.end() : head.end() + 1] == "暨":
            joined = _last_head(re.split("[、的，,]", run[head.end() + 1 : head.end() + 25], maxsplit=1)[0])
            if joined is None:
                break
            head = re.compile(re.escape(joined.group())).search(run, head.end() + 1 + joined.start())
        tail = run[: head.end()] if head else ""
        verb = _opening_verb(tail) if head and head.start() > 0 else None
        if verb and run[len(verb) :].startswith(lex.scene_words):
            found.append(Candidate(m.group() + verb, "Other", m.start(), s, True))
            continue
        if head and (
            verb is not None
            or tail.startswith("、")
            or lex.trigger_re.search(tail)
            or any(b in tail for b in lex.title_breaks)
            or run[head.end() :].startswith(lex.compound_after)
            or tail.startswith("等") and len(tail) <= len(head.group()) + 3
        ):
            head = None
        if head is not None:
            name = m.group() + tail.removeprefix("等")
            found.append(Candidate(name, _type_of(name, head.group()), m.start(), s, True))
            continue
        inner_head = _last_head(inner)
        alone = not run or run.startswith(("等", "、", *lex.title_breaks))
        if alone and inner_head and inner_head.end() == len(inner) and len(inner) > len(inner_head.group()):
            found.append(Candidate(inner, _type_of(inner, inner_head.group()), m.start(), s, True))
    return found


def _title_words() -> list[str]:
    from kg.lexicon import read_toml

    data = read_toml("event_lexicon.toml")
    return sorted({*data["heads"], *data["triggers"], *data["title_breaks"], *data["compound_after"], *data["scene_words"],
                   *data["manner_ends"], "发放", "举办", "开展", "进行", "启动", "暨", "等", "、", "的", "，", "“", "”", "“”"})


TITLE_TEXT = st.lists(st.one_of(st.sampled_from(_title_words()), st.sampled_from(["“文明大讲堂”", "“新年大礼包”", "“地毯式”", "“邻里”"]),
                                st.text(st.characters(whitelist_categories=["Lo"]), min_size=1, max_size=3)),
                      max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(TITLE_TEXT)
@example("“新年大礼包”发放现场活动成果")  # the verb before 现场 names the event though 成果 sets the head aside
@example("社区开展“文明大讲堂”宣讲会")
def test_quoted_titles_finds_what_it_did(text: str) -> None:
    from kg import events

    s = _sentence(None, "body", 0, text, ())  # type: ignore[arg-type]
    assert events.quoted_titles(s) == _quoted_titles_reference(s)


@settings(max_examples=200, deadline=None)
@given(st.lists(sentences(), min_size=1, max_size=6))
def test_the_article_wide_patterns_find_nothing_more_in_sentences_without_mentions(drawn: list[Sentence]) -> None:
    # article_relations hands them only the sentences that name something
    from kg.model import Article

    article = object.__new__(Article)
    article.__dict__["id"] = "a1"
    sents = [_sentence(article, s.role, i, s.text, s.spans) for i, s in enumerate(drawn)]
    named = [s for s in sents if s.spans]
    for pattern in (relations.district_lists, relations.unit_references, relations.unit_roles, relations.gazetteer_links,
                    lambda ss: relations.sibling_units(ss, []), relations._subject_subdistrict,
                    lambda ss: relations._subject_subdistrict(ss, ("Community", "Village"))):
        assert pattern(sents) == pattern(named)
    subject = relations._subject_subdistrict(sents)
    assert relations.subject_members(sents, subject, set()) == relations.subject_members(named, subject, set())
