"""Rows that become listings, shared by every listings format.

An importer turns each row into a ``ListingRow`` (its external ID and field values) and asks
``listing_step`` what importing it does: create a published listing, update one (a new
revision, published unless staff took the page offline) or nothing when no value changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify
from wagtail.signal_handlers import disable_reference_index_auto_update

from ..editing.text import html_to_text, normalize_text, text_to_html
from ..models import AgeGroup, Area, ListingIndexPage, ListingPage, ScheduleRule, split_keywords
from ..schedules import Rule
from .steps import Step

# How many IDs to look up per query (SQLite limits the number of query parameters).
LOOKUP_CHUNK = 500


@dataclass
class ListingRow:
    line: int
    external_id: str
    # Field name → incoming value, for the columns present in the file. Besides model fields:
    # description (plain text), age_groups (codes), topics (names), schedule_rules (Rules),
    # consultation_keywords (keywords).
    values: dict[str, Any]


@dataclass
class ListingContext:
    areas: dict[str, Area]
    ages: dict[str, AgeGroup]
    parent: ListingIndexPage | None
    taken_slugs: set[str] = field(default_factory=set)


def existing_listings(external_ids: list[str]) -> dict[str, ListingPage]:
    found: dict[str, ListingPage] = {}
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        chunk = external_ids[start : start + LOOKUP_CHUNK]
        pages = (
            ListingPage.objects.filter(external_id__in=chunk)
            .select_related("location_area")
            .prefetch_related("age_groups", "topics", "schedule_rules")
        )
        found |= {page.external_id: page for page in pages}
    return found


def listing_step(row: ListingRow, page: ListingPage | None, context: ListingContext) -> Step:
    if page is None:
        slug = _unique_slug(row.external_id, context.taken_slugs)
        return Step(row.line, "created", lambda: _create_listing(row, slug, context))
    # Compare with what is published; a page staff took offline is compared with its draft.
    base = page if page.live else page.get_latest_revision_as_object()
    changed = [
        name
        for name, value in row.values.items()
        if _comparable(name, value) != _current_value(base, name)
    ]
    if not changed:
        return Step(row.line, "unchanged")
    return Step(row.line, "updated", lambda: _update_listing(base, row, changed, context))


def _unique_slug(external_id: str, taken: set[str]) -> str:
    base = slugify(external_id)
    if not base:
        # A non-ASCII ID: a short stable hash keeps the URL ASCII and the same on every import.
        base = "listing-" + hashlib.sha1(external_id.encode()).hexdigest()[:10]
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _comparable(name: str, value: Any) -> Any:
    if name == "age_groups":
        return frozenset(value)
    if name == "topics":
        # Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE).
        return frozenset(topic.casefold() for topic in value)
    return value


def _current_value(page: ListingPage, name: str) -> Any:
    if name == "description":
        # Compared as plain text, so re-importing an export keeps staff's formatting.
        return html_to_text(page.description)
    if name == "age_groups":
        return frozenset(group.code for group in page.age_groups.all())
    if name == "topics":
        return frozenset(tag.name.casefold() for tag in page.topics.all())
    if name == "schedule_rules":
        return tuple(Rule.from_model(rule) for rule in page.schedule_rules.all())
    if name == "consultation_keywords":
        return tuple(split_keywords(page.consultation_keywords))
    if name in ("schedule_note", "accessibility"):
        return normalize_text(getattr(page, name))
    return getattr(page, name)


def _apply(page: ListingPage, name: str, value: Any, context: ListingContext) -> None:
    if name == "description":
        page.description = text_to_html(value)
    elif name == "age_groups":
        page.age_groups.set([context.ages[code] for code in value])
    elif name == "topics":
        page.topics.set(list(value))
    elif name == "schedule_rules":
        page.schedule_rules = [
            ScheduleRule(sort_order=order, **rule.model_kwargs())
            for order, rule in enumerate(value)
        ]
    elif name == "consultation_keywords":
        page.consultation_keywords = "、".join(value)
    else:
        setattr(page, name, value)


def _create_listing(row: ListingRow, slug: str, context: ListingContext) -> None:
    page = ListingPage(slug=slug, external_id=row.external_id, live=False)
    for name, value in row.values.items():
        _apply(page, name, value, context)
    with disable_reference_index_auto_update():
        # Saved three times in all; the last (publish) indexes the page's references.
        context.parent.add_child(instance=page)
        revision = page.save_revision()
    revision.publish()


def _update_listing(
    page: ListingPage, row: ListingRow, changed: list[str], context: ListingContext
) -> None:
    for name in changed:
        _apply(page, name, row.values[name], context)
    revision = page.save_revision()
    if page.live:
        revision.publish()


def default_listing_parent() -> ListingIndexPage | None:
    """Where new listings go when no parent is given: the first listing index page."""
    return ListingIndexPage.objects.first()
