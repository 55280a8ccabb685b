"""The search contract: what every engine takes (``SearchParams``) and returns
(``SearchResult`` of ``Hit``), and the ``SearchEngine`` protocol they implement.

Engines (``search.embedded``, ``search.es``, ``search.fallback``) import this module; the
factory that chooses one (``search.engines``) imports them. Nothing here imports an engine.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

SORT_RELEVANCE = "relevance"
SORT_DISTANCE = "distance"
SORT_NEXT_DATE = "next_date"
SORTS = (SORT_RELEVANCE, SORT_DISTANCE, SORT_NEXT_DATE)

MATCH_LOCATED = "located"
MATCH_SERVES = "serves"

# How a hit matches open_on: its rules say it is open that day, or only that the day's weekday
# is one of its days and the dates are to be confirmed with the group (要確認).
OPEN_SURE = "sure"
OPEN_MAYBE = "maybe"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    kinds: tuple[str, ...] = ()
    ages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # area codes; OR within, semantics of DESIGN.md §3
    networks: tuple[str, ...] = ()  # community.Network codes (OR within), as asked
    # The listings of those networks, resolved by search.params (engines filter on ids, so they
    # need no network data in their index); None when no network is chosen.
    network_listing_ids: frozenset[int] | None = None
    access: tuple[str, ...] = ()  # consult.models.Access codes (OR within), as asked
    # The windows offering any of them, resolved by search.params like network_listing_ids.
    access_listing_ids: frozenset[int] | None = None
    near: tuple[float, float] | None = None  # (lat, lng)
    radius: float | None = None  # metres, with near
    open_on: datetime.date | None = None
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 20

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds
            or self.ages
            or self.topics
            or self.areas
            or self.networks
            or self.access
            or self.near
            or self.open_on
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def effective_sort(self) -> str:
        # Nearest first when a point is given and nothing is typed (DESIGN.md §5).
        if self.sort == SORT_RELEVANCE and self.near and not self.q.strip():
            return SORT_DISTANCE
        if self.sort == SORT_DISTANCE and not self.near:
            return SORT_RELEVANCE
        return self.sort


@dataclass
class Hit:
    listing_id: int
    score: float = 0.0
    distance_m: float | None = None
    area_match: str | None = None
    next_date: datetime.date | None = None
    open_on_match: str | None = None  # OPEN_SURE / OPEN_MAYBE when open_on was given


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    engine: str = ""
    # True when few or no listings had every word, and the results (after those that do)
    # leave some of the words out.
    relaxed: bool = False
    # The words (as typed) the best relaxed result does without: 「○○」を除いて探しました.
    set_aside: tuple[str, ...] = ()
    # With relaxed: how many listings have every word; they come first (0 when none does).
    exact_count: int = 0
    # What the query was read as, one line per word (「大泉」→ 地名 …), for the resident.
    understood: tuple[str, ...] = ()


class SearchEngine(Protocol):
    name: str

    def search(self, params: SearchParams) -> SearchResult: ...

    def index_listings(self, listing_ids: Iterable[int]) -> int: ...

    def remove_listings(self, listing_ids: Iterable[int]) -> None: ...

    def rebuild(self, progress: Callable[[int, int], None] | None = None): ...


EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres: the distance every engine reports for a hit."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
