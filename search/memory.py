"""The embedded engine's working copy of the index, held in memory by each process.

The database stays the one source of truth (``search.indexing`` writes it). Each process
keeps a ``Snapshot`` of the document table as NumPy arrays (kind, ages, topics, area, place,
open days, title order) and the posting lists of the terms it has searched for. Every search
first reads the index version (one small query); when another process has written since, the
snapshot is rebuilt from the database (about half a second at 100,000 listings), so searches
see a write as soon as it commits.

Positions: a document's place in the snapshot's arrays (0..n-1), in listing id order.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import jpholiday
import numpy as np
from django.conf import settings
from django.db import connection

from listings import schedules
from listings.models import Area
from listings.vocabulary import TIER_ORDER

from .indexing import DOC_TABLE, TERM_TABLE, decode_postings
from .models import SearchIndexState

EMPTY_INDEX = np.empty(0, dtype=np.int64)


@dataclass
class AreaTable:
    """The area tree, indexed for counting: codes, depths and ancestor pairs."""

    codes: list[str]
    paths: list[str]
    index: dict[str, int]
    depth: np.ndarray
    # (area, ancestor-or-self) pairs: served counts roll down to descendants through these.
    pair_area: np.ndarray
    pair_ancestor: np.ndarray

    @classmethod
    def load(cls) -> AreaTable:
        rows = list(Area.objects.order_by("path").values_list("code", "path", "tier"))
        codes = [code for code, _, _ in rows]
        index = {code: i for i, code in enumerate(codes)}
        depth = np.array(
            [TIER_ORDER.index(tier) if tier in TIER_ORDER else 0 for _, _, tier in rows],
            dtype=np.int64,
        )
        pairs = [
            (i, index[code])
            for i, (_, path, _) in enumerate(rows)
            for code in path.split("/")
            if code in index
        ]
        return cls(
            codes=codes,
            paths=[path for _, path, _ in rows],
            index=index,
            depth=depth,
            pair_area=np.array([a for a, _ in pairs], dtype=np.int64),
            pair_ancestor=np.array([b for _, b in pairs], dtype=np.int64),
        )


def _inverted(rows: list[list[str]]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per-value position arrays, plus the flat (position, value number) pairs for counting."""
    by_value: dict[str, list[int]] = {}
    for position, values in enumerate(rows):
        for value in values:
            by_value.setdefault(value, []).append(position)
    numbers = {value: i for i, value in enumerate(by_value)}
    pair_pos = [p for value, ps in by_value.items() for p in ps]
    pair_val = [numbers[value] for value, ps in by_value.items() for _ in ps]
    return (
        {value: np.array(ps, dtype=np.int64) for value, ps in by_value.items()},
        np.array(pair_pos, dtype=np.int64),
        np.array(pair_val, dtype=np.int64),
    )


@dataclass
class Snapshot:
    version: str
    ids: np.ndarray  # listing ids, ascending
    kind_number: np.ndarray
    kind_values: list[str]
    title_rank: np.ndarray  # order of (title_key, id): the relevance tie-break
    # hash(title_key) per position, for the exact-title bonus: an array rather than a dict of
    # 100,000 strings and lists, which the garbage collector would walk again and again.
    title_hash: np.ndarray
    latitude: np.ndarray  # NaN where unknown
    longitude: np.ndarray
    closed_on_holidays: np.ndarray
    location_paths: list[str]  # distinct paths
    location: np.ndarray  # index into location_paths, -1 when none
    service: np.ndarray  # index into areas, -1 when none (or not an area any more)
    service_codes: np.ndarray  # index into service_code_values, -1 when none
    service_code_values: list[str]
    service_depth: np.ndarray
    ages: dict[str, np.ndarray]
    age_pairs: tuple[np.ndarray, np.ndarray]
    age_values: list[str]
    topics: dict[str, np.ndarray]
    topic_pairs: tuple[np.ndarray, np.ndarray]
    topic_values: list[str]
    schedule: dict[str, np.ndarray]
    areas: AreaTable
    # (location path, area) pairs: a listing located on a path counts under each area on it.
    path_pair_path: np.ndarray
    path_pair_area: np.ndarray
    # How complete each record is (search.documents.completeness): the relevance tie-break
    # after the score, before the next date and the title.
    completeness: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    terms: OrderedDict = field(default_factory=OrderedDict)
    term_bytes: int = 0
    next_dates: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def titled(self, title_key: str) -> np.ndarray:
        """Positions whose normalised title is ``title_key``."""
        return np.flatnonzero(self.title_hash == hash(title_key))

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions_of(self, listing_ids: np.ndarray) -> np.ndarray:
        """Positions of these listing ids (-1 for ids not in this snapshot)."""
        if not len(self.ids):
            return np.full(len(listing_ids), -1, dtype=np.int64)
        found = np.searchsorted(self.ids, listing_ids)
        found = np.minimum(found, len(self.ids) - 1)
        return np.where(self.ids[found] == listing_ids, found, -1)

    # ---------------------------------------------------------------- terms
    def postings(self, terms: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Positions and weights of each term, from this process's cache or one query."""
        cache = self.terms
        with self.lock:
            missing = [t for t in dict.fromkeys(terms) if t not in cache]
            found = {t: cache[t] for t in terms if t in cache}
        if not missing:
            return found
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, listing_ids, weights FROM {TERM_TABLE} "
                f"WHERE term IN ({', '.join(['%s'] * len(missing))})",
                missing,
            )
            loaded = {
                term: decode_postings(ids_blob, weights_blob)
                for term, ids_blob, weights_blob in cursor.fetchall()
            }
        budget = getattr(settings, "SEARCH_TERM_CACHE_BYTES", 64 * 1024 * 1024)
        with self.lock:
            for term in missing:
                ids, weights = loaded.get(term, (EMPTY_INDEX, np.empty(0)))
                positions = self.positions_of(ids.astype(np.int64))
                keep = positions >= 0
                entry = (positions[keep], np.asarray(weights, dtype=np.float64)[keep])
                found[term] = entry
                if term not in cache:
                    cache[term] = entry
                    self.term_bytes += entry[0].nbytes + entry[1].nbytes + 100
            # Oldest first; what this search needs is already in ``found``.
            while self.term_bytes > budget and cache:
                _, (old_pos, old_w) = cache.popitem(last=False)
                self.term_bytes -= old_pos.nbytes + old_w.nbytes + 100
        return found

    # ---------------------------------------------------------------- days
    def open_on(self, day: datetime.date) -> np.ndarray:
        """Mask of the listings open on ``day`` (same rules as listings.schedules)."""
        weekday = day.weekday()
        keys = [
            f"w{weekday}",
            f"m{weekday}:{schedules.week_of_month(day)}",
            f"d{day.day}",
            f"D{day.isoformat()}",
        ]
        if schedules.is_last_of_month(day):
            keys.append(f"m{weekday}:{schedules.LAST_WEEK}")
        mask = np.zeros(self.size, dtype=bool)
        for key in keys:
            found = self.schedule.get(key)
            if found is not None:
                mask[found] = True
        if jpholiday.is_holiday(day):
            mask &= ~self.closed_on_holidays
        return mask

    def may_be_open_on(self, day: datetime.date) -> np.ndarray:
        """Mask of the listings not surely open on ``day`` whose tentative rules name its
        weekday: they may be open, to confirm with the group (要確認)."""
        mask = np.zeros(self.size, dtype=bool)
        found = self.schedule.get(f"t{day.weekday()}")
        if found is not None:
            mask[found] = True
        if jpholiday.is_holiday(day):
            mask &= ~self.closed_on_holidays
        return mask & ~self.open_on(day)

    def next_date_ordinals(self, today: datetime.date) -> np.ndarray:
        """Each listing's next open day from ``today`` as a date ordinal (huge when none
        within listings.schedules.HORIZON_DAYS). Computed once a day per snapshot."""
        found = self.next_dates.get(today)
        if found is not None:
            return found
        far = np.iinfo(np.int64).max
        result = np.full(self.size, far, dtype=np.int64)
        pending = np.zeros(self.size, dtype=bool)
        for key, positions in self.schedule.items():
            if not key.startswith("t"):  # tentative weekdays give no dates
                pending[positions] = True
        for offset in range(schedules.HORIZON_DAYS):
            if not pending.any():
                break
            day = today + datetime.timedelta(days=offset)
            hit = pending & self.open_on(day)
            result[hit] = day.toordinal()
            pending &= ~hit
        self.next_dates = {today: result}
        return result


SNAPSHOT_COLUMNS = (
    "listing_id",
    "kind",
    "title_key",
    "latitude",
    "longitude",
    "closed_on_holidays",
    "location_path",
    "service_area_code",
    "service_depth",
    "ages",
    "topics",
    "schedule_keys",
    "completeness",
)


def load_snapshot(version: str) -> Snapshot:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(SNAPSHOT_COLUMNS)} FROM {DOC_TABLE} ORDER BY listing_id")
        rows = cursor.fetchall()
    return build_snapshot(version, rows, AreaTable.load())


def build_snapshot(version: str, rows: list[tuple], areas: AreaTable) -> Snapshot:
    """A snapshot from document rows (SNAPSHOT_COLUMNS, in listing id order)."""
    n = len(rows)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    kind_values = sorted({r[1] for r in rows})
    kind_index = {k: i for i, k in enumerate(kind_values)}
    order = sorted(range(n), key=lambda p: (rows[p][2], rows[p][0]))
    title_rank = np.empty(n, dtype=np.int64)
    title_rank[order] = np.arange(n)
    path_values: dict[str, int] = {}
    location = np.array(
        [path_values.setdefault(r[6], len(path_values)) if r[6] else -1 for r in rows],
        dtype=np.int64,
    )
    service_code_values: dict[str, int] = {}
    service_codes = np.array(
        [
            service_code_values.setdefault(r[7], len(service_code_values)) if r[7] else -1
            for r in rows
        ],
        dtype=np.int64,
    )
    service = np.array([areas.index.get(r[7], -1) for r in rows], dtype=np.int64)
    path_pairs = [
        (p, areas.index[code])
        for path, p in path_values.items()
        for code in path.split("/")
        if code in areas.index
    ]
    age_map, age_pos, age_val = _inverted([r[9].split() for r in rows])
    topic_map, topic_pos, topic_val = _inverted([r[10].split("\n") if r[10] else [] for r in rows])
    schedule_map, _, _ = _inverted([r[11].split() for r in rows])
    completeness = np.array([r[12] if len(r) > 12 else 0 for r in rows], dtype=np.int64)
    return Snapshot(
        version=version,
        ids=ids,
        kind_number=np.array([kind_index[r[1]] for r in rows], dtype=np.int64),
        kind_values=kind_values,
        title_rank=title_rank,
        title_hash=np.array([hash(r[2]) for r in rows], dtype=np.int64),
        latitude=np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64),
        longitude=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64),
        closed_on_holidays=np.array([bool(r[5]) for r in rows], dtype=bool),
        location_paths=list(path_values),
        location=location,
        service=service,
        service_codes=service_codes,
        service_code_values=list(service_code_values),
        service_depth=np.array([r[8] for r in rows], dtype=np.int64),
        ages=age_map,
        age_pairs=(age_pos, age_val),
        age_values=list(age_map),
        topics=topic_map,
        topic_pairs=(topic_pos, topic_val),
        topic_values=list(topic_map),
        schedule=schedule_map,
        areas=areas,
        path_pair_path=np.array([p for p, _ in path_pairs], dtype=np.int64),
        path_pair_area=np.array([a for _, a in path_pairs], dtype=np.int64),
        completeness=completeness,
    )


_current: dict[str, Snapshot] = {}
_load_lock = threading.Lock()


def current_version() -> str:
    # Through the ORM, so it also works inside tests' transactions and on any database.
    return SearchIndexState.objects.filter(pk=1).values_list("version", flat=True).first() or ""


def snapshot_loaded() -> bool:
    """Whether this process holds a snapshot for the database in use (for /readyz)."""
    return connection.alias in _current


def snapshot() -> Snapshot:
    """This process's copy of the index, reloaded when the version in the database changed."""
    version = current_version()
    key = connection.alias
    found = _current.get(key)
    if found is not None and found.version == version:
        return found
    with _load_lock:
        found = _current.get(key)
        if found is None or found.version != version:
            found = _current[key] = load_snapshot(version)
    return found
