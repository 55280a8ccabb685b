"""Does what a resident typed signal danger to life or violence? Which lines fit?

The trigger words are staff-edited (``consult.models.CrisisCategory.triggers``); the matching
is general and uses the same Japanese analysis as search (Sudachi, ``search.analysis``):

- a trigger word matches when its **lemmas** (dictionary forms, normalised: 死に/しに/死ぬ →
  死ぬ) appear in the same order, next to each other, among the query's lemmas (particles
  ignored). So 死にたい also matches 死にたくなる, 毎晩死にたくなる, しにたいです; and a word
  inside a compound does not (叩く is not in 叩き売り or 肩たたき; 死ぬ is not in 死亡届);
- or when its **reading** occurs in the query's reading at word boundaries (kana typed
  without word breaks: じさつしたい, りすか, おっとにたたかれる);
- ``A＋B`` needs every part somewhere in the query (夫＋殴る; 子ども＋叩く but not 和太鼓をたたく);
  ``A／B`` inside a part is either word (夫／彼氏＋殴る／叩く);
- the query is also tried with katakana read as hiragana (シニタイ), small vowels made full
  (死にたぃ), and the common net spellings of 死 (タヒ, 氏, 4 before に/ね);
- English words also match their plain form (hits → hit, collapsed → collapse).

Compiled trigger words are cached per process; the categories and lines are read through
``consult.selectors.crisis_categories`` (cached, invalidated when staff save).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from search.analysis import MODE_C, normalize, to_hiragana
from search.analysis import _tokenizer as tokenizer  # the per-thread Sudachi tokenizer

# Parts of speech left out of the lemma sequence: particles, punctuation, spaces.
SKIP_POS = {"助詞", "補助記号", "空白", "記号"}
SMALL_VOWELS = str.maketrans("ぁぃぅぇぉァィゥェォ", "あいうえおアイウエオ")
# Net spellings of 死 (タヒ looks like 死; 氏 and 4 read し) before に/ね (死に…, 死ね).
NET_SHI = re.compile(r"(?<![0-9])(?:タヒ|たひ|氏|4)(?=に[たそまぞ]|ね(?!ん))")
_LATIN = re.compile(r"^[a-z]+$")
_KANA_TEXT = re.compile(r"^[\u3041-\u309f\u30a0-\u30ffー ]+$")


@dataclass(frozen=True)
class Analysed:
    """One form of a text: its lemma keys per unit and its reading with word boundaries."""

    units: tuple[frozenset[str], ...]
    reading: str
    boundaries: frozenset[int]
    # All kana: the tokenizer often splits such text wrongly (じしょうこうい → じ/しょうこう/い),
    # so a reading match then needs only to start at a word boundary.
    kana_only: bool = False


def _english_forms(word: str) -> set[str]:
    forms = {word}
    if len(word) > 3:
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
        if word.endswith("es"):
            forms.add(word[:-2])
        if word.endswith("s") and not word.endswith("ss"):
            forms.add(word[:-1])
        if word.endswith("ed"):
            forms |= {word[:-2], word[:-1]}
            if len(word) > 4 and word[-3] == word[-4]:
                forms.add(word[:-3])  # stopped → stop
        if word.endswith("ing"):
            forms |= {word[:-3], word[:-3] + "e"}
    return forms


@functools.lru_cache(maxsize=20_000)
def analyse(text: str) -> Analysed:
    units: list[frozenset[str]] = []
    reading = ""
    boundaries = {0}
    for m in tokenizer().tokenize(text, MODE_C):
        pos = m.part_of_speech()[0]
        surface = m.surface().lower()
        if pos in {"空白"} or not surface.strip():
            continue
        piece = to_hiragana(m.reading_form()) if m.reading_form() not in ("", "キゴウ") else ""
        piece = piece or to_hiragana(surface)
        reading += piece
        boundaries.add(len(reading))
        if pos in SKIP_POS:
            continue
        keys = {m.normalized_form().lower(), to_hiragana(m.dictionary_form().lower())}
        if _LATIN.match(surface):
            keys |= _english_forms(surface)
        units.append(frozenset(keys))
    kana_only = bool(_KANA_TEXT.match(text))
    return Analysed(tuple(units), reading, frozenset(boundaries), kana_only)


def variants(text: str) -> list[str]:
    """The forms a query is tried in (see the module docstring)."""
    base = normalize(text)
    found = [base]
    for form in (
        to_hiragana(base),
        base.translate(SMALL_VOWELS),
        to_hiragana(base).translate(SMALL_VOWELS),
    ):
        for candidate in (form, NET_SHI.sub("死", form)):
            if candidate not in found:
                found.append(candidate)
    base_shi = NET_SHI.sub("死", base)
    if base_shi not in found:
        found.append(base_shi)
    return found


@dataclass(frozen=True)
class Word:
    units: tuple[frozenset[str], ...]
    reading: str
    kana: bool = False  # written in kana: its reading is its spelling


@functools.lru_cache(maxsize=20_000)
def compile_word(word: str) -> Word:
    """A trigger word's lemmas and reading. A one-word inflected trigger (死のう, 死ね) keeps
    only its reading: its lemma alone (死ぬ) would match every form of the verb."""
    text = normalize(word)
    analysed = analyse(text)
    units = analysed.units
    if len(units) == 1 and not _is_dictionary_form(text):
        units = ()
    return Word(units, to_hiragana(analysed.reading), bool(_KANA_TEXT.match(text)))


def _is_dictionary_form(text: str) -> bool:
    morphemes = [
        m for m in tokenizer().tokenize(text, MODE_C) if m.part_of_speech()[0] not in SKIP_POS
    ]
    if len(morphemes) != 1:
        return True
    return morphemes[0].surface().lower() == morphemes[0].dictionary_form().lower()


def _lemmas_match(word: Word, query: Analysed) -> bool:
    n = len(word.units)
    if not n:
        return False
    units = query.units
    for start in range(len(units) - n + 1):
        if all(word.units[i] & units[start + i] for i in range(n)):
            return True
    return False


def _reading_match(word: Word, query: Analysed) -> bool:
    reading = word.reading
    # A short reading of a word written in kanji meets too many homophones (吊る / つる).
    shortest = 2 if word.kana and not query.kana_only else 3
    if len(reading) < shortest:
        return False
    start = query.reading.find(reading)
    while start != -1:
        end = start + len(reading)
        if start in query.boundaries and (query.kana_only or end in query.boundaries):
            return True
        start = query.reading.find(reading, start + 1)
    return False


def word_matches(word: str, forms: Sequence[Analysed]) -> bool:
    compiled = compile_word(word)
    return any(_lemmas_match(compiled, f) or _reading_match(compiled, f) for f in forms)


def trigger_matches(trigger: str, forms: Sequence[Analysed]) -> bool:
    """``trigger``: one line of the staff's list: parts joined by ＋ (all must match), each
    part words joined by ／ (any may match)."""
    parts = [p.strip() for p in normalize(trigger).split("+") if p.strip()]
    return bool(parts) and all(
        any(word_matches(w.strip(), forms) for w in part.split("/") if w.strip()) for part in parts
    )


@dataclass
class CrisisLineView:
    name: str
    number: str
    tel: str
    hours: str
    description: str
    url: str
    sort_order: int


@dataclass
class CrisisCategoryView:
    code: str
    name: str
    message: str
    triggers: tuple[str, ...]
    lines: tuple[CrisisLineView, ...]
    local_window_note: str = ""


@dataclass
class CrisisMatch:
    categories: list[CrisisCategoryView] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.categories)

    @property
    def lines(self) -> list[CrisisLineView]:
        """Every fitting line once, the most urgent first (staff's order: 110/119 first)."""
        seen: dict[str, CrisisLineView] = {}
        for category in self.categories:
            for line in category.lines:
                seen.setdefault(line.name, line)
        return sorted(seen.values(), key=lambda line: line.sort_order)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.categories]

    def as_dict(self) -> dict:
        """The API's ``crisis`` object (OpenAPI ``Crisis``)."""
        return {
            "categories": [
                {"code": c.code, "name": c.name, "message": c.message} for c in self.categories
            ],
            "lines": [
                {
                    "name": line.name,
                    "number": line.number,
                    "tel": f"tel:{line.tel}",
                    "hours": line.hours,
                    "description": line.description,
                    "url": line.url or None,
                }
                for line in self.lines
            ],
            "local_windows": self.local_window_notes,
        }

    @property
    def local_window_notes(self) -> list[str]:
        notes = (c.local_window_note for c in self.categories if c.local_window_note)
        return list(dict.fromkeys(notes))


def match(text: str, categories: Iterable[CrisisCategoryView]) -> CrisisMatch:
    """The categories whose trigger words ``text`` contains (in the staff's order)."""
    found = CrisisMatch()
    if not text or not text.strip():
        return found
    forms = [analyse(v) for v in variants(text) if v]
    for category in categories:
        if any(trigger_matches(t, forms) for t in category.triggers):
            found.categories.append(category)
    return found
