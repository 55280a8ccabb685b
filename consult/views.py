"""The 困りごと finder: from a trouble in plain words to the windows for it (no JavaScript)."""

from django.shortcuts import render

from . import selectors
from .models import Access


def finder(request):
    return render(
        request,
        "pages/consult_finder.html",
        {
            "groups": selectors.finder_groups(),
            "fallback_windows": selectors.fallback_windows(),
        },
    )


def trouble(request, slug: str):
    area_code = request.GET.get("area", "")[:32]
    found, windows, area, areas = selectors.trouble_page(slug, area_code)
    access = request.GET.get("access", "")
    if access not in Access.values:
        access = ""
    if access:
        windows = selectors.filter_by_access(windows, access)
    return render(
        request,
        "pages/consult_trouble.html",
        {
            "trouble": found,
            "windows": windows,
            "area": area,
            "areas": areas,
            "access": access,
            "access_choices": Access.choices,
            "fallback_windows": selectors.fallback_windows([area.code] if area else []),
        },
    )
