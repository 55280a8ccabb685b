"""Read queries for area content, coordinators, "find my area" and networks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from listings.models import Area, ListingPage
from listings.selectors import listings_for_area, public_listings
from listings.vocabulary import TIER_ORDER, Tier

from .models import AreaLookup, AreaNotice, Coordinator, Network, NetworkMember, Pillar
from .normalize import lookup_key, query_key
from .tiers import TIER_MEANINGS


def notices_for(area: Area, today: datetime.date | None = None) -> list[AreaNotice]:
    """Current notices of ``area``, and of its ancestors that chose to show them below."""
    today = today or timezone.localdate()
    ancestors = area.ancestor_codes[:-1]
    return list(
        AreaNotice.objects.filter(
            Q(area__code=area.code) | Q(area__code__in=ancestors, include_subareas=True),
            shown_from__lte=today,
        )
        .filter(Q(shown_until__isnull=True) | Q(shown_until__gte=today))
        .select_related("area")
        .order_by("-shown_from", "title")
    )


def coordinators_for(area: Area) -> list[Coordinator]:
    """The coordinators of the nearest area at or above ``area`` that has any."""
    codes = area.ancestor_codes
    found = list(Coordinator.objects.filter(area__code__in=codes).select_related("area", "window"))
    if not found:
        return []
    deepest = max(codes.index(c.area.code) for c in found)
    return [c for c in found if codes.index(c.area.code) == deepest]


@dataclass
class AreaMatch:
    area: Area
    via: str  # the name that matched (an area's own name or a lookup entry)
    kind_label: str


def find_areas(text: str, limit: int = 20) -> list[AreaMatch]:
    """Areas for a 町丁目 / address fragment / school name, most specific first.

    A match is a lookup entry or area name that the text starts with (「みどり町1-2-3」 →
    「みどり町1丁目」), or that contains the whole text (「みどり」 → every みどり…).
    """
    key = query_key(text)
    if not key:
        return []
    matches: dict[str, AreaMatch] = {}
    entries = AreaLookup.objects.select_related("area").order_by("kind", "name")
    for entry in entries:
        if _matches(key, entry.key) or (entry.kana_key and _matches(key, entry.kana_key)):
            matches.setdefault(
                entry.area.code, AreaMatch(entry.area, entry.name, entry.get_kind_display())
            )
    for area in Area.objects.exclude(tier=Tier.CITY):
        if area.code in matches:
            continue
        keys = [lookup_key(area.name), lookup_key(area.name_kana)]
        if any(k and _matches(key, k) for k in keys):
            matches[area.code] = AreaMatch(area, area.name, area.get_tier_display())
    ordered = sorted(matches.values(), key=lambda m: (-m.area.depth, m.area.path))
    return ordered[:limit]


def _matches(query: str, name: str) -> bool:
    if query.startswith(name):
        rest = query[len(name) :]
        # 「みどり町1」 must not take 「みどり町12」.
        return not (rest[:1].isdigit() and name[-1:].isdigit())
    return len(query) >= 2 and query in name


# -- networks ------------------------------------------------------------------------------


def networks() -> QuerySet[Network]:
    return Network.objects.all()


def network_names() -> dict[str, str]:
    return dict(Network.objects.values_list("code", "name"))


def network_listing_ids(codes: tuple[str, ...]) -> tuple[frozenset[int], list[str]]:
    """The listings tagged with any of these networks, and the codes that are no network."""
    known = set(Network.objects.filter(code__in=codes).values_list("code", flat=True))
    ids = NetworkMember.objects.filter(network__code__in=known).values_list("listing_id", flat=True)
    return frozenset(ids), [code for code in codes if code not in known]


def network_members(network: Network, area: Area | None = None) -> list[ListingPage]:
    """The live listings of ``network`` (with ``network_role``), limited to ``area`` if given."""
    roles = dict(NetworkMember.objects.filter(network=network).values_list("listing_id", "role"))
    queryset = public_listings().filter(pk__in=roles)
    ordered = listings_for_area(area, queryset) if area else queryset.order_by("kind", "title")
    listings = list(ordered)
    for listing in listings:
        listing.network_role = roles.get(listing.pk, "")
    return listings


@dataclass
class PillarGroup:
    code: str
    label: str
    networks: list[Network]


def pillars() -> list[PillarGroup]:
    """Networks under the three pillars of 重層的支援 (相談・参加支援・地域づくり)."""
    by_pillar: dict[str, list[Network]] = {code: [] for code, _ in Pillar.choices}
    for network in networks().prefetch_related("members__listing"):
        by_pillar[network.pillar].append(network)
    return [PillarGroup(code, label, by_pillar[code]) for code, label in Pillar.choices]


def live_members(network: Network) -> list[NetworkMember]:
    """Members whose listing is live (for the overview; prefetch ``members__listing``)."""
    return [m for m in network.members.all() if m.listing.live]


def tier_meanings() -> list[tuple[str, str, str]]:
    return [(tier.value, tier.label, TIER_MEANINGS[tier]) for tier in TIER_ORDER]
