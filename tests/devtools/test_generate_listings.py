"""generate_listings: synthetic listings for the benchmark, written in batches (public APIs)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from devtools import synthetic
from listings.models import Area, ListingIndexPage, ListingPage
from listings.vocabulary import Kind
from search.contract import SearchParams
from search.engines import get_engine

pytestmark = pytest.mark.django_db

COUNT = 50


def generate(count: int = COUNT, seed: int = 7, clear: bool = False) -> str:
    out = StringIO()
    call_command(
        "generate_listings", count=count, seed=seed, clear=clear, stdout=out, stderr=StringIO()
    )
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Everything the generator decides about each listing (database ids aside)."""
    listings = (
        synthetic.generated_listings()
        .select_related("location_area", "service_area")
        .prefetch_related("age_groups", "tagged_items__tag", "schedule_rules")
        .order_by("external_id")
    )
    return [
        (
            p.external_id,
            p.slug,
            p.title,
            p.name_kana,
            p.kind,
            p.location_area.code,
            p.service_area.code,
            p.service_tier,
            p.latitude,
            p.longitude,
            p.description,
            p.consultation_keywords,
            p.organiser,
            p.address,
            sorted(a.code for a in p.age_groups.all()),
            sorted(t.tag.name for t in p.tagged_items.all()),
            [
                (r.frequency, r.weekday, r.week_of_month, r.day_of_month, r.date, r.start_time)
                for r in p.schedule_rules.all()
            ],
        )
        for p in listings
    ]


def test_creates_published_listings_in_a_valid_page_tree(client):
    assert "50件" in generate()

    assert ListingPage.objects.live().public().count() == COUNT
    assert Page.find_problems() == ([], [], [], [], [])
    index = ListingIndexPage.objects.get(slug="listings")
    assert index.numchild == COUNT
    assert {p.depth for p in synthetic.generated_listings()} == {index.depth + 1}

    page = synthetic.generated_listings().order_by("path").first()
    assert page.get_parent().pk == index.pk
    assert page.url.startswith("/listings/syn-")
    assert page.first_published_at is not None
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_batches_continue_the_tree_and_give_the_same_listings():
    generate(seed=7)
    one_batch = snapshot()
    generate(count=0, clear=True)

    synthetic.generate(COUNT, seed=7, batch_size=15)
    assert snapshot() == one_batch
    assert Page.find_problems() == ([], [], [], [], [])
    assert ListingIndexPage.objects.get(slug="listings").numchild == COUNT
    paths = list(synthetic.generated_listings().order_by("path").values_list("path", flat=True))
    assert len(set(paths)) == COUNT
    assert [p[-4:] for p in paths[:2]] == ["0001", "0002"]


def test_every_listing_has_areas_ages_topics_schedules_and_coordinates():
    generate()
    centre_lat, centre_lng = synthetic.CITY_CENTRE
    kinds = set()
    for page in synthetic.generated_listings().select_related("location_area", "service_area"):
        kinds.add(page.kind)
        assert page.location_area.code.startswith(synthetic.AREA_PREFIX)
        # The service area is what ListingPage.save would derive (DESIGN.md §3).
        assert page.service_area == page.location_area.ancestor_at(page.service_tier)
        assert page.age_groups.exists()
        assert page.topics.exists()
        assert page.schedule_rules.exists()
        assert page.next_dates(1)
        assert abs(page.latitude - centre_lat) < 0.1
        assert abs(page.longitude - centre_lng) < 0.1
        assert page.name_kana
        if page.kind == Kind.WINDOW:
            assert page.consultation_keyword_list
        page.full_clean()
    assert kinds == set(Kind.values)
    # The synthetic area tree: city → 4 圏域 → 20 地区 → 80 町丁目.
    assert Area.objects.filter(code__startswith=synthetic.AREA_PREFIX).count() == 105


def test_same_seed_same_listings_other_seed_other_listings():
    generate(seed=7)
    first = snapshot()
    generate(count=0, clear=True)
    assert not synthetic.generated_listings().exists()

    generate(seed=7, clear=True)
    assert snapshot() == first
    generate(seed=8, clear=True)
    assert snapshot() != first
    assert len(snapshot()) == COUNT


def test_refuses_to_generate_twice_and_clear_removes_everything():
    generate()
    with pytest.raises(CommandError, match="--clear"):
        generate()

    generate(count=0, clear=True)
    assert not ListingPage.objects.exists()
    assert not Area.objects.filter(code__startswith=synthetic.AREA_PREFIX).exists()
    assert ListingIndexPage.objects.get(slug="listings").numchild == 0
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_engine_finds_generated_listings_after_a_rebuild():
    generate()
    report = get_engine().rebuild()
    assert report.documents == COUNT

    kitchens = set(
        synthetic.generated_listings()
        .filter(kind=Kind.KODOMO_SHOKUDO, title__contains="食堂")
        .values_list("pk", flat=True)
    )
    assert kitchens
    engine = get_engine()
    for query in ("子ども食堂", "こどもしょくどう"):
        result = engine.search(SearchParams(q=query, page_size=100))
        found = {hit.listing_id for hit in result.hits}
        assert kitchens <= found, query
    windows = engine.search(SearchParams(q="相談", kinds=(Kind.WINDOW,), page_size=100))
    assert windows.count == synthetic.generated_listings().filter(kind=Kind.WINDOW).count()
