"""Reading search results: run the engine and attach the listing pages for one page of hits."""

from __future__ import annotations

from dataclasses import dataclass

from listings.models import ListingPage
from listings.selectors import public_listings

from .engine import Hit, SearchParams, SearchResult, get_engine


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
