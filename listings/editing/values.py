"""A listing's editable fields as plain values: read from a page, compared, written back.

``ListingValues`` holds every field staff, imports and submissions edit, as plain Python
values (codes for areas and age groups, ``Rule`` for schedule rules, the description as the
stored rich text). ``values_of(page)`` reads them from a page or revision, ``diff`` says which
fields differ (by ``comparable``: what a resident would see differently), and ``apply`` writes
some or all of them onto a page object without saving it (``services.save_listing`` saves).

Not values: the page's identity (slug, ``external_id``), ``service_area`` (derived on save)
and photos (Wagtail images, attached by the submission flow).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from ..models import AgeGroup, Area, ListingPage, ScheduleRule, split_keywords
from ..schedules import Rule
from ..vocabulary import Tier
from .text import html_to_text, normalize_text


@dataclass(frozen=True)
class ListingValues:
    """Every editable field of a listing; the defaults are a new page's."""

    title: str = ""
    name_kana: str = ""
    kind: str = ""
    description: str = ""  # rich text (HTML) as stored; text.text_to_html makes it from text
    description_yasashii: str = ""  # plain text: the description in やさしい日本語 (staff write it)
    age_groups: tuple[str, ...] = ()  # AgeGroup codes
    topics: tuple[str, ...] = ()  # tag names
    location_area: str = ""  # Area code
    service_tier: str = Tier.NEIGHBOURHOOD.value
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    school_district: str = ""
    organiser: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    accessibility: str = ""
    schedule_rules: tuple[Rule, ...] = ()
    holiday_policy: str = ""
    schedule_note: str = ""
    schedule_text: str = ""
    fee: str = ""
    booking: str = ""
    how_to_join: str = ""
    capacity: str = ""
    last_verified: datetime.date | None = None
    consultation_keywords: tuple[str, ...] = ()
    contact_methods: tuple[str, ...] = ()
    source_municipality: str = ""
    source_dataset: str = ""
    source_license: str = ""
    source_url: str = ""
    source_date: datetime.date | None = None


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ListingValues))
# Text fields that may hold several lines: compared as text reads (trailing spaces and runs of
# blank lines do not count), as the description is.
MULTI_LINE_FIELDS = frozenset(
    {"schedule_note", "schedule_text", "how_to_join", "accessibility", "description_yasashii"}
)


def values_of(page: ListingPage) -> ListingValues:
    """What ``page`` (a page from the database or a revision's object) holds now.

    Reads ``age_groups``, ``topics`` and ``schedule_rules`` through ``.all()``: prefetch them
    (and select ``location_area``) when reading many pages.
    """
    area = page.location_area if page.location_area_id else None
    return ListingValues(
        title=page.title or "",
        name_kana=page.name_kana,
        kind=page.kind,
        description=page.description or "",
        description_yasashii=page.description_yasashii,
        age_groups=tuple(group.code for group in page.age_groups.all()),
        topics=tuple(tag.name for tag in page.topics.all()),
        location_area=area.code if area else "",
        service_tier=page.service_tier,
        address=page.address,
        latitude=page.latitude,
        longitude=page.longitude,
        school_district=page.school_district,
        organiser=page.organiser,
        phone=page.phone,
        fax=page.fax,
        email=page.email,
        website=page.website,
        accessibility=page.accessibility,
        schedule_rules=tuple(Rule.from_model(rule) for rule in page.schedule_rules.all()),
        holiday_policy=page.holiday_policy,
        schedule_note=page.schedule_note,
        schedule_text=page.schedule_text,
        fee=page.fee,
        booking=page.booking,
        how_to_join=page.how_to_join,
        capacity=page.capacity,
        last_verified=page.last_verified,
        consultation_keywords=tuple(split_keywords(page.consultation_keywords)),
        contact_methods=tuple(page.contact_methods or ()),
        source_municipality=page.source_municipality,
        source_dataset=page.source_dataset,
        source_license=page.source_license,
        source_url=page.source_url,
        source_date=page.source_date,
    )


def comparable(name: str, value: Any) -> Any:
    """``value`` of field ``name`` as it is compared: two values that read the same to a
    resident are equal (the description as plain text, whatever markup staff added; age
    groups and topics as sets, topics case-insensitively like the tags themselves)."""
    if name == "description":
        return html_to_text(value)
    if name in MULTI_LINE_FIELDS:
        return normalize_text(value)
    if name == "age_groups":
        return frozenset(value)
    if name == "topics":
        return frozenset(topic.casefold() for topic in value)
    return value


def diff(
    before: ListingValues, after: ListingValues, fields: Iterable[str] | None = None
) -> tuple[str, ...]:
    """The names of the fields (of ``fields``, default all) whose values differ, in order."""
    names = FIELD_NAMES if fields is None else _checked(fields)
    return tuple(
        name
        for name in names
        if comparable(name, getattr(before, name)) != comparable(name, getattr(after, name))
    )


class References:
    """Areas and age groups by code, each fetched once (an import applies hundreds of rows).

    Give the ones already at hand (an importer's area table); the rest are fetched when first
    asked for. An area code that does not exist raises ``Area.DoesNotExist``; an unknown age
    group code is left out (the age groups are a fixed, migration-made vocabulary).
    """

    def __init__(
        self, areas: dict[str, Area] | None = None, ages: dict[str, AgeGroup] | None = None
    ):
        self._areas = dict(areas or {})
        self._ages = ages

    def area(self, code: str) -> Area:
        if code not in self._areas:
            self._areas[code] = Area.objects.get(code=code)
        return self._areas[code]

    def age_groups(self, codes: Iterable[str]) -> list[AgeGroup]:
        if self._ages is None:
            self._ages = {group.code: group for group in AgeGroup.objects.all()}
        return [self._ages[code] for code in codes if code in self._ages]


def apply(
    page: ListingPage,
    values: ListingValues,
    fields: Iterable[str] | None = None,
    *,
    references: References | None = None,
) -> None:
    """Set ``values`` (only ``fields``, default all) on ``page`` without saving it.

    ``page`` may be new, from the database or a revision's object; relations (age groups,
    topics, schedule rules) are set in memory and written when the page or revision is saved.
    """
    references = references or References()
    for name in FIELD_NAMES if fields is None else _checked(fields):
        value = getattr(values, name)
        if name == "age_groups":
            page.age_groups.set(references.age_groups(value))
        elif name == "topics":
            page.topics.set(list(value))
        elif name == "location_area":
            page.location_area = references.area(value) if value else None
        elif name == "schedule_rules":
            page.schedule_rules = [
                ScheduleRule(sort_order=order, **rule.model_kwargs())
                for order, rule in enumerate(value)
            ]
        elif name == "consultation_keywords":
            page.consultation_keywords = "、".join(value)
        elif name == "contact_methods":
            page.contact_methods = list(value)
        else:
            setattr(page, name, value)


def _checked(names: Iterable[str]) -> tuple[str, ...]:
    names = tuple(names)
    unknown = set(names) - set(FIELD_NAMES)
    if unknown:
        raise ValueError(f"not listing value fields: {', '.join(sorted(unknown))}")
    return names
