"""How a place name or an address fragment is compared (find my area)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s　・]+")
_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
# 「1丁目」「一丁目」 → 「1」; 「1-2-3」「1番2号」 keep only the first number (the 丁目).
_CHOME = re.compile(r"([0-9]+)丁目")
_HYPHENS = re.compile(r"(?<=[0-9])[‐‑‒–—―−－ｰ-]")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _SPACES.sub("", text)
    return re.sub(
        r"([〇一二三四五六七八九]+)丁目",
        lambda m: m.group(1).translate(_KANJI_DIGITS) + "丁目",
        text,
    )


def lookup_key(text: str) -> str:
    """NFKC, no spaces, lower case, kanji numerals before 丁目 as digits, 「丁目」 dropped."""
    return _CHOME.sub(r"\1", _plain(text))


def query_key(text: str) -> str:
    """A resident's fragment: as ``lookup_key``, and 「緑町1-2-3」「緑町1丁目2番」 → 「緑町1」."""
    key = _HYPHENS.sub("-", _plain(text))
    key = re.sub(r"([0-9]+)丁目.*$", r"\1", key)
    return re.sub(r"([0-9]+)(?:-|番地?|番).*$", r"\1", key)
