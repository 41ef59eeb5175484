"""The data files under ontology/ that recognition and resolution read, loaded once.

Gazetteer of administrative divisions, suffix lexicon, left-boundary words, person cues,
look-alike characters and agency abbreviations: each file documents itself in its header.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import LexiconError
from .model import ENTITY_TYPES

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def _rows(name: str, columns: int) -> list[list[str]]:
    """Tab-separated rows of an ontology file, comments and blank lines skipped, padded."""
    path = ONTOLOGY / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon (无法读取词表): {exc.strerror}; restore it from git") from None
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


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Division]:
    """Canonical name -> division."""
    out = {}
    for name, type_, level, parent, short, *_ in _rows("gazetteer.tsv", 5):
        if type_ not in ("AdminArea", "Subdistrict"):
            raise LexiconError(f"{ONTOLOGY / 'gazetteer.tsv'}: {name}: type {type_!r} is not AdminArea or Subdistrict")
        out[name] = Division(name, type_, level, parent, tuple(s for s in short.split(",") if s))
    return out


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
            raise LexiconError(f"{ONTOLOGY / 'suffixes.tsv'}: {text}: type {type_!r} is not one of {', '.join(ENTITY_TYPES)}")
        out[text] = Suffix(text, type_, frozenset(flags.split()))
    return out


@dataclass(frozen=True)
class Boundaries:
    stop: frozenset[str]  # words that end a name on its left
    generic: frozenset[str]  # modifiers that alone make no name
    keep: frozenset[str]  # verbs that do stand inside names of bodies


@lru_cache(maxsize=1)
def boundaries() -> Boundaries:
    rows = _rows("boundaries.tsv", 2)

    def kind(k: str) -> frozenset[str]:
        return frozenset(w for w, kk, *_ in rows if kk == k)

    return Boundaries(kind("stop"), kind("generic"), kind("keep"))


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


def boundary_words() -> list[str]:
    """Multi-character boundary words: jieba must see each as one word for it to end a name
    (北延 in 西环路北延五里店桥); they are added only where its dictionary lacks them."""
    return sorted(w for w in boundaries().stop if len(w) > 1)


def user_words() -> list[tuple[str, str]]:
    """(word, part-of-speech tag) pairs for jieba's user dictionary: every division form and
    every multi-character suffix, so 西谷庄村 is never cut as 西谷/庄村 at a division boundary
    and 平城区 stays one word."""
    words = [(form, "ns") for form in division_forms()]
    words += [(s, "n") for s in suffixes() if len(s) > 1]
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
