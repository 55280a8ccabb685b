"""Blocks of news, events and the site-wide notice that other templates include."""

from __future__ import annotations

import json

from django import template
from django.utils.safestring import mark_safe

from ..selectors import latest_news, upcoming_events

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def json_ld(context, page) -> str:
    """schema.org JSON-LD of ``page`` (data: a CSP nonce is not needed, nothing runs)."""
    data = page.json_ld(context.get("request"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.inclusion_tag("components/news/news_and_events.html", takes_context=True)
def news_and_events(context, area=None, heading_level=2, news_count=5, event_count=5):
    from news.models import EventIndexPage, NewsIndexPage

    return {
        "request": context.get("request"),
        "area": area,
        "heading_level": heading_level,
        "events": upcoming_events(event_count, area=area),
        "news_items": latest_news(news_count, area=area),
        "news_index": NewsIndexPage.objects.live().public().first(),
        "event_index": EventIndexPage.objects.live().public().first(),
    }
