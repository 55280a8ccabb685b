"""Small display helpers for the public pages: dates and schedules (in the interface language),
tel: links, the area tree."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django import template

from listings.schedules import (
    Rule,
    describe_rule,
    every_day,
    format_date,
    format_full_date,
    format_time_range,
    monthly_phrase,
    tentative_phrase,
    weekly_phrase,
)

register = template.Library()

GSI_MAP_ZOOM = 16


_EXTENSION = re.compile(r"(内線|ext\.?|x\d)", re.IGNORECASE)
_PHONE_RUN = re.compile(r"\+?\d[\d\s()\-‐‑‒–—―−ー]*\d")


@register.filter
def tel_href(phone: str) -> str:
    """``tel:`` URL for a phone number as typed: digits and a leading + only.

    Full-width characters are normalised (０３－１２３４…), an extension (内線12) is dropped and
    only the first number is used when several are given.
    """
    if not phone:
        return ""
    text = unicodedata.normalize("NFKC", str(phone))
    text = _EXTENSION.split(text, maxsplit=1)[0]
    match = _PHONE_RUN.search(text)
    if not match:
        return ""
    run = match.group(0)
    digits = re.sub(r"\D", "", run)
    if len(digits) < 3:
        return ""
    return f"tel:{'+' if run.startswith('+') else ''}{digits}"


@register.filter
def jp_date(day: datetime.date | None) -> str:
    """12月13日（土）; "Sat 13 Dec" under English."""
    if not day:
        return ""
    return format_date(day)


@register.filter
def jp_full_date(day: datetime.date | None) -> str:
    """2025年12月13日; "13 December 2025" under English."""
    if not day:
        return ""
    return format_full_date(day)


@register.filter
def time_range(occurrence) -> str:
    """10:00〜12:00 ("10:00–12:00") for anything with start_time and end_time."""
    return format_time_range(
        getattr(occurrence, "start_time", None), getattr(occurrence, "end_time", None)
    )


@register.filter
def gsi_map_url(listing) -> str:
    """A plain link to the Geospatial Information Authority map, or "" without coordinates."""
    lat = getattr(listing, "latitude", None)
    lng = getattr(listing, "longitude", None)
    if lat is None or lng is None:
        return ""
    return f"https://maps.gsi.go.jp/#{GSI_MAP_ZOOM}/{lat:.6f}/{lng:.6f}/"


@dataclass
class AreaNode:
    summary: object
    children: list[AreaNode] = field(default_factory=list)

    @property
    def area(self):
        return self.summary.area

    @property
    def listing_count(self) -> int:
        return self.summary.listing_count


@register.filter
def area_tree_nodes(summaries) -> list[AreaNode]:
    """Nest a flat, tree-ordered list of AreaSummary by ``area.parent_id``.

    Areas whose parent is not in the list become roots, so a partial list still renders.
    """
    nodes: dict[int, AreaNode] = {}
    roots: list[AreaNode] = []
    for summary in summaries or []:
        node = AreaNode(summary)
        nodes[summary.area.pk] = node
        parent = nodes.get(summary.area.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


@register.simple_tag
def elided_page_range(page_obj, on_each_side: int = 1, on_ends: int = 1):
    """Page numbers with 「…」 gaps, for long listings."""
    paginator = page_obj.paginator
    return list(
        paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends)
    )


@register.filter
def describe_rules(rules) -> list[str]:
    """Schedule rules as residents read them, rules with the same times merged.

    「毎週 月・水 10:00〜12:00」 (two weekly rows), 「毎週 月〜金曜 8:30〜17:15」,
    「毎月 第2・第4 土曜 11:00〜13:00」, 「毎日 10:00〜12:00」; in English "Every Monday and
    Wednesday 10:00–12:00", "Every Monday to Friday 8:30–17:15", "2nd and 4th Saturday of each
    month 11:00–13:00", "Every day 10:00–12:00".
    Dates and anything unusual keep describe_rule's wording.
    Lines keep the order of each group's first rule.
    """
    groups: dict[tuple, list] = {}
    for rule in rules or []:
        times = (rule.start_time, rule.end_time)
        if rule.frequency == "weekly" and rule.weekday is not None:
            key = ("weekly", *times)
        elif rule.frequency == "tentative":
            key = ("tentative", *times)
        elif (
            rule.frequency == "monthly"
            and rule.weekday is not None
            and rule.week_of_month is not None
        ):
            key = ("monthly", rule.weekday, *times)
        else:
            key = ("single", id(rule))
        groups.setdefault(key, []).append(rule)

    lines = []
    for key, members in groups.items():
        first = members[0]
        times = format_time_range(first.start_time, first.end_time)
        if key[0] == "weekly" and len({r.weekday for r in members}) == 7:
            day = every_day()
        elif key[0] == "tentative":
            day = tentative_phrase([r.weekday for r in members if r.weekday is not None])
        elif key[0] == "weekly" and len(members) > 1:
            day = weekly_phrase([r.weekday for r in members])
        elif key[0] == "monthly" and len(members) > 1:
            day = monthly_phrase([r.week_of_month for r in members], first.weekday)
        else:
            lines.append(describe_rule(Rule.from_model(first)))
            continue
        lines.append(f"{day} {times}".strip())
    return lines


def hiragana(kana: str) -> str:
    """Katakana readings (as stored) as hiragana, the usual script for furigana."""
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in kana or "")


@register.simple_tag(takes_context=True)
def ruby(context, text: str, kana: str = "") -> str:
    """``text`` with furigana per word (pages/furigana.py, the same as body text) when the
    furigana mode is on; the stored reading ``kana`` is preferred where it lines up. Otherwise
    the text alone. Both are escaped."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    if not context.get("ruby_mode") or not text:
        return conditional_escape(text)
    from pages.furigana import furigana_text

    return mark_safe(furigana_text(str(text), kana or ""))


@register.simple_tag
def map_tiles() -> dict:
    """Tile URL and attribution (HTML) for the Leaflet maps, from settings."""
    from django.conf import settings

    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current URL's query string with ``changes`` (a value of "" removes the parameter)."""

    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None) if "page" not in changes else None
    for name, value in changes.items():
        if value in ("", None):
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _has_point(listing) -> bool:
    return listing.latitude is not None and listing.longitude is not None


@register.filter
def with_coordinates(listings) -> list:
    """The listings that can go on a map."""
    return [listing for listing in listings if _has_point(listing)]


@register.filter
def listify(value) -> list:
    return [value]


@register.filter
def result_places(items) -> list:
    """The listings of search result items that have coordinates (for the map view)."""
    return with_coordinates([item.listing for item in items])
