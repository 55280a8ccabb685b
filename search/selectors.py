"""Reading search results: run the engine and attach the listing pages for one page of hits."""

from __future__ import annotations

import json
from dataclasses import dataclass

from listings.models import Area, ListingPage
from listings.selectors import public_listings

from .contract import Hit, SearchParams, SearchResult
from .engines import get_engine
from .models import SearchDocument


@dataclass
class ResultItem:
    listing: ListingPage
    hit: Hit


def hydrate(hits: list[Hit]) -> list[ResultItem]:
    """The pages for these hits, in hit order, with relations prefetched (constant queries)."""
    pages = {p.pk: p for p in public_listings().filter(pk__in=[h.listing_id for h in hits])}
    return [ResultItem(pages[h.listing_id], h) for h in hits if h.listing_id in pages]


def search_listings(params: SearchParams) -> tuple[SearchResult, list[ResultItem]]:
    result = get_engine().search(params)
    return result, hydrate(result.hits)


def display_records(hits: list[Hit]) -> dict[int, dict]:
    """The stored display records (search.display) of these hits, in one query."""
    ids = [h.listing_id for h in hits]
    if not ids:
        return {}
    rows = SearchDocument.objects.filter(pk__in=ids).exclude(display="")
    return {pk: json.loads(text) for pk, text in rows.values_list("pk", "display")}


RecordItem = tuple[Hit, dict | None, ResultItem | None]


def search_records(params: SearchParams) -> tuple[SearchResult, list[RecordItem]]:
    """Hits with their display records; hits without one (an index built by another engine,
    or a listing indexed before records existed) come with their page instead."""
    result = get_engine().search(params)
    records = display_records(result.hits)
    missing = [h for h in result.hits if h.listing_id not in records]
    pages = {item.hit.listing_id: item for item in hydrate(missing)} if missing else {}
    items = []
    for hit in result.hits:
        if hit.listing_id in records:
            items.append((hit, records[hit.listing_id], None))
        elif hit.listing_id in pages:
            items.append((hit, None, pages[hit.listing_id]))
    return result, items


def search_page_areas() -> list[Area]:
    """Every area, with what the search page's filters and suggestions read (one query)."""
    return list(
        Area.objects.only("code", "name", "tier", "parent", "path", "latitude", "longitude")
    )
