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
from functools import lru_cache
from operator import attrgetter
from typing import Collection, Iterable, Iterator, NamedTuple

from . import lexicon
from .ingest import surnames
from .model import BYLINE, Article, Mention
from .nlp import freq as word_freq
from .nlp import pos_cut, word_ends, word_tags

# Characters that may stand in a name; anything else (punctuation, space, latin) ends it.
_CJK = re.compile(r"[\u3400-\u9fff]")
_NAME_CHAR = re.compile(r"[\u3400-\u9fff0-9０-９A-Za-z·]")
_NAME_CHARS = re.compile(r"[\u3400-\u9fff0-9０-９A-Za-z·]*")  # fullmatch: every character a _NAME_CHAR
_SENTENCE_END = re.compile(r"[。！？!?；;]")
# jieba dictionary tags that never stand inside a name: prepositions, conjunctions, particles,
# pronouns, adverbs, interjections, verbs, adjectives, idioms, time and place words, measures.
# Verbs that do stand in names of bodies (审批, 执法) are listed as "keep" in boundaries.tsv.
_STOP_TAGS = frozenset("p c u uj ul uz ud ug uv r d y e o v vd vi vg a ad ag b i z f q s".split())
# Single characters with these tags are function words even inside unknown names' reach.
_SINGLE_STOP_TAGS = frozenset("p c u uj ul uz ud ug uv r".split())
# Tags of words a suffix may sit inside: 统战部, 检察院 (nouns), or unknown words (庄村).
_NOUN_TAGS = frozenset("n nr ns nt nz nrt nrfg j ng vn".split())
_LEVEL_WORDS = ("区", "市", "省", "县")
_GOV_MARKS = ("人民", "中共", "共青团")
_PARTY_MARKS = ("中共", "共青团")
# Titles of the heads of bodies end so: 主席, 主任, 书记, 局长, 经理.
_HEAD_TITLE_ENDS = frozenset("长席任记理")
# 一中, 十三中, 二小: a school called by its number (No. 1 Middle School)
_TERM = re.compile("新一届|本届|上一届|新一任")
_COUNT = re.compile("[0-9０-９一二两三四五六七八九十百千几多余]+[个所支处]")
_SCHOOL_NUMBER = re.compile("[一二三四五六七八九十]+[中小]")
_MAX_NAME = 24
# Types whose name may sit inside another name and still count on its own (a division inside
# a body's name does not: the gold names 山西省 only where the text does, not in 山西省委):
# 西谷庄村 in 西谷庄村党支部, 水泊寺街道 in 水泊寺街道党工委. "District": a district or county
# (not a city, province or country) the gazetteer knows names itself inside a body's or place's
# name too: 平城区文慧苑小区 and 平城区检察院 name 平城区; 山西省委 and 中国人寿 do not name theirs.
_NESTABLE = {
    "Agency": {"Subdistrict", "Community", "Village", "District"},
    "Organization": {"Subdistrict", "Community", "Village", "Agency", "District"},
    "Place": {"Subdistrict", "Village", "District"},
    "Company": {"District"},
    "Community": {"AdminArea", "Subdistrict"},
    "Village": {"AdminArea", "Subdistrict"},
    "Subdistrict": {"AdminArea"},
}


class Span(NamedTuple):
    """A name found in one passage: offsets into the passage text. (Immutable as a frozen
    dataclass is, and made in a third of the time: a build makes one per name found and
    candidate kept, 50,000 over 1,000 pages.)"""

    start: int
    end: int
    type: str
    name: str
    source: str


_tags = word_tags


def _alternation(words: Collection[str]) -> str:
    """A regular expression matching exactly `words`, as a trie (平(?:城区?|旺乡)|...): the regex
    engine walks it a character at a time instead of trying every word in turn. Where several
    words match at one place it tries the longest first, then the shorter ones, as an
    alternation of the words sorted longest first does, so it can replace one."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def alternatives(node: dict[str, dict]) -> str:
        alts = [re.escape(c) + alternatives(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return alternatives(tree) if tree else "(?!)"


def _starts(words: Collection[str]) -> re.Pattern[str]:
    """A pattern that matches the first character wherever one of `words` starts (m.start()
    is where): a class of their first characters, then the words as a trie."""
    return re.compile(_opening(words, _alternation(words)))


def _opening(words: Collection[str], then: str) -> str:
    """A pattern that matches one character, the first of one of `words`, where `then` matches
    from it. A pattern that opens on a character class lets the regex engine skip to the next
    character of the class in C, where one that opens on a lookahead enters it at every
    position; and the class of second characters (when every word has two) rules out most of
    the rest before `then` tries its alternatives one by one (a dictionary's first characters
    are common ones: 民, 一, 大)."""
    if not words:
        return "(?!)"
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    if min(map(len, words)) < 2:
        return f"[{firsts}](?<=(?={then})(?s:.))"
    seconds = "".join(sorted({re.escape(w[1]) for w in words}))
    return f"[{firsts}](?<=(?=(?s:.)[{seconds}])(?={then})(?s:.))"


@lru_cache(maxsize=1)
def _phrase_starts() -> re.Pattern[str]:
    return _starts(lexicon.division_phrases())


@lru_cache(maxsize=1)
def _division_index() -> tuple[dict[str, tuple[str, bool]], re.Pattern[str], dict[str, tuple[int, ...]]]:
    """(printed form -> (name, is short), a pattern that finds where a form starts,
    first character -> the lengths of the forms starting with it, longest first)."""
    forms = dict(lexicon.division_forms())
    for level, name in lexicon.home().items():
        forms["我" + level] = (name, False)  # 我市 = 大同市 in the city's own paper
    first = _starts(forms)
    # Per first character, so that a position tries only the lengths some form starting
    # there has (a length no such form has finds nothing in `forms` anyway).
    sizes: dict[str, set[int]] = {}
    for f in forms:
        sizes.setdefault(f[0], set()).add(len(f))
    lengths = {c: tuple(sorted(n, reverse=True)) for c, n in sizes.items()}
    return forms, first, lengths


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, str]:
    """Look-alike skeleton -> division name, to read 水泰街道 as 永泰街道."""
    out = {}
    for form, (name, short) in lexicon.division_forms().items():
        if not short:
            out[_skeleton(form)] = name
    return out


_skeleton = lexicon.skeleton


@lru_cache(maxsize=1)
def _person_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    cues = lexicon.person_cues()
    before, after = cues.before, cues.after
    alt = "|".join(sorted(map(re.escape, before), key=lambda s: (-len(s), s)))
    # one character matched (a cue's first), the rest looked ahead, so that 书记兼主任张三 is
    # tried at 主任 too
    cue_before = re.compile(_opening(before, f"({alt})[ \u3000]?([\u4e00-\u9fff]{{2,3}})"))
    alt = "|".join(sorted(map(re.escape, after | {"(化名)", "（化名）"}), key=lambda s: (-len(s), s)))
    cue_after = re.compile(f"([\u4e00-\u9fff]{{2,3}})(?={alt})")
    return cue_before, cue_after, surnames()


@lru_cache(maxsize=1)
def _speech_pattern() -> re.Pattern[str]:
    """A whole clause-opening 2-3 characters before a verb of saying: 。王丽萍说, ，李建国表示."""
    alt = "|".join(sorted(map(re.escape, lexicon.person_cues().speech), key=lambda s: (-len(s), s)))
    return re.compile(rf"(?:^|(?<=[，。！？；：“”、,.!?;:\s]))([\u4e00-\u9fff]{{2,3}})(?={alt})")


@lru_cache(maxsize=1)
def _cues_present() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a cue after a name, and a verb of saying, start: a passage with neither needs no
    scan by cue_after or _speech_pattern (which try 2-3 characters at every position first)."""
    cues = lexicon.person_cues()
    # (no verbs of saying listed: _speech_pattern's empty alternation then follows any name)
    return _starts(cues.after | {"(化名)", "（化名）"}), _starts(cues.speech) if cues.speech else re.compile("")


@lru_cache(maxsize=1)
def _any_cue() -> re.Pattern[str]:
    """Where a cue after a name or a verb of saying starts: one of _cues_present's (which
    finds anything when no verbs of saying are listed)."""
    cues = lexicon.person_cues()
    return _starts(cues.after | {"(化名)", "（化名）"} | cues.speech) if cues.speech else re.compile("")


def _matches_before(pattern: re.Pattern[str], text: str, marks: Iterable[int], reach: range) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern whose every match starts `reach` characters before
    one of `marks` (in order): tried at those starts alone, left to right and
    each after the last match's end as finditer meets them, instead of at every position. (The
    pattern's matches are never empty. A start met again, the same as an earlier mark's, fails
    again or lies inside the match it made.)"""
    at = 0
    farthest = reach[::-1]  # the farthest start first: left to right
    for mark in marks:
        for r in farthest:
            i = mark - r
            if i >= at and i >= 0 and (m := pattern.match(text, i)) is not None:
                yield m
                at = m.end()


def _before_cues(pattern: re.Pattern[str], cues: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """pattern.finditer(text) for a pattern whose every match is a name of 2-3 characters that
    ends where `cues` finds a cue (a verb of saying, a title after a name): tried only before
    each cue, in the few passages that hold one."""
    first = cues.search(text)
    if first is None:
        return ()
    return _matches_before(pattern, text, [m.start() for m in cues.finditer(text, first.start())], range(2, 4))


def _positions(text: str, mark: str) -> list[int]:
    """Every offset where `mark` stands in `text`."""
    out, at = [], text.find(mark)
    while at >= 0:
        out.append(at)
        at = text.find(mark, at + 1)
    return out


# A name ends before these characters: verbs of saying, particles, prepositions.
_NAME_END = frozenset("摄说表介告讲称像在的是和与及等为也就都又还正已曾对把被让给向从到于将要会能带领这那一乐笑同更最很了着过们兼等地得所")


def _person_name(candidate: str, family: frozenset[str], anchored_left: bool) -> str | None:
    """The name at the start (anchored_left) or end of a 2-3 character candidate, or None."""
    honorific = lexicon.person_cues().honorific
    if any(candidate[k:] in honorific or candidate[1:k] in honorific for k in (1, 2)):
        return None  # 李女士, 王大爷: a surname and a form of address
    if anchored_left:
        if not candidate or candidate[0] not in family or candidate[0] in _NAME_END:
            return None
        if len(candidate) == 3 and _tags().get(candidate) in ("nr", "nrfg", "nrt"):
            return candidate  # 张正明, 王为民: a name jieba knows may hold a character that ends others

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
        self.bounds: list[int] = [0, *word_ends(text)]
        self.bound_set = frozenset(self.bounds)

    def word_at(self, i: int) -> tuple[int, int]:
        """The jieba word holding character i."""
        k = bisect.bisect_right(self.bounds, i) - 1
        return self.bounds[k], self.bounds[k + 1]

    def words_before(self, i: int) -> Iterator[tuple[int, int]]:
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
    text, spans, after = p.text, [], 0
    gazetteer = lexicon.gazetteer()
    # 美丽中国, 中国特色: a slogan or set phrase that names no place (most passages hold none,
    # which one scan for where a phrase starts tells)
    phrases = lexicon.division_phrases()
    covered = (
        {i for at, phrase in _occurrences(text, phrases) for i in range(at, at + len(phrase))}
        if _phrase_starts().search(text) else set()
    )
    n = len(text)
    for m in first.finditer(text):  # most characters start no form: skip them in C
        i = m.start()
        if i < after or i in covered:
            continue  # inside the name found last, or inside a set phrase
        for size in lengths[text[i]]:
            if i + size > n:
                continue
            name_short = forms.get(text[i : i + size])
            if name_short is None:
                continue
            name, short = name_short
            type_ = gazetteer[name].type
            if short and (type_ != "AdminArea" or not (i in p.bound_set and i + size in p.bound_set)):
                # 北京, 山西 stand alone; a subdistrict's short form (迎宾, 御河) is too often
                # a road, river or word: it counts only in a list or after the full name
                continue
            spans.append(Span(i, i + size, type_, name, "short" if short else "gazetteer"))
            after = i + size
            break
    return spans


_DIRECTIONS = frozenset("东西南北中")


@lru_cache(maxsize=1)
def _longest_suffix() -> int:
    return max(map(len, lexicon.suffixes()))


@lru_cache(maxsize=1)
def _suffix_sizes() -> dict[str, tuple[int, ...]]:
    """Last character -> the lengths of the suffixes ending with it, longest first: most word
    ends rule out every suffix with one look-up."""
    sizes: dict[str, set[int]] = {}
    for text in lexicon.suffixes():
        sizes.setdefault(text[-1], set()).add(len(text))
    return {c: tuple(sorted(n, reverse=True)) for c, n in sizes.items()}


@lru_cache(maxsize=1)
def _suffix_tables() -> tuple[dict[str, tuple[int, ...]], dict[str, lexicon.Suffix], frozenset[str]]:
    """(_suffix_sizes, the suffixes, the listed ordinary words): one look-up, not three, for
    _suffix_at, which runs at each of the 90,000 ends of 1,000 pages."""
    return _suffix_sizes(), lexicon.suffixes(), lexicon.not_names()


def _registered_settlement(text: str, end: int) -> bool:
    """Does a village or community the official register holds end at `end` (马家小村, whose 小村
    alone is a common word)? Three characters at least, so a bare word is never one."""
    by_name = lexicon.register().by_name
    return any(
        any(e.level in ("village", "community") for e in by_name.get(text[end - k : end], ()))
        for k in range(3, min(end, 8) + 1)
    )


def _suffix_at(p: _Passage, end: int) -> lexicon.Suffix | None:
    """The longest lexicon suffix that ends at `end`. A suffix that starts inside a word counts
    only if that word is a noun or unknown (统战部, 庄村), never a verb or a listed ordinary word
    (举办, 格局, 干部, 农村)."""
    text = p.text
    sizes_of, table, blocked = _suffix_tables()
    sizes = sizes_of.get(text[end - 1]) if end else None
    if not sizes:
        return None
    tags = _tags()
    bounds = p.bounds
    for size in sizes:
        start = end - size
        if start < 0:
            continue
        suffix = table.get(text[start:end])
        if suffix is None:
            continue
        k = bisect.bisect_right(bounds, start) - 1  # the word holding the suffix's first character
        ws = bounds[k]
        if ws < start:
            we = bounds[k + 1]
            word = text[ws:we]
            if "jur" in suffix.flags and we == end and re.fullmatch(r"[0-9一二三四五六七八九十]{1,3}.", word):
                return suffix  # 二中, 一中: jieba's word for a numbered school, checked by its jurisdiction later
            if word in blocked:
                continue
            if word in tags and tags[word] not in _NOUN_TAGS and not (we == end and all(c in _DIRECTIONS for c in word[:-size])):
                continue  # (御河/东路: a direction before a street's suffix is no verb)
            if size == 1 and we - ws == 2 and tags.get(word) != "ns" and (word_freq(word) or 0) >= 100 \
                    and not _registered_settlement(text, end):
                continue  # 指路, 马路, 山村: a common word that ends like a name is no name (but 马家小村 is a village)
        # 局 of 布局 in 空间布局, 中心 of 副中心: a longer listed word ending here (of 4 at most)
        longer = size + 1
        while longer <= end and longer <= 4 and text[end - longer : end] not in blocked:
            longer += 1
        if longer <= end and longer <= 4:
            continue
        return suffix
    return None


# 陈庄村口, 五里店桥下, 十里河水: a place's one-character suffix glued by jieba to the word after it.
_LOCATIVE_TAILS = {"Village": frozenset("口内外里旁边头前后"), "Place": frozenset("上下旁边口水")}  # not 头: 大同街头 is "the streets of 大同"


@lru_cache(maxsize=1)
def _end_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the last character of a suffix, a one-character suffix before its locative tail)."""
    # A character that is a suffix itself (村, 路) ends one wherever it stands; one that only
    # ends longer ones (会 of 协会, 所 of 派出所) only after a character that stands before it in
    # one of those (社会, 开会 end no suffix: a third of the word ends the class alone finds).
    # Each pattern opens on a class of the characters it can match, so that the regex engine
    # skips to the next one in C; its branches then check which kind it is.
    table = lexicon.suffixes()
    ones = {s for s in table if len(s) == 1}
    longer = {s[-1] for s in table if len(s) > 1} - ones
    before = {s[-2] for s in table if len(s) > 1 and s[-1] in longer}
    kinds = [f"(?<=[{_chars(ones)}])"] * bool(ones) + [f"(?<=[{_chars(before)}][{_chars(longer)}])"] * bool(longer)
    last = f"[{_chars(ones | longer)}](?:{'|'.join(kinds)})" if kinds else "(?!)"
    heads, glued = "", []
    for type_, tails in sorted(_LOCATIVE_TAILS.items()):
        kind = _chars(s for s, x in table.items() if len(s) == 1 and x.type == type_)
        heads += kind
        glued.append(f"(?<=[{kind}])(?=[{_chars(tails)}])")
    return re.compile(last), re.compile(f"[{heads}](?:{'|'.join(glued)})" if heads else "(?!)")


def _chars(chars: Iterable[str]) -> str:
    """The inside of a regular expression class of these characters."""
    return "".join(sorted(map(re.escape, chars)))


@lru_cache(maxsize=1)
def _glued_role_ends() -> re.Pattern[str]:
    """A pattern matching the last character of a word a suffix and a role of two characters
    or more may make (协会会长): the role's last, after the role's second last and the role's
    third last or a suffix's last. Most characters that end a role end other words."""
    cues = [c for c in lexicon.person_cues().before if len(c) >= 2]
    if not cues:
        return re.compile("(?!)")
    thirds = {c[-3] for c in cues if len(c) >= 3} | {s[-1] for s in lexicon.suffixes() if len(s) >= 2}
    last, second, third = ("".join(sorted(map(re.escape, chars))) for chars in ({c[-1] for c in cues}, {c[-2] for c in cues}, thirds))
    return re.compile(f"[{last}](?<=[{third}][{second}].)")


def _suffix_ends(p: _Passage) -> list[int]:
    """Where a name may end: at every word end whose last character ends a suffix, and
    inside 协会会长- and 村口-like words. The characters that cannot be so are skipped in C (by
    regular expressions that open on a class): a passage has hundreds of words and a few such
    ends."""
    text, bounds, bound_set = p.text, p.bounds, p.bound_set
    last, glued = _end_patterns()
    ends = [m.end() for m in last.finditer(text) if m.end() in bound_set]
    # 观鸟/协会会长: jieba glued the role to the body's kind word, a word that ends like a role
    table, cues = lexicon.suffixes(), lexicon.person_cues().before
    for we in [m.end() for m in _glued_role_ends().finditer(text) if m.end() in bound_set]:
        ws = bounds[bisect.bisect_left(bounds, we) - 1]
        for k in range(2, we - ws - 1):
            if text[ws + k : we] in cues and text[ws : ws + k] in table:
                ends.append(ws + k)
    for m in glued.finditer(text):
        ws = m.start()
        if ws in bound_set and ws + 2 in bound_set and ws + 1 not in bound_set:
            ends.append(ws + 1)  # 陈庄村口: the two-character word 村口
    return sorted(ends)


# Types that name a location: their names hold no verbs at all (盘活村内 is no village).
_LOCATIONS = ("Subdistrict", "Community", "Village", "Place")
_VERB_TAGS = frozenset("v vn vd vi vg".split())


@lru_cache(maxsize=1 << 16)
def _stops(word: str, location: bool, kind: str = "") -> bool:
    """Does this word end, on its left, a name being extended over it? A function of the word
    alone (and the lexicon), asked for every word a name is extended over: kept per word, as
    words recur in any archive (a dictionary's few thousand common ones make most of them)."""
    b = lexicon.boundaries()
    if not _NAME_CHARS.fullmatch(word) or word in b.stop:
        return True
    if len(word) > 1 and word[-1] in _HEAD_TITLE_ENDS and word in lexicon.person_cues().before:
        # 区政协主席宋立国率部分政协: the title of a body's head and a person stand before a name,
        # not in it (a member's word does stand in one: 政协委员工作室)
        return True
    tag = _tags().get(word, "")
    if kind == "Company" and tag == "s":
        return False  # 大同塞上厨娘餐饮管理有限公司: trade names use place words (塞上, 海外)
    if tag == "b" and kind in ("Company", "Organization"):
        return False  # 巾帼志愿者协会, 民营企业商会: distinguishing words stand in names of bodies
    if len(word) == 1:
        # single characters are mostly pieces of names jieba does not know (陈/庄/村, 魏/都)
        return tag in _SINGLE_STOP_TAGS
    if word in lexicon.division_forms():
        return False
    if _SCHOOL_NUMBER.fullmatch(word):
        return False  # 大同一中南校区, 二中: a school's ordinal stands in its name
    if word in b.generic:
        return False  # 西水磨村现代化农业示范园区: modifiers stand inside names
    if location and tag == "r" and len(word) == 2 and word[0] not in _PRONOUN_HEADS and (word_freq(word) or 0) < 100:
        return False  # 翰林别院小区: a rare word jieba files as a pronoun (别院), not one in use
    if location:
        # 绿地璀璨天城小区: adjectives and status words do stand in place names, verbs do not
        return tag in _VERB_TAGS or (tag in _STOP_TAGS and tag not in ("a", "z"))
    if word in b.keep:
        return False
    return tag in _STOP_TAGS


# 中电建(大同)新能源有限公司: a company's seat printed in brackets inside its name.
_SEAT = re.compile(r"[(（]([\u4e00-\u9fff]{2,4})[)）]$")


def _extend_left(p: _Passage, start: int, location: bool, kind: str = "") -> int:
    """Where a name whose suffix starts at `start` begins: walk left over jieba's words until a
    boundary word; a quoted part (“菜篮子”社区直营店) is taken whole, and in a company's name a
    bracketed seat (中电建(大同)新能源) too."""
    text, begin = p.text, start
    words = p.words_before(start)
    company = kind == "Company"
    for ws, we in words:
        word = text[ws:we]
        seat = _SEAT.search(text, max(0, we - 6), we) if company and word in ")）" and we == begin else None
        if seat is not None and seat.group(1) in lexicon.division_forms():
            begin = seat.start()
            for ws2, _ in words:  # skip the bracketed words
                if ws2 <= seat.start():
                    break
            continue
        if company and len(word) == 1 and ws > 0 and text[ws - 1] == "、" and word not in lexicon.boundaries().stop:
            begin = ws  # 、顺丰速运: a list item opens with a name, not a preposition
            break
        if word == "”" and we == begin:
            opening = text.rfind("“", max(0, ws - 14), ws)
            inner = text[opening + 1 : ws] if opening >= 0 else ""
            if not inner or not _NAME_CHARS.fullmatch(inner):
                break
            begin = opening
            for ws2, _ in words:  # skip the quoted words
                if ws2 <= opening:
                    break
            continue
        if _stops(word, location, kind) or start - ws > _MAX_NAME:
            if kind == "Place" and word in _STREET_PREFIXES and we == begin and begin < start and (
                ws == 0 or not _NAME_CHAR.match(text[ws - 1]) or text[ws - 1] in lexicon.boundaries().stop
            ):
                begin = ws  # 后庙北街, 从下寺坡街: a street named 前/后/上/下 at a phrase's opening
            break
        if location and word == "一":
            break  # 迎宾街一宾馆: "a hotel on 迎宾街", not a hotel of that name
        begin = ws
        if word in _PARTY_MARKS:
            break  # 中共大同市平城区委: the party's mark opens the name; what precedes it is context
    return begin


def _words(p: _Passage, start: int, end: int) -> list[str]:
    """jieba's words between two offsets, cut at both ends."""
    bounds, text = p.bounds, p.text
    cuts = [start, *bounds[bisect.bisect_right(bounds, start) : bisect.bisect_right(bounds, end)], end]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if a < b]


@lru_cache(maxsize=1 << 14)
def _ends_in_type(word: str) -> str | None:
    """The type of name a word of two or more characters ends like (西环路: Place). Kept per
    word: asked of every word before a suffix, and words recur."""
    if len(word) < 2:
        return None
    table = lexicon.suffixes()
    for size in range(min(_longest_suffix(), len(word)), 0, -1):
        if word[-size:] in table:
            return table[word[-size:]].type
    return None


@lru_cache(maxsize=4096)
def _could_be_place(proper: str) -> bool:
    """Could this be the proper part of a place or settlement name? jieba's tagger (run on the
    few characters only) finds the verbs and set phrases that are not: 点赞, 全面铺开, 最美."""
    generic = lexicon.boundaries().generic
    pairs = [(w, t) for w, t in pos_cut(proper) if w not in generic]
    if len(pairs) == 1 and pairs[0][1] in ("a", "ad", "z"):
        return False
    if pairs and (pairs[0][1] in ("p", "c", "r") or (pairs[0][1] == "d" and len(pairs) > 1 and len(pairs[1][0]) > 1)):
        return False  # 先问问社区: a pronoun, preposition or adverb before a word opens no place name
    if any(t == "an" for _, t in pairs):
        return False  # 温暖回家路: a quality, not a name
    return not any(t in ("v", "vd", "vi", "l", "i") or (t == "nz" and len(w) >= 4) for w, t in pairs)


def _name_like(word: str) -> bool:
    """Could this word open a proper name: a fragment jieba does not know as a word, or a word
    its dictionary tags as a name (振华, 御河)?"""
    tag = _tags().get(word)
    return len(word) == 1 or tag is None or tag in ("nr", "ns", "nz", "nt", "nrt", "nrfg", "j") or word in lexicon.division_forms()


@lru_cache(maxsize=1)
def _anchors() -> frozenset[str]:
    """The jurisdiction words: 区/市/省/县, a division's full name, 人民, 中共, 共青团 (one set,
    asked of every word before a suffix)."""
    forms = lexicon.division_forms()
    return frozenset((*_LEVEL_WORDS, *_GOV_MARKS, *(f for f, (_, short) in forms.items() if not short)))


def _division_of(word: str) -> lexicon.Division | None:
    hit = lexicon.division_forms().get(word)
    return lexicon.gazetteer()[hit[0]] if hit else None


def _subdistrict_named(head: str) -> str | None:
    """The gazetteer subdistrict a head before 街道 names, look-alike slips allowed."""
    hit = lexicon.division_forms().get(head + "街道") or lexicon.division_forms().get(head)
    name = hit[0] if hit else _skeletons().get(_skeleton(head + "街道"))
    return name if name and lexicon.gazetteer()[name].type == "Subdistrict" else None


_DEMONSTRATIVES = frozenset("该本各全此我其这那")
# A suffix with none of these flags names nothing alone (the checks below all need a word before
# it); with them it may: 区委 (bare), 街道 (sub, the gazetteer's own), and admin is read apart.
_BARE_FLAGS = frozenset({"bare", "sub", "admin"})
_QUOTE_MARKS = re.compile(r"[“”「」《》\"]")  # compiled once: runs per name found
_NUMBER_END = re.compile(r"[0-9０-９一二三四五六七八九十百]$")


def _named_bodies(p: _Passage, subdistrict: str | None, home: dict[str, str]) -> list[Span]:
    """Names found by their suffix and extended leftwards, with the divisions they start with.
    `home` maps a level word to the jurisdiction it stands for here (区 -> 平城区)."""
    spans: list[Span] = []
    forms, table = lexicon.division_forms(), lexicon.suffixes()
    for end in _suffix_ends(p):
        suffix = _suffix_at(p, end)
        if suffix is None:
            continue
        s0 = end - len(suffix.text)
        k = bisect.bisect_right(p.bounds, s0) - 1  # the word holding the suffix's first character
        ws, we = p.bounds[k], p.bounds[k + 1]
        if we == end and (word := p.text[ws:we]) in forms and "sub" not in suffix.flags:
            if "feature" in suffix.flags and forms[word][1]:
                spans.append(Span(ws, we, "Place", word, "suffix"))  # 文瀛湖, 御河 alone: the water
            continue  # 开源街 is a division's short form, not a street
        type_ = suffix.type
        if type_ == "Place" and s0 and p.text[s0 - 1].isdigit() and suffix.text == "路":
            continue  # 12路公交: a bus route, not a road
        begin = _extend_left(p, s0, type_ in _LOCATIONS, type_)
        if begin == s0 and not (suffix.flags & _BARE_FLAGS):
            continue  # the suffix alone, with no word of a name before it (社区, 公司): no name
        words = _words(p, begin, s0)
        # 该/局/出入境管理大队: a lone suffix word after a pronoun is a back-reference, not a name.
        if words and words[0] in table and len(words[0]) == 1 and begin and p.text[begin - 1] in _DEMONSTRATIVES:
            begin += len(words.pop(0))
        if "admin" in suffix.flags:
            # 北京市朝阳区: only right after a division the gazetteer knows, which is cut off
            above = _division_of(words[0]) if words else None
            if above is not None and above.type == "AdminArea" and not forms[words[0]][1]:
                proper = p.text[begin + len(words[0]) : s0]
                if len(proper) >= 2 and len(words) >= 2 and _could_be_place(proper):
                    start = begin + len(words[0])
                    spans.append(Span(start, end, "AdminArea", p.text[start:end], "suffix"))
            continue
        if "sub" in suffix.flags:
            name = _subdistrict_named(p.text[begin:s0])
            if name is not None:
                source = "gazetteer" if forms.get(p.text[begin:end]) else "lookalike"
                spans.append(Span(begin, end, "Subdistrict", name, source))
            continue  # 周边街道 is a street, not a subdistrict
        # A place or settlement does not run over another of its own type (永安社区顺利开展社区).
        # 永泰花园小区, 大同火车站广场: a compound's kind word may follow the name it is built on.
        inner = words[:-1] if len(suffix.text) > 1 else words
        # (a gazetteer name is not such a place: 御河东路, 文瀛湖生态公园 are named after it)
        last = None
        if type_ in _LOCATIONS:
            last = next((k for k in range(len(inner) - 1, -1, -1) if _ends_in_type(inner[k]) == type_ and inner[k] not in forms), None)
        if (
            last is not None
            and suffix.text in _STREET_ENDS
            and not words[last].endswith(_STREET_ENDS)
            and all(c in _DIRECTIONS for c in "".join(words[last + 1 :])[: -len(suffix.text)])
            and len("".join(words[last + 1 :])) <= len(suffix.text) + 1
        ):
            # 关帝庙街, 鼓楼东街: a street named after the landmark it runs by is one name (which
            # starts after any place printed before it: 大同古城关帝庙街)
            last = max((k for k in range(last) if _ends_in_type(inner[k]) == type_ and inner[k] not in forms), default=None)
        if last is not None:
            # 御东新区御河东路, 西环路北延五里店桥: two places, not one; the name starts after the first
            begin += sum(len(w) for w in words[: last + 1])
            words = words[last + 1 :]
            if not words:
                continue
        # 对标市政务大厅: single characters before a level word are not part of the name.
        level_at = next((k for k, w in enumerate(words) if w in _LEVEL_WORDS), None)
        if level_at and all(len(w) == 1 for w in words[:level_at]):
            begin += level_at
            words = words[level_at:]
        # 街道综合行政执法队 in an article about one subdistrict: that subdistrict's team.
        context = ""
        if words and words[0] == "街道":
            if not subdistrict:
                continue
            context = subdistrict
        after_subdistrict = False
        if type_ in _LOCATIONS:
            # 水泊寺街道文兴社区 -> 文兴社区: a settlement's name starts after its divisions
            # (a place keeps its district: 平城区市民中心; 迎宾路社区 keeps 迎宾).
            while words and (words[0] in forms or words[0] in _LEVEL_WORDS):
                division = _division_of(words[0])
                if type_ == "Place" and (division is None or division.type == "AdminArea" or forms[words[0]][1]):
                    # 平城区市民中心 keeps its district; 御河生态公园 is no 御河街道; but
                    # 平城区西街街道九楼巷 starts after the subdistrict
                    gazetteer = lexicon.gazetteer()
                    if not any(w in forms and not forms[w][1] and gazetteer[forms[w][0]].type == "Subdistrict" for w in words[1:-1]):
                        break
                if len(p.text[begin + len(words[0]) : s0]) < 2:
                    break
                short = words[0] in forms and forms[words[0]][1]
                if short and _ends_in_type("".join(words[1:])) == "Place":
                    break  # 南关南街社区: named after a street that starts like a subdistrict
                if division is not None and division.type == "Subdistrict":
                    spans.append(Span(begin, begin + len(words[0]), "Subdistrict", division.name, "prefix"))
                    after_subdistrict = not short
                begin += len(words.pop(0))
        if type_ in ("Community", "Village"):
            # 西坪镇唐家堡村: a settlement starts after the town it is printed with
            town = max((k for k, w in enumerate(words[:-1]) if w[-1] in "镇乡" and (len(w) > 1 or k > 0)), default=None)
            if town is not None and len("".join(words[town + 1 :])) >= 2:
                begin += sum(len(w) for w in words[: town + 1])
                words = words[town + 1 :]
        if words and len(words[0]) > 2 and words[0][0] in _LEVEL_WORDS and words[0] not in _tags() and words[0][1:] in _tags():
            # 省公安厅 is one word to jieba, so its head 省公安 is no word: 省 + 公安, not 市场
            words = [words[0][0], words[0][1:], *words[1:]]
        anchors = _anchors()
        governed = bool(context) or not anchors.isdisjoint(words)
        rest = list(words)
        while rest and (rest[0] in anchors or (context and rest[0] == "街道")):
            rest.pop(0)
        generic = lexicon.boundaries().generic
        rest = [w for w in rest if w not in "“”"]
        unstripped = list(rest)
        while rest:
            # a generic modifier may be one word or jieba's pieces of one (老/旧, 新/时代)
            if rest[0] in generic:
                size = 1
            elif len(rest) > 1 and rest[0] + rest[1] in generic:
                size = 2
            elif len(rest) > 2 and rest[0] + rest[1] + rest[2] in generic:
                size = 3
            else:
                break
            del rest[:size]
        if rest and unstripped != rest and type_ == "Place" and suffix.text in _STREET_ENDS and all(c in _DIRECTIONS for c in "".join(rest)):
            rest = unstripped  # 新建北路: a street named with an ordinary word and a direction
        proper = "".join(rest)
        first = rest[:1]
        if "gov" in suffix.flags:
            inner_body = any(w in table and table[w].type == "Agency" and len(w) > 1 for w in words)
            type_ = "Agency" if governed or inner_body else "Organization"
        if not proper:
            # 平城区检察院, 区工商联, 省委, 市政务大厅: a jurisdiction alone names its own body
            body = type_ in ("Agency", "Organization") and governed
            if not (body or ("bare" in suffix.flags and (governed or suffix.text[0] in _LEVEL_WORDS))):
                continue
        elif len(proper) < 2 and not governed:
            continue  # 破局, 润政协
        if "name" in suffix.flags and len(proper) < 2:
            continue
        if "party" in suffix.flags and words and _ends_in_type(words[-1]) in ("Community", "Village"):
            type_ = "Organization"
        if "gov-only" in suffix.flags and not governed:
            continue
        if "proper" in suffix.flags and not governed and first and not _name_like(first[0]):
            continue  # 家庭服务中心, 防火突击队: a kind of body, not a named one
        if type_ in _LOCATIONS and proper and not _could_be_place(proper):
            # 最美社区, 点赞社区, 全面铺开社区; but right after a subdistrict's full name a short
            # head is the settlement's own name whatever jieba tags it (振华街道明远社区)
            if not (after_subdistrict and len(proper) <= 3 and type_ in ("Community", "Village")):
                continue
        if "placed" in suffix.flags:
            # 大同日报, 人民日报: a paper is named after its place, which opens its name (50余名大同日报);
            # 执行日报 is a routine
            at = next((k for k, w in enumerate(words) if w in forms or w in _GOV_MARKS or _tags().get(w) == "ns"), None)
            if at is None:
                continue
            begin += sum(map(len, words[:at]))
            words = words[at:]
        if "num" in suffix.flags and not _NUMBER_END.search(p.text[begin:s0]):
            continue
        if "jur" in suffix.flags:
            # 平城区14小, 大同二中: the jurisdiction, the number and the kind and nothing else
            head = p.text[begin:s0]
            jurisdiction = next((f for f in sorted(forms, key=len, reverse=True) if head.startswith(f)), None)
            if jurisdiction is None and head[:1] in _LEVEL_WORDS:
                jurisdiction = head[:1]
            if jurisdiction is None or not re.fullmatch(r"第?(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})", head[len(jurisdiction):]):
                continue
            if end < len(p.text) and (p.text[end] in "学校区队班部" or re.match("[东西南北]校", p.text[end : end + 2])):
                continue  # 二中学, 14小学, 一中南校: the longer name is read on its own
        if not (_CJK.match(p.text[begin]) or p.text[begin] == "“"):
            continue
        if type_ in _LOCATIONS and p.text[begin - 1 : begin] == "“" and p.text[end : end + 1] == "”":
            continue  # “四好农村路”: a quoted slogan, not a place
        if _COUNT.search(p.text[begin:s0]):
            continue  # 全区40多所学校, 两个小区, 多支志愿服务队: a count of bodies or places, not a name
        surface = p.text[begin:end]
        name = _QUOTE_MARKS.sub("", surface)
        if type_ in ("Agency", "Organization"):
            # 先锋村新一届党支部 -> 先锋村党支部: the term of office is no part of the body's name
            name = _TERM.sub("", name) if len(_TERM.sub("", name)) > len(suffix.text) + 1 else name
        if context:
            name = context + name[2:]
        if "committee" in suffix.flags:
            name = lexicon.settlement_name(name)  # 马家小村村民委员会 names 马家小村
            if name not in lexicon.register().by_name:
                continue  # 现场村委会院内: a committee form names a settlement the register holds
        # A level word standing for the paper's home jurisdiction: 区城管局 -> 平城区城管局.
        level = words[0] if words else (suffix.text[0] if "bare" in suffix.flags else "")
        if level[1:] in table:
            level = level[0]  # 区政府, 市委: one word for level and body
        if level in home and name.startswith(level) and not name.startswith(home[level]):
            name = home[level] + name[1:]
        spans.append(Span(begin, end, type_, name, "suffix"))
    return spans


def _split_units(spans: list[Span], p: _Passage) -> list[Span]:
    """平城区消防救援大队天祥街消防救援站 -> 平城区消防救援大队, 天祥街消防救援站: a unit with a proper
    name of its own after the body it belongs to is a body of its own. A branch (平城分局) and a
    functional unit (出入境管理大队, 反诈中心) stay inside their parent's name."""
    out: list[Span] = []
    cuts: list[tuple[int, int, int]] = []
    table = lexicon.suffixes()
    for s in spans:
        out.append(s)
        if s.type != "Agency" or s.source != "suffix":
            continue
        for k in range(s.start + 3, s.end - 3):
            if k not in p.bound_set:
                continue
            inner = _suffix_at(p, k)
            if inner is None or inner.type != "Agency" or len(inner.text) < 2 or k - s.start <= len(inner.text):
                continue  # 共青团/山西省委: a mark alone is no parent body
            child = p.text[k : s.end]
            kind = next((child[-n:] for n in range(min(len(child) - 1, _longest_suffix()), 0, -1) if child[-n:] in table), "")
            if not kind or table[kind].type != "Agency" or kind.startswith("分"):
                continue
            proper = child[: -len(kind)]
            # 新旺派出所, 天祥街消防救援站: a place's name; not 出入境管理大队, 反诈中心
            placed = proper in lexicon.division_forms() or _tags().get(proper) in ("ns", "nr", "nrt") or (
                len(proper) >= 3 and _ends_in_type(proper) == "Place"
            ) or (
                # 云兴派出所, 水泊寺税务所: a station of the police or a bureau is named after the
                # area it serves, so an unknown proper head is that area's name
                "area" in table[kind].flags and len(proper) >= 2 and proper not in _tags() and all(_CJK.match(c) for c in proper)
            )
            if not placed:
                continue
            out[-1] = Span(s.start, k, s.type, s.name[: len(s.name) - (s.end - k)], s.source)
            out.append(Span(k, s.end, s.type, child, s.source))
            cuts.append((s.start, k, s.end))
            break
    # a place that ran from the parent into the unit's name (平城区消防救援大队天祥街) is no place
    return [
        s for s in out
        if not (s.type in _LOCATIONS and any(a <= s.start < k < s.end < b for a, k, b in cuts))
    ]


_STREET_ENDS = ("大街", "大道", "路", "街", "巷")
_STREET_PREFIXES = frozenset("前后上下")
_PRONOUN_HEADS = frozenset("该此每各这那其本你我他她它之何任")


def _split_streets(spans: list[Span]) -> list[Span]:
    """全民街民益巷 -> 全民街, 民益巷: two streets printed together (a crossing, a list without 、)
    are two places. Both parts must end like a street and have a proper head of two characters."""
    out = []
    generic = lexicon.boundaries().generic
    for s in spans:
        if s.type != "Place" or s.source != "suffix" or not s.name.endswith(_STREET_ENDS) or s.name != s.name.strip("“”"):
            out.append(s)
            continue
        cut = None
        for i in range(3, len(s.name) - 2):
            left, right = s.name[:i], s.name[i:]
            if not left.endswith(_STREET_ENDS) or len(left) != s.end - s.start - len(right):
                continue
            tail = next(t for t in _STREET_ENDS if right.endswith(t))
            head = right[: -len(tail)]
            if len(head) >= 2 and head not in generic and head not in lexicon.suffixes() and _could_be_place(head):
                cut = i
        if cut is None:
            out.append(s)
            continue
        out.append(Span(s.start, s.start + cut, "Place", s.name[:cut], s.source))
        out.append(Span(s.start + cut, s.end, "Place", s.name[cut:], s.source))
    return out


# 政协第二届大同市平城区委员会: the formal name of a district's CPPCC committee.
_DISTRICT_BRANCH = re.compile("^(.{1,4}[区县])(.{2,6})分局$")
_CPPCC = re.compile("^政协(?:第[0-9一二三四五六七八九十]+届)?(.{2,12}?)委员会$")


@lru_cache(maxsize=1 << 12)  # a pure function of a name: an agency is named in many mentions
def _body_name(name: str) -> str:
    """The name a body goes by: 政协第二届大同市平城区委员会 -> 平城区政协, 中共大同市平城区委 ->
    平城区委. The party's mark before a jurisdiction and a city before its own district add nothing."""
    m = _CPPCC.match(name)
    if m:
        name = m.group(1) + "政协"
    forms, gazetteer = lexicon.division_forms(), lexicon.gazetteer()
    if name.startswith("中共") and any(name[2:].startswith(f) for f in forms if not forms[f][1] and len(f) > 1):
        name = name[2:]
    for size in range(2, 5):
        city = forms.get(name[:size])
        if city is None or city[1]:
            continue
        district = next(
            (forms[name[size:k]] for k in range(min(len(name), size + 6), size + 1, -1) if name[size:k] in forms),
            None,
        )
        if district is not None and not district[1] and gazetteer[district[0]].parent == city[0] and len(name) > size + 3:
            name = name[size:]
        break
    return name


def _is_word(name: str) -> bool:
    """Is this candidate name an ordinary word (安全, 和商家) rather than a person's name?"""
    freq = word_freq
    for k in (2, 3):
        n = freq(name[:k]) or 0
        if n >= 20 and (n >= 500 or not _tags().get(name[:k], "").startswith("nr")):
            return True
    return False


def _people(p: _Passage) -> list[Span]:
    cue_before, cue_after, family = _person_patterns()
    spans = []
    freq = word_freq
    for m in cue_before.finditer(p.text):
        if m.group(2)[0] not in family:
            continue  # (_person_name's own first test, made before the costlier ones: most cues precede no name)
        ws, _ = p.word_at(m.start(1))
        if any((freq(p.text[k : m.start(1) + 1]) or 0) >= 100 for k in range(ws, m.start(1))):
            continue  # 确保安全度汛: the cue's first character ends a word (确保), 保安 is no cue
        name = _person_name(m.group(2), family, anchored_left=True)
        after = p.text[m.start(2) + 2 : m.start(2) + 4]
        if name and len(name) == 3 and len(after) == 2 and (freq(after) or 0) >= 50:
            name = name[:2]  # 赵刚报道: the third character opens the next word
        if name and _is_word(name):
            continue
        if name:
            spans.append(Span(m.start(2), m.start(2) + len(name), "Person", name, "cue"))
    if not _any_cue().search(p.text):
        return spans  # no verb of saying and no title after a name (most passages): one scan for both
    after_cue, speech = _cues_present()
    for m in _before_cues(_speech_pattern(), speech, p.text):
        name = m.group(1)
        if _person_name(name, family, anchored_left=True) == name and not _is_word(name) and _tags().get(name, "nr").startswith("nr"):
            spans.append(Span(m.start(1), m.end(1), "Person", name, "cue"))
    for m in _before_cues(cue_after, after_cue, p.text):
        name = _person_name(m.group(1), family, anchored_left=False)
        if name and len(name) == 3 and p.word_at(m.end(1) - 3)[0] < m.end(1) - 3:
            # 班主任郭敏老师: the first character ends the word before (主任), the name is two
            name = _person_name(name[1:], family, anchored_left=False)
        if name and len(name) == 2 and p.word_at(m.end(1) - 2)[0] < m.end(1) - 2:
            name = None  # 粮商温先生: the surname ends the word before it, the name is 温 alone
        if name and not _is_word(name):
            spans.append(Span(m.end(1) - len(name), m.end(1), "Person", name, "cue"))
    return spans


@lru_cache(maxsize=1)
def _name_list_pattern() -> re.Pattern[str]:
    """A list of two or more bare 2-3 character items joined by 、, at a clause opening or after
    a preposition (为张三、李四颁奖); the last item is followed by anything (checked by the caller)."""
    return re.compile(r"(?:^|(?<=[，。！？；：“”,.!?;:\s为向给对与和由请]))((?:[\u4e00-\u9fff]{2,3}、)+)([\u4e00-\u9fff]{2,3})")


@lru_cache(maxsize=1)
def _list_closers() -> tuple[tuple[str, ...], int]:
    """(the words that close a list of names, as a tuple startswith tries in C; the longest's length)."""
    closers = tuple(sorted(lexicon.person_cues().list_end))
    return closers, max(map(len, closers), default=0)


def _listed_people(p: _Passage, known: set[str]) -> list[Span]:
    """张三、李四、王五当选 ...; 黄岑丽、冯境城、郭蕾等: bare names in a list, taken when the list
    holds a person the article already names, or when a list-closing word (当选, 出席, 等)
    follows it. Every item must read as a name: a surname first, no ordinary word."""
    spans: list[Span] = []
    if "、" not in p.text:
        return spans  # no list: the pattern needs a 、
    _, _, family = _person_patterns()
    closers, longest = _list_closers()
    for m in _matches_before(_name_list_pattern(), p.text, _positions(p.text, "、"), range(2, 4)):  # (a 、 after the first item)
        items = m.group(1).split("、")[:-1]
        last_text = m.group(2)
        # the last item: 3 characters, or 2 when the third opens the closing word
        last = None
        for size in (3, 2):
            name = last_text[:size]
            after = p.text[m.start(2) + size : m.start(2) + size + longest]
            if len(name) == size and after.startswith(closers):
                last = name
                break
        closed = last is not None
        if closed and last is not None:
            rest = p.text[m.start(2) + len(last) :]
            group = re.sub("^等[0-9一二三四五六七八九十百多余]*个?", "", rest)
            if rest.startswith("等") and group.startswith(tuple(lexicon.person_cues().not_people)):
                continue  # 王庄、李庄、张庄等村: a list of places or units
        if last is None:
            last = next((n for n in (last_text, last_text[:2]) if n in known), None)
        if last is None:
            continue
        names = [*items, last]
        if not (closed or any(n in known for n in names)):
            continue
        if not all(_person_name(n, family, anchored_left=True) == n and (n in known or not _is_word(n)) for n in names):
            continue
        at = m.start(1)
        for n in names:
            spans.append(Span(at, at + len(n), "Person", n, "cue"))
            at += len(n) + 1
    return spans


_LIST_OF_SUBDISTRICTS = re.compile(r"((?:[\u4e00-\u9fff]{2,4}、)+)([\u4e00-\u9fff]{2,4})(?=街道)")


def _listed_subdistricts(p: _Passage) -> list[Span]:
    """Short forms in a list whose last item carries 街道: 水泊寺、文瀛湖、白登山街道."""
    spans: list[Span] = []
    if "、" not in p.text or "街道" not in p.text:
        return spans  # the pattern needs both: most passages hold no such list
    for m in _matches_before(_LIST_OF_SUBDISTRICTS, p.text, _positions(p.text, "、"), range(2, 5)):  # (a 、 after the first item)
        at = m.start(1)
        for k, item in enumerate(m.group(1).split("、")[:-1]):
            # the first item may carry a word before it (协调水泊寺): try its tails
            for cut in range(len(item) - 1) if k == 0 else (0,):
                name = _subdistrict_named(item[cut:])
                if name:
                    spans.append(Span(at + cut, at + len(item), "Subdistrict", name, "list"))
                    break
            at += len(item) + 1
    return spans


# Which finder wins when two give the same stretch: the gazetteer knows best.
_PRIORITY = {"gazetteer": 0, "lookalike": 0, "list": 0, "prefix": 0, "short": 1, "cue": 1, "article": 2, "suffix": 3}


def _is_district(s: Span) -> bool:
    d = lexicon.gazetteer().get(s.name) if s.type == "AdminArea" and s.source == "gazetteer" else None
    return d is not None and d.level == "district"


def _select(spans: list[Span]) -> list[Span]:
    """Drop spans inside a longer one unless the guideline counts them nested; among crossing
    spans keep the earlier, longer one. Deterministic: sorted by position, longest first."""
    if len(spans) < 2:
        return list(spans)  # (most passages: nothing to choose between)
    spans = sorted(set(spans), key=lambda s: (s.start, -(s.end - s.start), _PRIORITY.get(s.source, 9), s.type, s.name, s.source))
    kept: list[Span] = []
    open_: list[Span] = []  # kept spans that reach past the current start (nesting depth: few)
    for s in spans:
        open_ = [k for k in open_ if k.end > s.start]
        ok = True
        for k in open_:
            if k.start <= s.start and s.end <= k.end and (s.start, s.end) != (k.start, k.end):
                if s.type in _NESTABLE.get(k.type, ()) and s.source != "short":
                    continue
                if "District" in _NESTABLE.get(k.type, ()) and _is_district(s):
                    continue
                if s.type == k.type == "Agency" and s.name[-2:-1] == "分":
                    continue  # a branch inside its unit: 市公安局平城分局 in ...平城分局反诈中心
            ok = False
            break
        if ok:
            kept.append(s)
            open_.append(s)
    return kept


# Compiled once: _titles runs per passage, where re's cache look-up per call was measurable.
_QUOTED = re.compile(r"“[^“”]{2,30}”")


def _titles(text: str) -> list[tuple[int, int]]:
    """Stretches inside 《》: titles of works and documents, which name no entity here; and a
    quoted honour after a verb that awards it (评为“枫桥式公安派出所”), which is a title too."""
    out, at = [], text.find("《")
    while at >= 0:
        close = text.find("》", at)
        if close < 0:
            break
        out.append((at, close + 1))
        at = text.find("《", close)
    if "“" in text:  # (most passages quote nothing)
        honour = _honour()
        for m in _QUOTED.finditer(text):
            if text.endswith(honour, 0, m.start()):
                out.append((m.start(), m.end()))
    return sorted(out)


@lru_cache(maxsize=1)
def _honour() -> tuple[str, ...]:
    return tuple(lexicon.boundaries().honour)  # endswith tries each of a tuple, in C


def _outside_titles(spans: list[Span], text: str) -> list[Span]:
    if not spans:
        return spans
    titles = _titles(text)
    if not titles:
        return spans
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in titles)]


def _shorten_to_nested(spans: list[Span], p: _Passage) -> list[Span]:
    """平城区开源街民和社区党支部 -> 民和社区党支部, 平城区水泊寺街道党工委 -> 水泊寺街道党工委:
    a body named after a subdistrict, community or village drops the divisions before it."""
    forms = lexicon.division_forms()
    out = []
    for i, s in enumerate(spans):  # sorted by start: what s holds follows it
        if s.type in ("Agency", "Organization"):
            nested: dict[int, Span] = {}
            for inner in spans[i + 1 :]:
                if inner.start >= s.end:
                    break
                if inner.end < s.end and inner.type in ("AdminArea", "Subdistrict", "Community", "Village"):
                    nested.setdefault(inner.start, inner)
            at, cut = s.start, None
            while at < s.end:
                n = nested.get(at)
                if n is not None and n.type != "AdminArea" and at > s.start:
                    cut = at
                if n is not None:
                    at = n.end
                    continue
                ws, we = p.word_at(at)
                word = p.text[at:we]
                if word not in forms and word not in _LEVEL_WORDS:
                    break
                at = we
            if cut is not None:
                s = Span(s.start, s.end, s.type, re.sub(r"[“”「」]", "", p.text[cut : s.end]), s.source)
        out.append(s)
    return out


def _sentence(text: str, ends: list[int], start: int, end: int) -> str:
    """The sentence holding text[start:end]; `ends` are the offsets just after each 。！？；."""
    k = bisect.bisect_right(ends, start)
    left = ends[k - 1] if k else 0
    k = bisect.bisect_left(ends, end)
    right = ends[k] if k < len(ends) else len(text)
    return text[left:right].strip()


# 记者观察网山西12月1日电, 三晋传媒网大同讯: a site's or agency's dateline opening a story names
# the site and the place it reports from.
_DATELINE = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{2,8}?(?:网|报|社|台|客户端))(?P<place>[\u4e00-\u9fff]{2,4}?)?"
    r"(?:[0-9]{1,2}月[0-9]{1,2}日)?(?:电|讯)(?:[(（:：\s]|$)"
)


def _datelines(article: Article) -> list[Mention]:
    """The site and place a dateline opening a byline or the story names (三晋传媒网大同讯:)."""
    mentions: list[Mention] = []
    forms = lexicon.division_forms()
    body_seen = False
    for segment in article.segments:
        if segment.role == "body":
            if body_seen:
                continue
            body_seen = True
        elif segment.role != "byline":
            continue
        m = _DATELINE.match(segment.text)
        if m is None or m.group("org").startswith("本"):
            continue  # 本报讯: the paper's own mark, named by the page
        place = m.group("place")
        if place and place not in forms:
            continue  # 某某活动讯 is no dateline
        found = [("Organization", m.group("org"), m.start("org"), m.end("org"))]
        if place:
            name = forms[place][0]
            found.append((lexicon.gazetteer()[name].type, name, m.start("place"), m.end("place")))
        for type_, name, lo, hi in found:
            start = segment.text_start + lo
            mentions.append(Mention(type_, segment.text[lo:hi], name, article.id, article.page, start, start + hi - lo, segment.text, "dateline"))
    return mentions


def _credits(article: Article) -> list[Mention]:
    """Everyone a byline or credit names, with surface exactly as Article lists them."""
    mentions: list[Mention] = []
    names = [*article.reporters, *article.photographers, *article.columnists, *article.correspondents]
    names = list(dict.fromkeys(names))
    for segment in article.segments:
        if segment.role not in ("byline", "credit"):
            continue
        for name in names:
            at = segment.text.find(name)
            if at < 0:
                continue
            start = segment.text_start + at
            mentions.append(
                Mention("Person", name, name, article.id, article.page, start, start + len(name), segment.text, BYLINE)
            )
    found = {m.surface for m in mentions}
    for name in names:
        if name not in found:
            # a credit the segmenter merged into another line: anchor it at the article start
            mentions.append(Mention("Person", name, name, article.id, article.page, article.start, article.start, "", BYLINE))
    return mentions


def _publisher(article: Article) -> list[Mention]:
    """来源：大同晚报, 来源:平城区新闻中心: the source a web or government page prints under its
    headline is a paper, site or news office the article names, typed by its name's ending (the
    value is a whole name, so 记者观察网 needs no place before 网 as it would in running text)."""
    value = (article.publisher or "").split()
    name = value[0] if value else ""
    if not re.fullmatch(r"[\u4e00-\u9fff]{3,16}", name) or name in lexicon.division_forms():
        return []
    table = lexicon.suffixes()
    suffix = next((table[name[-k:]] for k in range(min(_longest_suffix(), len(name) - 1), 0, -1) if name[-k:] in table), None)
    if suffix is None or suffix.type not in ("Agency", "Organization", "Company"):
        return []
    type_ = suffix.type
    if "gov" in suffix.flags:
        anchored = name[0] in _LEVEL_WORDS or any(name.startswith(f) for f in (*_GOV_MARKS, *lexicon.division_forms()))
        type_ = "Agency" if anchored else "Organization"
    for segment in article.segments:
        at = segment.text.find(name) if segment.role == "meta" else -1
        if at >= 0:
            start = segment.text_start + at
            return [Mention(type_, name, name, article.id, article.page, start, start + len(name), segment.text, "publisher")]
    return [Mention(type_, name, name, article.id, article.page, article.start, article.start, "", "publisher")]


@lru_cache(maxsize=1)
def _home_names() -> tuple[str, ...]:
    return tuple(sorted(set(lexicon.home().values()), key=len, reverse=True))


def _inherit_in_lists(spans: list[Span], text: str) -> list[Span]:
    """平城区城管局、市场监管局: a bare department after a governed one shares its jurisdiction."""
    if len(spans) < 2:
        return spans  # a list needs two names
    out: list[Span] = []
    home = _home_names()
    last: dict[str, Span] = {}
    for s in spans:
        prev = last.get(s.type)
        if (
            prev
            and s.type == "Agency"
            and text[prev.end : s.start] == "、"
            and s.name[-1] == prev.name[-1]
            and not any(s.name[:k] in lexicon.division_forms() for k in range(2, 8))
        ):
            jurisdiction = next((h for h in home if prev.name.startswith(h)), None)
            if jurisdiction:
                s = Span(s.start, s.end, s.type, jurisdiction + s.name, s.source + "+list")
        out.append(s)
        if prev is None or s.start >= prev.end:
            last[s.type] = s
    return out


def _back_references(spans: list[Span], text: str) -> list[Span]:
    """该局出入境管理大队: a unit of the body last named with that suffix (…平城分局出入境管理大队)."""
    out: list[Span] = []
    last: dict[str, Span] = {}  # final character -> the last agency named with it
    for s in spans:
        if s.type == "Agency" and s.start >= 2 and text[s.start - 2] == "该":
            parent = last.get(text[s.start - 1])
            if parent is not None:
                s = Span(s.start, s.end, s.type, parent.name + s.name, s.source + "+parent")
        out.append(s)
        if s.type == "Agency":
            last[s.name[-1]] = s
    return out


def _trim_to_known(spans: list[Span], names: set[str], text: str) -> list[Span]:
    """绘制民和社区 -> 民和社区 when the article names 民和社区: what stands before a known
    community or village name is context, not name."""
    out = []
    for s in spans:
        if s.source == "suffix" and s.type in ("Community", "Village"):
            n = next((s.name[k:] for k in range(1, len(s.name) - 1) if s.name[k:] in names), None)
            if n is not None and len(n) <= s.end - s.start:
                s = Span(s.end - len(n), s.end, s.type, n, s.source)
        out.append(s)
    return out


def _occurrences(text: str, forms: Iterable[str]) -> list[tuple[int, str]]:
    """Every (offset, form) where one of `forms` occurs, overlaps included, by offset and
    longest first: one scan in C per form (an article has a few), not a look-up per character."""
    out = []
    for form in forms:
        at = text.find(form)
        while at >= 0:
            out.append((at, form))
            at = text.find(form, at + 1)
    return sorted(out, key=lambda o: (o[0], -len(o[1])))


def _stem(name: str) -> str:
    for tail in ("街道办事处", "街道", "社区", "村"):
        if name.endswith(tail):
            return name[: -len(tail)]
    return name


_LEVEL_OF = {"区": "district", "市": "city", "省": "province"}


def _home_here(areas: set[str]) -> dict[str, str]:
    """What 区/市/省 stand for in an article: the paper's home jurisdiction, unless the article
    names only one other of that level and never the home one (区 in a 云州区 story is 云州区)."""
    home = dict(lexicon.home())
    divisions = lexicon.gazetteer()
    for level, name in list(home.items()):
        same = {a for a in areas if a in divisions and divisions[a].level == _LEVEL_OF.get(level)}
        if name not in same and len(same) == 1:
            home[level] = same.pop()
    return home


_MENTION_ORDER = attrgetter("start", "end", "type", "name", "source")  # the same tuple as a lambda's, made in C


def recognize(article: Article) -> list[Mention]:
    """Every mention in one article, in page order."""
    passages = [(passage, _Passage(passage.text)) for passage in article.passages]
    # Divisions first: the article's main subdistrict is the context of 街道X.
    found = [_divisions(p) + _listed_subdistricts(p) for _, p in passages]
    named = [s.name for spans in found for s in spans if s.type == "Subdistrict"]
    subdistrict = max(sorted(set(named)), key=named.count) if named else None
    home = _home_here({s.name for spans in found for s in spans if s.type == "AdminArea"})
    for (_, p), spans in zip(passages, found):
        spans += _split_streets(_split_units(_named_bodies(p, subdistrict, home), p)) + _people(p)
    people = {s.name for spans in found for s in spans if s.type == "Person"}
    for (_, p), spans in zip(passages, found):
        spans += _listed_people(p, people)

    # The article's own settlements, people and short forms: 永安 after 永安社区, 张三 after
    # 创始人张三; 民和社区 makes 绘制民和社区 read as 民和社区.
    counts: dict[str, str] = {}
    for spans in found:
        for s in spans:
            if s.type in ("Subdistrict", "Community", "Village", "Person"):
                counts.setdefault(s.name, s.type)
    settlements = {n for n, t in counts.items() if t != "Person" and not any(n[k:] in counts for k in range(1, len(n) - 1))}
    short: dict[str, tuple[str, str]] = {}
    for name, type_ in sorted(counts.items()):
        if type_ == "Person":
            short.setdefault(name, (type_, name))
        elif name in settlements and len(_stem(name)) >= 2:
            short.setdefault(_stem(name), (type_, name))
    credited = set(article.reporters) | set(article.photographers) | set(article.columnists) | set(article.correspondents)
    for name in credited:
        short.pop(name, None)

    chosen: list[list[Span]] = []
    for (_, p), spans in zip(passages, found):
        spans = _trim_to_known(spans, settlements, p.text)
        for at, text in _occurrences(p.text, short):
            type_, name = short[text]
            if type_ == "Person" or (at in p.bound_set and at + len(text) in p.bound_set):
                spans.append(Span(at, at + len(text), type_, name, "article"))
        if not spans:
            chosen.append(spans)  # (half the passages name nothing, and each step below keeps [] as [])
            continue
        kept = _select(_outside_titles(spans, p.text))
        chosen.append(_back_references(_inherit_in_lists(_shorten_to_nested(kept, p), p.text), p.text))

    # 环境治理监督大队 after 平城区环境治理监督大队: a tail of a longer name is that name.
    longer: dict[tuple[str, str], str] = {}  # (type, tail) -> the longest name ending so
    for spans in chosen:
        for s in spans:
            for k in range(1, len(s.name) - 2):
                have = longer.get((s.type, s.name[k:]))
                if have is None or (len(have), have) < (len(s.name), s.name):
                    longer[(s.type, s.name[k:])] = s.name
    # 三利农产品公司 after 三利农副产品有限公司: a company called again by its trade name (the
    # first two characters, when they are no division) and a shorter form is that company.
    companies = sorted({s.name for spans in chosen for s in spans if s.type == "Company"}, key=lambda n: (-len(n), n))
    forms = lexicon.division_forms()
    formal: dict[str, str] = {}
    for name in companies:
        if name[:2] in forms or name[0] in _LEVEL_WORDS:
            continue
        full = next((n for n in companies if len(n) > len(name) and n[:2] == name[:2] and n.endswith("有限公司")), None)
        if full is not None and name.endswith("公司") and not name.endswith("分公司"):
            formal[name] = full
    # 平城区公安分局 beside 市公安局平城分局: a district's branch of a city department, named
    # the other way round, is that branch.
    agencies = sorted({_body_name(s.name) for spans in chosen for s in spans if s.type == "Agency"})
    branch: dict[str, str] = {}
    gazetteer = lexicon.gazetteer()
    for name in agencies:
        m = _DISTRICT_BRANCH.match(name)
        if m and m.group(1) in gazetteer and gazetteer[m.group(1)].level == "district":
            tail = f"{m.group(2)}局{m.group(1)[:-1]}分局"
            full = next((n for n in agencies if n != name and n.endswith(tail)), None)
            if full is not None:
                branch[name] = full
    mentions = _credits(article) + _publisher(article) + _datelines(article)
    # One str per sentence, shared by the mentions in it: the graph keeps every mention's
    # sentence until the exports, and a sentence holds several mentions (issue 20).
    sentences: dict[str, str] = {}
    for (passage, p), spans in zip(passages, chosen):
        if not spans:
            continue
        ends = [m.end() for m in _SENTENCE_END.finditer(p.text)]
        for s in spans:
            name = s.name
            if s.source.startswith("suffix") and len(name) >= 3 and s.type not in ("Community", "Village"):
                name = longer.get((s.type, name), name)
            if s.type == "Company":
                name = formal.get(name, name)
            if s.type == "Agency":
                name = _body_name(name)
                name = branch.get(name, name)
            mentions.append(
                Mention(
                    s.type,
                    p.text[s.start : s.end],
                    name,
                    article.id,
                    article.page,
                    passage.page_offset(s.start),
                    passage.page_offset(s.end - 1) + 1,
                    sentences.setdefault(sentence := _sentence(p.text, ends, s.start, s.end), sentence),
                    s.source,
                )
            )
    return sorted(set(mentions), key=_MENTION_ORDER)
