"""Read-side queries for listings and areas (views and templates call these)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from .models import Area, ListingPage
from .vocabulary import KIND_ALIASES, TIER_ORDER, Kind, code_for

MATCH_LOCATED = "located"
MATCH_SERVES = "serves"


def public_listings() -> QuerySet[ListingPage]:
    return (
        ListingPage.objects.live()
        .public()
        .select_related("location_area", "service_area")
        .prefetch_related("age_groups", "tagged_items__tag", "schedule_rules")
    )


def listings_for_area(area: Area, queryset: QuerySet[ListingPage] | None = None):
    """Listings located in ``area`` or inside it, plus those whose service area contains it.

    DESIGN.md §3 (contract). Each listing gets ``area_match``: ``located`` or ``serves``.
    """
    queryset = public_listings() if queryset is None else queryset
    located = Q(location_area__path__startswith=area.path)
    serves = Q(service_area__code__in=area.ancestor_codes)
    return (
        queryset.filter(located | serves)
        .annotate(
            area_match=Case(
                When(located, then=Value(MATCH_LOCATED)),
                default=Value(MATCH_SERVES),
                output_field=CharField(),
            )
        )
        .order_by("kind", "title")
    )


@dataclass
class AreaSummary:
    area: Area
    listing_count: int


def area_tree() -> list[AreaSummary]:
    """Every area in tree order with the number of listings located in it or below."""
    areas = list(Area.objects.all())
    counts: dict[str, int] = {}
    located = (
        ListingPage.objects.live().public().values("location_area__path").annotate(n=Count("id"))
    )
    for row in located:
        path = row["location_area__path"] or ""
        for code in (c for c in path.split("/") if c):
            counts[code] = counts.get(code, 0) + row["n"]
    return [AreaSummary(a, counts.get(a.code, 0)) for a in areas]


def area_detail_context(area: Area) -> dict:
    listings = list(listings_for_area(area))
    by_kind = {kind: [] for kind, _ in Kind.choices}
    for listing in listings:
        by_kind[listing.kind].append(listing)
    return {
        "area": area,
        "ancestors": area.ancestors(include_self=False),
        "children": list(area.children.all()),
        "listings": listings,
        "listings_by_kind": [(Kind(k).label, k, items) for k, items in by_kind.items() if items],
        "located_count": sum(1 for x in listings if x.area_match == MATCH_LOCATED),
        "serving_count": sum(1 for x in listings if x.area_match == MATCH_SERVES),
        "tier_order": TIER_ORDER,
    }


def listing_index_context(index_page, params) -> dict:
    try:
        kind = code_for(Kind, params.get("kind", ""), KIND_ALIASES)
    except ValueError:
        kind = ""  # An unknown kind lists everything, as before.
    queryset = public_listings().child_of(index_page).order_by("title")
    if kind:
        queryset = queryset.filter(kind=kind)
    paginator = Paginator(queryset, index_page.page_size)
    page = paginator.get_page(params.get("page"))
    return {
        "listings": page,
        "paginator": paginator,
        "selected_kind": kind,
        "kinds": Kind.choices,
    }


def listings_matching(
    *, kind: str = "", area: Area | None = None, age: str = "", topic: str = "", limit: int = 10
) -> list[ListingPage]:
    """Live listings matching what staff chose for a page's listing-query block (each optional):
    the area as the area pages count it (DESIGN.md §3), an age group (or どなたでも), a topic."""
    queryset = listings_for_area(area) if area is not None else public_listings()
    if kind:
        queryset = queryset.filter(kind=kind)
    if age:
        queryset = queryset.filter(age_groups__code__in=[age, "everyone"])
    if topic:
        queryset = queryset.filter(tagged_items__tag__name__iexact=topic)
    return list(queryset.distinct().order_by("kind", "title")[:limit])
