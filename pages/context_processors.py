from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from wagtail.models import Site

from listings.models import ListingIndexPage
from portal.response_cache import cached_for_generation

from .selectors import listing_index_for_site


class SiteLinks:
    """Links the header, footer and error pages take from the page tree, never a fixed path.

    Looked up on first use only (admin pages render with these context processors too).
    """

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def listing_index(self) -> ListingIndexPage | None:
        return listing_index_for_site(Site.find_for_request(self.request))

    @cached_property
    def listing_index_url(self) -> str:
        # Every page's header and footer: kept until the content changes (one cache read
        # instead of finding the site and its listing index on each request).
        return cached_for_generation(
            "listing-index-url", (self.request.get_host(),), self._listing_index_url
        )

    def _listing_index_url(self) -> str:
        index = self.listing_index
        return (index.get_url(self.request) or "") if index else ""

    @cached_property
    def on_listing_index(self) -> bool:
        url = self.listing_index_url
        return bool(url) and unquote(urlsplit(url).path) == self.request.path

    @cached_property
    def on_areas(self) -> bool:
        return self.request.path.startswith(reverse("listings:area_index"))


def site_identity(request):
    """This site's SiteIdentity (site settings), or None when no site matches the request."""
    from .models import SiteIdentity

    site = Site.find_for_request(request)
    return SiteIdentity.for_site(site) if site is not None else None


def site_navigation(request):
    """Site name and identity are looked up on first use only (pages that print neither, such
    as the health check, run no query), and once per request."""
    found: list = []

    def identity():
        if not found:
            found.append(site_identity(request))
        return found[0]

    def name() -> str:
        current = identity()
        return (current.site_name if current else "") or settings.WAGTAIL_SITE_NAME

    return {
        "site_name": SimpleLazyObject(name),
        "site_identity": SimpleLazyObject(identity),
        "site_links": SiteLinks(request),
    }


def reading_aids(request):
    """Text size and furigana mode chosen with the header's reading-aids form (cookies)."""
    from pages.reading import ruby_on, text_size

    return {"text_size": text_size(request), "ruby_mode": ruby_on(request)}
