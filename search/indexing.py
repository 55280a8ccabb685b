"""Writing the embedded index: one listing, some listings, or everything from the database."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from listings.models import Area, ListingPage

from .analysis import word_keys
from .documents import IndexedDocument, build_document
from .models import SearchDocument, SearchFacet, SearchPosting
from .synonyms import synonym_table

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
WRITE_CHUNK = 20_000
DOC_TABLE = SearchDocument._meta.db_table
POSTING_TABLE = SearchPosting._meta.db_table
FACET_TABLE = SearchFacet._meta.db_table


def indexable_listings():
    """Live, public listings with everything build_document reads prefetched."""
    return (
        ListingPage.objects.live()
        .public()
        .select_related("location_area", "service_area")
        .prefetch_related("age_groups", "tagged_items__tag")
        .order_by("pk")
    )


def _areas_by_code() -> dict[str, Area]:
    return {a.code: a for a in Area.objects.all()}


def _write(documents: list[IndexedDocument]) -> int:
    """Replace the index rows of these documents; returns the number of postings written.

    Plain ``executemany`` rather than ``bulk_create``: a listing has a few hundred postings,
    and building a model instance for each was most of the rebuild time.
    """
    ids = [d.listing_id for d in documents]
    remove_listings(ids)
    document_rows = [
        (
            d.listing_id,
            d.kind,
            d.title_key,
            d.location_path,
            d.service_area_code,
            d.service_depth,
            d.latitude,
            d.longitude,
            d.closed_on_holidays,
            now,
        )
        for now in [timezone.now()]
        for d in documents
    ]
    posting_rows = [
        (term, d.listing_id, weight) for d in documents for term, weight in d.postings.items()
    ]
    facet_rows = [
        (d.listing_id, facet, value[:100], depth, service_depth)
        for d in documents
        for facet, value, depth, service_depth in d.facets
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {DOC_TABLE} (listing_id, kind, title_key, location_path, "
            "service_area_code, service_depth, latitude, longitude, closed_on_holidays, "
            "indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            document_rows,
        )
        for start in range(0, len(posting_rows), WRITE_CHUNK):
            cursor.executemany(
                f"INSERT INTO {POSTING_TABLE} (term, document_id, weight) VALUES (%s, %s, %s)",
                posting_rows[start : start + WRITE_CHUNK],
            )
        for start in range(0, len(facet_rows), WRITE_CHUNK):
            cursor.executemany(
                f"INSERT INTO {FACET_TABLE} (document_id, facet, value, depth, service_depth) "
                "VALUES (%s, %s, %s, %s, %s)",
                facet_rows[start : start + WRITE_CHUNK],
            )
    return len(posting_rows)


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
    with transaction.atomic():
        remove_listings(set(ids) - {d.listing_id for d in documents})
        _write(documents)
    return len(documents)


def index_listing_ids(ids: Iterable[int]) -> int:
    return index_listings([ListingPage(pk=pk) for pk in ids])


def remove_listings(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        SearchPosting.objects.filter(document_id__in=ids).delete()
        SearchFacet.objects.filter(document_id__in=ids).delete()
        SearchDocument.objects.filter(pk__in=ids).delete()


def listings_in_area(area: Area) -> list[int]:
    return list(
        ListingPage.objects.filter(location_area__path__startswith=area.path).values_list(
            "pk", flat=True
        )
    )


def listings_mentioning(words: Iterable[str]) -> list[int]:
    """Listings whose index holds any of these words: what a synonym edit can change."""
    terms = set()
    for word in words:
        for key in word_keys(word):
            terms |= {f"n:{key}", f"s:{key}", f"y:{key}"}
    return list(
        SearchPosting.objects.filter(term__in=terms)
        .values_list("document_id", flat=True)
        .distinct()
    )


@dataclass
class RebuildReport:
    documents: int
    postings: int
    seconds: float

    def summary(self) -> str:
        return (
            f"検索インデックスを作り直しました: {self.documents}件, "
            f"索引語 {self.postings}件, {self.seconds:.1f}秒"
        )


def rebuild(progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Rebuild the whole index from the database, in batches, in one transaction.

    Readers keep seeing the old index until the transaction commits (no empty window).
    """
    started = time.monotonic()
    areas = _areas_by_code()
    table = synonym_table()
    queryset = indexable_listings()
    total = queryset.count()
    done = postings = 0
    cache: dict = {}
    with transaction.atomic():
        SearchPosting.objects.all().delete()
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            batch = list(queryset.filter(pk__in=ids[start : start + BATCH_SIZE]))
            documents = [build_document(listing, areas, table, cache) for listing in batch]
            postings += _write(documents)
            done += len(batch)
            if progress:
                progress(done, total)
    return RebuildReport(done, postings, time.monotonic() - started)
