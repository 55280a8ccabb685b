"""A proposal: the listing fields a group sends, as plain JSON-ready values.

This is the shape stored in ``Submission.data`` (JSON: the description as plain text, areas and
age groups as codes, schedule rows as ``Rule.to_json``). It is built from the form (``forms``) or
from an existing listing (``from_listing``, to prefill a suggested change), shown back to the
submitter and to staff (``display_rows``), and turned into ``listings.editing.ListingValues``
(``to_values``) to compare (``changed_fields``) and to write a draft (``services``). It holds no
personal data of the submitter: only what would be published.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from listings.editing import ListingValues, diff, values_of
from listings.editing.text import html_to_text, text_to_html
from listings.models import Area, ListingPage
from listings.schedules import Rule, describe_rule
from listings.vocabulary import Age, Booking, Kind, Tier

# 対象範囲 in the words a group uses (the form's choices and what the status page shows).
SERVICE_TIER_LABELS = {
    Tier.NEIGHBOURHOOD: _("近所の人（自治会・町内くらい）"),
    Tier.ELEMENTARY: _("小学校区くらいの人"),
    Tier.JUNIOR_HIGH: _("中学校区（圏域）くらいの人"),
    Tier.CITY: _("市内のだれでも"),
}

# Field → label, in the order they are shown.
LABELS: dict[str, Any] = {
    "kind": _("区分"),
    "title": _("名称"),
    "name_kana": _("名称のよみがな"),
    "description": _("説明"),
    "age_groups": _("対象"),
    "topics": _("テーマ"),
    "address": _("所在地"),
    "location_area": _("地域"),
    "service_tier": _("参加できる範囲"),
    "latitude": _("緯度"),
    "longitude": _("経度"),
    "schedule": _("開催日"),
    "schedule_note": _("日時の補足"),
    "fee": _("参加費"),
    "booking": _("予約"),
    "how_to_join": _("参加の方法"),
    "organiser": _("運営団体"),
    "phone": _("電話番号"),
    "email": _("メールアドレス"),
    "website": _("ホームページ"),
    "accessibility": _("バリアフリー情報"),
}
FIELDS = tuple(LABELS)
TEXT_FIELDS = (
    "title",
    "name_kana",
    "address",
    "schedule_note",
    "fee",
    "how_to_join",
    "organiser",
    "phone",
    "email",
    "website",
    "accessibility",
)


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    current: str
    proposed: str


# --- to and from listing values ------------------------------------------------------------------

# A proposal's field → the ``ListingValues`` field it fills.
VALUE_FIELDS = {name: "schedule_rules" if name == "schedule" else name for name in FIELDS}


def rule_to_json(rule: Any) -> dict[str, Any]:
    """A ScheduleRule row (a schedule row of the form) as a proposal's schedule row."""
    return Rule.from_model(rule).to_json()


def describe_schedule(rows: Iterable[dict[str, Any]]) -> list[str]:
    return [describe_rule(Rule.from_json(row)) for row in rows]


def to_values(data: dict[str, Any], base: ListingValues | None = None) -> ListingValues:
    """A stored proposal as listing values; the fields it does not have are ``base``'s."""
    given = {VALUE_FIELDS[name]: _value(name, data[name]) for name in FIELDS if name in data}
    return dataclasses.replace(base or ListingValues(), **given)


def _value(name: str, value: Any) -> Any:
    if name == "description":
        return text_to_html(value or "")
    if name in ("age_groups", "topics"):
        return tuple(value or ())
    if name == "schedule":
        return tuple(Rule.from_json(row) for row in value or ())
    if name in ("latitude", "longitude"):
        return None if value in (None, "") else float(value)
    return value if value is not None else ""


def from_values(values: ListingValues) -> dict[str, Any]:
    """Listing values as a proposal: plain-text description, codes, schedule rows as JSON."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(values, VALUE_FIELDS[name])
        if name == "description":
            value = html_to_text(value)
        elif name in ("age_groups", "topics"):
            value = list(value)
        elif name == "schedule":
            value = [rule.to_json() for rule in value]
        data[name] = value
    return data


def from_listing(page: ListingPage) -> dict[str, Any]:
    """What a listing says now, in proposal form (to prefill a suggested change)."""
    return from_values(values_of(page))


def value_fields(names: Iterable[str]) -> list[str]:
    """The ``ListingValues`` fields of these proposal fields."""
    return [VALUE_FIELDS[name] for name in names]


# --- comparing and showing ---------------------------------------------------------------------


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The fields of ``after`` that read differently from ``before`` (``listings.editing.diff``)."""
    names = [name for name in FIELDS if name in after]
    changed = set(diff(to_values(before), to_values(after), value_fields(names)))
    return [name for name in names if VALUE_FIELDS[name] in changed]


def display_value(name: str, value: Any, areas: dict[str, Area] | None = None) -> str:
    """A field's value as a resident-readable Japanese string."""
    if value in (None, "", [], ()):
        return ""
    if name == "kind":
        return str(_label(Kind, value))
    if name == "service_tier":
        return str(SERVICE_TIER_LABELS.get(value, _label(Tier, value)))
    if name == "booking":
        return str(_label(Booking, value))
    if name == "age_groups":
        return "、".join(str(_label(Age, code)) for code in value)
    if name == "topics":
        return "、".join(value)
    if name == "schedule":
        return "\n".join(describe_schedule(value))
    if name == "location_area":
        area = (areas or {}).get(value) or Area.objects.filter(code=value).first()
        return area.name if area else str(value)
    return str(value)


def display_rows(data: dict[str, Any]) -> list[Row]:
    areas = _areas_for([data])
    rows = [
        Row(name, str(LABELS[name]), display_value(name, data.get(name), areas)) for name in FIELDS
    ]
    return [row for row in rows if row.value]


def changes(
    current: dict[str, Any], proposed: dict[str, Any], fields: list[str] | None = None
) -> list[Change]:
    """Rows of (current, proposed) for ``fields`` (default: every field that differs)."""
    areas = _areas_for([current, proposed])
    names = changed_fields(current, proposed) if fields is None else fields
    return [
        Change(
            name,
            str(LABELS[name]),
            display_value(name, current.get(name), areas),
            display_value(name, proposed.get(name), areas),
        )
        for name in names
    ]


def _areas_for(proposals: list[dict[str, Any]]) -> dict[str, Area]:
    codes = {p.get("location_area") for p in proposals if p.get("location_area")}
    return {area.code: area for area in Area.objects.filter(code__in=codes)}


def _label(choices: Any, value: str) -> Any:
    try:
        return choices(value).label
    except ValueError:
        return value
