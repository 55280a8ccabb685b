"""Embedded-engine specifics on a small real index: SQL query counts and the index tables.

The engine-independent expectations (matching, ranking, filters, facets, paging, index sync)
are in tests/search/test_engine_contract.py, run against every engine.
"""

import pytest

from listings.models import ListingPage
from listings.vocabulary import Kind
from search import indexing
from search.contract import SearchParams
from search.engines import get_engine
from search.memory import snapshot
from search.models import SearchDocument, SearchIndexState, SearchTerm
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(city):
    return city.engine_set()


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


def index_rows():
    terms = {
        t.term: (bytes(t.listing_ids), bytes(t.weights), t.document_count)
        for t in SearchTerm.objects.all()
    }
    docs = {
        d.listing_id: (d.kind, d.ages, d.topics, d.schedule_keys, bytes(d.terms), d.display)
        for d in SearchDocument.objects.all()
    }
    return terms, docs


def test_rebuild_in_worker_processes_writes_the_same_index(sample):
    # Large rebuilds analyse text in forked workers; the index must not depend on it.
    indexing.rebuild(workers=0)
    alone = index_rows()
    report = indexing.rebuild(workers=2)
    assert report.documents == 5
    assert index_rows() == alone
    assert alone[0]  # the index is not empty


def test_single_listing_updates_match_a_rebuild(sample, areas):
    # Incremental writes rewrite the posting lists of the terms a listing had and has; the
    # result must be what a rebuild from scratch gives.
    extra = make_listing("ひまわり食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a)
    extra.title = "ひまわり子ども食堂 夕ごはん"
    extra.save_revision().publish()
    sample_page = ListingPage.objects.exclude(pk=extra.pk).first()
    sample_page.unpublish()
    incremental = index_rows()
    indexing.rebuild(workers=0)
    assert index_rows() == incremental
    # 夕ごはん is also 夕食 (the seeded synonyms, search/facts.py): the kitchen that serves
    # dinner is found too; the new listing must be, and first (its title says it).
    hits = search(q="夕ごはん").hits
    assert hits[0].listing_id == extra.pk
    assert sample_page.pk not in {h.listing_id for h in hits}


def test_a_write_in_another_process_is_seen_by_the_next_search(sample):
    # The version row tells each process its in-memory copy is stale.
    assert search(q="食堂").count
    SearchIndexState.objects.update(version="changed elsewhere")
    SearchDocument.objects.all().delete()
    assert search(q="食堂").count == 0


def test_a_tiny_term_cache_still_answers(sample, settings):
    # The per-process posting cache is bounded; a search never depends on what it kept.
    settings.SEARCH_TERM_CACHE_BYTES = 1
    tiny = [h.listing_id for h in search(q="子ども食堂 相談").hits]
    assert snapshot().term_bytes <= 1  # everything loaded was let go again
    assert [h.listing_id for h in search(q="子ども食堂 相談").hits] == tiny
    settings.SEARCH_TERM_CACHE_BYTES = 64 * 2**20
    assert [h.listing_id for h in search(q="子ども食堂 相談").hits] == tiny
    assert snapshot().term_bytes > 1
    assert [h.listing_id for h in search(q="子ども食堂 相談").hits] == tiny
    assert tiny


def test_next_date_sort_agrees_with_each_listings_schedule(sample):
    # The engine computes next open days for the whole snapshot from the schedule keys; each
    # must be the listing's own next date (listings.schedules), and the order ascending.
    result = search(sort="next_date")
    expected = {}
    for page in ListingPage.objects.live().filter(pk__in=[h.listing_id for h in result.hits]):
        found = page.next_dates(1)
        expected[page.pk] = found[0].date if found else None
    assert [h.next_date for h in result.hits] == [expected[h.listing_id] for h in result.hits]
    dated = [h.next_date for h in result.hits if h.next_date]
    assert dated == sorted(dated) and dated
    undated = [h.next_date is None for h in result.hits]
    assert undated == sorted(undated)  # listings with no next date come last


def test_open_on_gives_sure_matches_first_then_the_ones_to_confirm(areas, client):
    """A date search keeps the listings whose weekday matches but whose dates are to be
    confirmed (要確認), after the sure ones and marked, and claims nothing for a listing with no
    schedule (the embedded engine; see docs/data.md)."""
    import datetime

    from tests.factories import monthly, tentative

    saturday = datetime.date(2026, 12, 12)  # the 2nd Saturday
    make_listing("第2土曜の食堂", area=areas.city, rules=(monthly(2, 5, "11:00", "13:00"),))
    make_listing("あいうえお土曜の食堂", area=areas.city, rules=(tentative(5, "12:00"),))
    make_listing("第1土曜の食堂", area=areas.city, rules=(monthly(1, 5),))
    make_listing("日曜の食堂", area=areas.city, rules=(tentative(6),))
    make_listing("予定のない食堂", area=areas.city)
    make_listing("時間だけの行事", area=areas.city, rules=(tentative(None, "10:00"),))

    result = search(open_on=saturday)
    got = [(ListingPage.objects.get(pk=h.listing_id).title, h.open_on_match) for h in result.hits]
    assert got == [("第2土曜の食堂", "sure"), ("あいうえお土曜の食堂", "maybe")]
    assert result.count == 2
    # Without a date nothing is marked; a first-Saturday search has the tentative one too.
    assert {h.open_on_match for h in search().hits} == {None}
    first = search(open_on=saturday - datetime.timedelta(7))
    assert [h.open_on_match for h in first.hits] == ["sure", "maybe"]

    # The API marks each hit; the page says 要確認 on the card.
    body = client.get("/api/v1/listings/", {"open_on": saturday.isoformat()}).json()
    assert [(r["title"], r["open_on_match"]) for r in body["results"]] == got
    html = client.get("/search/", {"open_on": saturday.isoformat()}).content.decode()
    assert html.count("card__match--maybe") == 1
    assert html.index("第2土曜の食堂") < html.index("あいうえお土曜の食堂")
