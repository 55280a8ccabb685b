from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("components/area_community.html", takes_context=True)
def area_community(context, area):
    """The staff-written part of an area page: notices, coordinators, what the tier means."""
    return {
        "request": context.get("request"),
        "area": area,
        "notices": selectors.notices_for(area),
        "coordinators": selectors.coordinators_for(area),
        "tier_meaning": dict((code, meaning) for code, _, meaning in selectors.tier_meanings()).get(
            area.tier, ""
        ),
        "ruby_mode": context.get("ruby_mode"),
    }
