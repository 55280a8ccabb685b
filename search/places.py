"""Place names: a gazetteer learned from the listings themselves (addresses and the area tree).

Residents type places the way they say them, not the way an address is written: 大泉 for
東大泉 and 大泉学園町, 光ヶ丘 for 光が丘, 髙島平 for 高島平, きちじょうじ, 荻窪駅, 江東 for 江東区,
Chofu for 調布市. Nothing here is a list of places: every key comes from the data.

Index side (``place_terms``), for each listing:

- ``P:<key>`` for each area it lies in (the area tree: municipality and any finer area), with
  and without its 区/市/町/村 suffix, plus the reading (``P:y:``) and romaji (``P:m:``);
- for the town of its address (the text between the municipality and the first number):
  ``p:<key>`` for every substring of the folded town name (so 大泉 is found inside 東大泉 and
  大泉学園町), and ``c:<key>`` for the town's *core* names — the town, the town without one
  leading direction/position word (東/西/南/北/上/下/中/新/元/本) and without a trailing
  町/台/本町/方角. ``c:`` keys are the gazetteer: the query side treats a word as a place only
  when some town's core is exactly that word. Readings and romaji of cores go in too.

Folding (``fold``): NFKC, ヶ/ケ/ヵ/が/ガ → ケ (place names only), a few old kanji to their new
forms (髙→高, 澤→沢 …), no spaces.

Query side (``resolve``): a query chunk (a space-separated word) becomes one place group when
the index knows it, in this order: a municipality or area (``P:``) — then only that
municipality's listings match, never a lookalike inside a town name (調布 is not 田園調布); a
town core (``c:``) — then every town containing it matches (``p:``); the same two by reading
(恵比須 → えびす = 恵比寿, 荻久保 = 荻窪) and, for Latin letters, by romaji. A trailing 駅/駅前
is dropped first: a station is found by the town named after it (the portal has no station
coordinates; see docs/search.md).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from .analysis import (
    AnalyzedQuery,
    QueryGroup,
    is_kana,
    place_names_in,
    reading_of,
    romaji,
    romaji_variants,
)

# Old (旧字) or variant kanji seen in place names → the form addresses use. Cheap, not complete.
OLD_KANJI = str.maketrans(
    {
        "髙": "高",
        "澤": "沢",
        "﨑": "崎",
        "嶋": "島",
        "嶌": "島",
        "邊": "辺",
        "邉": "辺",
        "濱": "浜",
        "齋": "斎",
        "齊": "斉",
        "國": "国",
        "廣": "広",
        "櫻": "桜",
        "龍": "竜",
        "瀨": "瀬",
        "冨": "富",
        "槇": "槙",
        "磐": "盤",
        "舘": "館",
    }
)
_KE = str.maketrans({"ヶ": "ケ", "ヵ": "ケ", "が": "ケ", "ガ": "ケ", "ｹ": "ケ"})
DIRECTION_PREFIXES = tuple("東西南北上下中新元本")
CORE_SUFFIXES = ("本町", "東町", "西町", "南町", "北町", "町", "台", "東", "西", "南", "北")
MUNICIPALITY_SUFFIXES = ("区", "市", "町", "村")
STATION_SUFFIXES = ("駅前", "駅周辺", "駅近く", "駅")
# The town: what follows the municipality up to the first number (丁目 in kanji too).
_TOWN_END = re.compile(r"[0-9０-９]|[一二三四五六七八九十]+丁目|-|番地|番")
_PREFECTURE = re.compile(r"^(?:東京都|北海道|(?:京都|大阪)府|.{2,3}県)")
_GUN = re.compile(r"^.{1,4}郡")
MAX_TOWN = 12
# Posting weights (field weights of search.documents): a place named in the query is the
# strongest evidence there is.
AREA_WEIGHT = 6.0
TOWN_WEIGHT = 4.0
NAMED_PLACE_WEIGHT = 2.0
# The sound of a place a listing's name carries (never a town's own sound: 中町 and 仲町 are
# both なかまち and must stay apart).
NAMED_BY_SOUND = "q:y:"
PLACE_PREFIXES = ("P:", "p:", "c:")


_KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff々]"
# 阿佐ヶ谷 = 阿佐谷: a ケ between two kanji is often left out in writing.
_KE_BETWEEN_KANJI = re.compile(rf"(?<={_KANJI})ケ(?={_KANJI})")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"\s+", "", text.translate(OLD_KANJI).translate(_KE))
    return _KE_BETWEEN_KANJI.sub("", text)


def strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def town_of(address: str, area_names: Iterable[str]) -> str:
    """The town (町名) of an address: 「東京都練馬区東大泉1-2-3」 → 「東大泉」."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    text = text.split(" ")[0]
    text = _PREFECTURE.sub("", text)
    text = _GUN.sub("", text) if "郡" in text[:5] else text
    for name in sorted(area_names, key=len, reverse=True):
        if name and text.startswith(name):
            text = text[len(name) :]
            break
    match = _TOWN_END.search(text)
    town = text[: match.start()] if match else text
    return town.strip("・、,") if 2 <= len(town) <= MAX_TOWN else ""


def core_names(town: str) -> set[str]:
    """The names a resident calls a town by: 東大泉 → 東大泉, 大泉; 石神井台 → 石神井."""
    key = fold(town)
    cores = {key}
    for name in list(cores):
        if name[:1] in DIRECTION_PREFIXES and len(name) >= 3:
            cores.add(name[1:])
    for name in list(cores):
        stripped = strip_suffix(name, CORE_SUFFIXES)
        cores.add(stripped)
    if len(key) == 2 and key[0] in DIRECTION_PREFIXES and key[1] not in "町台丁":
        # 北砂・南砂・東砂 are 砂町 to residents: a one-character town core is also its 〇町.
        cores.add(key[1] + "町")
    return {c for c in cores if len(c) >= 2}


def own_place_names(address: str, area_names: list[str]) -> list[str]:
    """The names of a listing's own places — its areas and its town with their cores, as
    written and folded — longest first."""
    names = {n for n in area_names if n}
    names |= {strip_suffix(n, MUNICIPALITY_SUFFIXES) for n in names}
    town = town_of(address, area_names)
    if town:
        # The town and its leading parts (深大寺元町 → 深大寺元, 深大寺): 「深大寺カフェ」.
        names |= {town, *core_names(town)}
        names |= {town[:end] for end in range(3, len(town))}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def without_places(text: str, names: Iterable[str]) -> str:
    """``text`` with those place names blanked out (before telling a temple by 〇〇寺)."""
    text = unicodedata.normalize("NFKC", text or "")
    for name in names:
        text = text.replace(name, " ")
    return text


@functools.lru_cache(maxsize=50_000)
def _reading(text: str) -> str:
    reading = reading_of(text).replace(" ", "")
    return reading if reading and is_kana(reading) else ""


def _sounds(prefix: str, name: str) -> set[str]:
    """``P:y:<reading>`` and ``P:m:<romaji>`` keys of a (kanji) name."""
    reading = _reading(name)
    if len(reading) < 2:
        return set()
    keys = {f"{prefix}y:{reading}"}
    keys |= {f"{prefix}m:{v}" for v in romaji_variants(romaji(reading)) if len(v) >= 3}
    return keys


_SUFFIX_READINGS = {"区": ("く",), "市": ("し",), "町": ("まち", "ちょう"), "村": ("むら", "そん")}


def _bare_sounds(prefix: str, name: str) -> set[str]:
    """The sounds of a municipality without its suffix, read as part of the whole name: 板橋
    alone reads いたはし, 板橋区 いたばしく, and a resident typing Itabashi means the ward."""
    reading = _reading(name)
    for suffix, endings in _SUFFIX_READINGS.items():
        if not name.endswith(suffix):
            continue
        for ending in endings:
            if reading.endswith(ending) and len(reading) - len(ending) >= 2:
                bare = reading[: -len(ending)]
                keys = {f"{prefix}y:{bare}"}
                keys |= {f"{prefix}m:{v}" for v in romaji_variants(romaji(bare)) if len(v) >= 3}
                return keys
    return set()


def place_terms(address: str, area_names: list[str], title: str = "") -> dict[str, float]:
    """The place postings of a listing (see the module docstring), with their weights."""
    terms: dict[str, float] = {}
    # A place its name carries, in any spelling (「SOMPO流子ども食堂 高島平」 for 髙島平,
    # 「…ひばりが丘」 for ひばりヶ丘), weighs less than its address.
    for name in place_names_in(title):
        key = fold(name)
        if len(key) >= 2:
            for term in (f"p:{key}", f"c:{key}", *_sounds("p:", key)):
                terms[term] = NAMED_PLACE_WEIGHT
            reading = _kana_or_reading(key)
            if len(reading) >= 2:
                # By sound too, apart from the towns' sounds: 「ときわ台」 in a name is found by
                # 常磐台 typed (see NAMED_BY_SOUND in ``resolve``).
                terms[f"{NAMED_BY_SOUND}{reading}"] = NAMED_PLACE_WEIGHT
    for name in area_names:
        key = fold(name)
        for sound in _bare_sounds("P:", key):
            terms[sound] = AREA_WEIGHT
        for variant in {key, strip_suffix(key, MUNICIPALITY_SUFFIXES)}:
            if len(variant) >= 2:
                terms[f"P:{variant}"] = AREA_WEIGHT
                for sound in _sounds("P:", variant):
                    terms[sound] = AREA_WEIGHT
    town = town_of(address, area_names)
    if town:
        key = fold(town)
        # The town itself, exactly (a station's own town: 大井 for 大井町駅, not 西大井).
        terms[f"t:{key}"] = TOWN_WEIGHT
        terms[f"t:{strip_suffix(key, ('町',))}"] = TOWN_WEIGHT
        for i in range(len(key)):
            for j in range(i + 2, len(key) + 1):
                terms.setdefault(f"p:{key[i:j]}", TOWN_WEIGHT)
        for core in core_names(town):
            terms.setdefault(f"c:{core}", TOWN_WEIGHT)
            terms.setdefault(f"p:{core}", TOWN_WEIGHT)
            for sound in _sounds("c:", core):
                terms.setdefault(sound, TOWN_WEIGHT)
                terms.setdefault("p:" + sound[2:], TOWN_WEIGHT)
    return terms


# ---------------------------------------------------------------- queries --------------------
def query_keys(chunk: str) -> list[tuple[str, ...]]:
    """Candidate place terms for a query chunk, most specific first: each entry is the set of
    terms that would stand for the chunk, and the first the index knows is used."""
    key = fold(chunk)
    station = strip_suffix(key, STATION_SUFFIXES) if len(key) > 2 else key
    is_station, key = station != key, station
    if len(key) < 2:
        return []
    names = [key]
    bare = strip_suffix(key, MUNICIPALITY_SUFFIXES)
    if bare != key:
        names.append(bare)
    candidates: list[tuple[str, ...]] = []
    if key.isascii():
        variants = romaji_variants(key) | romaji_variants(bare)
        variants = {v for v in variants if len(v) >= 3 and v.isalpha()}
        if not variants:
            return []
        candidates.append(tuple(f"P:m:{v}" for v in variants))
        candidates.append(tuple(f"c:m:{v}" for v in variants))
        return candidates
    candidates += [(f"P:{n}",) for n in names]
    candidates += [(f"c:{n}",) for n in names]
    readings = {r for r in (_kana_or_reading(n) for n in names) if len(r) >= 2}
    if readings:
        candidates.append(tuple(f"P:y:{r}" for r in readings))
        candidates.append(tuple(f"c:y:{r}" for r in readings))
    if is_station:
        # 石神井公園駅: a station named after a landmark in a town is found by the town.
        candidates += [(f"c:{key[:n]}",) for n in range(len(key) - 1, 1, -1)]
    if readings:
        # Last, and never a match on its own: names carrying the place by sound.
        candidates.append(tuple(f"{NAMED_BY_SOUND}{r}" for r in readings))
    return candidates


def _kana_or_reading(name: str) -> str:
    if is_kana(name):
        return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in name)
    return _reading(name)


def town_terms(found: str) -> str:
    """The term that matches every town containing a core found as ``c:…``."""
    return "p:" + found[2:]


def station_town(match: PlaceMatch) -> str:
    """The town a station typed as one is named after (「大井町駅」 → 大井), when it was found
    by the town's written name; "" for a municipality or a town found by its reading."""
    if match.municipality:
        return ""
    names = [t[2:] for t in match.terms if t.startswith("p:") and ":" not in t[2:]]
    return max(names, key=len) if names else ""


def is_station(chunk: str) -> bool:
    """「国領駅」「蒲田駅前」: a station, typed as one."""
    key = fold(chunk)
    return len(key) > 2 and strip_suffix(key, STATION_SUFFIXES) != key


@dataclasses.dataclass(frozen=True)
class PlaceMatch:
    chunk: str
    terms: frozenset[str]
    municipality: bool

    def describe(self) -> str:
        if self.municipality:
            return _("「%(word)s」→ 市区町村・地域") % {"word": self.chunk}
        return _("「%(word)s」→ 地名（町名に含む所も）") % {"word": self.chunk}


def resolve(
    analyzed: AnalyzedQuery, known: Callable[[list[str]], set[str]]
) -> tuple[AnalyzedQuery, list[PlaceMatch]]:
    """Replace the groups of each chunk that names a known place by one place group.

    ``known(terms)`` returns the subset of ``terms`` that has postings in the index.
    """
    chunks: list[str] = []
    for group in analyzed.groups:
        if group.chunk and group.chunk not in chunks:
            chunks.append(group.chunk)
    matches: dict[str, PlaceMatch] = {}
    for chunk in chunks:
        candidates = query_keys(chunk)
        wanted = [t for c in candidates for t in c]
        if not wanted:
            continue
        present = known(wanted)
        by_sound = [t for c in candidates for t in c if t.startswith(NAMED_BY_SOUND)]
        for candidate in candidates:
            hits = [t for t in candidate if t in present and not t.startswith(NAMED_BY_SOUND)]
            if not hits:
                continue
            if hits[0].startswith("P:"):
                matches[chunk] = PlaceMatch(chunk, frozenset(hits), True)
            else:
                # A town: also the listings whose names carry it in another spelling of the
                # same sound (常磐台 → 「SOMPO流子ども食堂 ときわ台」).
                terms = {town_terms(t) for t in hits} | {t for t in by_sound if t in present}
                matches[chunk] = PlaceMatch(chunk, frozenset(terms), False)
            break
    if not matches:
        return analyzed, []
    groups: list[QueryGroup] = []
    done: set[str] = set()
    for group in analyzed.groups:
        match = matches.get(group.chunk)
        if match is None:
            groups.append(group)
            continue
        if group.chunk in done:
            continue
        done.add(group.chunk)
        same_chunk = [g for g in analyzed.groups if g.chunk == group.chunk]
        terms = set(match.terms)
        if not match.municipality and len(same_chunk) == 1:
            # A town typed as written also matches names carrying it (池袋こども食堂).
            terms |= {t for t in group.terms if t.startswith(("s:", "n:"))}
        groups.append(
            QueryGroup(
                group.chunk,
                frozenset(terms),
                True,
                frozenset(),
                chunk=group.chunk,
                place=True,
                station=station_town(match) if is_station(group.chunk) else "",
            )
        )
    return dataclasses.replace(analyzed, groups=tuple(groups)), list(matches.values())
