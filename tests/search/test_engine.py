"""Embedded-engine specifics on a small real index: SQL query counts and the index tables.

The engine-independent expectations (matching, ranking, filters, facets, paging, index sync)
are in tests/search/test_engine_contract.py, run against every engine.
"""

import pytest

from listings.vocabulary import Kind
from search import indexing
from search.engine import SearchParams, get_engine
from search.models import SearchDocument
from tests.factories import make_listing
from tests.search.test_engine_contract import make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(areas):
    return make_sample(areas)


def search(**kwargs):
    return get_engine().search(SearchParams(**kwargs))


def test_default_engine_is_embedded():
    assert get_engine().name == "embedded"


def test_queries_constant_in_result_size(sample, areas, django_assert_max_num_queries):
    for n in range(10):
        make_listing(f"追加の子ども食堂{n}", kind=Kind.KODOMO_SHOKUDO, area=areas.city)
    with django_assert_max_num_queries(6):
        search(q="子ども食堂", areas=("north",), page_size=50)


def test_delete_removes_the_index_rows(areas):
    page = make_listing("ゆうやけ食堂", area=areas.city)
    page.delete()
    assert search(q="ゆうやけ").count == 0
    assert not SearchDocument.objects.exists()


def test_rebuild_from_database(sample):
    before = search(q="食堂").count
    report = indexing.rebuild()
    assert report.documents == 5
    assert search(q="食堂").count == before
