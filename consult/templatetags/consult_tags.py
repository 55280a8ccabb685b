from django import template

from consult.selectors import window_profile

register = template.Library()


@register.simple_tag
def consult_profile(listing):
    """``{% consult_profile page as profile %}``: the window's access and its live related
    windows (``profile.access_labels``, ``profile.languages``, ``profile.related_windows``)."""
    return window_profile(listing)
