"""Writing the embedded index: one listing, some listings, or everything from the database.

Every write runs in one transaction that first changes the index version
(``SearchIndexState``): writers take turns, and each process's in-memory copy
(``search.memory``) sees that it is stale. Posting lists are stored compactly, one row per
term (``SearchTerm``); changing a listing rewrites the lists of the terms it had and has.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
import uuid
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from listings.models import Area, ListingPage

from .analysis import tokenize, word_keys
from .documents import IndexedDocument, analyse_texts, build_document
from .models import SearchDocument, SearchIndexState, SearchTerm
from .synonyms import synonym_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
READ_CHUNK = 500  # ids or terms in one IN (...)
WRITE_CHUNK = 2_000
DOC_TABLE = SearchDocument._meta.db_table
TERM_TABLE = SearchTerm._meta.db_table
ID_DTYPE = np.dtype("<i4")
WEIGHT_DTYPE = np.dtype("<f8")
DOC_COLUMNS = (
    "listing_id",
    "kind",
    "title_key",
    "location_path",
    "service_area_code",
    "service_depth",
    "latitude",
    "longitude",
    "closed_on_holidays",
    "ages",
    "topics",
    "schedule_keys",
    "terms",
    "display",
    "indexed_at",
    "completeness",
)
TERM_COLUMNS = ("term", "listing_ids", "weights", "document_count")


def indexable_listings():
    """Live, public listings with everything build_document reads prefetched."""
    return (
        ListingPage.objects.live()
        .public()
        .select_related("location_area", "service_area")
        .prefetch_related("age_groups", "tagged_items__tag", "schedule_rules")
        .order_by("pk")
    )


def _areas_by_code() -> dict[str, Area]:
    return {a.code: a for a in Area.objects.all()}


# ---------------------------------------------------------------- encoding -----------------
def encode_postings(ids: np.ndarray, weights: np.ndarray) -> tuple[bytes, bytes]:
    return ids.astype(ID_DTYPE).tobytes(), weights.astype(WEIGHT_DTYPE).tobytes()


def decode_postings(ids_blob, weights_blob) -> tuple[np.ndarray, np.ndarray]:
    # PostgreSQL gives memoryview, SQLite bytes: frombuffer takes both, without copying.
    return np.frombuffer(ids_blob, dtype=ID_DTYPE), np.frombuffer(weights_blob, WEIGHT_DTYPE)


def pack_terms(terms: Iterable[str]) -> bytes:
    return zlib.compress("\n".join(sorted(terms)).encode(), 1)


def unpack_terms(blob) -> list[str]:
    if not blob:
        return []
    return zlib.decompress(bytes(blob)).decode().split("\n")


# ---------------------------------------------------------------- writing ------------------
def new_version() -> str:
    return uuid.uuid4().hex


def _claim() -> None:
    """Change the version, first thing in the write transaction (see the module docstring)."""
    version = new_version()
    now = timezone.now()
    if SearchIndexState.objects.filter(pk=1).update(version=version, changed_at=now):
        return
    try:
        with transaction.atomic():
            SearchIndexState.objects.create(pk=1, version=version)
    except IntegrityError:  # another writer created it first
        SearchIndexState.objects.filter(pk=1).update(version=version, changed_at=now)


def touch() -> None:
    """Tell every process to reload its copy (an area was added or removed)."""
    with transaction.atomic():
        _claim()


def _document_row(d: IndexedDocument, now) -> tuple:
    return (
        d.listing_id,
        d.kind,
        d.title_key,
        d.location_path,
        d.service_area_code,
        d.service_depth,
        d.latitude,
        d.longitude,
        d.closed_on_holidays,
        " ".join(d.ages),
        "\n".join(d.topics),
        " ".join(d.schedule_keys),
        pack_terms(d.postings),
        json.dumps(d.display, ensure_ascii=False) if d.display is not None else "",
        now,
        d.completeness,
    )


def _insert(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    for start in range(0, len(rows), WRITE_CHUNK):
        cursor.executemany(sql, rows[start : start + WRITE_CHUNK])


def _chunks(items: list, size: int = READ_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items) -> str:
    return ", ".join(["%s"] * len(items))


def _apply(documents: list[IndexedDocument], removed: Iterable[int]) -> int:
    """Put these documents in the index (replacing their old rows) and take ``removed`` out.

    Reads the posting lists of every term the documents had or now have, drops the changed
    documents from them, adds the new postings and writes them back. Returns postings written.
    """
    changed = sorted({d.listing_id for d in documents} | set(removed))
    if not changed:
        return 0
    new_postings: dict[str, list[tuple[int, float]]] = {}
    for d in documents:
        for term, weight in d.postings.items():
            new_postings.setdefault(term, []).append((d.listing_id, weight))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _claim()
        affected = set(new_postings)
        for chunk in _chunks(changed):
            cursor.execute(
                f"SELECT terms FROM {DOC_TABLE} WHERE listing_id IN ({_marks(chunk)})", chunk
            )
            for (blob,) in cursor.fetchall():
                affected.update(unpack_terms(blob))
        existing: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for chunk in _chunks(sorted(affected)):
            cursor.execute(
                f"SELECT term, listing_ids, weights FROM {TERM_TABLE} "
                f"WHERE term IN ({_marks(chunk)})",
                chunk,
            )
            for term, ids_blob, weights_blob in cursor.fetchall():
                existing[term] = decode_postings(ids_blob, weights_blob)

        changed_ids = np.array(changed, dtype=ID_DTYPE)
        updates, inserts, deletes = [], [], []
        for term in affected:
            ids, weights = existing.get(term, (np.empty(0, ID_DTYPE), np.empty(0, WEIGHT_DTYPE)))
            keep = ~np.isin(ids, changed_ids)
            ids, weights = ids[keep], weights[keep]
            added = new_postings.get(term)
            if added:
                ids = np.concatenate([ids, np.array([a for a, _ in added], ID_DTYPE)])
                weights = np.concatenate([weights, np.array([w for _, w in added], WEIGHT_DTYPE)])
                order = np.argsort(ids, kind="stable")
                ids, weights = ids[order], weights[order]
            if not len(ids):
                if term in existing:
                    deletes.append(term)
            elif term in existing:
                updates.append((*encode_postings(ids, weights), len(ids), term))
            else:
                inserts.append((term, *encode_postings(ids, weights), len(ids)))
        for chunk in _chunks(deletes):
            cursor.execute(f"DELETE FROM {TERM_TABLE} WHERE term IN ({_marks(chunk)})", chunk)
        if updates:
            cursor.executemany(
                f"UPDATE {TERM_TABLE} SET listing_ids = %s, weights = %s, document_count = %s "
                "WHERE term = %s",
                updates,
            )
        _insert(cursor, TERM_TABLE, TERM_COLUMNS, inserts)
        for chunk in _chunks(changed):
            cursor.execute(f"DELETE FROM {DOC_TABLE} WHERE listing_id IN ({_marks(chunk)})", chunk)
        _insert(cursor, DOC_TABLE, DOC_COLUMNS, [_document_row(d, now) for d in documents])
    return sum(len(d.postings) for d in documents)


def index_listings(listings: Iterable[ListingPage]) -> int:
    """(Re)index the given listings; those no longer live and public are removed."""
    ids = [listing.pk for listing in listings]
    if not ids:
        return 0
    live = list(indexable_listings().filter(pk__in=ids))
    areas = _areas_by_code()
    table = synonym_table()
    cache: dict = {}
    documents = [build_document(listing, areas, table, cache) for listing in live]
    _apply(documents, set(ids) - {d.listing_id for d in documents})
    return len(documents)


def index_listing_ids(ids: Iterable[int]) -> int:
    return index_listings([ListingPage(pk=pk) for pk in ids])


def remove_listings(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        _apply([], ids)


def listings_in_area(area: Area) -> list[int]:
    return list(
        ListingPage.objects.filter(location_area__path__startswith=area.path).values_list(
            "pk", flat=True
        )
    )


def listings_with_terms(terms: Iterable[str]) -> set[int]:
    """The listings posted under any of these terms."""
    found: set[int] = set()
    for chunk in _chunks(sorted(set(terms))):
        for ids_blob, weights_blob in SearchTerm.objects.filter(term__in=chunk).values_list(
            "listing_ids", "weights"
        ):
            found.update(decode_postings(ids_blob, weights_blob)[0].tolist())
    return found


def listings_mentioning(words: Iterable[str]) -> list[int]:
    """Listings whose index holds any of these words: what a synonym edit can change."""
    terms = set()
    for word in words:
        for key in word_keys(word):
            terms |= {f"n:{key}", f"s:{key}", f"y:{key}"}
        # An entry found only as written (「地域の方」): any listing with its words may say it.
        terms |= {f"n:{t.normalized}" for t in tokenize(word) if not t.sub_unit}
    return sorted(listings_with_terms(terms))


# ---------------------------------------------------------------- rebuild ------------------
class PostingBuilder:
    """Collects every listing's postings in flat arrays, then writes one row per term."""

    def __init__(self) -> None:
        self.term_numbers: dict[str, int] = {}
        self.terms = array("i")
        self.ids = array("i")
        self.weights = array("d")

    def add(self, listing_id: int, postings: dict[str, float]) -> None:
        numbers = self.term_numbers
        for term, weight in postings.items():
            number = numbers.get(term)
            if number is None:
                number = numbers[term] = len(numbers)
            self.terms.append(number)
            self.ids.append(listing_id)
            self.weights.append(weight)

    def rows(self):
        terms = np.frombuffer(self.terms, dtype=np.int32)
        ids = np.frombuffer(self.ids, dtype=np.int32)
        weights = np.frombuffer(self.weights, dtype=np.float64)
        order = np.lexsort((ids, terms))
        terms, ids, weights = terms[order], ids[order], weights[order]
        bounds = np.flatnonzero(np.diff(terms)) + 1
        starts = np.concatenate([[0], bounds]) if len(terms) else np.empty(0, np.int64)
        ends = np.concatenate([bounds, [len(terms)]]) if len(terms) else np.empty(0, np.int64)
        names = list(self.term_numbers)
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            yield (
                names[terms[start]],
                *encode_postings(ids[start:end], weights[start:end]),
                end - start,
            )


@dataclass
class RebuildReport:
    documents: int
    postings: int
    terms: int
    seconds: float

    def summary(self) -> str:
        return (
            f"検索インデックスを作り直しました: {self.documents}件, "
            f"索引語 {self.terms}語（出現 {self.postings}件）, {self.seconds:.1f}秒"
        )


# Text analysis in worker processes during a rebuild (forked, so they share the loaded
# dictionary). They only analyse: every query and write stays in this process's transaction.
POOL_MIN_LISTINGS = 2_000
_pool_state: dict = {}


def rebuild_workers(total: int) -> int:
    """Worker processes for a rebuild of ``total`` listings (0: analyse in this process).
    ``settings.SEARCH_REBUILD_WORKERS`` overrides; by default one per core when it pays."""
    configured = getattr(settings, "SEARCH_REBUILD_WORKERS", None)
    if configured is not None:
        return max(int(configured), 0)
    if total < POOL_MIN_LISTINGS or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(os.cpu_count() or 1, 4)


Analysed = tuple[int, dict[str, float], tuple]  # listing id, postings, document row


def _analyse_batch(documents: list[IndexedDocument]) -> list[Analysed]:
    """Analyse and encode a batch: the caller only has to write the rows."""
    cache = _pool_state.setdefault("cache", {})
    now = _pool_state["now"]
    analysed = []
    for d in documents:
        analyse_texts(d, _pool_state["synonyms"], cache)
        analysed.append((d.listing_id, d.postings, _document_row(d, now)))
    return analysed


def rebuild(
    progress: Callable[[int, int], None] | None = None, workers: int | None = None
) -> RebuildReport:
    """Rebuild the whole index from the database, in one transaction.

    Readers keep seeing the old index until the transaction commits (no empty window).
    ``progress(done, total)`` is called after each batch of listings. Listings are read and
    written here; with ``workers`` (default: ``rebuild_workers``) their text is analysed in
    that many forked processes while the next batch is read.
    """
    started = time.monotonic()
    areas = _areas_by_code()
    table = synonym_table()
    queryset = indexable_listings()
    cache: dict = {}
    builder = PostingBuilder()
    done = 0
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _claim()
        cursor.execute(f"DELETE FROM {TERM_TABLE}")
        cursor.execute(f"DELETE FROM {DOC_TABLE}")
        ids = list(queryset.values_list("pk", flat=True))
        workers = rebuild_workers(len(ids)) if workers is None else workers

        def sources(chunk):
            batch = queryset.filter(pk__in=chunk)
            return [build_document(x, areas, table, cache, analyse=False) for x in batch]

        def write(analysed: list[Analysed]) -> None:
            nonlocal done
            _insert(cursor, DOC_TABLE, DOC_COLUMNS, [row for _, _, row in analysed])
            for listing_id, postings, _ in analysed:
                builder.add(listing_id, postings)
            done += len(analysed)
            if progress:
                progress(done, len(ids))

        _pool_state.update(synonyms=table, cache=cache, now=now)
        try:
            if workers:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    pending: deque = deque()
                    for chunk in _chunks(ids, BATCH_SIZE):
                        pending.append(pool.apply_async(_analyse_batch, (sources(chunk),)))
                        if len(pending) > workers:
                            write(pending.popleft().get())
                    while pending:
                        write(pending.popleft().get())
            else:
                for chunk in _chunks(ids, BATCH_SIZE):
                    write(_analyse_batch(sources(chunk)))
        finally:
            _pool_state.clear()
        rows = list(builder.rows())
        _insert(cursor, TERM_TABLE, TERM_COLUMNS, rows)
    return RebuildReport(done, len(builder.ids), len(rows), time.monotonic() - started)
