from django import template

from ..selectors import information_pages_for_area

register = template.Library()


@register.inclusion_tag("components/area_information.html", takes_context=True)
def area_information(context, area):
    """Information pages staff tagged with this area (or an area it lies in), on its area page."""
    return {
        "request": context.get("request"),
        "area": area,
        "pages": information_pages_for_area(area),
    }
