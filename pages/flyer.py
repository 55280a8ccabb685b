"""A printable one-page flyer (A4) per listing, with a QR code to its page.

Served as the ``flyer`` route of ``ListingPage`` (``{% routablepageurl page "flyer" %}``), so
Wagtail has already found the live page and checked its privacy before this runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.response import TemplateResponse

if TYPE_CHECKING:
    from django.http import HttpRequest

    from listings.models import ListingPage


def listing_flyer(request: HttpRequest, listing: ListingPage) -> TemplateResponse:
    return listing.render(
        request,
        template="pages/listing_flyer.html",
        context_overrides={
            "listing": listing,
            "page_url": request.build_absolute_uri(listing.get_url(request)),
            "next_dates": listing.next_dates(3),
        },
    )
