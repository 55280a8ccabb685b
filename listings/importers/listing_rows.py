"""Rows that become listings, shared by every listings format.

An importer turns each row into a ``ListingRow`` (its external ID and field values) and asks
``listing_step`` what importing it does: create a published listing, update one (a new
revision, published unless staff took the page offline) or nothing when no value changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from ..editing import (
    ListingValues,
    References,
    Then,
    apply,
    diff,
    new_listing,
    save_listing,
    values_of,
)
from ..editing.text import html_to_text
from ..models import ListingIndexPage, ListingPage
from ..schedules import describe_rule
from .steps import Step

# How many IDs to look up per query (SQLite limits the number of query parameters).
LOOKUP_CHUNK = 500


@dataclass
class ListingRow:
    line: int
    external_id: str
    # ``ListingValues`` field → the row's value, for the fields the file gives (a column left
    # out of a file leaves its field as it is).
    values: dict[str, Any]


@dataclass
class ListingContext:
    references: References
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
    label = f"{row.external_id} {row.values.get('title', '')}".strip()
    if page is None:
        slug = _unique_slug(row.external_id, context.taken_slugs)
        values = dataclasses.replace(ListingValues(), **row.values)
        return Step(
            row.line,
            "created",
            lambda: _create_listing(row, values, slug, context),
            label=label,
        )
    # Compare with what is published; a page staff took offline is compared with its draft.
    base = page if page.live else page.get_latest_revision_as_object()
    before = values_of(base)
    after = dataclasses.replace(before, **row.values)
    changed = diff(before, after, row.values)
    if not changed:
        return Step(row.line, "unchanged", label=label)
    return Step(
        row.line,
        "updated",
        lambda: _update_listing(base, after, changed, context),
        label=label,
        changes=tuple(
            (name, display(name, getattr(before, name)), display(name, getattr(after, name)))
            for name in changed
        ),
    )


def display(name: str, value: Any) -> str:
    """A field's value as a line of text for a preview's diff."""
    if value is None:
        return ""
    if name == "description":
        return html_to_text(value)
    if name == "schedule_rules":
        return "; ".join(describe_rule(rule) for rule in value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return "; ".join(str(item) for item in value)
    return str(value)


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


def _create_listing(
    row: ListingRow, values: ListingValues, slug: str, context: ListingContext
) -> None:
    page = new_listing(
        values, slug=slug, external_id=row.external_id, references=context.references
    )
    save_listing(page, then=Then.PUBLISH, parent=context.parent)


def _update_listing(
    page: ListingPage, values: ListingValues, changed: tuple[str, ...], context: ListingContext
) -> None:
    apply(page, values, changed, references=context.references)
    save_listing(page, then=Then.PUBLISH)


def default_listing_parent() -> ListingIndexPage | None:
    """Where new listings go when no parent is given: the first listing index page."""
    return ListingIndexPage.objects.first()
