"""Japanese text analysis shared by indexing and querying.

One function turns text into *terms*; the same function runs on documents and on queries, so
whatever a resident types meets what staff wrote in the same form. A term is a string with a
one-letter prefix saying what kind of evidence it is (the engine weights them):

=======  =====================================================  ==========================
prefix   meaning                                                 example for 「子ども食堂」
=======  =====================================================  ==========================
``s:``   surface form (NFKC, lower case)                         ``s:子ども`` ``s:食堂``
``n:``   Sudachi normalised form (子ども/子供/こども → 子供)       ``n:子供``
``y:``   reading in hiragana                                     ``y:こども``
``m:``   romaji of the reading (Hepburn, no long marks)          ``m:kodomo``
``g:``   synonym group (staff-editable list, search.Synonym)     ``g:12``
``b:``   reading bigram, for kana typed without word breaks      ``b:こど`` ``b:しょ``
=======  =====================================================  ==========================

Kana-only queries are mis-split by every tokenizer (「いばしょ」 → い/ば/しょ), so a kana chunk
is also matched as a run of reading bigrams against the readings of the indexed text.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sudachipy import dictionary, tokenizer

MODE_C = tokenizer.Tokenizer.SplitMode.C
MODE_A = tokenizer.Tokenizer.SplitMode.A
MODE_B = tokenizer.Tokenizer.SplitMode.B

# Parts of speech that carry no meaning for search (particles, auxiliaries, symbols, spaces).
STOP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
# Content that narrows a query but should not be required to match (verbs like 払え in
# 家賃が払えない, suffixes like 者 in しょうがい者, adverbs).
OPTIONAL_POS = {
    "動詞",
    "形容詞",
    "副詞",
    "接尾辞",
    "接頭辞",
    "連体詞",
    "接続詞",
    "感動詞",
    "代名詞",
}
# Everyday function words residents type that Sudachi tags as content.
STOP_WORDS = {
    "ない",
    "無い",
    "ある",
    "有る",
    "いる",
    "居る",
    "する",
    "為る",
    "なる",
    "成る",
    "こと",
    "事",
    "もの",
    "物",
    "ところ",
    "所",
    "とき",
    "時",
    "ため",
    "為",
    "よう",
    "様",
    "方",
    "たい",
    # Coming, like doing (する) and becoming (なる), tells no listing from another: 「直接
    # 来てください」 asks for 直接 (no booking, just come).
    "来る",
    "くる",
    # A request's politeness (「直接来てください」) is not something to find.
    "下さる",
    "くださる",
    "ください",
    "下さい",
}
TRAILING_PARTICLES = (
    "から",
    "まで",
    "より",
    "の",
    "が",
    "を",
    "に",
    "で",
    "は",
    "へ",
    "と",
    "も",
    "や",
)

MAX_QUERY_CHARS = 200

_KANA_RE = re.compile(r"^[\u3041-\u309F\u30A0-\u30FFー]+$")
_SPACE_RE = re.compile(r"\s+")
_KANJI_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]")
_DASHES = str.maketrans(
    {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "〜": "～", "~": "～"}
)


def normalize(text: str) -> str:
    """NFKC (full/half width), lower case, one kind of dash, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES).lower()
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _SPACE_RE.sub(" ", text).strip()


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch for ch in text)


def is_kana(text: str) -> bool:
    return bool(_KANA_RE.match(text))


@functools.lru_cache(maxsize=1)
def _dictionary() -> dictionary.Dictionary:
    # Loaded once per process and shared: a Dictionary may be used from any thread.
    return dictionary.Dictionary(dict="core")


_per_thread = threading.local()


def _tokenizer() -> tokenizer.Tokenizer:
    """This thread's tokenizer: SudachiPy refuses concurrent use of one (SudachiError, a 500
    under a threaded server). One per thread costs next to nothing (the dictionary is shared)
    and, unlike a lock, never makes a search wait for another (docs/search.md, "Threads").
    """
    found = getattr(_per_thread, "tokenizer", None)
    if found is None:
        found = _per_thread.tokenizer = _dictionary().tokenizer()
    return found


# ---------------------------------------------------------------- romaji ---------------------
_ROMAJI = {
    "あ": "a",
    "い": "i",
    "う": "u",
    "え": "e",
    "お": "o",
    "か": "ka",
    "き": "ki",
    "く": "ku",
    "け": "ke",
    "こ": "ko",
    "さ": "sa",
    "し": "shi",
    "す": "su",
    "せ": "se",
    "そ": "so",
    "た": "ta",
    "ち": "chi",
    "つ": "tsu",
    "て": "te",
    "と": "to",
    "な": "na",
    "に": "ni",
    "ぬ": "nu",
    "ね": "ne",
    "の": "no",
    "は": "ha",
    "ひ": "hi",
    "ふ": "fu",
    "へ": "he",
    "ほ": "ho",
    "ま": "ma",
    "み": "mi",
    "む": "mu",
    "め": "me",
    "も": "mo",
    "や": "ya",
    "ゆ": "yu",
    "よ": "yo",
    "ら": "ra",
    "り": "ri",
    "る": "ru",
    "れ": "re",
    "ろ": "ro",
    "わ": "wa",
    "ゐ": "i",
    "ゑ": "e",
    "を": "o",
    "ん": "n",
    "が": "ga",
    "ぎ": "gi",
    "ぐ": "gu",
    "げ": "ge",
    "ご": "go",
    "ざ": "za",
    "じ": "ji",
    "ず": "zu",
    "ぜ": "ze",
    "ぞ": "zo",
    "だ": "da",
    "ぢ": "ji",
    "づ": "zu",
    "で": "de",
    "ど": "do",
    "ば": "ba",
    "び": "bi",
    "ぶ": "bu",
    "べ": "be",
    "ぼ": "bo",
    "ぱ": "pa",
    "ぴ": "pi",
    "ぷ": "pu",
    "ぺ": "pe",
    "ぽ": "po",
    "ぁ": "a",
    "ぃ": "i",
    "ぅ": "u",
    "ぇ": "e",
    "ぉ": "o",
    "ゔ": "vu",
}
_YOON = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def romaji(kana: str) -> str:
    """Hepburn romaji without long-vowel marks: しょくどう → shokudou, そうだん → soudan."""
    hira = to_hiragana(kana)
    out: list[str] = []
    i = 0
    while i < len(hira):
        ch = hira[i]
        nxt = hira[i + 1] if i + 1 < len(hira) else ""
        if nxt in _YOON and ch in _ROMAJI:
            base = _ROMAJI[ch]
            # き+ゃ → kya, し+ゃ → sha, ち+ゃ → cha, じ+ゃ → ja
            stem = base[:-1] if base.endswith("i") else base
            if stem in ("sh", "ch", "j"):
                out.append(stem + _YOON[nxt])
            else:
                out.append(stem + "y" + _YOON[nxt])
            i += 2
            continue
        if ch == "っ" and nxt:
            following = romaji(nxt)
            out.append(following[:1] if following[:1] not in "aiueon" else "")
            i += 1
            continue
        if ch == "ー":
            i += 1
            continue
        out.append(_ROMAJI.get(ch, ch))
        i += 1
    return "".join(out)


# Token.terms has a parameter named romaji.
_romaji = romaji


def romaji_variants(text: str) -> set[str]:
    """Folds long vowels so kodomo shokudo, shokudou and shokudō all meet."""
    base = normalize(text).replace("ō", "o").replace("ū", "u").replace(" ", "")
    folded = base.replace("ou", "o").replace("oo", "o").replace("uu", "u")
    return {base, folded}


# ---------------------------------------------------------------- synonyms -------------------
@dataclass(frozen=True, eq=False)
class SynonymTable:
    """Maps a normalised form or reading to the ids of the synonym groups it belongs to.

    Compared and hashed by identity, so analysis results can be memoised per table.
    """

    groups: dict[str, frozenset[int]] = field(default_factory=dict)
    # Every prefix of every key: a phrase lookup stops as soon as no key starts that way.
    prefixes: frozenset[str] = frozenset()
    # Entries whose meaning needs their function words (「地域の方」, 「お金がない」): found in a
    # document only as written (see ``word_keys``).
    literal: dict[str, frozenset[int]] = field(default_factory=dict)

    def lookup(self, *keys: str) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found |= self.groups.get(key, frozenset())
        return found

    @classmethod
    def build(cls, groups: Iterable[tuple[int, Iterable[str]]]) -> SynonymTable:
        table: dict[str, set[int]] = {}
        literal: dict[str, set[int]] = {}
        for group_id, words in groups:
            for word in words:
                for key in word_keys(word):
                    table.setdefault(key, set()).add(group_id)
                if _needs_function_words(word):
                    literal.setdefault(normalize(word), set()).add(group_id)
        prefixes = frozenset(key[:i] for key in table for i in range(1, len(key) + 1))
        return cls(
            {k: frozenset(v) for k, v in table.items()},
            prefixes,
            {k: frozenset(v) for k, v in literal.items()},
        )


@functools.lru_cache(maxsize=10_000)
def _needs_function_words(word: str) -> bool:
    """Particles and symbols may be left out of a synonym entry, but not a word that carries
    meaning: 「地域の方」 without 方 is 地域, which every 地域食堂 says, and 「お金がない」
    without ない is お金 — an entry like that is known only as written."""
    every = _tokenizer().tokenize(normalize(word), MODE_C)
    return any(_is_stop(m) and m.part_of_speech()[0] not in STOP_POS for m in every)


def word_keys(word: str) -> set[str]:
    """The keys a synonym entry is known by: its normalised forms and its reading."""
    word = normalize(word)
    if not word:
        return set()
    morphemes = [m for m in _tokenizer().tokenize(word, MODE_C) if not _is_stop(m)]
    # 「food pantry」 is also known as typed without the space (see english_chunks).
    keys = {word, to_hiragana(word), word.replace(" ", "")}
    if morphemes and not _needs_function_words(word):
        keys.add("".join(m.normalized_form() for m in morphemes).lower())
        keys.add(to_hiragana("".join(m.reading_form() for m in morphemes)))
    return {k for k in keys if k}


# ---------------------------------------------------------------- tokens ---------------------
@dataclass(frozen=True)
class Token:
    surface: str
    normalized: str
    reading: str
    pos: str
    required: bool
    # A short unit inside a compound (法人 in NPO法人): indexed, never asked for on its own.
    sub_unit: bool = False
    # A compound's parts (保護者同伴 → 保護者, 同伴): a query asks for the compound or for all
    # of its parts, so 「保護者同伴」 also finds 「同伴の保護者」.
    parts: tuple[Token, ...] = ()
    # A short unit of a proper name (寺 in 深大寺, 高円寺): found as written, but it does not
    # mean what its synonyms mean — 深大寺 is a place, not a temple.
    in_name: bool = False

    def terms(
        self, synonyms: SynonymTable | None = None, *, readings: bool = True, romaji: bool = True
    ) -> frozenset[str]:
        """The terms of this token (``romaji=False`` for long text keeps the index small).

        The surface is stored only where it differs from the normalised form: a query's ``s:``
        alternative then ranks an exact spelling above a variant without doubling the index.
        Memoised: a rebuild meets the same words thousands of times.
        """
        return _token_terms(self, synonyms, readings, romaji)

    def query_terms(self, synonyms: SynonymTable | None = None) -> set[str]:
        # A word typed with kanji is matched by its spelling and normalised form; its reading
        # and romaji would only rescan the postings of the same listings (子ども → 子供 already
        # meets こども and コドモ), so they are asked for only when the word has no kanji.
        spelled = _KANJI_RE.search(self.surface) is not None
        return self.terms(synonyms, readings=not spelled, romaji=not spelled) | {
            f"s:{self.surface}"
        }


@functools.lru_cache(maxsize=200_000)
def _token_terms(
    token: Token, synonyms: SynonymTable | None, readings: bool, romaji: bool
) -> frozenset[str]:
    terms = {f"n:{token.normalized}"}
    if token.surface != token.normalized:
        terms.add(f"s:{token.surface}")
    if readings and token.reading and len(token.reading) >= 2:
        terms.add(f"y:{token.reading}")
    if romaji and token.reading and len(token.reading) >= 2:
        for variant in romaji_variants(_romaji(token.reading)):
            if len(variant) >= 2:
                terms.add(f"m:{variant}")
    if romaji and token.surface.isascii():
        for variant in romaji_variants(token.surface):
            terms.add(f"m:{variant}")
    if synonyms and not token.in_name:
        for group in synonyms.lookup(token.surface, token.normalized, token.reading):
            terms.add(f"g:{group}")
    return frozenset(terms)


def _is_stop(m) -> bool:
    pos = m.part_of_speech()[0]
    return pos in STOP_POS or m.normalized_form() in STOP_WORDS or m.surface() in STOP_WORDS


def _reading(m) -> str:
    reading = m.reading_form()
    # Sudachi reads unknown Latin and symbols as キゴウ; keep the surface for those.
    if reading == "キゴウ" or not reading:
        return ""
    return to_hiragana(reading)


def tokenize(text: str) -> list[Token]:
    """Content tokens of ``text``, compounds also split into their short units."""
    return analyse(text)[0]


def place_names_in(text: str) -> list[str]:
    """The words of ``text`` the dictionary knows as place names (「…そんぽの家ひばりが丘」 →
    ひばりが丘)."""
    text = normalize(text)
    if not text:
        return []
    return [
        m.surface()
        for m in _tokenizer().tokenize(text, MODE_C)
        if m.part_of_speech()[1:3] == ("固有名詞", "地名")
    ]


def reading_of(text: str) -> str:
    """The hiragana reading of the whole text (stop words kept, so kana runs stay whole)."""
    return analyse(text)[1]


def analyse(text: str) -> tuple[list[Token], str]:
    """One tokenizer pass giving both the content tokens and the whole reading."""
    text = normalize(text)
    if not text:
        return [], ""
    tokens: list[Token] = []
    reading: list[str] = []
    after_name = False
    for m in _tokenizer().tokenize(text, MODE_C):
        piece, content = _morpheme(m)
        reading.append(piece)
        pos = m.part_of_speech()
        if after_name and pos[0] == "接尾辞":
            # 深大 + 寺: a suffix of a proper name is part of the name, not a temple.
            content = tuple(dataclasses.replace(t, in_name=True) for t in content)
        after_name = pos[1] == "固有名詞"
        tokens.extend(content)
    return tokens, "".join(reading)


# What a dictionary word contributes, by (surface, word id): the same words recur in every
# listing, and working out their readings and short units was most of a rebuild's time.
_MORPHEMES: dict[tuple[str, int], tuple[str, tuple[Token, ...]]] = {}
_MORPHEMES_MAX = 200_000


def _morpheme(m) -> tuple[str, tuple[Token, ...]]:
    """(its piece of the whole reading, its content tokens: itself and its short units)."""
    key = (m.surface(), m.word_id())
    found = _MORPHEMES.get(key)
    if found is not None:
        return found
    pos = m.part_of_speech()[0]
    piece = " " if pos in {"空白", "補助記号"} else (_reading(m) or m.surface().lower())
    content: list[Token] = []
    if not _is_stop(m):
        short_units = [p for p in m.split(MODE_A) if not _is_stop(p)]
        middle_units = [p for p in m.split(MODE_B) if not _is_stop(p)]
        # The parts a query may match instead of the compound: the middle units when the
        # compound has more than one (ひとり親 + 世帯), else the short ones — words only, not
        # affixes (お寺 is not お + 寺; 未就学児 is not just 就学).
        chosen = middle_units if len(middle_units) > 1 else short_units
        words = [p for p in chosen if p.part_of_speech()[0] not in AFFIX_POS]
        if len(short_units) > 1 and len(words) > 1:
            parts = tuple(_token(p, required=True, sub_unit=True) for p in words)
        else:
            parts = ()
        content.append(_token(m, required=pos not in OPTIONAL_POS, parts=parts))
        proper = m.part_of_speech()[1] == "固有名詞"
        if len(short_units) > 1:
            content.extend(
                _token(part, required=False, sub_unit=True, in_name=proper) for part in short_units
            )
            # Middle units too: 「ひとり親世帯」 is ひとり親 + 世帯 before it is ひとり + 親 + 世帯,
            # and a resident searching ひとり親 means the middle unit.
            short = {part.surface() for part in short_units}
            content.extend(
                _token(part, required=False, sub_unit=True, in_name=proper)
                for part in middle_units
                if part.surface() not in short and part.surface() != m.surface()
            )
    found = (piece, tuple(content))
    if len(_MORPHEMES) >= _MORPHEMES_MAX:
        _MORPHEMES.clear()
    _MORPHEMES[key] = found
    return found


def _token(
    m, *, required: bool, sub_unit: bool = False, parts: tuple = (), in_name: bool = False
) -> Token:
    return Token(
        surface=m.surface().lower(),
        normalized=m.normalized_form().lower(),
        reading=_reading(m),
        pos=m.part_of_speech()[0],
        required=required,
        sub_unit=sub_unit,
        parts=parts,
        in_name=in_name,
    )


def bigrams(text: str) -> set[str]:
    chunks = [c for c in text.split(" ") if c]
    grams: set[str] = set()
    for chunk in chunks:
        if len(chunk) == 1:
            grams.add(chunk)
        grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return grams


MAX_PHRASE_TOKENS = 4


def phrase_synonyms(tokens: list[Token], synonyms: SynonymTable) -> set[int]:
    """Groups of synonym entries spanning several tokens (生活困窮 = 生活 + 困窮)."""
    found: set[int] = set()
    for groups in phrase_synonyms_by_token(tokens, synonyms).values():
        found |= groups
    return found


def phrase_synonyms_by_token(tokens: list[Token], synonyms: SynonymTable) -> dict[int, set[int]]:
    """For each token position, the groups of the multi-token entries that cover it."""
    covering: dict[int, set[int]] = {}
    for start in range(len(tokens)):
        surface = normalized = reading = ""
        for end in range(start, min(start + MAX_PHRASE_TOKENS, len(tokens))):
            token = tokens[end]
            surface += token.surface
            normalized += token.normalized
            reading += token.reading
            prefixes = synonyms.prefixes
            if surface not in prefixes and normalized not in prefixes and reading not in prefixes:
                break
            if end == start:
                continue  # single tokens are looked up in Token.terms
            groups = synonyms.lookup(surface, normalized, reading)
            for position in range(start, end + 1):
                covering.setdefault(position, set()).update(groups)
    return covering


# ---------------------------------------------------------------- documents ------------------
def document_terms(
    text: str, synonyms: SynonymTable | None = None, *, short: bool = True
) -> set[str]:
    """Every term a piece of indexed text is findable by.

    Romaji and reading bigrams are for short fields (names, labels, keywords): in a long
    description the bigrams of a kana query would be found scattered, matching by accident,
    and both would multiply the index for little gain. Readings are kept everywhere, so
    「ほうかご」 finds 放課後 written only in a description.
    """
    terms: set[str] = set()
    tokens, reading = analyse(text)
    for token in tokens:
        terms |= token.terms(synonyms, romaji=short)
    # A word with its prefix, as one term (多 + 世代 → 多世代): a query 「多世代」 asks for that,
    # not for every 世代 (see _chunk_groups).
    main = [t for t in tokens if not t.sub_unit]
    for before, word in itertools.pairwise(main):
        if before.pos == "接頭辞" and word.pos not in AFFIX_POS:
            terms |= {
                f"n:{before.normalized}{word.normalized}",
                f"s:{before.surface}{word.surface}",
            }
    if synonyms:
        terms |= {
            f"g:{g}" for g in phrase_synonyms([t for t in tokens if not t.sub_unit], synonyms)
        }
        if synonyms.literal:
            written = normalize(text)
            for phrase, groups in synonyms.literal.items():
                if phrase in written:
                    terms |= {f"g:{g}" for g in groups}
    if short:
        terms |= {f"b:{g}" for g in bigrams(reading)}
    return terms


# ---------------------------------------------------------------- queries --------------------
@dataclass(frozen=True)
class QueryGroup:
    """One thing the resident asked for: any of ``terms`` satisfies it.

    ``reading_run`` holds the bigrams of a kana chunk: all of them present is another way to
    satisfy the group. ``required`` groups must all match; optional ones only raise the score.
    """

    text: str
    terms: frozenset[str]
    required: bool
    reading_run: frozenset[str] = frozenset()
    chunk: str = ""  # the space-separated word of the query this group came from
    place: bool = False  # a place name the index knows (search.places): never relaxed away
    # A compound's parts, each a set of alternative terms: all of them present is another way
    # to satisfy the group (保護者同伴 ← 同伴の保護者).
    parts: tuple[frozenset[str], ...] = ()
    # A station typed as one (国領駅): the town it is named after, whose listings and those
    # near them are the answer (search.embedded); "" otherwise.
    station: str = ""


@dataclass(frozen=True)
class AnalyzedQuery:
    text: str
    groups: tuple[QueryGroup, ...]

    @property
    def required_groups(self) -> tuple[QueryGroup, ...]:
        return tuple(g for g in self.groups if g.required)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def all_terms(self) -> set[str]:
        terms: set[str] = set()
        for group in self.groups:
            terms |= group.terms | {f"b:{b}" for b in group.reading_run}
            for part in group.parts:
                terms |= part
        return terms


def _is_trailing_function_word(m) -> bool:
    """Particles, auxiliaries and する/ない-like words that end a phrase (〜がない, 〜したい)."""
    pos = m.part_of_speech()
    return pos[1] in SPLITTING_PARTICLES or pos[0] == "助動詞" or m.normalized_form() in STOP_WORDS


def strip_trailing_particles(chunk: str) -> str:
    """「こどもの」 → 「こども」: drop particles the tokenizer finds at the end of a kana chunk."""
    morphemes = list(_tokenizer().tokenize(chunk, MODE_C))
    while len(morphemes) > 1 and _is_trailing_function_word(morphemes[-1]):
        rest = sum(len(m.surface()) for m in morphemes[:-1])
        if rest < 2:
            break
        morphemes.pop()
    return "".join(m.surface() for m in morphemes)


def analyze_query(text: str, synonyms: SynonymTable | None = None) -> AnalyzedQuery:
    """Turn what a resident typed into groups of alternative terms (see ``QueryGroup``).

    Operators and quotes mean nothing here: every character is text, so no input is a syntax
    error. Long input is cut to ``MAX_QUERY_CHARS``.
    """
    text = normalize(text)[:MAX_QUERY_CHARS]
    groups: list[QueryGroup] = []
    for chunk in english_chunks(text.split(" "), synonyms):
        groups.extend(dataclasses.replace(g, chunk=chunk) for g in _chunk_groups(chunk, synonyms))
    if groups and not any(g.required for g in groups):
        # Only optional words (e.g. 「食べたい」): require at least those, or nothing matches.
        groups = [dataclasses.replace(g, required=True) for g in groups]
    return AnalyzedQuery(text, tuple(_dedupe(groups)))


# English words that only glue a query together (「near Kamata station」, 「homework help」).
ENGLISH_STOP_WORDS = {
    "a", "an", "the", "in", "at", "on", "of", "for", "with", "by", "near", "around", "station",
    "help", "please", "and", "or", "to",
}  # fmt: skip
MAX_PHRASE_WORDS = 3


def english_chunks(chunks: list[str], synonyms: SynonymTable | None) -> list[str]:
    """English words typed with spaces: a phrase the synonym list knows (「food bank」) is one
    chunk, and glue words are dropped when something else is left."""
    out: list[str] = []
    i = 0
    while i < len(chunks):
        for n in range(min(MAX_PHRASE_WORDS, len(chunks) - i), 1, -1):
            words = chunks[i : i + n]
            english = synonyms and all(w.isascii() and w.isalpha() for w in words)
            if english and synonyms.lookup(*word_keys(" ".join(words))):
                out.append("".join(words))
                i += n
                break
        else:
            out.append(chunks[i])
            i += 1
    kept = [c for c in out if not (c.isascii() and c in ENGLISH_STOP_WORDS)]
    return kept or out


def _chunk_groups(chunk: str, synonyms: SynonymTable | None) -> list[QueryGroup]:
    main = [t for t in tokenize(chunk) if not t.sub_unit]
    if not main:
        return []  # only particles or symbols
    whole_synonyms = synonyms.lookup(*word_keys(chunk)) if synonyms else set()
    if is_kana(chunk):
        parts = split_kana_at_particles(chunk)
        if len(parts) > 1:
            # 「ぼらんてぃあをしたい」 is two things asked for, not one reading to match whole.
            return [g for part in parts for g in _chunk_groups(part, synonyms)]
        run = to_hiragana(strip_trailing_particles(chunk))
        grams = frozenset(bigrams(run))
        terms: set[str] = {f"y:{run}"} | {f"g:{g}" for g in whole_synonyms}
        for g in synonyms.lookup(run) if synonyms else ():
            terms.add(f"g:{g}")
        words = [t for t in main if t.required]
        if len(words) == 1 and len(words[0].surface) >= len(run) - 1:
            # The tokenizer read the chunk as one word (そうだん → 相談): trust it.
            terms |= words[0].query_terms(synonyms)
        # A kana chunk is one thing asked for, whatever the tokenizer made of it.
        return [QueryGroup(chunk, frozenset(terms), True, grams)]

    # A synonym entry spanning several words (「生活困窮」) widens the words it covers to
    # its group, so 「地域食堂」 satisfies both 子ども and 食堂 of 「子ども食堂」; one
    # matching the whole chunk widens every word.
    covering = phrase_synonyms_by_token(main, synonyms) if synonyms and len(main) > 1 else {}
    groups: list[QueryGroup] = []
    for position, word in _attach_affixes(main):
        extra = {f"g:{g}" for g in whole_synonyms | covering.get(position, set())}
        affixed = _affix_terms(main, position)
        before = main[position - 1] if position > 0 else None
        if before is not None and before.pos == "接頭辞" and before.surface not in HONORIFICS:
            # 多世代, 未登録, 非営利: the prefix changes the meaning, so the word without it
            # (世代) is not what was asked for. An honorific (お店, ご飯) changes nothing.
            terms = {t for t in affixed if t.startswith(("n:", "s:"))} | extra
            terms |= {f"n:{before.normalized}{word.normalized}"}
        else:
            terms = word.query_terms(synonyms) | extra | affixed
        parts = tuple(frozenset(part.query_terms(synonyms)) for part in word.parts)
        groups.append(QueryGroup(word.surface, frozenset(terms), word.required, parts=parts))
    return groups


HONORIFICS = {"お", "ご", "御"}


AFFIX_POS = {"接尾辞", "接頭辞"}


def _attach_affixes(tokens: list[Token]) -> list[tuple[int, Token]]:
    """The words of a chunk without their affixes (者 in しょうがい者, お in お年寄り).

    An affix on its own would be an extra word to match (高齢者 has 者 too); it is folded into
    its neighbour as a compound alternative instead (see ``_affix_terms``).
    """
    words = [(i, t) for i, t in enumerate(tokens) if t.pos not in AFFIX_POS]
    return words or list(enumerate(tokens))


def _affix_terms(tokens: list[Token], position: int) -> set[str]:
    word = tokens[position]
    before = tokens[position - 1] if position > 0 else None
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    prefix = before.normalized if before and before.pos == "接頭辞" else ""
    suffix = after.normalized if after and after.pos == "接尾辞" else ""
    if not (prefix or suffix):
        return set()
    surface_prefix = before.surface if prefix else ""
    surface_suffix = after.surface if suffix else ""
    return {
        f"n:{prefix}{word.normalized}{suffix}",
        f"s:{surface_prefix}{word.surface}{surface_suffix}",
    }


# Case and binding particles (の, を, が, は, も …) join two things; 接続助詞 like て, ば are
# more often a mis-split inside one kana word (いばしょ → い/ば/しょ).
SPLITTING_PARTICLES = {"格助詞", "係助詞"}


def split_kana_at_particles(chunk: str) -> list[str]:
    """Split a kana chunk at particles that leave at least two characters on each side."""
    morphemes = list(_tokenizer().tokenize(chunk, MODE_C))
    parts: list[str] = []
    current = ""
    for index, m in enumerate(morphemes):
        rest = "".join(x.surface() for x in morphemes[index + 1 :])
        if m.part_of_speech()[1] in SPLITTING_PARTICLES and len(current) >= 2 and len(rest) >= 2:
            parts.append(current)
            current = ""
            continue
        current += m.surface()
    parts.append(current)
    return [p for p in parts if p]


def _dedupe(groups: list[QueryGroup]) -> list[QueryGroup]:
    seen: set[frozenset[str]] = set()
    unique = []
    for group in groups:
        if group.terms in seen:
            continue
        seen.add(group.terms)
        unique.append(group)
    return unique
