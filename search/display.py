"""Display records: what the public API shows for a listing, computed when it is indexed.

``display_record`` turns a listing into a small JSON-safe dict, stored alongside the listing's
search document. ``serialize_record`` turns that dict, a hit and the request into exactly what
``search.api.serialize_item`` returns for the listing page, without touching the database: the
API can answer a page of hits without hydrating pages from the ORM.

The record holds only what does not depend on the request, the hit or the day:

* ``kind_label`` is not stored, only ``kind``: the label is translated when serialising, so the
  active language (ja/en) still applies.
* ``url`` is ``page.url`` as Wagtail gives it without a request: a path (``/listings/x/``)
  when the project has one Site, a full URL (``http://host/listings/x/``) when it has several.
  ``request.build_absolute_uri`` returns a full URL unchanged, so storing it verbatim
  reproduces ``request.build_absolute_uri(page.url)`` either way.
* ``next_dates`` are recomputed on each call from the stored ``holiday_policy`` and schedule
  ``rules`` with ``listings.schedules.next_occurrences``, so they move with the date.

A record is a copy, so it is only as fresh as the last re-index of its listing. Publishing
the listing and saving its area re-index it (search.signals); changing the listing index
page's slug or editing Sites changes every listing's URL and re-indexes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from listings.models import Area, ListingPage
from listings.schedules import Rule, next_occurrences
from listings.vocabulary import Kind

NEXT_DATES = 3


def display_record(listing: ListingPage, areas_by_code: dict[str, Area]) -> dict[str, Any]:
    """The JSON-safe display record of ``listing``.

    Constant queries for a batch when the listings come from
    ``search.indexing.indexable_listings().prefetch_related("schedule_rules")``: the caller
    must make sure ``schedule_rules`` is prefetched too (naming it twice is harmless), or
    each listing costs one more query. ``page.url`` reads Wagtail's site root paths from the
    cache for each listing (one query on a miss; one cache round trip each with Redis).

    ``areas_by_code`` (the batch's area table, as for ``build_document``) is accepted so the
    indexer can call both alike; the location area itself comes from the select_related
    relation, which is what the API reads too.
    """
    del areas_by_code  # Not needed yet: the API shows only the location area itself.
    area = listing.location_area
    service = listing.service_area
    has_source = bool(listing.source_dataset or listing.source_municipality)
    return {
        "id": listing.pk,
        "external_id": listing.external_id,
        "title": listing.title,
        "name_kana": listing.name_kana,
        "kind": listing.kind,
        "url": listing.url or None,
        "area": {"code": area.code, "name": area.name, "tier": area.tier} if area else None,
        "service_area": service.code if service else None,
        "ages": [a.code for a in listing.age_groups.all()],
        # Through tagged_items, which indexable_listings() prefetches.
        "topics": [t.tag.name for t in listing.tagged_items.all()],
        "address": listing.address,
        "latitude": listing.latitude,
        "longitude": listing.longitude,
        "last_verified": listing.last_verified.isoformat() if listing.last_verified else None,
        "source": {
            "municipality": listing.source_municipality,
            "dataset": listing.source_dataset,
            "license": listing.source_license,
            "url": listing.source_url,
            "date": listing.source_date.isoformat() if listing.source_date else None,
        }
        if has_source
        else None,
        "holiday_policy": listing.holiday_policy,
        "rules": [Rule.from_model(r).to_json() for r in listing.schedule_rules.all()],
    }


def record_rules(record: dict[str, Any]) -> list[Rule]:
    """The record's schedule rules, for ``listings.schedules``."""
    return [Rule.from_json(rule) for rule in record["rules"]]


def serialize_record(
    record: dict[str, Any], hit, request, today: datetime.date | None = None
) -> dict[str, Any]:
    """What ``search.api.serialize_item`` returns for this listing and ``hit``, no queries.

    ``hit`` is a ``search.contract.Hit``; ``today`` defaults to today in Asia/Tokyo, as for
    ``ListingPage.next_dates``.
    """
    url = record["url"]
    area = record["area"]
    source = record["source"]
    occurrences = []
    if record["rules"]:
        # Without ``today``: from now in Asia/Tokyo, so a meal that ended this morning is not
        # the next date.
        occurrences = next_occurrences(
            record_rules(record), record["holiday_policy"], today, NEXT_DATES
        )
    return {
        "id": record["id"],
        "external_id": record["external_id"],
        "title": record["title"],
        "name_kana": record["name_kana"],
        "kind": record["kind"],
        "kind_label": str(Kind(record["kind"]).label),
        "url": request.build_absolute_uri(url) if url else None,
        "area": dict(area) if area else None,
        "service_area": record["service_area"],
        "area_match": hit.area_match,
        "distance_m": hit.distance_m,
        # With open_on: "sure" (its schedule says open that day) or "maybe" (that weekday is
        # one of its days, dates to confirm with the group: 要確認); otherwise null.
        "open_on_match": hit.open_on_match,
        "score": round(hit.score, 3),
        "ages": list(record["ages"]),
        "topics": list(record["topics"]),
        "address": record["address"],
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "next_dates": [
            {
                "date": o.date.isoformat(),
                "start": o.start_time.strftime("%H:%M") if o.start_time else None,
                "end": o.end_time.strftime("%H:%M") if o.end_time else None,
            }
            for o in occurrences
        ],
        "last_verified": record["last_verified"],
        "source": dict(source) if source else None,
    }
