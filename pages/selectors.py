from __future__ import annotations

from wagtail.models import Page, Site

from listings.models import Area, ListingIndexPage, ListingPage
from listings.vocabulary import Kind, Tier

from .models import InformationPage, SiteIdentity


def listing_index_below(root: Page) -> ListingIndexPage | None:
    """The listing index the menus link to: the first live one below ``root`` in tree order."""
    return ListingIndexPage.objects.live().descendant_of(root).order_by("path").first()


def listing_index_for_site(site: Site | None) -> ListingIndexPage | None:
    """The listing index of ``site`` (one query: the sites' root paths are cached by Wagtail)."""
    if site is None:
        return None
    root_path = next(
        (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk), None
    )
    if root_path is None:
        return None
    return (
        ListingIndexPage.objects.live()
        .filter(url_path__startswith=root_path)
        .order_by("path")
        .first()
    )


def home_context(home) -> dict:
    # More than one city (open data of several municipalities): the home page lets a resident
    # pick theirs, and the area list below then shows only the 圏域 so cities aren't listed twice.
    cities = list(Area.objects.filter(tier=Tier.CITY).only("code", "name"))
    top_tiers = [Tier.JUNIOR_HIGH] if len(cities) > 1 else [Tier.CITY, Tier.JUNIOR_HIGH]
    return {
        "listing_index": listing_index_below(home),
        "kinds": offered_kinds(home),
        "top_areas": Area.objects.filter(tier__in=top_tiers),
        "cities": cities,
        "information_pages": InformationPage.objects.live().public().child_of(home)[:6],
    }


def offered_kinds(home) -> list[tuple[str, str]]:
    """(code, label) of the kinds the home page offers: those the site's settings allow
    (SiteIdentity) that have at least one live listing, in the vocabulary's order."""
    site = home.get_site()
    allowed = SiteIdentity.for_site(site).offered_kinds() if site else [c for c, _ in Kind.choices]
    present = set(ListingPage.objects.live().values_list("kind", flat=True).distinct())
    return [(code, label) for code, label in Kind.choices if code in allowed and code in present]
