from listings.models import Area, ListingIndexPage
from listings.vocabulary import Kind, Tier

from .models import InformationPage


def home_context(home) -> dict:
    # More than one city (open data of several municipalities): the home page lets a resident
    # pick theirs, and the area list below then shows only the 圏域 so cities aren't listed twice.
    cities = list(Area.objects.filter(tier=Tier.CITY).only("code", "name"))
    top_tiers = [Tier.JUNIOR_HIGH] if len(cities) > 1 else [Tier.CITY, Tier.JUNIOR_HIGH]
    return {
        "listing_index": ListingIndexPage.objects.live().descendant_of(home).first(),
        "kinds": Kind.choices,
        "top_areas": Area.objects.filter(tier__in=top_tiers),
        "cities": cities,
        "information_pages": InformationPage.objects.live().public().child_of(home)[:6],
    }
