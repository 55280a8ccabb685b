"""iCalendar (RFC 5545) documents built with the ``icalendar`` package."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from .selectors import CalendarEntry

TZ = ZoneInfo(settings.TIME_ZONE)
PRODID = "-//ibasho-portal//calendar//JA"


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(entry: CalendarEntry, base_url: str, host: str, description: str = "") -> Event:
    event = Event()
    time_part = entry.start_time.strftime("%H%M") if entry.start_time else "day"
    event.add("uid", f"{entry.source}-{entry.page_id}-{entry.date:%Y%m%d}-{time_part}@{host}")
    event.add("summary", entry.title)
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    if entry.start_time:
        start = datetime.datetime.combine(entry.date, entry.start_time, tzinfo=TZ)
        event.add("dtstart", start)
        if entry.end_time:
            event.add("dtend", datetime.datetime.combine(entry.date, entry.end_time, tzinfo=TZ))
    else:
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + datetime.timedelta(days=1))
    if entry.place:
        event.add("location", entry.place)
    if entry.url:
        event.add("url", f"{base_url}{entry.url}" if entry.url.startswith("/") else entry.url)
    event.add("categories", [str(entry.kind_label)])
    if description:
        event.add("description", description)
    return event


def calendar_of(
    name: str, entries: Iterable[CalendarEntry], base_url: str, host: str, description: str = ""
) -> bytes:
    cal = new_calendar(name)
    for entry in entries:
        cal.add_component(_event(entry, base_url, host, description))
    return cal.to_ical()
