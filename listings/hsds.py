"""Listings as Open Referral HSDS 3 services (docs/hsds.md has the field mapping).

``service(page, base_url)`` is one listing as an HSDS ``service`` object with its nested
organization, phones, schedules, service areas, location, languages, cost options and
accessibility; ``service_page(pages, base_url)`` is a list of them in the paged shape of the HSDS
API (``/services``); ``export_listings_hsds(stream)`` writes that as JSON. The output is checked
against the official schema files in tests (tests/listings/test_hsds.py), never a hand copy.

IDs are UUIDs derived from the listing's external ID (uuid5), so the same listing keeps the same
HSDS IDs from one export to the next. Only what a listing says is written: a field the listing
leaves empty is left out, and a schedule whose dates are to be confirmed (tentative) becomes a
schedule with a description and no recurrence rule.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import QuerySet
from django.utils import translation

from . import schedules
from .editing.text import html_to_text
from .models import ListingPage
from .vocabulary import Booking

NAMESPACE = uuid.UUID("6f1d3c1e-8a53-4c55-9d3e-6b0e5a1f3c21")  # this portal's HSDS IDs
TIMEZONE_OFFSET = 9  # Asia/Tokyo, as HSDS wants it: hours from UTC
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
JAPANESE = {"name": "日本語", "code": "ja"}


def hsds_id(*parts: object) -> str:
    """A stable UUID for one HSDS object of a listing (``"service", external_id`` …)."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _url(value: str) -> str | None:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return None
    return value


def _email(value: str) -> str | None:
    try:
        EmailValidator()(value)
    except ValidationError:
        return None
    return value


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the listing does not say (None, "", empty lists)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _time(value) -> str | None:
    # HH:MM with the UTC offset, as HSDS asks ("09:00+09:00").
    return f"{value:%H:%M}+09:00" if value else None


def schedule(rule: schedules.Rule, key: str, note: str) -> dict[str, Any]:
    """One schedule rule as an HSDS schedule (RRULE fields, in Asia/Tokyo)."""
    data: dict[str, Any] = {
        "id": hsds_id("schedule", key),
        "timezone": TIMEZONE_OFFSET,
        "opens_at": _time(rule.start_time),
        "closes_at": _time(rule.end_time),
        "wkst": "MO",
        "notes": note,
    }
    with translation.override("ja"):
        data["description"] = schedules.describe_rule(rule)
    if rule.frequency == "weekly" and rule.weekday is not None:
        data |= {"freq": "WEEKLY", "byday": BYDAY[rule.weekday]}
    elif rule.frequency == "monthly" and rule.weekday is not None:
        data |= {"freq": "MONTHLY", "byday": f"{rule.week_of_month}{BYDAY[rule.weekday]}"}
    elif rule.frequency == "monthday" and rule.day_of_month:
        data |= {"freq": "MONTHLY", "bymonthday": str(rule.day_of_month)}
    elif rule.frequency == "date" and rule.date:
        day = rule.date.isoformat()
        data |= {"dtstart": day, "valid_from": day, "valid_to": day, "count": 1}
    # tentative: dates to confirm with the group, so no rule; the description says so.
    return _clean(data)


def service(page: ListingPage, base_url: str = "") -> dict[str, Any]:
    """One listing as an HSDS 3 service (with its nested objects)."""
    key = page.external_id or str(page.pk)
    service_id = hsds_id("service", key)
    with translation.override("ja"):
        booking = str(page.get_booking_display()) if page.booking else ""
        ages = [str(group.label) for group in page.age_groups.all()]
        tier = page.service_tier_label
    application = "\n".join(
        part for part in (f"予約：{booking}" if booking else "", page.how_to_join) if part
    )
    notes = "\n".join(p for p in (page.schedule_note, page.schedule_text) if p)
    page_url = f"{base_url.rstrip('/')}{page.url}" if base_url and page.url else ""
    data: dict[str, Any] = {
        "id": service_id,
        "name": page.title,
        "alternate_name": page.name_kana,
        "description": html_to_text(page.description),
        "url": _url(page.website) or page_url or None,  # else this portal's own page
        "email": _email(page.email),
        "status": "active" if page.live else "inactive",
        "application_process": application,
        "fees_description": page.fee,
        "eligibility_description": "、".join(ages),
        "assured_date": page.last_verified.isoformat() if page.last_verified else None,
        "last_modified": page.last_published_at.isoformat() if page.last_published_at else None,
        "organization": _organization(page, key),
        "phones": _phones(page, key),
        "schedules": [
            schedule(schedules.Rule.from_model(rule), f"{key}:{n}", notes)
            for n, rule in enumerate(page.schedule_rules.all())
        ],
        "service_areas": _service_areas(page, key, tier),
        "service_at_locations": _service_at_locations(page, key, page_url),
        "languages": [{"id": hsds_id("language", key), **JAPANESE}],
        "cost_options": _cost_options(page, key),
        "metadata": _attribution(page, key, service_id),
    }
    if booking and page.booking == Booking.REQUIRED:
        data["alert"] = "予約が必要です。"
    if not data["schedules"] and notes:
        data["schedules"] = [_clean({"id": hsds_id("schedule", key, "text"), "description": notes})]
    return _clean(data)


def _organization(page: ListingPage, key: str) -> dict[str, Any] | None:
    if not page.organiser:
        return None
    return {
        "id": hsds_id("organization", page.organiser),
        "name": page.organiser,
        "description": page.organiser,
    }


def _phones(page: ListingPage, key: str) -> list[dict[str, Any]]:
    phones = []
    if page.phone:
        phones.append({"id": hsds_id("phone", key), "number": page.phone, "type": "voice"})
    if page.fax:
        phones.append({"id": hsds_id("fax", key), "number": page.fax, "type": "fax"})
    return phones


def _service_areas(page: ListingPage, key: str, tier: str) -> list[dict[str, Any]]:
    area = page.service_area
    if area is None:
        return []
    return [
        _clean(
            {
                "id": hsds_id("service_area", key),
                "name": area.name,
                "description": tier,
                "extent_type": "area_code",
                "extent": area.code,
            }
        )
    ]


def _service_at_locations(page: ListingPage, key: str, page_url: str) -> list[dict[str, Any]]:
    if not (page.address or page.latitude is not None):
        return []
    location = _clean(
        {
            "id": hsds_id("location", key),
            "location_type": "physical",
            "name": page.title,
            "description": page.address,
            "latitude": page.latitude,
            "longitude": page.longitude,
            "external_identifier": page.external_id,
            "external_identifier_type": "portal_external_id",
            "accessibility": [
                {"id": hsds_id("accessibility", key), "description": page.accessibility}
            ]
            if page.accessibility
            else [],
        }
    )
    return [{"id": hsds_id("service_at_location", key), "location": location}]


def _cost_options(page: ListingPage, key: str) -> list[dict[str, Any]]:
    if not page.fee:
        return []
    option: dict[str, Any] = {"id": hsds_id("cost_option", key), "amount_description": page.fee}
    if page.fee.strip() in ("無料", "どなたも無料", "どなたでも無料"):
        option |= {"amount": 0, "currency": "JPY"}
    return [option]


def _attribution(page: ListingPage, key: str, service_id: str) -> list[dict[str, Any]]:
    """CC BY credit of open data, as HSDS metadata: where the record came from."""
    if not (page.source_municipality or page.source_dataset or page.source_url):
        return []
    credit = page.source_municipality
    if page.source_dataset:
        credit += f"「{page.source_dataset}」"
    if page.source_license:
        credit += f"（{page.source_license}）"
    if page.source_url:
        credit += f" {page.source_url}"
    when = page.source_date or (page.first_published_at.date() if page.first_published_at else None)
    return [
        {
            "id": hsds_id("metadata", key, "source"),
            "resource_id": service_id,
            "resource_type": "service",
            "last_action_date": when.isoformat() if when else "",
            "last_action_type": "import",
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": f"出典：{credit}（表記を整えて掲載）",
        }
    ]


def listing_for_service_id(service_id: str) -> ListingPage | None:
    """The live listing whose HSDS service id this is (IDs are derived, so each live listing's
    id is computed: fine at a city's few thousand listings)."""
    for pk, external_id in ListingPage.objects.live().values_list("pk", "external_id"):
        if hsds_id("service", external_id or str(pk)) == service_id:
            return listings_for_hsds(ListingPage.objects.filter(pk=pk)).first()
    return None


def listings_for_hsds(queryset: QuerySet[ListingPage] | None = None) -> QuerySet[ListingPage]:
    if queryset is None:
        queryset = ListingPage.objects.live().order_by("path")
    return queryset.select_related("location_area", "service_area").prefetch_related(
        "age_groups", "schedule_rules"
    )


def service_page(
    pages: Iterable[ListingPage],
    base_url: str = "",
    page_number: int = 1,
    total: int | None = None,
    page_size: int | None = None,
) -> dict[str, Any]:
    """Services in the paged shape of the HSDS API's ``/services`` answer."""
    contents = [service(page, base_url) for page in pages]
    total = len(contents) if total is None else total
    size = page_size or max(len(contents), 1)
    total_pages = max(1, -(-total // size))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def export_listings_hsds(
    stream: IO[str], queryset: QuerySet[ListingPage] | None = None, base_url: str | None = None
) -> int:
    """Write every live listing (or ``queryset``) as one HSDS services page (JSON, UTF-8)."""
    base = settings.WAGTAILADMIN_BASE_URL if base_url is None else base_url
    data = service_page(listings_for_hsds(queryset), base)
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
    return data["total_items"]
