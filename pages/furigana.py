"""Furigana (ruby) per word, from the same Sudachi analysis the search uses.

Each morpheme (split mode C: a whole word such as 子ども食堂 stays one word) that contains kanji
gets its reading, in hiragana, over its kanji only: the kana of the word (送り仮名, and kana
inside it) is matched against the reading and left bare, so 食べる is 食(た)べる and 取り扱い is
取(と)り扱(あつか)い. Kana, katakana, Latin letters, digits and symbols get nothing. When the
kana of a word cannot be lined up with its reading, the whole word carries the whole reading,
never a guess that splits it wrongly.

Markup: ``<ruby><rb>食</rb><rp>（</rp><rt aria-hidden="true">た</rt><rp>）</rp></ruby>``. The
reading is hidden from screen readers (they pronounce the kanji themselves; reading both would
say every word twice) and the parentheses show only where a browser cannot lay out ruby.

Rendered output is cached per text (``functools.lru_cache``): the same descriptions and titles
are shown again and again, and analysing them is the costly part. The tokenizer is per-thread
(``search.analysis._tokenizer``), so rendering from several threads is safe.
"""

from __future__ import annotations

import functools
import re
from html import escape
from html.parser import HTMLParser

from search.analysis import MODE_A, MODE_C, _tokenizer, to_hiragana

# Kanji, the iteration mark 々 and the small ヶ of 霞ヶ関 / 一ヶ月 (read が / か, part of the word).
_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_KANJI_RE = re.compile(f"[{_KANJI}]")
_RUNS_RE = re.compile(f"[{_KANJI}]+|[^{_KANJI}]+")
# A word gets a reading only if it has a real kanji (not ヶ alone, which Sudachi may cut off).
_REAL_KANJI_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A kanji compound this long (社会福祉協議会, an address) is read in its short units.
_LONG_COMPOUND = 5
_HIRAGANA_RE = re.compile(r"^[\u3041-\u309fー]+$")

# Sudachi analyses at most this many bytes at once; longer text is split at line ends.
_CHUNK = 4000


def _pairs(surface: str, reading: str) -> list[tuple[str, str]] | None:
    """(text, reading) pieces of one word; the reading is "" for pieces shown without ruby.
    None when the word's kana cannot be lined up with its reading."""
    reading = to_hiragana(reading or "")
    if not _REAL_KANJI_RE.search(surface) or not reading or not _HIRAGANA_RE.match(reading):
        return [(surface, "")]
    runs = _RUNS_RE.findall(surface)
    if len(runs) == 1:
        return [(surface, reading)]
    # Kana runs are literals to match in the reading; each kanji run takes what lies between.
    pattern = "".join(
        "(.+?)" if _KANJI_RE.match(run) else re.escape(to_hiragana(run)) for run in runs
    )
    found = re.fullmatch(pattern, reading)
    if not found:
        return None
    pieces: list[tuple[str, str]] = []
    groups = iter(found.groups())
    for run in runs:
        pieces.append((run, next(groups)) if _KANJI_RE.match(run) else (run, ""))
    return pieces


def word_readings(text: str) -> list[tuple[str, str]]:
    """``text`` as (text, reading) pieces, in order; joining the texts gives ``text`` back."""
    pieces: list[tuple[str, str]] = []
    for chunk in _chunks(text):
        if not _KANJI_RE.search(chunk):
            pieces.append((chunk, ""))
            continue
        for m in _tokenizer().tokenize(chunk, MODE_C):
            pieces.extend(_word(m))
    return pieces


def _word(m) -> list[tuple[str, str]]:
    """A word's pieces; a compound whose kana does not line up (NPO法人: the reading spells out
    the letters) is taken in its short units (NPO / 法人), and only a unit that still does not
    line up carries its whole reading. A long kanji compound (社会福祉協議会, an address) is read
    in its units too (社会・福祉・協議・会), so no reading stretches over a whole phrase."""
    found = _pairs(m.surface(), m.reading_form())
    if found is not None and not any(r and len(t) >= _LONG_COMPOUND for t, r in found):
        return found
    units = m.split(MODE_A)
    if found is not None:
        # A long compound: its dictionary units, when their readings make up the word's.
        parts = [_pairs(u.surface(), u.reading_form()) for u in units]
        if (
            len(units) > 1
            and all(parts)
            and "".join(to_hiragana(u.reading_form()) for u in units)
            == to_hiragana(m.reading_form())
        ):
            return [piece for part in parts for piece in part]
        return found
    if len(units) > 1:
        pieces: list[tuple[str, str]] = []
        for unit in units:
            pieces.extend(
                _pairs(unit.surface(), unit.reading_form())
                or [(unit.surface(), to_hiragana(unit.reading_form()))]
            )
        return pieces
    return [(m.surface(), to_hiragana(m.reading_form()))]


def _chunks(text: str) -> list[str]:
    if len(text.encode()) <= _CHUNK:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > _CHUNK:
            head, line = line[: _CHUNK // 3], line[_CHUNK // 3 :]
            chunks.extend([current, head] if current else [head])
            current = ""
        if len((current + line).encode()) > _CHUNK:
            chunks.append(current)
            current = ""
        current += line
    if current:
        chunks.append(current)
    return [c for c in chunks if c]


def _markup(pieces: list[tuple[str, str]]) -> str:
    out = []
    for text, reading in pieces:
        if reading:
            out.append(
                f"<ruby><rb>{escape(text)}</rb><rp>（</rp>"
                f'<rt aria-hidden="true">{escape(reading)}</rt><rp>）</rp></ruby>'
            )
        else:
            out.append(escape(text, quote=False))
    return "".join(out)


def _with_known_reading(pieces: list[tuple[str, str]], kana: str) -> list[tuple[str, str]]:
    """The pieces with their readings taken from ``kana`` (a name's stored reading, which staff
    checked) where it lines up with the text's kana; else the pieces as analysed.

    Neighbouring kanji words are lined up as one run (nothing in the stored reading says where
    one ends): a run keeps the analyser's word-by-word readings when they agree with the stored
    reading, otherwise the run carries the stored reading whole.
    """
    kana = re.sub(r"\s+", "", to_hiragana(kana))
    if not kana or not any(reading for _, reading in pieces):
        return pieces
    segments: list[list[tuple[str, str]]] = []
    for piece in pieces:
        if piece[1] and segments and segments[-1][-1][1]:
            segments[-1].append(piece)
        else:
            segments.append([piece])
    try:
        pattern = "".join(_stored_pattern(segment) for segment in segments)
    except _NoAlignment:
        return pieces
    found = re.fullmatch(pattern, kana)
    if not found:
        return pieces
    groups = iter(found.groups())
    result: list[tuple[str, str]] = []
    for segment in segments:
        if not segment[0][1]:
            result.extend(segment)
            continue
        stored = next(groups)
        if "".join(reading for _, reading in segment) == stored:
            result.extend(segment)
        else:
            result.append(("".join(text for text, _ in segment), stored))
    return result


def _stored_pattern(segment: list[tuple[str, str]]) -> str:
    text, reading = segment[0]
    if reading:
        return "(.+?)"
    kana = to_hiragana(re.sub(r"\s+", "", text))
    if not kana or _HIRAGANA_RE.match(kana):
        return re.escape(kana)
    if any(ch.isalnum() for ch in kana):
        # Digits and letters: how they are read is not written down, so nothing to line up.
        raise _NoAlignment
    return "(?:" + re.escape(kana) + ")?"  # punctuation, not spelled in a reading


class _NoAlignment(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def furigana_text(text: str, kana: str = "") -> str:
    """Plain ``text`` as HTML with ruby over its kanji words (escaped; mark safe yourself).

    ``kana``, a stored reading of the whole text (a listing's name_kana), is preferred to the
    analyser's where the two line up word by word (names are where dictionaries guess wrong).
    """
    pieces = word_readings(text or "")
    return _markup(_with_known_reading(pieces, kana) if kana else pieces)


# Text inside these elements is left as it is.
_SKIP = {"ruby", "rt", "rp", "script", "style", "code", "pre", "kbd", "samp", "textarea", "svg"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _Annotator(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in _SKIP and tag not in _VOID:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False) if self.skipping else furigana_text(data))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")


@functools.lru_cache(maxsize=2048)
def furigana_html(html: str) -> str:
    """Rendered rich text (HTML) with ruby over the kanji words of its text, markup kept."""
    parser = _Annotator()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.out)
