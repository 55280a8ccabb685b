"""Cleaning the cells of published open data (pure functions, no database).

Three strengths, chosen per column (docs/data.md, 「表記のゆれ」):

- ``one_line`` / ``multi_line``: spaces only. Trailing and leading spaces (full-width too), tabs
  and CR/LF inside a cell are folded; nothing else changes.
- ``tidy_name``: for names shown to residents. Half-width katakana become full-width and
  full-width letters and digits become ASCII (ｶﾌｪ → カフェ, ２ → 2); punctuation such as （）＆
  and a full-width space inside a name stay as published.
- ``nfkc``: full Unicode NFKC for values whose meaning survives it (addresses, numbers, codes,
  fees, topics).

``name_key`` and ``address_key`` are only for comparing rows (duplicates), never shown.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_BLANK_RUNS = re.compile(r"[ \t\u00a0\u3000]+")
# Stand-alone (spacing) sound marks, as in ウ゛; made combining so they join their kana.
_SPACING_MARKS = str.maketrans({"\u309b": "\u3099", "\u309c": "\u309a"})
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\u2500-"


def _is_narrowable(char: str) -> bool:
    code = ord(char)
    return (
        0xFF61 <= code <= 0xFF9F  # half-width katakana and marks
        or 0xFF10 <= code <= 0xFF19  # ０-９
        or 0xFF21 <= code <= 0xFF3A  # Ａ-Ｚ
        or 0xFF41 <= code <= 0xFF5A  # ａ-ｚ
    )


def one_line(value: str | None) -> str:
    """Trimmed, with line breaks, tabs and runs of spaces folded into one space."""
    text = _LINE_BREAKS.sub(" ", value or "")
    return _BLANK_RUNS.sub(lambda m: "\u3000" if set(m[0]) == {"\u3000"} else " ", text).strip()


def multi_line(value: str | None) -> str:
    """Trimmed lines (CR/LF → LF), blank-line runs kept as one paragraph break."""
    lines = [one_line(line) for line in _LINE_BREAKS.split(value or "")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def nfkc(value: str | None) -> str:
    """NFKC of a one-line value (２０ → 20, ｶﾌｪ → カフェ, （ → (), spaces folded."""
    return one_line(unicodedata.normalize("NFKC", (value or "").translate(_SPACING_MARKS)))


def tidy_name(value: str | None) -> str:
    """A name as residents read it: see the module docstring."""
    text = (value or "").translate(_SPACING_MARKS)
    text = "".join(unicodedata.normalize("NFKC", c) if _is_narrowable(c) else c for c in text)
    return one_line(unicodedata.normalize("NFC", text))


def name_key(value: str) -> str:
    """For comparing names: NFKC, case-folded, without any spaces."""
    return re.sub(r"\s+", "", nfkc(value)).casefold()


_PREFECTURE = re.compile(r"^(?:東京都|北海道|(?:京都|大阪)府|\S{2,3}県)")
_HOUSE_NUMBER = re.compile(r"^(.*?\d+(?:-\d+)*)")


def address_key(address: str, city_name: str = "") -> str:
    """For comparing addresses: NFKC, no spaces, no prefecture or city, up to the house number.

    「東京都大田区北馬込2－5－5　宗福寺」 and 「大田区北馬込2-5-5」 both become 「北馬込2-5-5」:
    the building and room (方書) are left out, since sources write them differently or not at all.
    """
    text = re.sub(r"\s+", "", nfkc(address)).casefold()
    text = re.sub(rf"(?<=\d)[{_DASHES}]+(?=\d)", "-", text)
    text = re.sub(r"(\d+)丁目(?=\d)", r"\1-", text)
    text = re.sub(r"(\d+)番地?(?=\d)", r"\1-", text)
    text = re.sub(r"(\d+)号", r"\1", text)
    text = _PREFECTURE.sub("", text)
    city = name_key(city_name)
    if city and text.startswith(city):
        text = text[len(city) :]
    match = _HOUSE_NUMBER.match(text)
    return match[1] if match else text
