from dataclasses import dataclass

import pytest
from django.core.cache import cache
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from listings.models import Area
from listings.vocabulary import Tier

from .factories import make_area


@dataclass
class SampleAreas:
    """A small tree: city → 2 圏域 → 2 ふれまち地区 under north, 1 under south → 2 町丁目."""

    city: Area
    north: Area
    south: Area
    north_a: Area
    north_b: Area
    south_a: Area
    north_a_1: Area
    south_a_1: Area


@pytest.fixture
def areas(db) -> SampleAreas:
    city = make_area("city", "サンプル市", Tier.CITY)
    north = make_area("north", "北部圏域", Tier.JUNIOR_HIGH, city)
    south = make_area("south", "南部圏域", Tier.JUNIOR_HIGH, city)
    north_a = make_area("north-a", "みどり小地区", Tier.ELEMENTARY, north)
    north_b = make_area("north-b", "ひかり小地区", Tier.ELEMENTARY, north)
    south_a = make_area("south-a", "あおば小地区", Tier.ELEMENTARY, south)
    north_a_1 = make_area("north-a-1", "みどり町1丁目", Tier.NEIGHBOURHOOD, north_a)
    south_a_1 = make_area("south-a-1", "あおば町2丁目", Tier.NEIGHBOURHOOD, south_a)
    return SampleAreas(city, north, south, north_a, north_b, south_a, north_a_1, south_a_1)


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail caches the sites' root paths (page.url reads them); a test's rollback does not
    clear that cache, so a test that added a Site would leave full URLs to the next ones."""
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
