"""Articles -> events: what happened, when, where, organised by whom.

An event is found in a sentence in one of these shapes (the words come from
ontology/event_lexicon.toml):
  quoted title + head noun  开展“党史映初心 书香润政协”主题活动, “文明大讲堂”“邻里议事会”等活动
  trigger verb + phrase + head noun   开展交通安全宣传与秩序劝导行动, 召开防汛备汛工作会议
  name + a verb reporting it          为期3天的2026年山西省“红领巾讲解员”竞演讲述活动决赛落下帷幕
  对 X 进行 V                  对辖区伦敦街商户私设地桩等乱象进行排查和整治
  verb + object               签订森林防火责任书
  a headline clause ending in 进校园/进社区…, when the body names no event   反诈宣传进校园
Sentences that speak of plans, duties or routines (还将, 要, 计划, 定期) yield nothing, and
neither do back-references (此次活动) or lists of habitual activities. Organizers are the named
units before the trigger (由A、B主办, A联合B, or 此次活动由…主办 in a later sentence); undertakers
follow 承办; participants follow 邀请 or take part (参加), in the event's sentence or the next
(A、B及各街道负责人参加会议, 来自A、B的42支团队). The place follows 在/走进/深入辖区. The
date is the nearest date expression before the event (else the sentence before it), made absolute
with the page's year where the page allows (kg.dates).
Within an article, near-identical names are one event; across articles, events with the same
normalized name are one event unless both name organizers and these differ.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from . import dates
from .lexicon import read_toml
from .model import Entity, Event, PageDoc
from .sentences import Sentence, by_article
from .text import alternation as _alt, regex_branches


ACTOR_TYPES = ("Agency", "Organization", "Company", "Subdistrict", "Community", "Village", "AdminArea")
PLACE_TYPES = ("Place", "Community", "Village", "Subdistrict", "Organization", "Agency", "AdminArea")
_QUOTED = re.compile(r"“[^“”]{2,40}”")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_STOP = "，。；：！？,;:!?（）()《》…\n "


@dataclass(frozen=True)
class Lexicon:
    heads: dict[str, str]
    head_re: re.Pattern[str]
    headline_heads: re.Pattern[str]
    trigger_re: re.Pattern[str]
    listed_trigger_re: re.Pattern[str]  # 、 before a trigger: the next verb phrase of a list
    licensed: dict[str, tuple[str, ...]]
    verb_objects: re.Pattern[str]
    type_words: dict[str, str]
    not_happened: re.Pattern[str]
    routine: re.Pattern[str]
    compound_after: tuple[str, ...]
    means_after: tuple[str, ...]
    generic_starts: tuple[str, ...]
    generic_words: re.Pattern[str]
    partner_re: re.Pattern[str]
    participant_triggers: tuple[str, ...]
    announced_re: re.Pattern[str]
    announced_adverbs: re.Pattern[str]
    min_name_length: dict[str, int]
    location_cues: tuple[str, ...]
    joined_re: re.Pattern[str]
    edition_re: re.Pattern[str]
    edition_cue: re.Pattern[str]  # edition_re without its look-behinds: a sentence it misses has no edition
    occasion_before: tuple[str, ...]
    after_event_re: re.Pattern[str]
    after_event_cue: re.Pattern[str]  # what after_event_re's look-ahead needs: a sentence without it has no match
    after_event_types: tuple[str, ...]
    list_intro_re: re.Pattern[str]
    list_separator_re: re.Pattern[str]
    opening_re: re.Pattern[str]
    opening_types: tuple[str, ...]
    title_breaks: tuple[str, ...]
    manner_ends: tuple[str, ...]
    open_heads: tuple[str, ...]
    organizer_re: re.Pattern[str]
    organizer_verbs: tuple[str, ...]  # organizer_re ends with one: a sentence without any has no match
    scene_words: tuple[str, ...]
    undertaker_re: re.Pattern[str]


_LOOKBEHIND = re.compile(r"\(\?<[!=](?:\[(?:\\.|[^\]])*\]|\\.|[^()\[\\])*\)")


def _without_leading_lookbehinds(pattern: str) -> str:
    """`pattern` with the look-behinds that open each of its top-level alternatives taken out.

    What it matches is a superset of what `pattern` matches (at the same places), so a text it
    does not match is one `pattern` does not match either; and re can skip ahead to the
    alternatives' first characters, which a leading look-behind prevents (edition_re over every
    sentence). Alternatives are split at the | outside groups and character classes.
    """
    stripped = []
    for branch in regex_branches(pattern):
        while (m := _LOOKBEHIND.match(branch)) is not None:
            branch = branch[m.end():]
        stripped.append(branch)
    return "|".join(stripped)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = read_toml("event_lexicon.toml")
    heads = dict(data["heads"])
    verb_objects = [
        f"(?:{re.escape(v)})[^{_STOP}]{{0,10}}?(?:{_alt(objs)})" for v, objs in data["verb_objects"].items()
    ]
    return Lexicon(
        heads=heads,
        head_re=re.compile(_alt(list(heads))),
        headline_heads=re.compile(f"(?:{_alt(data['headline_heads'])})$"),
        trigger_re=re.compile(_alt(data["triggers"] + list(data["licensed_heads"]))),
        listed_trigger_re=re.compile(f"、(?={_alt(data['triggers'] + list(data['licensed_heads']))})"),
        licensed={k: tuple(v) for k, v in data["licensed_heads"].items()},
        verb_objects=re.compile("|".join(verb_objects)),
        type_words=dict(data["type_words"]),
        not_happened=re.compile(f"{_alt(data['not_happened'])}|{data['duty_re']}"),
        routine=re.compile(_alt(data["routine"])),
        compound_after=tuple(data["compound_after"]),
        means_after=tuple(data["means_after"]),
        generic_starts=tuple(data["generic_starts"]),
        generic_words=re.compile(f"^(?:{_alt(data['generic_words'])})*$"),
        partner_re=re.compile(f"(?:{_alt(data['partner_cues'])})$"),
        participant_triggers=tuple(data["participant_triggers"]),
        announced_re=re.compile(_alt(data["announced_verbs"])),
        announced_adverbs=re.compile(f"(?:{_alt(data['announced_adverbs'])})+$"),
        min_name_length=dict(data["min_name_length"]),
        location_cues=tuple(data["location_cues"]),
        joined_re=re.compile(
            f"(?P<took>(?:{_alt(data['took_part'])})了?(?:{_alt(list(heads))})?(?=[，。；,;！!]|$))"
            f"|(?P<invited>{_alt(data['invited'])})|(?P<source>{_alt(data['came_from'])})"
            f"|(?P<group>等(?:[\\d一二三四五六七八九十百余多]+[{data['group_measures']}])?(?:{_alt(data['group_nouns'])})?的)"
        ),
        edition_re=re.compile(data["edition_re"]),
        edition_cue=re.compile(_without_leading_lookbehinds(data["edition_re"])),
        occasion_before=tuple(data["occasion_before"]),
        after_event_re=re.compile(f"(?:{_alt(list(heads))})(?=(?:{_alt(data['after_event'])})[，,])"),
        after_event_cue=re.compile(f"(?:{_alt(data['after_event'])})[，,]"),
        after_event_types=tuple(data["after_event_types"]),
        list_intro_re=re.compile(f"(?:{_alt(data['list_intro'])})[：:]?"),
        list_separator_re=re.compile(_alt(data["list_separators"])),
        opening_re=re.compile(_alt(data["opening_verbs"])),
        opening_types=tuple(data["opening_types"]),
        title_breaks=tuple(data["title_breaks"]),
        manner_ends=tuple(data["manner_ends"]),
        open_heads=tuple(data["open_heads"]),
        scene_words=tuple(data["scene_words"]),
        organizer_verbs=tuple(data["organizer_verbs"]),
        organizer_re=re.compile(
            f"(?:由|^|(?<=[，,]))([^，。；由]*?)(?:{_alt(data['joint_adverbs'])})?(?:{_alt(data['organizer_verbs'])})"
        ),
        undertaker_re=re.compile(
            f"[，,]?([^，。；]*?)(?:{_alt(data['joint_adverbs'])})?(?:{_alt(data['undertaker_verbs'])})"
        ),
    )


@dataclass(frozen=True)
class Candidate:
    """An event as one sentence states it: the name's place in the sentence and what shape found it."""

    name: str
    type: str
    start: int  # where the name (or its trigger) starts in the sentence
    sentence: Sentence
    quoted: bool
    trigger: str = ""  # the verb that introduced it, if any


# Compiled once: these run per sentence or per name, where re's cache look-up per call was
# measurable (about 0.35 us of 0.7 us for a short re.sub); the same patterns, the same results.
_NORM = re.compile(r"[\s\u3000“”\"'‘’《》「」]")
_QUOTED_TITLE = re.compile(r"“([^“”]{2,40})”")
_EXAMINED = re.compile(r"对([^，。；：,;:]{2,24}?)进行(?:了)?([^，。；：,;:]{2,8}?)(?=[，。；,;]|$)")
_CITED = re.compile(r"《[^《》]{2,60}》")


def norm(name: str) -> str:
    """A name without quotes, brackets and spaces, to compare two mentions of one event."""
    return _NORM.sub("", name)


def _type_of(name: str, head: str) -> str:
    lex = lexicon()
    if "暨" in name:
        # 推介会暨项目签约仪式: the first of the joined events gives the type
        first = _last_head(name.split("暨")[0])
        head = first.group() if first else head
    type_ = lex.heads.get(head, "Other")
    if type_ == "Other" and head == "活动":
        for word in sorted(lex.type_words, key=len, reverse=True):
            if word in name:
                return lex.type_words[word]
    return type_


def _last_head(text: str) -> re.Match[str] | None:
    """The last head noun in `text`: a name runs to the last head of its clause (…整治行动, not …整治)."""
    last = None
    for m in lexicon().head_re.finditer(text):
        last = m
    return last


_STOP_CHAR = re.compile(f"[{re.escape(_STOP)}]")


def _clause_end(text: str, start: int) -> int:
    """The end of the name-like run from `start`: the next stop character (、 and quotes may stand inside)."""
    if 0 <= start <= len(text):
        stop = _STOP_CHAR.search(text, start)
        end = stop.start() if stop else len(text)
        if "“" not in text[start:end]:
            return end  # no quote opens before the next stop character, so none can hide it
    at = start
    depth = 0
    while at < len(text):
        ch = text[at]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch in _STOP and depth == 0:
            break
        at += 1
    return at


def _happened(s: Sentence, at: int, headlined: bool = False) -> bool:
    """False when the sentence before `at` speaks of a plan, a duty or a routine (还将, 要, 计划, 定期).

    A routine the headline names (新华街道“周末集市”开市: 每周六…举办“周末集市”便民活动) is the recurring
    event the article reports; any other (每日开展巡查, 定期召开“联席议事会”) is not.
    """
    before = s.text[:at]
    return not lexicon().not_happened.search(before) and (headlined or not lexicon().routine.search(before))


def _headlined(c: Candidate, headline: str) -> bool:
    quoted = _QUOTED.search(c.name)
    return quoted is not None and quoted.group() in headline


# 社区今年已组织义诊活动6场: a count after the name tallies many happenings, it names none
_TALLY = re.compile(r"[\d一二三四五六七八九十百千余多]+(?:场次|场|次|期|轮|批)")


def _tally(c: Candidate) -> bool:
    at = c.sentence.text.find(c.name, c.start)
    return at >= 0 and bool(_TALLY.match(c.sentence.text, at + len(c.name)))


_COUNTED = re.compile(r"等[\d一二三四五六七八九十]+[个项场家类]")  # 等5项活动: a count of several


def _generic(name: str) -> bool:
    """此次活动, 专项整治行动, 社区志愿服务、环境整治等活动: a back-reference or a list, not a name."""
    lex = lexicon()
    normed = norm(name)
    rest = lex.head_re.sub("", normed)
    head = _last_head(normed)
    if head and len(normed) < lex.min_name_length.get(head.group(), 0):
        return True
    return (
        name.startswith(lex.generic_starts)
        or bool(lex.generic_words.match(rest)) and (bool(rest) or len(normed) < 4)
        or "等" in name and not lex.generic_words.sub("", lex.head_re.sub("", normed.rsplit("等", 1)[1]))
        or bool(_COUNTED.search(normed))
    )


def _opening_verb(tail: str) -> str | None:
    """The verb right after a quoted title, if any: “新年大礼包”发放现场… takes the title as its
    object, so what follows is no part of its name (a head noun there, 展演, is part of it)."""
    from .nlp import pos_cut

    first = next(iter(pos_cut(tail)), None)
    if first is None or first[1] != "v" or lexicon().head_re.match(first[0]):
        return None
    return first[0]


def quoted_titles(s: Sentence) -> list[Candidate]:
    """“聚力助小微 同心赢未来”中小微企业发展赋能研讨会; “文明大讲堂”“邻里议事会”等活动."""
    lex = lexicon()
    found: list[Candidate] = []
    if "“" not in s.text:
        return found  # no title to read
    for m in _QUOTED_TITLE.finditer(s.text):
        inner = m.group(1)
        if inner.endswith(lex.manner_ends):
            continue  # 进行“地毯式”清理: a quoted manner word, no title
        after = m.end()
        while (chained := _QUOTED.match(s.text, after)) is not None:
            after = chained.end()  # “年级共读”“亲子共读”读书活动: titles side by side share the head after them
        run = s.text[after : _clause_end(s.text, after)]
        run = run[: run.find("“")] if "“" in run else run
        # the name runs to the last head before any list (、) or 的 after the title
        head = _last_head(re.split("[、的]", run[:24], maxsplit=1)[0] if not run.startswith(("、", "等")) else run[:24])
        while head is not None and run[head.end() : head.end() + 1] == "暨":
            # …冠军赛暨…资格赛: one event under two names runs to the second name's head
            joined = _last_head(re.split("[、的，,]", run[head.end() + 1 : head.end() + 25], maxsplit=1)[0])
            if joined is None:
                break
            head = re.compile(re.escape(joined.group())).search(run, head.end() + 1 + joined.start())
        tail = run[: head.end()] if head else ""
        verb = _opening_verb(tail) if head and head.start() > 0 else None
        if verb and run[len(verb) :].startswith(lex.scene_words):
            found.append(Candidate(m.group() + verb, "Other", m.start(), s, True))
            continue  # “新年大礼包”发放现场: the handing out is the happening
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
        alone = not run or run.startswith(("等", "、", *lex.title_breaks))  # the quoted name stands by itself, or in a list
        if alone and inner_head and inner_head.end() == len(inner) and len(inner) > len(inner_head.group()):
            found.append(Candidate(inner, _type_of(inner, inner_head.group()), m.start(), s, True))
    return found


_DURATION = re.compile(r"^为期[^，。的]{1,8}的")


def triggered(s: Sentence) -> list[Candidate]:
    """开展交通安全宣传与秩序劝导行动: a trigger verb, then a phrase up to the last head noun of its clause."""
    lex = lexicon()
    found = []
    for m in lex.trigger_re.finditer(s.text):
        if s.text[m.start() - 1 : m.start()] == "、":
            # 关爱留守儿童、开展帮扶救助活动、为山区儿童捐书: one of a list of things habitually done;
            # but 举办开放日活动、开展巡河会诊: a list of verb phrases each naming what was done
            clause_start = max(s.text.rfind(c, 0, m.start()) for c in "，,；;：:。") + 1
            if not lex.trigger_re.match(s.text, clause_start):
                continue
        start = m.end()
        end = _clause_end(s.text, start)
        run = s.text[start:end]
        listed_verb = lex.listed_trigger_re.search(run)
        if listed_verb:
            run = run[: listed_verb.start()]  # the next verb phrase of the list is read on its own
        if not run or run.startswith("“"):
            continue  # a quoted title is read by quoted_titles
        if run.startswith("、"):
            continue  # 参与组织、指导、评选以及宣传工作: the verb is one of a list of duties
        licensed = lex.licensed.get(m.group(), ())
        head = _last_head(run)
        if licensed:
            extra = [run.rfind(w) for w in licensed if run.rfind(w) > 0]
            if extra and (head is None or max(extra) > head.start()):
                cut = max(extra) + len(next(w for w in licensed if run.rfind(w) == max(extra)))
                name = run[:cut].lstrip("了")
                # a deployment of the year's work is done at a meeting
                found.append(Candidate(name, "Meeting", m.start(), s, False, m.group()))
                continue
        if head is None:
            # 开展清淤疏浚、路面修缮、设施更新，责任压实专项行动: a list of works closed by a head after a comma
            nxt = s.text[end : end + 1]
            after = s.text[end + 1 : _clause_end(s.text, end + 1)] if nxt in "，," else ""
            tail = _last_head(after)
            if not tail or tail.end() != len(after) or lex.trigger_re.search(after) or len(after) > 12:
                continue
            name = s.text[start : end + 1 + tail.end()]
            head_word = tail.group()
        else:
            if any(w in run[head.end() :] for w in lex.means_after):
                continue
            if head.group() in lex.open_heads and _CJK_CHAR.match(run, head.end()):
                continue  # 志愿服务劝导: the head modifies the noun after it
            name = run[: head.end()]
            head_word = head.group()
        # 组织100多名农民参加了平城区高素质农民培训: the name starts after the last trigger
        inner = list(lex.trigger_re.finditer(name))
        at, verb = m.start(), m.group()
        if inner:
            at, verb = start + inner[-1].start(), inner[-1].group()
            name = name[inner[-1].end() :]
        # 参加为期10天的培训: a duration describes the event named before, it is no name of its own
        name = _DURATION.sub("", name.lstrip("了").strip())
        name = name.lstrip("的")  # 10月3日举行的…: the particle after the verb opens no name
        if name.startswith("、"):
            continue  # 参与组织、指导、评选以及宣传工作: the verb is one of a list of duties
        if "等" in name:
            # 举办书法作品展、民俗摄影展等活动: the items before a generic 等活动 are the events
            before, after_ = name.rsplit("等", 1)
            last = _last_head(before)
            if before and last and last.end() == len(before) and not lex.generic_words.sub("", lex.head_re.sub("", norm(after_))):
                items = _split_list(Candidate(before, _type_of(before, last.group()), at, s, False, verb))
                if len(items) > 1 or not re.search("[、和及]", before):
                    found.extend(c for c in items if len(norm(c.name)) >= 4 and not _generic(c.name))
                continue
        opener = next((g for g in lex.generic_starts if name.startswith(g + "的")), None)
        if opener and len(norm(name[len(opener) + 1 :])) >= 5 and not _generic(name[len(opener) + 1 :]):
            # 丰富多彩的推普周活动: the praise is no part of the name (形式多样的阅读活动 names a
            # kind of activity, not one)
            name = name[len(opener) + 1 :]
        if len(norm(name)) < 4 or _generic(name):
            continue
        found.append(Candidate(name, _type_of(name, head_word), at, s, False, verb))
    return found


def announced(s: Sentence) -> list[Candidate]:
    """为期3天的2026年山西省“红领巾讲解员”竞演讲述活动决赛落下帷幕: the name before a verb reporting it took place."""
    lex = lexicon()
    found = []
    for m in lex.announced_re.finditer(s.text):
        if lex.head_re.match(s.text, m.end()):
            continue  # 启动仪式: the verb is part of a noun here
        clause_start = max(s.text.rfind(c, 0, m.start()) for c in "，,；;：:。") + 1
        before = s.text[clause_start : m.start()]
        before = lex.announced_adverbs.sub("", before)
        at = before.rfind("在")  # …大会在平城区会议中心开幕: the place is not part of the name
        if at > 0:
            before = before[:at]
        before = before[before.rfind("的") + 1 :]  # 为期3天的…: what precedes 的 describes the event
        verbs = [t for t in lex.trigger_re.finditer(before) if not lex.head_re.match(before, t.end())]
        if verbs:
            before = before[verbs[-1].end() :]  # 开展…活动启动: the name starts after the verb
        head = _last_head(before)
        if head is None or head.end() != len(before):
            continue
        if len(norm(before)) >= 4:
            found.append(Candidate(before, _type_of(before, head.group()), clause_start, s, "“" in before))
    return found


def examined(s: Sentence) -> list[Candidate]:
    """对辖区伦敦街商户私设地桩等乱象进行排查和整治 -> 伦敦街商户私设地桩等乱象排查整治."""
    found = []
    for m in _EXAMINED.finditer(s.text):
        obj, act = m.group(1), re.sub(r"[和及与、]", "", m.group(2))
        head = _last_head(act)
        if head is None or head.end() != len(act):
            continue
        obj = re.sub(r"^(?:辖区(?:内)?|全区|各)", "", obj)
        found.append(Candidate(obj + act, _type_of(obj + act, head.group()), m.start(), s, False))
    return found


def marked(s: Sentence) -> list[Candidate]:
    """第25届校园科技文化艺术节, “追风吧·青春”2023年大同市公路自行车锦标赛: an edition or a year and
    then a head noun in one clause name an event, whatever verb (or none) introduces it. A quoted
    title or a unit printed right before the marker belongs to the name (大同一中南校区第25届…)."""
    lex = lexicon()
    found: list[Candidate] = []
    if not lex.edition_cue.search(s.text):
        return found  # most sentences: no ordinal or year, and edition_re is tried at every character
    for m in lex.edition_re.finditer(s.text):
        run = s.text[m.start() : _clause_end(s.text, m.start())]
        run = run.split("、", 1)[0]  # 2016年…公开赛、2017年…冠军赛: each item has its own marker
        head = _last_head(run[:40])
        close = s.text.find("”", m.end()) if s.text.startswith("“", m.end()) else -1
        inner = s.text[m.end() + 1 : close] if close > 0 else ""
        inner_head = _last_head(inner)
        closed = inner_head is not None and inner_head.end() == len(inner)
        if (closed or inner.endswith("节")) and head is None:
            # 第五届“社区邻里节”在…开幕: an edition and a quoted festival's name, nothing after them
            type_ = _type_of(inner, inner_head.group()) if inner_head is not None and closed else "Other"
            found.append(Candidate(s.text[m.start() : close + 1], type_, m.start(), s, True))
            continue
        if head is None or run[head.end() :].startswith(lex.compound_after):
            continue
        named = run[: head.end()]
        if "的" in named or any(not lex.head_re.match(named, t.end()) for t in lex.trigger_re.finditer(named)):
            continue  # 2024年全区开展的…: a clause of its own, not a name
        start = m.start()
        if s.text[:start].endswith("”"):
            opening = s.text.rfind("“", max(0, start - 42), start - 1)
            start = opening if opening >= 0 else start
        unit = next((sp for sp in s.spans if sp.end == start and sp.type in (*ACTOR_TYPES, "Place")), None)
        if unit is not None:
            start = unit.start
        if s.text[max(0, start - 4) : start].endswith(lex.occasion_before) or s.text[start - 1 : start] == "暨":
            continue  # the theme of other work; or the second name of one event (A暨B)
        name = s.text[start : m.start() + head.end()]
        found.append(Candidate(name, _type_of(name, head.group()), start, s, "“" in name))
    return found


def opened(s: Sentence) -> list[Candidate]:
    """市容环境卫生集中整治动员会后，该区…; 启动仪式上，…: a clause that opens with a meeting's or
    ceremony's name and 后/上/期间 tells it took place."""
    lex = lexicon()
    found: list[Candidate] = []
    if not lex.after_event_cue.search(s.text):
        return found  # most sentences: the head nouns' alternation is not tried at every position
    for m in lex.after_event_re.finditer(s.text):
        clause_start = max(s.text.rfind(c, 0, m.start()) for c in "，,；;：:。") + 1
        name = s.text[clause_start : m.end()].removeprefix("在")
        type_ = _type_of(name, m.group())
        if type_ not in lex.after_event_types or len(norm(name)) < 5 or lex.trigger_re.search(name):
            continue
        found.append(Candidate(name, type_, m.end() - len(name), s, "“" in name))
    return found


def _outside_quotes(text: str, at: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """The stretches of text[at:] between separators that stand outside “…” (a title may hold a comma)."""
    out, lo, depth, i = [], at, 0, at
    while i < len(text):
        ch = text[i]
        depth += (ch == "“") - (ch == "”")
        m = separator.match(text, i) if depth <= 0 else None
        if m and m.end() > i:
            out.append((lo, i))
            lo = i = m.end()
            continue
        i += 1
    out.append((lo, len(text)))
    return out


def listed(s: Sentence, continued: bool = False) -> list[Candidate]:
    """科技类活动包括：数独、魔方挑战赛；趣味编程大赛；“让种子飞扬”粘贴画大赛以及…: each item of the
    list an event's programme gives that ends in a head noun. `continued`: the sentence goes on
    a list the sentence before opened and closed with ；."""
    lex = lexicon()
    found = []
    starts = [m.end() for m in lex.list_intro_re.finditer(s.text)]
    for at in ([0] if continued else []) + starts:
        for lo, hi in _outside_quotes(s.text, at, lex.list_separator_re):
            item = s.text[lo:hi].strip().rstrip("。！？!?；;")
            head = _last_head(item)
            if item and head is not None and head.end() == len(item) and len(norm(item)) >= 4:
                if not lex.trigger_re.search(item):
                    found.append(Candidate(item, _type_of(item, head.group()), s.text.find(item, lo), s, "“" in item))
    return found


def opening(s: Sentence) -> list[Candidate]:
    """市美术馆开馆, 便民市场开业: a named venue or body and a verb of opening."""
    lex = lexicon()
    found = []
    for sp in s.spans:
        m = lex.opening_re.match(s.text, sp.end)
        if sp.type in lex.opening_types and m:
            name = s.text[sp.start : m.end()]
            found.append(Candidate(name, "Ceremony", sp.start, s, False))
    return found


def verb_objects(s: Sentence) -> list[Candidate]:
    """签订森林防火责任书 (one per sentence: 与各村签订…责任书，与群众签订…责任状 is one signing)."""
    m = lexicon().verb_objects.search(s.text)
    return [Candidate(m.group(), "Other", m.start(), s, False)] if m else []


def headline_clause(s: Sentence) -> list[Candidate]:
    """反诈宣传进校园: a headline clause that itself names a campaign."""
    if s.role != "headline":
        return []
    found = []
    for part in re.split(r"[\s，,]+", s.text):
        if lexicon().headline_heads.search(part) and len(part) >= 5:
            found.append(Candidate(part, "Campaign", s.text.find(part), s, False))
    return found


def _sponsors(s: Sentence) -> tuple[list[str], list[str]] | None:
    """由A、B主办，C承办，D协办: (organizers, undertakers), or None when the sentence does not say."""
    lex = lexicon()
    if not any(verb in s.text for verb in lex.organizer_verbs):
        return None  # organizer_re's lazy run is tried from every clause start: skip sentences without its verb
    m = lex.organizer_re.search(s.text)
    if not m:
        return None
    organizers = _units_in(s, m.start(1), m.end(1))
    if not organizers:
        return None  # 主办 with no unit named before it (活动主办方介绍…)
    undertakers: list[str] = []
    at = m.end()
    while True:  # …，C承办，D协办
        u = lex.undertaker_re.search(s.text, at)
        if not u:
            break
        undertakers += _units_in(s, u.start(1), u.end(1))
        at = u.end()
    return organizers, undertakers


def _units_in(s: Sentence, lo: int, hi: int) -> list[str]:
    """The actors named from `lo` to `hi`, less an area that only places the unit printed after it (平城区振华街道)."""
    inside = [sp for sp in s.spans if lo <= sp.start < hi and sp.type in ACTOR_TYPES]
    return [
        sp.key for i, sp in enumerate(inside)
        if not (sp.type == "AdminArea" and i + 1 < len(inside) and inside[i + 1].start == sp.end)
    ]


def _actors(s: Sentence, at: int) -> tuple[list[str], list[str]]:
    """(organizers, participants) named in `s` before position `at`: the subject group nearest the event."""
    text = s.text
    organizers: list[str] = []
    participants: list[str] = []
    before = [sp for sp in s.spans if sp.end <= at and sp.type in ACTOR_TYPES]
    last_end = 0
    placed_end = -1
    for i, sp in enumerate(before):
        lead = text[max(0, sp.start - 2) : sp.start]
        own_word = sp.end == at and not lexicon().trigger_re.match(text, at)
        if lead.endswith(lexicon().location_cues) or lead.endswith("对") or own_word or sp.start == placed_end:
            placed_end = sp.end  # 在振华街道魏都新苑社区: the whole chain after 在 is the place
            continue  # a place, an object, or a word of the event's own name (山西省“红领巾讲解员”…决赛)
        nxt = before[i + 1] if i + 1 < len(before) else None
        if nxt is not None and nxt.start == sp.end:
            continue  # 平城区清远街道: the district only places the subdistrict
        if lead.endswith(("邀请", "邀")):
            participants.append(sp.key)
            continue
        # from the last organizer taken, not the span just before (平城区 only placing 鹿苑街道 is skipped)
        gap = text[last_end:sp.start]
        if organizers and re.search(r"[，,；;]", gap) and not lexicon().partner_re.search(gap):
            organizers = []  # a new subject in a later clause: keep the group nearest the event
        organizers.append(sp.key)
        last_end = sp.end
    for inv in re.finditer(r"邀请?", text[at:]):
        pos = at + inv.end()
        participants += [sp.key for sp in s.spans if sp.start == pos and sp.type in (*ACTOR_TYPES, "Person")]
    return organizers, participants


def _location(s: Sentence, at: int, end: int) -> str | None:
    """The place after 在/走进 before the trigger or in the event's clause, right after the name
    (…展在平城区图书馆开幕), or in the next clause when it opens with one (…行动，深入辖区新中佳苑小区)."""
    nxt = min((i for i in (s.text.find(c, end) for c in "，,") if i >= 0), default=-1)
    if s.text.startswith(lexicon().location_cues, end):
        end = _clause_end(s.text, end)  # …书法作品展在平城区图书馆开幕
    elif nxt >= 0 and s.text.startswith(lexicon().location_cues, nxt + 1):
        end = _clause_end(s.text, nxt + 1)
    best = None
    for i, sp in enumerate(s.spans):
        lead = s.text[max(0, sp.start - 2) : sp.start]
        if sp.type in PLACE_TYPES and sp.start < end and lead.endswith(lexicon().location_cues):
            # 在振华街道魏都新苑社区: the most specific place of the chain
            last = sp
            for later in s.spans[i + 1 :]:
                if later.start != last.end or later.type not in PLACE_TYPES or later.start >= end:
                    break
                last = later
            best = last.key
    return best


@dataclass(frozen=True)
class _Found:
    candidate: Candidate
    organizers: tuple[str, ...]
    undertakers: tuple[str, ...]
    participants: tuple[str, ...]
    location: str | None
    date: dates.DateSpan | None


def _same_event(a: str, b: str) -> bool:
    """Two names in one article for one event: most characters shared, or one extends the other by no new head.

    爱心义诊进社区 / 义诊进社区服务活动 share most characters; 第七次全国人口普查 and
    第七次全国人口普查宣传进校园活动 do not name one event (the extension brings its own head).
    """
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if "暨" in long_ and any(short in part for part in long_.split("暨")):
        return True  # A暨B (a festival with its opening ceremony) and A alone: one event
    if "暨" in short and short.split("暨")[0] == long_.split("暨")[0]:
        return True  # A暨B and A暨B和C: one event, named more or less fully
    if long_.startswith(short) and lexicon().generic_words.match(long_[len(short) :].replace("活动", "")):
        return True  # 检察宣传周 and 检察宣传周活动
    if short in long_:
        return not lexicon().head_re.search(long_.replace(short, "", 1))
    common = sum(1 for ch in set(short) if ch in long_)
    return common / max(len(set(a)), len(set(b))) >= 0.7


def _specificity(text: str) -> int:
    m = dates.DATE_RE.search(text)
    if not m or not m.group("m1"):
        return 0
    return 1 + bool(m.group("d1")) + bool(m.group("m2") or m.group("dd"))


class _ArticleDates:
    """One article's sentences as `_date_for` reads them: each sentence's dates and its text
    without quotes and spaces, made once per article, not once per event that looks at them."""

    def __init__(self, sents: list[Sentence], page_year: dates.PageYear) -> None:
        self.sents = sents
        self.page_year = page_year
        self._found: dict[int, list[tuple[int, int, str]]] = {}  # Sentence.index -> its dates
        self._normed: list[str] | None = None

    def find(self, s: Sentence) -> list[tuple[int, int, str]]:
        found = self._found.get(s.index)
        if found is None:
            found = self._found[s.index] = dates.find(s.text, self.page_year)
        return found

    def normed(self) -> list[str]:
        if self._normed is None:
            self._normed = [norm(s.text) for s in self.sents]
        return self._normed


def _date_for(c: Candidate, article: _ArticleDates) -> dates.DateSpan | None:
    """The nearest date before the event in its sentence; a more exact date in another sentence about it wins."""
    article_sents, page_year = article.sents, article.page_year
    before = [d for d in article.find(c.sentence) if d[0] <= c.start]
    chosen = before[-1][2] if before else None
    if chosen is None:
        # 2018年2月18日至2月24日的一次搜救行动…。吴晓东…投入到搜寻卖梨老人的行动中: the sentence before dates it;
        # a headline's event takes the lead sentence's date
        previous = [s for s in article_sents if s.role == "body" and s.index < c.sentence.index][-1:]
        if c.sentence.role == "headline":
            previous = [s for s in article_sents if s.role == "body"][:1]
        for s in previous:
            found = article.find(s)
            chosen = found[-1][2] if found else None
    key = norm(c.name)
    if key:
        for s, normed in zip(article_sents, article.normed()):
            if s is not c.sentence and key in normed:
                for _, _, t in article.find(s):
                    if _specificity(t) > _specificity(chosen or ""):
                        chosen = t
    return dates.parse(chosen, page_year) if chosen else None


def _split_list(c: Candidate) -> list[Candidate]:
    """2019年全市象棋公开赛、2020年全省围棋锦标赛; 群英辩论会和表情包大赛: items joined
    by 、 和 及 (outside quotes) that each end in a head noun are events of their own (数独、魔方挑战赛
    is one: 数独 has no head)."""
    cuts, depth = [], 0
    for i, ch in enumerate(c.name):
        depth += (ch == "“") - (ch == "”")
        if depth == 0 and ch in "、和及" and c.name[i - 1 : i] != "以":
            cuts.append((i, i + 1))
        elif depth == 0 and c.name.startswith("以及", i):
            cuts.append((i, i + 2))
    if not cuts:
        return [c]
    bounds = [0] + [x for cut in cuts for x in cut] + [len(c.name)]
    items = [(bounds[k], c.name[bounds[k] : bounds[k + 1]]) for k in range(0, len(bounds), 2)]
    heads = [_last_head(item) for _, item in items]
    if any(h is None or h.end() != len(item) or len(norm(item)) < 5 for h, (_, item) in zip(heads, items)):
        return [c]
    out = []
    for (at, item), h in zip(items, heads):
        assert h is not None
        out.append(Candidate(item, _type_of(item, h.group()), c.start + at, c.sentence, "“" in item, c.trigger))
    return out


_MANNER = re.compile(r"“[^“”]{1,8}”")


def _article_events(sents: list[Sentence], page_year: dates.PageYear) -> list[_Found]:
    candidates: list[Candidate] = []
    headline = "".join(s.text for s in sents if s.role in ("headline", "kicker", "subtitle"))
    listing = False
    for s in sents:
        shapes = quoted_titles(s) + triggered(s) + announced(s) + examined(s) + marked(s) + opened(s) + listed(s, listing) + opening(s) + verb_objects(s) + headline_clause(s)
        # a list split into sentences at ；: the next sentence goes on with it
        listing = s.text.rstrip().endswith(("；", ";")) and (listing or bool(lexicon().list_intro_re.search(s.text)))
        if not shapes:
            continue  # most sentences
        # 《关于开展…行动的通知》: a document's title cites work; the article reports the document
        cited = [(m.start(), m.end()) for m in _CITED.finditer(s.text)]
        for c in (part for shape in shapes for part in _split_list(shape)):
            if any(lo < c.start < hi for lo, hi in cited):
                continue
            manner = _MANNER.match(c.name)
            if manner and manner.group()[1:-1].endswith(lexicon().manner_ends):
                # 进行“地毯式”清理整治: the quoted manner word is no part of a name
                rest = c.name[manner.end():]
                if len(norm(rest)) < 4 or _generic(rest) or _last_head(rest) is None:
                    continue
                c = replace(c, name=rest, quoted="“" in rest)
            if _happened(s, c.start, _headlined(c, headline)) and not _generic(c.name) and not _tally(c):
                candidates.append(c)
    # 召开…推进会，安排部署今冬明春供暖保障工作: work deployed after an event in its sentence is that event's agenda
    licensed = lexicon().licensed
    candidates = [
        c for c in candidates
        if c.trigger not in licensed
        or not any(d.sentence is c.sentence and d.start < c.start and d.trigger not in licensed for d in candidates)
    ]
    # a headline restates the body; it names an event only when the body names none
    body = [c for c in candidates if c.sentence.role not in ("headline", "kicker", "subtitle")]
    candidates = body or candidates
    # one event per name: quoted before plain, then the longer name
    rank = sorted(candidates, key=lambda c: (not c.quoted, -len(c.name), c.sentence.index, c.start))
    kept: list[Candidate] = []
    for c in rank:
        if not any(_same_event(c.name, k.name) for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: (c.sentence.index, c.start))
    subject = _article_subject(sents)
    home = _article_home(sents)
    lead = next((s for s in sents if s.role == "body" and any(sp.type in ACTOR_TYPES for sp in s.spans)), None)
    dated = _ArticleDates(sents, page_year)
    found = []
    for c in kept:
        told = c.sentence
        if told.role == "headline" and lead is not None:
            told = lead  # a headline's event: the lead sentence says who and where
        at = c.start if told is c.sentence else len(told.text)
        sponsors = _sponsors(told) or _later_sponsors(c, sents, kept)
        organizers, participants = _actors(told, at)
        undertakers: list[str] = []
        if sponsors:
            organizers, undertakers = sponsors
        if not organizers and subject:
            organizers = [subject]
        if c.trigger in lexicon().participant_triggers or _verb_before(told.text, at) in lexicon().participant_triggers:
            organizers, participants = [], organizers + participants
        else:
            participants += [p for p in _joined(c, told, at, sents, kept) if p not in organizers and p not in undertakers]
        found.append(
            _Found(
                c,
                tuple(dict.fromkeys(organizers)),
                tuple(dict.fromkeys(undertakers)),
                tuple(dict.fromkeys(participants)),
                _location(told, at, _name_end(told, c, at)) or home,
                _date_for(c, dated),
            )
        )
    return found


def _joined(c: Candidate, told: Sentence, at: int, sents: list[Sentence], kept: list[Candidate]) -> list[str]:
    """Who took part, as the event's sentence goes on or the next sentence (with no event of its own) says:
    A、B及各街道负责人参加会议; 来自A、B的42支团队; 邀请人大代表及A师生代表; A、B等15所学校的120名学生."""
    lex = lexicon()
    where = [(told, at)]
    later = [s for s in sents if s.role == "body" and s.index > told.index][:1]
    if later and not any(k.sentence is later[0] for k in kept):
        where.append((later[0], 0))
    found: list[str] = []
    for s, start in where:
        text = s.text
        stretches = []
        for m in lex.joined_re.finditer(text, start):
            # the clause before 参加会议 (its subject), or after 邀请 / 来自 (up to the clause's end or 的)
            if m.group("took") or m.group("group"):
                lo = max(text.rfind(ch, start, m.start()) for ch in "，,；;：:") + 1
                stretches.append((max(lo, start), m.start()))
            else:
                hi = _clause_end(text, m.end())
                if m.group("source"):
                    de = text.find("的", m.end(), hi)
                    hi = de if de >= 0 else hi
                stretches.append((m.end(), hi))
        for lo, hi in stretches:
            inside = [sp for sp in s.spans if lo <= sp.start and sp.end <= hi and sp.type in (*ACTOR_TYPES, "Person")]
            for i, sp in enumerate(inside):
                if i + 1 < len(inside) and inside[i + 1].start == sp.end:
                    continue  # 平城区振华街道: the area only places the unit after it
                if not text[max(0, sp.start - 2) : sp.start].endswith((*lex.location_cues, "对", "为")):
                    found.append(sp.key)
    return found


def _name_end(s: Sentence, c: Candidate, at: int) -> int:
    """Where the event's name ends in `s`: the end of its clause when the name is composed (对X进行Y),
    `at` when `s` is another sentence (the lead that tells a headline's event)."""
    if s is not c.sentence:
        return at
    found = s.text.find(c.name, c.start)
    return found + len(c.name) if found >= 0 else _clause_end(s.text, c.start)


def _later_sponsors(c: Candidate, sents: list[Sentence], kept: list[Candidate]) -> tuple[list[str], list[str]] | None:
    """此次活动由A、B联合主办: a later sentence with no event of its own names the sponsors of the one before."""
    for s in sents:
        if s.index <= c.sentence.index:
            continue
        if any(k.sentence is s for k in kept):
            return None
        sponsors = _sponsors(s)
        if sponsors:
            return sponsors
    return None


def _verb_before(text: str, at: int) -> str:
    """The trigger verb that ends at most three characters before `at` (参加省级“专精特新”…)."""
    window = text[max(0, at - 7) : at]
    hits = [m for m in lexicon().trigger_re.finditer(window) if len(window) - m.end() <= 3]
    return hits[-1].group() if hits else ""


def _article_home(sents: list[Sentence]) -> str | None:
    """The village or community an article's lead sentence is set in (平城区小南头街道西谷庄村…):
    where its events happen when their own sentence names no place."""
    lead = next((s for s in sents if s.role == "body"), None)
    homes = [sp.key for sp in lead.spans if sp.type in ("Village", "Community")] if lead else []
    return homes[-1] if homes else None


def _article_subject(sents: list[Sentence]) -> str | None:
    """The unit an article is about: the first its kicker or headline names (an area last), else its lead sentence."""
    for roles in (("kicker", "headline", "subtitle"), ("body",)):
        for s in sents:
            if s.role not in roles:
                continue
            actors = [sp for sp in s.spans if sp.type in ACTOR_TYPES]
            units = [sp for sp in actors if sp.type != "AdminArea"]
            if units or actors:
                return (units or actors)[0].key
            if s.role == "body":
                break
    return None


@dataclass(frozen=True)
class Report:
    """One article's account of an event: what `combine` needs to merge accounts across articles."""

    name: str
    type: str
    evidence: str  # the sentence that names the event
    article: str  # Article.id
    organizers: tuple[str, ...]
    undertakers: tuple[str, ...]
    participants: tuple[str, ...]
    location: str | None
    date: dates.DateSpan | None


def article_reports(sents: list[Sentence], page_year: dates.PageYear) -> tuple[Report, ...]:
    """The events one article's sentences report, in the order it names them."""
    return tuple(
        Report(f.candidate.name, f.candidate.type, f.candidate.sentence.text, f.candidate.sentence.article.id,
               f.organizers, f.undertakers, f.participants, f.location, f.date)
        for f in _article_events(sents, page_year)
    )


def combine(reports: Sequence[Report]) -> tuple[Event, ...]:
    """Events from every article's reports, given in page order: one per happening, sorted by key."""
    merged: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        merged[norm(r.name)].append(r)
    events: list[Event] = []
    for key in sorted(merged):
        for group in _occurrences(merged[key]):
            events.append(_event(group, distinct=len(group) < len(merged[key])))
    return tuple(sorted(events, key=lambda e: e.key))


def extract(docs: Sequence[PageDoc], entities: Sequence[Entity]) -> tuple[Event, ...]:
    """Events the pages report, one per happening, sorted by key."""
    # as kg.build does: an article's dates count from its publication date, else from its page's year
    def year(doc: PageDoc, sents: list[Sentence]) -> dates.PageYear:
        return dates.page_year(doc.page.text, sents[0].article.published if sents else None)

    return combine([r for doc, sents in by_article(docs, entities) for r in article_reports(sents, year(doc, sents))])


def _occurrences(found: list[Report]) -> list[list[Report]]:
    """Reports of one name that are one happening: each joins the first group that names one of
    its organizers or has a report naming none; one naming none joins the first group."""
    groups: list[list[Report]] = []
    first_naming: dict[str, int] = {}  # organizer -> the first group that names it
    first_unnamed = len(found)  # the first group with a report that names no organizer
    for f in found:
        at = min(first_unnamed, min((first_naming.get(o, len(groups)) for o in f.organizers), default=0))
        if at == len(groups):
            groups.append([])
        groups[at].append(f)
        for o in f.organizers:
            first_naming[o] = min(first_naming.get(o, at), at)
        if not f.organizers:
            first_unnamed = min(first_unnamed, at)
    return groups


def _event(group: list[Report], distinct: bool) -> Event:
    first = group[0]
    name = first.name.strip()
    if distinct and first.organizers:
        # one name, several happenings (each subdistrict's own 文明周): the organizer tells them apart
        name = first.organizers[0].partition("/")[2] + name
    dated = next((f.date for f in group if f.date and (f.date.start or f.date.end)), None) or next(
        (f.date for f in group if f.date), None
    )
    return Event(
        name=name,
        type=first.type,
        date_text=dated.text if dated else None,
        date_start=dated.start if dated else None,
        date_end=dated.end if dated else None,
        date_basis=dated.basis if dated else None,
        location=next((f.location for f in group if f.location), None),
        organizers=tuple(sorted({o for f in group for o in f.organizers})),
        undertakers=tuple(sorted({o for f in group for o in f.undertakers})),
        participants=tuple(sorted({o for f in group for o in f.participants})),
        evidence=first.evidence,
        articles=tuple(sorted({f.article for f in group})),
    )


__all__ = ["Report", "article_reports", "combine", "extract", "norm"]
