"""Display helpers for the residents' search page."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _

from listings.schedules import Rule, next_occurrences

register = template.Library()


@register.filter
def distance_label(metres: float | None) -> str:
    """350m under a kilometre, 1.2km above (residents read both at a glance)."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{metres:.0f}m"
    return f"{metres / 1000:.1f}".rstrip("0").rstrip(".") + "km"


@register.filter
def next_occurrence(listing, start: datetime.date | None = None):
    """The listing's next date (from ``start`` when a day was chosen), or None.

    Uses the prefetched ``schedule_rules``: no query per listing.
    """
    rules = [Rule.from_model(rule) for rule in listing.schedule_rules.all()]
    found = next_occurrences(rules, listing.holiday_policy, start=start or None, count=1)
    return found[0] if found else None


@register.filter
def distance_phrase(metres: float | None) -> str:
    """How far, as a card says it: 「50m以内」, 「約350m」 (to 10 m), 「約1.2km」."""
    if metres is None:
        return ""
    if metres < 50:
        return _("50m以内")
    if metres < 1000:
        return _("約%(d)s") % {"d": f"{round(metres, -1):.0f}m"}
    return _("約%(d)s") % {"d": distance_label(metres)}
