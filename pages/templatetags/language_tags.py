"""Marking Japanese content under the English interface.

Names, descriptions, addresses, area names and the like come from the database and are Japanese
whatever language the interface is in. Under the English interface (<html lang="en">) they need
lang="ja" so that screen readers pronounce them as Japanese (and browsers pick Japanese glyphs).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

CONTENT_LANGUAGE = "ja"


def content_is_foreign() -> bool:
    """True when the interface language is not the content's (Japanese)."""
    return (get_language() or CONTENT_LANGUAGE).split("-")[0] != CONTENT_LANGUAGE


@register.simple_tag
def ja() -> str:
    """` lang="ja"` (with its leading space) under a non-Japanese interface, else nothing.

    Use inside a start tag: ``<h1{% ja %}>{{ page.title }}</h1>``.
    """
    return mark_safe(' lang="ja"') if content_is_foreign() else ""


@register.simple_tag
def ja_span(value) -> str:
    """``value`` escaped, wrapped in <span lang="ja"> under a non-Japanese interface."""
    from django.utils.html import conditional_escape, format_html

    if value in (None, ""):
        return ""
    if content_is_foreign():
        return format_html('<span lang="ja">{}</span>', value)
    return conditional_escape(value)


@register.simple_tag
def ui() -> str:
    """` lang="<interface language>"` under a non-Japanese interface, else nothing: for interface
    text inside an element marked ``{% ja %}``."""
    return mark_safe(f' lang="{get_language()}"') if content_is_foreign() else ""


@register.simple_tag(name="content_is_foreign")
def content_is_foreign_tag() -> bool:
    """For ``{% content_is_foreign as foreign %}``: composite content goes in
    ``{% if foreign %}<span lang="ja">{% endif %}…``, so the Japanese pages keep their markup."""
    return content_is_foreign()
