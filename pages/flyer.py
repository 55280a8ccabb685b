"""A printable one-page flyer (A4) per listing, with a QR code to its page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from listings.models import ListingPage


def listing_flyer(request, slug: str):
    listing = (
        ListingPage.objects.live()
        .public()
        .filter(slug=slug)
        .select_related("location_area")
        .first()
    )
    if listing is None or not listing.url:
        raise Http404
    return render(
        request,
        "pages/listing_flyer.html",
        {
            "listing": listing,
            "page_url": request.build_absolute_uri(listing.url),
            "next_dates": listing.next_dates(3),
        },
    )
