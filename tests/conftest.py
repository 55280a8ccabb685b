import pytest
from django.core.cache import cache
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from .factories import SampleAreas, SampleCity, ensure_site_tree, make_sample_areas


@pytest.fixture
def areas(db) -> SampleAreas:
    """The sample city's area tree (tests/factories.py)."""
    return make_sample_areas()


@pytest.fixture
def city(areas) -> SampleCity:
    """The sample city's places, built on demand: ``city.kitchen()``, ``city.engine_set()``."""
    return SampleCity(areas)


@pytest.fixture
def site_tree(transactional_db) -> None:
    """For live-server tests: the pages, site and age groups migrations made, which a
    transactional test's flush may have removed."""
    ensure_site_tree()


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail caches the sites' root paths (page.url reads them); a test's rollback does not
    clear that cache, so a test that added a Site would leave full URLs to the next ones."""
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
