"""The calendar (month and list), iCalendar files, feeds, sitemap and robots.txt: wiring only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from listings.models import Area, ListingPage
from listings.schedules import Rule, next_occurrences
from listings.vocabulary import KIND_ALIASES, Age, Kind, code_for

from . import feeds, ical
from .calendar_params import InvalidParam, parse_calendar_params
from .models import EventPage
from .selectors import CalendarEntry, by_day, calendar_entries, month_weeks

ICS_TYPE = "text/calendar; charset=utf-8"


def _bad_request(error: InvalidParam) -> HttpResponse:
    return HttpResponseBadRequest(
        f"{error.field}: {error.message}", content_type="text/plain; charset=utf-8"
    )


@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    try:
        params = parse_calendar_params(request.GET)
    except InvalidParam as error:
        return _bad_request(error)
    start, end = params.month_start, params.month_end
    entries = calendar_entries(start, end, area=params.area, age=params.age)
    days = by_day(entries)
    counts = {day.date: len(day.entries) for day in days}
    weeks = [
        [(d, counts.get(d, 0)) if d else (None, 0) for d in week]
        for week in month_weeks(start.year, start.month)
    ]
    return render(
        request,
        "news/calendar.html",
        {
            "params": params,
            "days": days,
            "weeks": weeks,
            "entry_count": len(entries),
            "today": timezone.localdate(),
            "areas": Area.objects.all().only("code", "name", "tier"),
            "ages": Age.choices,
        },
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The filtered calendar from the chosen month (this month by default) for three months."""
    try:
        params = parse_calendar_params(request.GET)
    except InvalidParam as error:
        return _bad_request(error)
    end = params.months_after(3)
    entries = calendar_entries(params.month_start, end, area=params.area, age=params.age)
    name = _("%(site)s カレンダー") % {"site": request.get_host()}
    if params.area:
        name = f"{name}（{params.area.name}）"
    body = ical.calendar_of(name, entries, request.build_absolute_uri("/")[:-1], request.get_host())
    return _ics_response(body, "calendar.ics")


@require_GET
def event_ics(request: HttpRequest, page_id: int) -> HttpResponse:
    event = get_object_or_404(EventPage.objects.live().public(), pk=page_id)
    entries = [
        CalendarEntry(
            d.date,
            d.start_time,
            d.end_time,
            event.title,
            event.url or "",
            "event",
            event.get_event_type_display(),
            event.place,
            event.pk,
        )
        for d in event.sorted_dates()
    ]
    body = ical.calendar_of(
        event.title,
        entries,
        request.build_absolute_uri("/")[:-1],
        request.get_host(),
        description=event.summary,
    )
    return _ics_response(body, f"event-{event.pk}.ics")


LISTING_ICS_OCCURRENCES = 60


@require_GET
def listing_ics(request: HttpRequest, page_id: int) -> HttpResponse:
    """A listing's next dates (up to 60, within about a year) from its schedule rules."""
    listing = get_object_or_404(ListingPage.objects.live().public(), pk=page_id)
    rules = [Rule.from_model(r) for r in listing.schedule_rules.all()]
    entries = [
        CalendarEntry(
            o.date,
            o.start_time,
            o.end_time,
            listing.title,
            listing.url or "",
            "listing",
            listing.get_kind_display(),
            listing.address,
            listing.pk,
        )
        for o in next_occurrences(rules, listing.holiday_policy, count=LISTING_ICS_OCCURRENCES)
    ]
    body = ical.calendar_of(
        listing.title,
        entries,
        request.build_absolute_uri("/")[:-1],
        request.get_host(),
        description=listing.schedule_note,
    )
    return _ics_response(body, f"listing-{listing.pk}.ics")


_news_rss, _news_atom = feeds.NewsFeed(), feeds.NewsAtomFeed()
_listings_rss, _listings_atom = feeds.ListingsFeed(), feeds.ListingsAtomFeed()


@require_GET
def news_feed(request: HttpRequest, atom: bool = False) -> HttpResponse:
    return (_news_atom if atom else _news_rss)(request)


@require_GET
def listings_feed(request: HttpRequest, atom: bool = False) -> HttpResponse:
    area = None
    code = request.GET.get("area", "").strip()
    if code:
        area = Area.objects.filter(code=code).first()
        if area is None:
            return _bad_request(InvalidParam("area", _("その地域はありません。")))
    kind = request.GET.get("kind", "").strip()
    if kind:
        try:
            kind = code_for(Kind, kind, KIND_ALIASES)
        except ValueError as error:
            return _bad_request(InvalidParam("kind", str(error)))
    return (_listings_atom if atom else _listings_rss)(request, area=area, kind=kind)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # The submission form itself is for community groups to find; what lies below it
        # (per-listing correction forms, private status links) is not for crawlers.
        "Disallow: /submit/listing/",
        "Disallow: /submit/status/",
        "Disallow: /concern/",
        "Disallow: /reading/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
