"""schema.org JSON-LD for news and events (rendered as data, never run as script)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

ATTENDANCE_OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
SCHEDULED = "https://schema.org/EventScheduled"


def _publisher() -> dict:
    return {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}


def news_article(page, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "datePublished": page.date.isoformat(),
        "url": page.get_full_url(request),
        "publisher": _publisher(),
        "inLanguage": "ja",
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.summary:
        data["description"] = page.summary
    return data


def _moment(day: datetime.date, time: datetime.time | None) -> str:
    if time is None:
        return day.isoformat()
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, time, tzinfo=tz).isoformat()


def event(page, request) -> dict | list:
    """One schema.org Event per date (a series of dates is a list of events)."""
    url = page.get_full_url(request)
    location = {"@type": "Place", "name": page.place or page.address or settings.WAGTAIL_SITE_NAME}
    if page.address:
        location["address"] = {"@type": "PostalAddress", "streetAddress": page.address}
    events = []
    for day in page.sorted_dates():
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "startDate": _moment(day.date, day.start_time),
            "eventStatus": SCHEDULED,
            "eventAttendanceMode": ATTENDANCE_OFFLINE,
            "location": location,
            "organizer": _publisher(),
            "url": url,
            "inLanguage": "ja",
        }
        if day.end_time:
            item["endDate"] = _moment(day.date, day.end_time)
        if page.summary:
            item["description"] = page.summary
        events.append(item)
    return events[0] if len(events) == 1 else events
