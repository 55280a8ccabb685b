"""Reads for the consult app: the crisis categories with their lines (cached; staff saves
clear the cache through ``consult.signals``)."""

from __future__ import annotations

from django.core.cache import cache

from .crisis import CrisisCategoryView, CrisisLineView, CrisisMatch, match
from .models import CrisisCategory, FallbackWindow, Trouble
from .troubles import TroubleMatch, TroubleView, ordered_window_ids
from .troubles import match as match_troubles

CRISIS_CACHE_KEY = "consult:crisis:categories:v1"
TROUBLES_CACHE_KEY = "consult:troubles:v1"
# At most this many windows for the troubles a search describes, above its results.
TROUBLE_WINDOWS = 4
# Fewer results than this and the page also offers the fallback windows.
FEW_RESULTS = 3


def crisis_categories() -> list[CrisisCategoryView]:
    found = cache.get(CRISIS_CACHE_KEY)
    if found is None:
        found = [
            CrisisCategoryView(
                code=c.code,
                name=c.name,
                message=c.message,
                triggers=tuple(c.trigger_list),
                lines=tuple(
                    CrisisLineView(
                        name=line.name,
                        number=line.number,
                        tel=line.tel,
                        hours=line.hours,
                        description=line.description,
                        url=line.url,
                        sort_order=line.sort_order,
                    )
                    for line in c.lines.all()
                ),
                local_window_note=c.local_window_note,
            )
            for c in CrisisCategory.objects.prefetch_related("lines")
        ]
        cache.set(CRISIS_CACHE_KEY, found, timeout=None)
    return found


def forget_crisis_categories() -> None:
    cache.delete_many([CRISIS_CACHE_KEY, TROUBLES_CACHE_KEY])


def trouble_views() -> list[TroubleView]:
    found = cache.get(TROUBLES_CACHE_KEY)
    if found is None:
        found = [
            TroubleView(
                slug=t.slug,
                name=t.name,
                group=t.group,
                triggers=tuple(t.trigger_list),
                window_ids=tuple(w.listing_id for w in t.windows.all()),
                sort_order=t.sort_order,
            )
            for t in Trouble.objects.prefetch_related("windows")
        ]
        cache.set(TROUBLES_CACHE_KEY, found, timeout=None)
    return found


def troubles_for(text: str) -> list[TroubleMatch]:
    return match_troubles(text, trouble_views())


def windows_for_troubles(
    matches: list[TroubleMatch], area_codes=(), limit: int = TROUBLE_WINDOWS
) -> list:
    """The live windows of ``matches`` in order; with areas, those serving them first."""
    from listings.models import ListingPage

    ids = ordered_window_ids(matches)
    if not ids:
        return []
    pages = {
        p.pk: p
        for p in ListingPage.objects.live()
        .filter(pk__in=ids)
        .select_related("service_area", "location_area")
    }
    windows = [pages[i] for i in ids if i in pages]
    if area_codes:
        windows = sorted(windows, key=lambda w: not _serves(w, area_codes))
    return windows[:limit]


def _serves(listing, area_codes) -> bool:
    from listings.models import Area

    chosen = list(Area.objects.filter(code__in=area_codes))
    ancestors = {code for a in chosen for code in a.path.strip("/").split("/")}
    located = listing.location_area and any(
        listing.location_area.path.startswith(a.path) for a in chosen
    )
    return bool(located) or (
        listing.service_area is not None and listing.service_area.code in ancestors
    )


def crisis_for(text: str) -> CrisisMatch:
    """The crisis block for what a resident typed (empty when nothing signals danger)."""
    if not text or not text.strip():
        return CrisisMatch()
    return match(text, crisis_categories())


def fallback_windows(area_codes: tuple[str, ...] | list[str] = ()) -> list:
    """Never a dead end: the one-stop window(s), then the local windows serving the chosen
    areas (all of them when no area is chosen). Live listings only, staff's order."""
    from listings.models import Area

    rows = list(
        FallbackWindow.objects.filter(listing__live=True)
        .select_related("listing", "listing__service_area", "listing__location_area")
        .order_by("sort_order", "pk")
    )
    one_stop = [r.listing for r in rows if r.role == FallbackWindow.Role.ONE_STOP]
    local = [r.listing for r in rows if r.role == FallbackWindow.Role.LOCAL]
    if area_codes:
        chosen = list(Area.objects.filter(code__in=area_codes))
        ancestors = {code for a in chosen for code in a.path.strip("/").split("/")}
        paths = [a.path for a in chosen]

        def serves(listing) -> bool:
            located = listing.location_area and any(
                listing.location_area.path.startswith(p) for p in paths
            )
            return bool(located) or (
                listing.service_area is not None and listing.service_area.code in ancestors
            )

        local = [w for w in local if serves(w)] or local
    return [*dict.fromkeys([*one_stop, *local])]


def finder_groups() -> list[tuple[str, str, list]]:
    """The 困りごと finder's list: (group code, group label, troubles) in the model's order."""
    by_group: dict[str, list] = {}
    for trouble in Trouble.objects.order_by("sort_order", "name"):
        by_group.setdefault(trouble.group, []).append(trouble)
    return [
        (code, str(label), by_group[code])
        for code, label in Trouble.Group.choices
        if code in by_group
    ]


def trouble_page(slug: str, area_code: str = ""):
    """A trouble, its live windows (those serving ``area_code`` first) and the areas to choose."""
    from django.shortcuts import get_object_or_404

    from listings.models import Area, ListingPage

    trouble = get_object_or_404(Trouble, slug=slug)
    ids = [w.listing_id for w in trouble.windows.all()]
    pages = {
        p.pk: p
        for p in ListingPage.objects.live()
        .filter(pk__in=ids)
        .select_related("service_area", "location_area")
    }
    windows = [pages[i] for i in ids if i in pages]
    area = Area.objects.filter(code=area_code).first() if area_code else None
    local: list = []
    if area is not None:
        local = [w for w in windows if _serves(w, [area.code])]
        # Windows serving one 圏域 that is not the resident's are left out when theirs exists.
        windows = local + [w for w in windows if w not in local and not _is_other_local(w, area)]
    areas = list(Area.objects.filter(tier__in=("junior_high", "elementary")).order_by("path"))
    return trouble, windows, area, areas


def _is_other_local(listing, area) -> bool:
    service = listing.service_area
    return bool(service and service.tier != "city" and not area.path.startswith(service.path))


def window_profile(listing):
    """The window's profile with ``related_windows`` (live, by title), or None."""
    from .models import WindowProfile

    if getattr(listing, "pk", None) is None:  # a preview of an unsaved listing
        return None
    profile = WindowProfile.objects.filter(listing=listing).first()
    if profile is None:
        return None
    profile.related_windows = list(profile.related.live().order_by("title"))
    return profile


def access_listing_ids(codes: tuple[str, ...]) -> frozenset[int]:
    """The windows whose profile offers any of these ``consult.models.Access`` codes (search's
    ``access=`` filter: the engines restrict by these ids, so their index holds no access data).
    The codes are a JSON list, read here rather than filtered in SQL so every database agrees."""
    from .models import WindowProfile

    wanted = set(codes)
    return frozenset(
        pk
        for pk, offered in WindowProfile.objects.values_list("listing_id", "access")
        if wanted.intersection(offered or [])
    )


def filter_by_access(windows: list, access: str) -> list:
    """Windows whose profile offers ``access`` (a ``consult.models.Access`` code)."""
    from .models import WindowProfile

    ids = {
        pk
        for pk, codes in WindowProfile.objects.filter(
            listing_id__in=[w.pk for w in windows]
        ).values_list("listing_id", "access")
        if access in (codes or [])
    }
    return [w for w in windows if w.pk in ids]
