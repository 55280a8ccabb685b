from listings.models import Area, ListingIndexPage
from listings.vocabulary import Kind, Tier

from .models import InformationPage


def home_context(home) -> dict:
    return {
        "listing_index": ListingIndexPage.objects.live().descendant_of(home).first(),
        "kinds": Kind.choices,
        "top_areas": Area.objects.filter(tier__in=[Tier.CITY, Tier.JUNIOR_HIGH]),
        "information_pages": InformationPage.objects.live().public().child_of(home)[:6],
    }
