"""Structured data (schema.org JSON-LD), Open Graph tags and QR codes for listing pages."""

from __future__ import annotations

import datetime
import json

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from listings.vocabulary import Kind

register = template.Library()

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def _text(html: str, limit: int = 300) -> str:
    text = " ".join(strip_tags(html or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _place(listing) -> dict:
    place: dict = {"@type": "Place", "name": listing.title}
    if listing.address:
        place["address"] = {
            "@type": "PostalAddress",
            "streetAddress": listing.address,
            "addressCountry": "JP",
        }
    if listing.latitude is not None and listing.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(listing.latitude),
            "longitude": float(listing.longitude),
        }
    return place


def _at(day: datetime.date, time: datetime.time | None) -> str:
    if time is None:
        return day.isoformat()
    return datetime.datetime.combine(day, time, tzinfo=TOKYO).isoformat()


def listing_structured_data(listing, url: str) -> dict:
    """schema.org for a listing: GovernmentService (相談窓口), Event (子ども食堂, ふれまち活動
    with a next date) or Place (居場所, or an activity without dates)."""
    description = _text(listing.description)
    contact = {k: v for k, v in (("telephone", listing.phone), ("email", listing.email)) if v}
    if listing.kind == Kind.WINDOW:
        data = {
            "@type": "GovernmentService",
            "name": listing.title,
            "url": url,
            "serviceLocation": _place(listing),
        }
        if listing.organiser:
            data["provider"] = {"@type": "GovernmentOrganization", "name": listing.organiser}
        if contact:
            data["availableChannel"] = {
                "@type": "ServiceChannel",
                "serviceLocation": _place(listing),
                "servicePhone": {"@type": "ContactPoint", **contact},
            }
    else:
        upcoming = list(listing.next_dates(1)) if listing.kind != Kind.IBASHO else []
        if upcoming:
            first = upcoming[0]
            data = {
                "@type": "Event",
                "name": listing.title,
                "url": url,
                "startDate": _at(first.date, first.start_time),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "eventStatus": "https://schema.org/EventScheduled",
                "location": _place(listing),
            }
            if first.end_time:
                data["endDate"] = _at(first.date, first.end_time)
            if listing.organiser:
                data["organizer"] = {"@type": "Organization", "name": listing.organiser}
        else:
            data = {**_place(listing), "url": url, **contact}
    if description:
        data["description"] = description
    if listing.website:
        data["sameAs"] = listing.website
    return {"@context": "https://schema.org", **data}


@register.simple_tag(takes_context=True)
def listing_json_ld(context, listing) -> str:
    url = context["request"].build_absolute_uri(listing.url)
    text = json.dumps(listing_structured_data(listing, url), ensure_ascii=False)
    # Safe inside <script>: no "</script>" or HTML comment can close it early.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def qr_svg(url: str, title: str = "") -> str:
    """The URL as a QR code, inline SVG (no image file, prints sharply)."""
    import segno

    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=4, border=2, dark="#000", light="#fff", title=title or None, omitsize=True
    )
    label = escape(title or url)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))
