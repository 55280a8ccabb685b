"""Small builders for test data (real models, real database)."""

from __future__ import annotations

import datetime
import itertools

from listings.models import AgeGroup, Area, ListingIndexPage, ListingPage, ScheduleRule
from listings.vocabulary import Kind, Tier

_counter = itertools.count(1)


def make_area(code: str, name: str, tier: str, parent: Area | None = None, **extra) -> Area:
    area = Area(code=code, name=name, tier=tier, parent=parent, **extra)
    area.full_clean()
    area.save()
    return area


def listing_index() -> ListingIndexPage:
    return ListingIndexPage.objects.get(slug="listings")


def make_listing(
    title: str | None = None,
    *,
    kind: str = Kind.IBASHO,
    area: Area,
    service_tier: str = Tier.NEIGHBOURHOOD,
    ages: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    rules: tuple[dict, ...] = (),
    publish: bool = True,
    parent: ListingIndexPage | None = None,
    **fields,
) -> ListingPage:
    """Create a listing under the listing index; published unless ``publish=False``."""
    n = next(_counter)
    page = ListingPage(
        title=title or f"テスト居場所{n}",
        slug=f"listing-{n}",
        kind=kind,
        location_area=area,
        service_tier=service_tier,
        live=publish,
        **fields,
    )
    (parent or listing_index()).add_child(instance=page)
    if ages:
        page.age_groups.set(AgeGroup.objects.filter(code__in=ages))
    if topics:
        page.topics.add(*topics)
    for order, rule in enumerate(rules):
        ScheduleRule.objects.create(listing=page, sort_order=order, **rule)
    page.save_revision().publish() if publish else page.save_revision()
    return ListingPage.objects.get(pk=page.pk)


def weekly(weekday: int, start: str | None = None, end: str | None = None) -> dict:
    return {"frequency": "weekly", "weekday": weekday, **_times(start, end)}


def monthly(week: int, weekday: int, start: str | None = None, end: str | None = None) -> dict:
    return {
        "frequency": "monthly",
        "weekday": weekday,
        "week_of_month": week,
        **_times(start, end),
    }


def on_date(day: datetime.date, start: str | None = None, end: str | None = None) -> dict:
    return {"frequency": "date", "date": day, **_times(start, end)}


def _times(start: str | None, end: str | None) -> dict:
    def parse(t):
        return datetime.time.fromisoformat(t) if t else None

    return {"start_time": parse(start), "end_time": parse(end)}
