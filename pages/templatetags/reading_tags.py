"""Furigana for content when the resident has turned it on (the header's reading-aids form).

``{% furigana text %}`` for plain text (a summary, a title), ``{% furigana_rich value %}`` for
rich text (a paragraph block's value, a RichTextField's stored HTML). With furigana off they
render exactly what ``{{ text }}`` and ``{{ value|richtext }}`` would. See pages/furigana.py.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def furigana(context, text, kana: str = "") -> str:
    if text in (None, ""):
        return ""
    if not context.get("ruby_mode"):
        return conditional_escape(text)
    from pages.furigana import furigana_html, furigana_text

    if isinstance(text, SafeData):  # already HTML (e.g. rich text through |striptags)
        return mark_safe(furigana_html(str(text)))
    return mark_safe(furigana_text(str(text), kana or ""))


@register.simple_tag(takes_context=True)
def furigana_rich(context, value) -> str:
    if value in (None, ""):
        return ""
    from wagtail.templatetags.wagtailcore_tags import richtext

    html = str(richtext(value))  # as {{ value|richtext }}: links expanded
    if not context.get("ruby_mode"):
        return mark_safe(html)
    from pages.furigana import furigana_html

    return mark_safe(furigana_html(html))
