"""Articles -> mentions: find the names an article prints, typed as the gold guideline does.

Recognition is page-local and runs in time linear in the text:
  - people from bylines, photo credits and column signatures (as printed, for schema:author);
  - administrative divisions from the gazetteer (ontology/gazetteer.tsv), full and short forms;
  - bodies, places and settlements by suffix (ontology/suffixes.tsv), extended leftwards over
    jieba's words until a boundary word (ontology/boundaries.tsv): 平城区行政审批服务管理局,
    西谷庄村, 雨泽农业科技有限公司; names nested in them (平城区) are kept too;
  - people by cue (ontology/person_cues.tsv: 书记 X, 村民 X, X 老师, X（化名）), then every
    other place the article prints that name.
`Mention.name` holds a provisional full name (区城管局 -> 平城区城管局, 水泰街道 -> 永泰街道);
resolve.py settles the canonical one across the corpus.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .ingest import surnames
from .model import Article, Mention, Passage
from .nlp import jieba

# Characters that may stand in a name; anything else (punctuation, space, latin) ends it.
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME_CHAR = re.compile(r"[\u3400-\u9fff0-9０-９A-Za-z·]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_OPEN_QUOTE, _CLOSE_QUOTE = "“「《\"", "”」》\""
# jieba dictionary tags that never stand inside a name: prepositions, conjunctions, particles,
# pronouns, adverbs, interjections, verbs, adjectives, idioms, time and place words, measures.
# Verbs that do stand in names of bodies (审批, 执法) are listed as "keep" in boundaries.tsv.
_STOP_TAGS = frozenset("p c u uj ul uz ud ug uv r d y e o v vd vi vg a ad ag i l z t f q".split())
# Tags of words a suffix may sit inside: 统战部, 检察院 (nouns), or unknown words (庄村).
_NOUN_TAGS = frozenset("n nr ns nt nz nrt nrfg j ng vn".split())
_LEVEL_WORDS = ("区", "市", "省", "县")
_GOV_MARKS = ("人民", "中共", "共青团")
_MAX_NAME = 24
# Types whose name may sit inside another name and still count on its own:
# 平城区 in 平城区行政审批服务管理局, 西谷庄村 in 西谷庄村党支部.
_NESTABLE = {
    "Agency": {"AdminArea", "Subdistrict", "Community", "Village", "Agency"},
    "Organization": {"Subdistrict", "Community", "Village", "Agency"},
    "Place": {"Subdistrict", "Village"},
    "Community": {"AdminArea", "Subdistrict"},
    "Village": {"AdminArea", "Subdistrict"},
    "Subdistrict": {"AdminArea"},
}


@dataclass(frozen=True)
class Span:
    """A name found in one passage: offsets into the passage text."""

    start: int
    end: int
    type: str
    name: str
    source: str


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    import jieba.posseg as posseg

    jieba()
    table: dict[str, str] = dict(posseg.dt.word_tag_tab)
    table.update({w: t for w, t in lexicon.user_words()})
    return table


@lru_cache(maxsize=1)
def _division_index() -> tuple[dict[str, tuple[str, bool]], frozenset[str], tuple[int, ...]]:
    forms = dict(lexicon.division_forms())
    for level, name in lexicon.home().items():
        forms["我" + level] = (name, False)  # 我市 = 大同市 in the city's own paper
    first = frozenset(f[0] for f in forms)
    lengths = tuple(sorted({len(f) for f in forms}, reverse=True))
    return forms, first, lengths


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, str]:
    """Look-alike skeleton -> division name, to read 水泰街道 as 永泰街道."""
    out = {}
    for form, (name, short) in lexicon.division_forms().items():
        if not short:
            out[_skeleton(form)] = name
    return out


def _skeleton(text: str) -> str:
    table = lexicon.lookalikes()
    return "".join(table.get(c, c) for c in text)


@lru_cache(maxsize=1)
def _person_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    before, after = lexicon.person_cues()
    alt = "|".join(sorted(map(re.escape, before), key=lambda s: (-len(s), s)))
    # a lookahead, so that 书记兼主任沈媛 is tried after 主任 too
    cue_before = re.compile(f"(?=(?:{alt})([\u4e00-\u9fff]{{2,3}}))")
    alt = "|".join(sorted(map(re.escape, after | {"(化名)", "（化名）"}), key=lambda s: (-len(s), s)))
    cue_after = re.compile(f"([\u4e00-\u9fff]{{2,3}})(?={alt})")
    return cue_before, cue_after, surnames()


# A name ends before these characters: verbs of saying, particles, prepositions.
_NAME_END = frozenset("说表介告讲称像在的是和与及等为也就都又还正已曾对把被让给向从到于将要会能带领这那一乐笑同更最很了着过们兼等地得所")


def _person_name(candidate: str, family: frozenset[str], anchored_left: bool) -> str | None:
    """The name at the start (anchored_left) or end of a 2-3 character candidate, or None."""
    if anchored_left:
        if not candidate or candidate[0] not in family or candidate[0] in _NAME_END:
            return None
        if len(candidate) == 3 and candidate[2] in _NAME_END:
            candidate = candidate[:2]
        if candidate[1] in _NAME_END:
            return None
        return candidate
    for size in (3, 2):
        name = candidate[-size:]
        if len(name) == size and name[0] in family and not (set(name) & _NAME_END):
            return name
    return None


class _Passage:
    """One passage's text with jieba's words, for span finding."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds: list[int] = [0]
        for word in jieba().cut(text, HMM=False):
            self.bounds.append(self.bounds[-1] + len(word))
        self.bound_set = frozenset(self.bounds)

    def word_at(self, i: int) -> tuple[int, int]:
        """The jieba word holding character i."""
        k = bisect.bisect_right(self.bounds, i) - 1
        return self.bounds[k], self.bounds[k + 1]

    def words_before(self, i: int):
        """Words ending at or before i, right to left; a word straddling i is cut at i."""
        k = bisect.bisect_left(self.bounds, i)
        end = i
        while k > 0:
            start = self.bounds[k - 1]
            if start < end:
                yield start, end
                end = start
            k -= 1


def _divisions(p: _Passage) -> list[Span]:
    """Gazetteer names, longest first at each position; short forms only as whole words."""
    forms, first, lengths = _division_index()
    text, spans, i = p.text, [], 0
    while i < len(text):
        if text[i] in first:
            for size in lengths:
                name_short = forms.get(text[i : i + size])
                if name_short is None:
                    continue
                name, short = name_short
                type_ = lexicon.gazetteer()[name].type
                if short and (type_ != "AdminArea" or not (i in p.bound_set and i + size in p.bound_set)):
                    # 北京, 山西 stand alone; a subdistrict's short form (迎宾, 御河) is too often
                    # a road, river or word: it counts only in a list or after the full name
                    continue
                spans.append(Span(i, i + size, type_, name, "short" if short else "gazetteer"))
                i += size - 1
                break
        i += 1
    return spans


def _suffix_at(p: _Passage, end: int) -> lexicon.Suffix | None:
    """The longest lexicon suffix that ends at `end`. A suffix that starts inside a word counts
    only if that word is a noun or unknown (统战部, 庄村), never a verb or a listed ordinary word
    (举办, 格局, 干部, 农村)."""
    table, blocked, tags = lexicon.suffixes(), lexicon.not_names(), _tags()
    for size in range(min(6, end), 0, -1):
        suffix = table.get(p.text[end - size : end])
        if suffix is None:
            continue
        ws, we = p.word_at(end - size)
        if ws < end - size:
            word = p.text[ws:we]
            if word in blocked or (word in tags and tags[word] not in _NOUN_TAGS):
                continue
        return suffix
    return None


# 陈庄村口, 小区门口: a settlement's suffix glued to a place word by jieba.
_LOCATIVE_TAILS = frozenset("口内外里旁边头东西南北前后门")


def _suffix_ends(p: _Passage) -> list[int]:
    ends = list(p.bounds[1:])
    for ws, we in zip(p.bounds, p.bounds[1:]):
        head = lexicon.suffixes().get(p.text[ws])
        if we - ws == 2 and p.text[we - 1] in _LOCATIVE_TAILS and head and head.type in ("Village", "Community"):
            ends.append(ws + 1)
    return sorted(ends)


def _stops(word: str) -> bool:
    """Does this word end a name that is being extended leftwards over it?"""
    b = lexicon.boundaries()
    if not all(_NAME_CHAR.match(c) for c in word) or word in b.stop:
        return True
    if len(word) == 1 or word in b.keep or word in lexicon.division_forms():
        # single characters are mostly fragments of names jieba does not know (陈/庄/村)
        return False
    return _tags().get(word) in _STOP_TAGS


def _extend_left(p: _Passage, start: int) -> int:
    """Where a name whose suffix starts at `start` begins: walk left over jieba's words until a
    boundary word; a quoted part (“菜篮子”社区直营店) is taken whole."""
    text, begin = p.text, start
    words = p.words_before(start)
    for ws, we in words:
        word = text[ws:we]
        if word == "”" and we == begin:
            opening = text.rfind("“", max(0, ws - 14), ws)
            inner = text[opening + 1 : ws] if opening >= 0 else ""
            if not inner or not all(_NAME_CHAR.match(c) for c in inner):
                break
            begin = opening
            for ws2, _ in words:  # skip the quoted words
                if ws2 <= opening:
                    break
            continue
        if _stops(word) or start - ws > _MAX_NAME:
            break
        begin = ws
    return begin


def _words(p: _Passage, start: int, end: int) -> list[str]:
    out, i = [], start
    for b in p.bounds:
        if start < b <= end:
            out.append(p.text[i:b])
            i = b
    if i < end:
        out.append(p.text[i:end])
    return [w for w in out if w]


def _strip_generic(text: str) -> str:
    """What is left of a name's head after its generic modifiers: 老旧 -> "", 观城壹号 -> itself."""
    generic = lexicon.boundaries().generic
    sizes = sorted({len(g) for g in generic}, reverse=True)
    i = 0
    while i < len(text):
        for size in sizes:
            if text[i : i + size] in generic:
                i += size
                break
        else:
            break
    return text[i:]


def _suffix_in(word: str) -> lexicon.Suffix | None:
    """The suffix a whole word ends with, if it is a name's tail (社区 in 永安社区)."""
    table = lexicon.suffixes()
    for size in range(min(6, len(word)), 1, -1):
        if word[-size:] in table:
            return table[word[-size:]]
    return None


def _is_anchor(word: str) -> bool:
    """A jurisdiction word: 区/市/省/县, a division name, 人民, 中共, 共青团."""
    forms = lexicon.division_forms()
    return word in _LEVEL_WORDS or word in _GOV_MARKS or (word in forms and not forms[word][1])


def _named_bodies(p: _Passage) -> list[Span]:
    """Names found by their suffix and extended leftwards."""
    spans = []
    forms, table = lexicon.division_forms(), lexicon.suffixes()
    home = lexicon.home()
    for end in _suffix_ends(p):
        suffix = _suffix_at(p, end)
        if suffix is None:
            continue
        s0 = end - len(suffix.text)
        begin = _extend_left(p, s0)
        words = _words(p, begin, s0)
        # A lone suffix word on the left is a back-reference (该局出入境管理大队): drop it.
        while words and words[0] in table and len(words[0]) == 1 and words[0] not in _LEVEL_WORDS:
            begin += len(words.pop(0))
        if "sub" in suffix.flags:
            head = p.text[begin:s0]
            name = forms.get(head, (None, False))[0] or _skeletons().get(_skeleton(head))
            if name is not None and lexicon.gazetteer()[name].type == "Subdistrict":
                source = "gazetteer" if forms.get(head) else "lookalike"
                spans.append(Span(begin, end, "Subdistrict", name, source))
            continue  # 周边街道 is a street, not a subdistrict
        type_ = suffix.type
        # A name does not run over another name of its own type (永安社区顺利开展社区), except
        # bodies inside bodies (市公安局平城分局) and branches (14校十里店分校).
        for k in range(len(words) - 1, -1, -1):
            inner = _suffix_in(words[k])
            if inner and inner.type == type_ and type_ != "Agency" and not suffix.text.startswith("分"):
                begin += sum(len(w) for w in words[: k + 1])
                words = words[k + 1 :]
                break
        # 对标市政务大厅: single characters before a level word are not part of the name
        level_at = next((k for k, w in enumerate(words) if w in _LEVEL_WORDS), None)
        if level_at and all(len(w) == 1 for w in words[:level_at]):
            begin += level_at
            words = words[level_at:]
        if type_ in ("Community", "Village", "Place"):
            # 水泊寺街道文兴社区 -> 文兴社区: a settlement's name starts after its divisions
            # (a place keeps its district: 平城区市民中心)
            while words and (words[0] in forms or words[0] in _LEVEL_WORDS):
                if type_ == "Place" and (words[0] in _LEVEL_WORDS or lexicon.gazetteer()[forms[words[0]][0]].type == "AdminArea"):
                    break
                if len(p.text[begin + len(words[0]) : s0]) < 2:
                    break  # 迎宾路社区: the division's short form is part of the name
                begin += len(words.pop(0))
        governed = any(_is_anchor(w) for w in words)
        lead = 0
        for w in words:
            if not _is_anchor(w):
                break
            lead += len(w)
        proper = _strip_generic(p.text[begin + lead : s0].strip("“”"))
        if "gov" in suffix.flags:
            inner_body = any(w in table and table[w].type == "Agency" and len(w) > 1 for w in words)
            type_ = "Agency" if governed or inner_body else "Organization"
        if not proper:
            # 平城区检察院, 区工商联, 省委, 市政务大厅: a jurisdiction alone names its own body
            agency = type_ == "Agency" and governed
            if not (agency or ("bare" in suffix.flags and (governed or suffix.text[0] in _LEVEL_WORDS))):
                continue
        if "name" in suffix.flags and len(proper) < 2:
            continue
        if "num" in suffix.flags and not re.search(r"[0-9０-９一二三四五六七八九十百]$", p.text[begin:s0]):
            continue
        if not _CJK.match(p.text[begin]) and p.text[begin] != "“":
            continue
        surface = p.text[begin:end]
        name = re.sub(r"[“”「」《》\"]", "", surface)
        # A level word standing for the paper's home jurisdiction: 区城管局 -> 平城区城管局.
        level = words[0] if words else (suffix.text[0] if "bare" in suffix.flags else "")
        if level in home and name.startswith(level) and not name.startswith(home[level]):
            name = home[level] + name[1:]
        spans.append(Span(begin, end, type_, name, "suffix"))
    return spans


def _is_word(name: str) -> bool:
    """Is this candidate name an ordinary word (安全, 和商家) rather than a person's name?"""
    freq = jieba().get_FREQ
    for k in (2, 3):
        n = freq(name[:k]) or 0
        if n >= 20 and (n >= 500 or not _tags().get(name[:k], "").startswith("nr")):
            return True
    return False


def _people(p: _Passage) -> list[Span]:
    cue_before, cue_after, family = _person_patterns()
    spans = []
    for m in cue_before.finditer(p.text):
        name = _person_name(m.group(1), family, anchored_left=True)
        if name and _is_word(name):
            continue
        if name:
            spans.append(Span(m.start(1), m.start(1) + len(name), "Person", name, "cue"))
    for m in cue_after.finditer(p.text):
        name = _person_name(m.group(1), family, anchored_left=False)
        if name and not _is_word(name):
            spans.append(Span(m.end(1) - len(name), m.end(1), "Person", name, "cue"))
    return spans


_LIST_OF_SUBDISTRICTS = re.compile(r"((?:[\u4e00-\u9fff]{2,4}、)+)([\u4e00-\u9fff]{2,4})(?=街道)")


def _listed_subdistricts(p: _Passage) -> list[Span]:
    """Short forms in a list whose last item carries 街道: 水泊寺、文瀛湖、白登山街道."""
    forms = lexicon.division_forms()
    spans = []
    for m in _LIST_OF_SUBDISTRICTS.finditer(p.text):
        at = m.start(1)
        for item in m.group(1).split("、")[:-1]:
            hit = forms.get(item) or forms.get(item + "街道")
            if hit and lexicon.gazetteer()[hit[0]].type == "Subdistrict":
                spans.append(Span(at, at + len(item), "Subdistrict", hit[0], "list"))
            at += len(item) + 1
    return spans


def _select(spans: list[Span]) -> list[Span]:
    """Drop spans inside a longer one unless the guideline counts them nested; among crossing
    spans keep the longer. Deterministic: sorted by position, longest first."""
    spans = sorted(set(spans), key=lambda s: (s.start, -(s.end - s.start), s.type, s.name))
    kept: list[Span] = []
    for s in spans:
        ok = True
        for k in kept:
            if k.end <= s.start or s.end <= k.start:
                continue
            if k.start <= s.start and s.end <= k.end:
                if (s.start, s.end) == (k.start, k.end) or s.type not in _NESTABLE.get(k.type, ()):
                    ok = False
                    break
                # a nested span must sit on the container's word grid: 平城区 in 平城区委
                continue
            ok = False  # crossing
            break
        if ok:
            kept.append(s)
    return kept


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    right = m.end() if m else len(text)
    return text[left:right].strip()


def _credits(article: Article) -> list[Mention]:
    """Reporters, photographers and columnists, with surface exactly as Article lists them."""
    mentions: list[Mention] = []
    names = list(dict.fromkeys([*article.reporters, *article.photographers, *article.columnists]))
    for segment in article.segments:
        if segment.role not in ("byline", "credit"):
            continue
        for name in names:
            at = segment.text.find(name)
            if at < 0:
                continue
            start = segment.text_start + at
            mentions.append(
                Mention("Person", name, name, article.id, article.page, start, start + len(name), segment.text, "byline")
            )
    found = {m.surface for m in mentions}
    for name in names:
        if name not in found:
            # a credit the segmenter merged into another line: anchor it at the article start
            mentions.append(Mention("Person", name, name, article.id, article.page, article.start, article.start, "", "byline"))
    return mentions


def _expand_context(spans: list[Span], text: str, subdistrict: str | None) -> list[Span]:
    """街道综合行政执法队 in an article about 武定街道 -> 武定街道综合行政执法队."""
    out = []
    for s in spans:
        if subdistrict and s.type == "Agency" and s.name.startswith("街道") and len(s.name) > 2:
            s = Span(s.start, s.end, s.type, subdistrict + s.name[2:], s.source + "+context")
        out.append(s)
    return out


def _inherit_in_lists(spans: list[Span], text: str) -> list[Span]:
    """平城区城管局、市场监管局: a bare department after a governed one shares its jurisdiction."""
    out: list[Span] = []
    home = set(lexicon.home().values())
    forms = lexicon.division_forms()
    for s in spans:
        prev = out[-1] if out else None
        if (
            prev
            and s.type == "Agency"
            and prev.type == "Agency"
            and text[prev.end : s.start] == "、"
            and s.name[-1] == prev.name[-1]
            and not s.name.startswith(tuple(home))
            and not any(s.name.startswith(f) for f in (s.name[:k] for k in range(2, 7)) if f in forms)
        ):
            jurisdiction = next((h for h in sorted(home, key=len, reverse=True) if prev.name.startswith(h)), None)
            if jurisdiction:
                s = Span(s.start, s.end, s.type, jurisdiction + s.name, s.source + "+list")
        out.append(s)
    return out


def recognize(article: Article) -> list[Mention]:
    """Every mention in one article, in page order."""
    mentions = _credits(article)
    per_passage: list[tuple[Passage, _Passage, list[Span]]] = []
    for passage in article.passages:
        p = _Passage(passage.text)
        spans = _divisions(p) + _named_bodies(p) + _people(p) + _listed_subdistricts(p)
        per_passage.append((passage, p, spans))

    # Short forms the article itself introduces: 永安 after 永安社区, 吴晓东 after 创始人吴晓东.
    known: dict[str, tuple[str, str]] = {}
    subdistricts: list[str] = []
    for _, _, spans in per_passage:
        for s in spans:
            if s.type == "Person":
                known.setdefault(s.name, ("Person", s.name))
            elif s.type in ("Subdistrict", "Community", "Village"):
                stem = s.name
                for tail in ("街道办事处", "街道", "社区", "村"):
                    if stem.endswith(tail):
                        stem = stem[: -len(tail)]
                        break
                if len(stem) >= 2 and stem not in lexicon.division_forms():
                    known.setdefault(stem, (s.type, s.name))
            if s.type == "Subdistrict":
                subdistricts.append(s.name)
    credited = set(article.reporters) | set(article.photographers) | set(article.columnists)
    subdistrict = max(sorted(set(subdistricts)), key=subdistricts.count) if subdistricts else None

    for passage, p, spans in per_passage:
        for short, (type_, name) in known.items():
            if short in credited:
                continue
            at = p.text.find(short)
            while at >= 0:
                whole = at in p.bound_set and at + len(short) in p.bound_set
                if type_ == "Person" or whole:
                    spans.append(Span(at, at + len(short), type_, name, "article"))
                at = p.text.find(short, at + 1)
        chosen = _inherit_in_lists(_expand_context(_select(spans), p.text, subdistrict), p.text)
        for s in chosen:
            mentions.append(
                Mention(
                    s.type,
                    p.text[s.start : s.end],
                    s.name,
                    article.id,
                    article.page,
                    passage.page_offset(s.start),
                    passage.page_offset(s.end - 1) + 1,
                    _sentence(p.text, s.start, s.end),
                    s.source,
                )
            )
    return sorted(set(mentions), key=lambda m: (m.start, m.end, m.type, m.name, m.source))
