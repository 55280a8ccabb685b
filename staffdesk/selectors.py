"""The staff desk's reads."""

from __future__ import annotations

import calendar
import collections
import dataclasses
import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from listings.models import Area, ListingPage
from listings.vocabulary import Age, Kind, Tier
from search.analysis import normalize
from search.models import SearchQueryLog

from .models import HandledQuery, ImportJob, VerificationRequest
from .services.jobs import RUNNABLE, progress_key, stale_before


def recent_jobs(limit: int = 20) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").defer("data")[:limit]


def waiting_job_ids() -> list[int]:
    """Jobs a runner should take now: waiting ones, and those whose runner died."""
    return list(
        ImportJob.objects.filter(status__in=RUNNABLE)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before()))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def progress(job: ImportJob) -> dict | None:
    """{done, total} of the running phase, when this process can see it (see services.jobs)."""
    return cache.get(progress_key(job.pk)) if job.is_active else None


def listings_for_export(
    *, kind: str = "", area: Area | None = None, include_offline: bool = False
) -> QuerySet[ListingPage]:
    """The listings an export writes: live ones (or all), of a kind, located in an area."""
    listings = ListingPage.objects.all() if include_offline else ListingPage.objects.live()
    if kind:
        listings = listings.filter(kind=kind)
    if area is not None:
        listings = listings.filter(location_area__path__startswith=area.path)
    return listings.order_by("path")


# --- the verification loop ---------------------------------------------------------------------


def stale_months() -> int:
    return getattr(settings, "VERIFICATION_STALE_MONTHS", 12)


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Listings last confirmed before this day are stale (N months ago, same day of month)."""
    today = today or timezone.localdate()
    month = today.month - stale_months()
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def stale_listings() -> QuerySet[ListingPage]:
    """Live listings not confirmed since the cutoff (or never), the oldest first."""
    return (
        ListingPage.objects.live()
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=stale_cutoff()))
        .select_related("location_area")
        .annotate(
            last_request_at=Max("verification_requests__sent_at"),
        )
        .order_by(F("last_verified").asc(nulls_first=True), "title")
    )


def listings_to_ask(resend_days: int | None = None) -> list[ListingPage]:
    """Stale listings not asked in the last ``resend_days`` days (those without an address
    too: the sending counts them, so staff know to phone them)."""
    days = (
        resend_days
        if resend_days is not None
        else getattr(settings, "VERIFICATION_RESEND_DAYS", 30)
    )
    since = timezone.now() - datetime.timedelta(days=days)
    recently = VerificationRequest.objects.filter(
        sent_at__gte=since, status=VerificationRequest.Status.SENT
    ).values("listing_id")
    return list(stale_listings().exclude(pk__in=recently))


def no_answer_days() -> int:
    return getattr(settings, "VERIFICATION_NO_ANSWER_DAYS", 14)


def unanswered_requests() -> QuerySet[VerificationRequest]:
    """Sent more than VERIFICATION_NO_ANSWER_DAYS ago and not answered (a bounce lands here
    too: the portal cannot read the mailbox bounces go to)."""
    before = timezone.now() - datetime.timedelta(days=no_answer_days())
    return VerificationRequest.objects.filter(
        status=VerificationRequest.Status.SENT, sent_at__lt=before
    ).select_related("listing")


def failed_requests() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(
        status=VerificationRequest.Status.FAILED
    ).select_related("listing")


def verification_counts() -> dict[str, int]:
    stale = stale_listings()
    return {
        "stale": stale.count(),
        "never": stale.filter(last_verified__isnull=True).count(),
        "unanswered": unanswered_requests().values("listing").distinct().count(),
        "failed": failed_requests().values("listing").distinct().count(),
    }


# --- unmet needs: searches that found little ---------------------------------------------------


@dataclasses.dataclass
class UnmetQuery:
    key: str  # the normalised query
    shown: str  # its most frequent spelling
    total: int
    weekly: list[int]
    fewest: int
    last: datetime.date
    last_id: int = 0
    spellings: collections.Counter = dataclasses.field(default_factory=collections.Counter)


def week_starts(weeks: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The Mondays of the last ``weeks`` weeks, this week last."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def unmet_needs(weeks: int | None = None, low: int | None = None) -> tuple[list, list]:
    """(week starts, UnmetQuery list): searches with a query and at most ``low`` results in the
    last ``weeks`` weeks, grouped by the normalised query (search.analysis.normalize: width,
    case, dashes, spaces), the most searched first; those marked handled drop out until
    residents search them again."""
    weeks = weeks or getattr(settings, "UNMET_NEEDS_WEEKS", 8)
    low = getattr(settings, "SEARCH_LOW_RESULTS", 2) if low is None else low
    starts = week_starts(weeks)
    rows = (
        SearchQueryLog.objects.filter(searched_on__gte=starts[0], result_count__lte=low)
        .exclude(query="")
        .values_list("query", "result_count", "searched_on", "id")
    )
    groups: dict[str, UnmetQuery] = {}
    for query, count, day, row_id in rows.iterator():
        key = normalize(query)
        if not key:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = UnmetQuery(key, query, 0, [0] * weeks, count, day)
        group.total += 1
        group.weekly[(day - starts[0]).days // 7] += 1
        group.fewest = min(group.fewest, count)
        group.last = max(group.last, day)
        group.last_id = max(group.last_id, row_id)
        group.spellings[query] += 1
    handled = dict(
        HandledQuery.objects.filter(query__in=list(groups)).values_list("query", "last_log_id")
    )
    result = []
    for key, group in groups.items():
        if key in handled and handled[key] >= group.last_id:
            continue
        group.shown = group.spellings.most_common(1)[0][0]
        result.append(group)
    result.sort(key=lambda g: (-g.total, g.key))
    return starts, result


# --- coverage: areas × kinds × age groups ------------------------------------------------------


@dataclasses.dataclass
class CoverageRow:
    area: Area
    depth: int  # 0 for a 圏域, 1 for a 地区 inside it
    total: int
    kinds: list[int]
    ages: list[int]
    # Where the coverage map puts this area: the area's own point, else the mean of its
    # listings' points; None when neither exists (the area is then only in the table).
    point: tuple[float, float] | None = None
    point_from: str = ""  # "area" or "listings"


COVERAGE_TIERS = (Tier.JUNIOR_HIGH, Tier.ELEMENTARY)
# 「どなたでも」 is for every age: it counts in every age column (as search does).
COVERAGE_AGES = [age for age in Age if age != Age.EVERYONE]


def coverage() -> list[CoverageRow]:
    """Live listings located in each 圏域 and 地区 (the area or any area below it), counted by
    kind and by age group, in tree order. A listing's place, not its service area: a city-wide
    window is counted where it is, so an empty cell means no place there."""
    listings = list(
        ListingPage.objects.live()
        .filter(location_area__isnull=False)
        .values_list("pk", "kind", "location_area__path", "latitude", "longitude")
    )
    ages: dict[int, set[str]] = collections.defaultdict(set)
    for listing_id, code in ListingPage.age_groups.through.objects.filter(
        listingpage_id__in=[row[0] for row in listings]
    ).values_list("listingpage_id", "agegroup_id"):
        ages[listing_id].add(code)
    kinds = list(Kind.values)
    rows = []
    for area in Area.objects.filter(tier__in=COVERAGE_TIERS).order_by("path"):
        inside = [(pk, kind) for pk, kind, path, _, _ in listings if path.startswith(area.path)]
        age_counts = [0] * len(COVERAGE_AGES)
        for pk, _kind in inside:
            codes = ages[pk]
            for i, age in enumerate(COVERAGE_AGES):
                if age in codes or Age.EVERYONE in codes:
                    age_counts[i] += 1
        rows.append(
            CoverageRow(
                area,
                COVERAGE_TIERS.index(area.tier),
                len(inside),
                [sum(1 for _, kind in inside if kind == code) for code in kinds],
                age_counts,
                *_map_point(area, listings),
            )
        )
    return rows


def _map_point(area: Area, listings: list[tuple]) -> tuple[tuple[float, float] | None, str]:
    if area.latitude is not None and area.longitude is not None:
        return (area.latitude, area.longitude), "area"
    points = [
        (lat, lng)
        for _, _, path, lat, lng in listings
        if path.startswith(area.path) and lat is not None and lng is not None
    ]
    if not points:
        return None, ""
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lng for _, lng in points) / len(points),
    ), "listings"


# --- editing comfort ---------------------------------------------------------------------------


def name_key(title: str) -> str:
    """A listing name as compared for duplicates: width, case, dashes and spaces ignored."""
    return normalize(title).replace(" ", "")


def similar_listings(page: ListingPage) -> list[ListingPage]:
    """Other listings in the same area with the same normalised name (likely duplicates)."""
    if not page.location_area_id:
        return []
    key = name_key(page.title)
    return [
        other
        for other in ListingPage.objects.filter(location_area_id=page.location_area_id)
        .exclude(pk=page.pk)
        .order_by("pk")
        if name_key(other.title) == key
    ]
