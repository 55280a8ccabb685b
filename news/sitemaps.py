"""sitemap.xml: Wagtail's pages of the request's site, plus the area pages (Django views)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from listings.models import Area


class AreaSitemap(DjangoSitemap):
    def __init__(self, request) -> None:
        self.request = request

    def items(self):
        return Area.objects.only("code").order_by("path")

    def location(self, area: Area) -> str:
        return reverse("listings:area_detail", args=[area.code])

    def get_urls(self, page=1, site=None, protocol=None):
        # Absolute URLs on the request's host (no django.contrib.sites).
        host = self.request.get_host()
        scheme = self.request.scheme
        return [
            {
                "item": area,
                "location": f"{scheme}://{host}{self.location(area)}",
                "lastmod": None,
                "changefreq": None,
                "priority": None,
                "alternates": [],
            }
            for area in self.paginator.page(page).object_list
        ]


class CalendarSitemap(AreaSitemap):
    def items(self):
        return ["news:calendar"]

    def location(self, name: str) -> str:
        return reverse(name)

    def get_urls(self, page=1, site=None, protocol=None):
        host, scheme = self.request.get_host(), self.request.scheme
        return [
            {
                "item": name,
                "location": f"{scheme}://{host}{self.location(name)}",
                "lastmod": None,
                "changefreq": None,
                "priority": None,
                "alternates": [],
            }
            for name in self.items()
        ]


def sitemap(request):
    return wagtail_sitemap(
        request,
        sitemaps={
            "pages": PageSitemap(request),
            "areas": AreaSitemap(request),
            "calendar": CalendarSitemap(request),
        },
    )
