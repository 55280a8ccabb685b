import pytest
from django.core.cache import cache

from consult.services import seed_crisis_defaults


@pytest.fixture
def crisis_defaults(db):
    """The reviewed defaults, also after a transactional test flushed what the migration made."""
    seed_crisis_defaults()
    cache.clear()
    yield
    cache.clear()
