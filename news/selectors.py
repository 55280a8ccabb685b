"""Read side of news, events, the calendar and the site-wide notice."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from listings.models import Area
from listings.schedules import Rule, next_occurrences
from listings.selectors import listings_for_area, public_listings

from .models import EventDate, EventPage, NewsCategory, NewsPage, NoticeLevel, SiteNotice

# --- news ---------------------------------------------------------------------------------------


def public_news() -> QuerySet[NewsPage]:
    """Live, public news, newest first (by its date, then by when it was first published)."""
    return (
        NewsPage.objects.live()
        .public()
        .prefetch_related("categories")
        .order_by("-date", "-first_published_at", "-pk")
    )


def latest_news(count: int = 5, area: Area | None = None) -> list[NewsPage]:
    queryset = public_news()
    if area is not None:
        # An area page shows news of that area, of an area above it or inside it.
        queryset = queryset.filter(
            Q(area__code__in=area.ancestor_codes) | Q(area__path__startswith=area.path)
        )
    return list(queryset[:count])


def news_index_context(index, params) -> dict:
    queryset = public_news().child_of(index)
    categories = list(NewsCategory.objects.all())
    selected = params.get("category", "")
    if selected:
        queryset = queryset.filter(categories__slug=selected)
    page = Paginator(queryset, index.page_size).get_page(params.get("page"))
    return {"news_items": page, "categories": categories, "selected_category": selected}


# --- events -------------------------------------------------------------------------------------


def public_events() -> QuerySet[EventPage]:
    return (
        EventPage.objects.live()
        .public()
        .select_related("area")
        .prefetch_related("dates", "audience", "categories")
    )


@dataclass
class UpcomingEvent:
    event: EventPage
    next_date: EventDate
    more_dates: int


def upcoming_events(
    count: int | None = 5,
    area: Area | None = None,
    today: datetime.date | None = None,
    queryset: QuerySet[EventPage] | None = None,
) -> list[UpcomingEvent]:
    """Events with a date today or later, soonest first."""
    today = today or timezone.localdate()
    queryset = public_events() if queryset is None else queryset
    queryset = queryset.filter(dates__date__gte=today).distinct()
    if area is not None:
        queryset = queryset.filter(_area_filter(area))
    found = []
    for event in queryset:
        dates = event.upcoming_dates(today)
        if dates:
            found.append(UpcomingEvent(event, dates[0], len(dates) - 1))
    found.sort(key=lambda u: (u.next_date.date, u.next_date.start_time or datetime.time.min))
    return found if count is None else found[:count]


def _area_filter(area: Area) -> Q:
    """Events held in ``area`` or inside it, and those for an area that contains it."""
    return Q(area__path__startswith=area.path) | Q(area__code__in=area.ancestor_codes)


def event_index_context(index) -> dict:
    events = upcoming_events(None, queryset=public_events().child_of(index))
    return {"upcoming": events}


# --- the calendar -------------------------------------------------------------------------------

LISTING_OCCURRENCES_MAX = 62  # a daily listing over a month and a bit


@dataclass
class CalendarEntry:
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    title: str
    url: str
    source: str  # "event" or "listing"
    kind_label: str
    place: str = ""
    page_id: int = 0

    @property
    def sort_key(self):
        return (self.date, self.start_time or datetime.time.min, self.source != "event", self.title)


@dataclass
class CalendarDay:
    date: datetime.date
    entries: list[CalendarEntry] = field(default_factory=list)


def calendar_entries(
    start: datetime.date,
    end: datetime.date,
    area: Area | None = None,
    age: str = "",
    include_listings: bool = True,
) -> list[CalendarEntry]:
    """Event dates and listings' schedule dates in [start, end), in order."""
    entries: list[CalendarEntry] = []
    events = public_events().filter(dates__date__gte=start, dates__date__lt=end).distinct()
    if area is not None:
        events = events.filter(_area_filter(area))
    if age:
        events = events.filter(audience__code__in=[age, "everyone"]).distinct()
    for event in events:
        for day in event.sorted_dates():
            if start <= day.date < end:
                entries.append(
                    CalendarEntry(
                        day.date,
                        day.start_time,
                        day.end_time,
                        event.title,
                        event.url or "",
                        "event",
                        event.get_event_type_display(),
                        event.place,
                        event.pk,
                    )
                )
    if include_listings:
        listings = public_listings() if area is None else listings_for_area(area)
        listings = listings.filter(schedule_rules__isnull=False).distinct()
        if age:
            listings = listings.filter(age_groups__code__in=[age, "everyone"]).distinct()
        for listing in listings:
            rules = [Rule.from_model(r) for r in listing.schedule_rules.all()]
            for occurrence in next_occurrences(
                rules, listing.holiday_policy, start, LISTING_OCCURRENCES_MAX
            ):
                if occurrence.date >= end:
                    break
                entries.append(
                    CalendarEntry(
                        occurrence.date,
                        occurrence.start_time,
                        occurrence.end_time,
                        listing.title,
                        listing.url or "",
                        "listing",
                        listing.get_kind_display(),
                        listing.address,
                        listing.pk,
                    )
                )
    entries.sort(key=lambda e: e.sort_key)
    return entries


def by_day(entries: list[CalendarEntry]) -> list[CalendarDay]:
    days: dict[datetime.date, CalendarDay] = {}
    for entry in entries:
        days.setdefault(entry.date, CalendarDay(entry.date)).entries.append(entry)
    return list(days.values())


def month_weeks(year: int, month: int) -> list[list[datetime.date | None]]:
    """The month's weeks, Monday first; days outside the month are None."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


# --- the site-wide notice -----------------------------------------------------------------------

NOTICE_CACHE_KEY = "news:active-notices"
# A notice that starts or ends on its own (no save) shows or goes within this many seconds.
NOTICE_CACHE_SECONDS = 30


def active_notices(now: datetime.datetime | None = None) -> list[SiteNotice]:
    """Notices showing now, 緊急 first, then 重要, then お知らせ; newest first in each level."""
    if now is None:
        cached = cache.get(NOTICE_CACHE_KEY)
        if cached is not None:
            return cached
    moment = now or timezone.now()
    notices = list(
        SiteNotice.objects.filter(starts_at__lte=moment)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        .select_related("link_page")
    )
    order = {NoticeLevel.EMERGENCY: 0, NoticeLevel.IMPORTANT: 1, NoticeLevel.INFO: 2}
    notices.sort(key=lambda n: (order.get(n.level, 3), -n.starts_at.timestamp()))
    if now is None:
        cache.set(NOTICE_CACHE_KEY, notices, NOTICE_CACHE_SECONDS)
    return notices


def forget_notices() -> None:
    cache.delete(NOTICE_CACHE_KEY)


def notice_version() -> str:
    """Changes whenever the notices showing change: a page cache can put it in its key."""
    return ",".join(f"{n.pk}:{n.updated_at.timestamp():.0f}" for n in active_notices()) or "-"
