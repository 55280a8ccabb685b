"""The behavioural suite every search engine must pass: matching, ranking, filters, facets,
paging and index sync on a small real index.

Each test runs once per engine:

* ``embedded``: always;
* ``elasticsearch``: only when ``ELASTICSEARCH_URL`` points at a real cluster
  (``ELASTICSEARCH_URL=http://localhost:9200 make test``); otherwise it is reported as skipped
  with the reason. There is no stand-in server: the Elasticsearch rows either run against a
  cluster or do not run. Each test gets its own index prefix, deleted afterwards.

With Elasticsearch, searches go to the cluster only (an error fails the test: no fallback),
while writes go to both indexes at once, as in production (the embedded index is kept up to
date there too). Embedded-only expectations (SQL query counts, index tables) stay in
tests/search/test_engine.py.
"""

import datetime
import os
import uuid

import pytest

from listings.vocabulary import Kind
from search.contract import MATCH_LOCATED, MATCH_SERVES, SearchParams
from search.embedded import EmbeddedEngine
from search.engines import elasticsearch_settings, get_engine
from search.models import Synonym
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
STATION = (35.7250, 139.5500)  # a point in the sample city
SKIP_REASON = "ELASTICSEARCH_URL not set: no Elasticsearch cluster on this machine"

_strict_engines: dict = {}


def strict_elasticsearch():
    """``SEARCH_ENGINE_CLASS`` target for the Elasticsearch rows (one engine per prefix)."""
    from search.es.engine import ElasticsearchEngine
    from search.fallback import FallbackEngine

    config = elasticsearch_settings()
    if config not in _strict_engines:
        primary = ElasticsearchEngine.from_settings(
            config.urls, config.index_prefix, max(config.timeout, 10.0)
        )
        _strict_engines[config] = FallbackEngine(
            primary, EmbeddedEngine(), fallback_on_error=False, defer_writes=False
        )
    return _strict_engines[config]


@pytest.fixture(params=["embedded", "elasticsearch"], autouse=True)
def engine(request, settings):
    """The engine under test, chosen through settings so signals and views use it too."""
    if request.param == "embedded":
        settings.SEARCH_ENGINE = "embedded"
        settings.SEARCH_ENGINE_CLASS = ""
        yield "embedded"
        return
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        pytest.skip(SKIP_REASON)
    from search.es import lifecycle

    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    settings.SEARCH_ENGINE_CLASS = "tests.search.test_engine_contract.strict_elasticsearch"
    config = elasticsearch_settings()
    es = strict_elasticsearch()
    es.primary.ensure_index()
    try:
        yield "elasticsearch"
    finally:
        lifecycle.drop(es.primary.client, config.index_prefix)
        _strict_engines.pop(config, None)
        es.primary.client.close()


@pytest.fixture
def sample(engine, city):
    """Five listings across kinds, tiers, ages, topics, places and days, and a draft."""
    return city.engine_set()


def search(**kwargs):
    return get_engine().search(SearchParams(**kwargs))


def titles(result):
    from listings.models import ListingPage

    by_id = {
        p.pk: p.title
        for p in ListingPage.objects.filter(pk__in=[h.listing_id for h in result.hits])
    }
    return [by_id[h.listing_id] for h in result.hits]


class TestMatching:
    @pytest.mark.parametrize(
        "query",
        [
            "子ども食堂",
            "子供食堂",
            "こども食堂",
            "こどもしょくどう",
            "ｺﾄﾞﾓｼｮｸﾄﾞｳ",
            "kodomo shokudo",
            "食堂",
        ],
    )
    def test_variants_find_the_kitchen_first(self, sample, query):
        assert titles(search(q=query))[0] == "みどり子ども食堂"

    @pytest.mark.parametrize("query", ["家賃が払えない", "お金", "そうだん", "ｿｳﾀﾞﾝ", "借金"])
    def test_window_keywords(self, sample, query):
        assert titles(search(q=query))[0] == "生活サポート相談窓口"

    def test_kind_and_age_labels_are_searchable(self, sample):
        assert "生活サポート相談窓口" in titles(search(q="相談窓口"))
        assert titles(search(q="高齢者")) == ["ひかりシニアサロン"]

    def test_kana_query_matches_by_reading(self, sample):
        assert "中高生のたまり場ぽけっと" in titles(search(q="こどもの いばしょ"))

    def test_drafts_are_never_found(self, sample):
        assert "下書きの子ども食堂" not in titles(search(q="子ども食堂"))

    def test_every_required_word_must_match(self, sample):
        # No listing has both words. With a filter the resident chose nothing is relaxed, so
        # the strict answer shows: nothing. Without one, the all-but-one answer is flagged.
        every_kind = ("ibasho", "kodomo_shokudo", "fureai", "window")
        assert titles(search(q="食堂 乳幼児", kinds=every_kind)) == []
        assert search(q="食堂 乳幼児").relaxed

    def test_all_but_one_word_when_nothing_has_every_word(self, sample):
        result = search(q="ぽけっと 宇宙船")
        assert result.relaxed and titles(result) == ["中高生のたまり場ぽけっと"]
        # With a filter the resident chose, no words are dropped: the page offers help instead.
        assert search(q="ぽけっと 宇宙船", kinds=("ibasho",)).count == 0
        assert not search(q="ぽけっと").relaxed

    @pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND OR", "'", "%", "!!!", "x" * 5000])
    def test_syntax_and_junk_are_harmless(self, sample, query):
        result = search(q=query)
        assert result.count == len(result.hits) == 0


class TestRanking:
    def test_name_match_ranks_above_description_match(self, sample):
        # The salon mentions 子ども食堂 only in its description.
        assert titles(search(q="子ども食堂")) == ["みどり子ども食堂", "ひかりシニアサロン"]

    def test_exact_spelling_ranks_above_reading_only(self, engine, areas):
        make_listing("こどもの広場", area=areas.city)  # reading こども, spelled in kana
        make_listing("子どもの広場", area=areas.city)
        assert titles(search(q="子ども"))[0] == "子どもの広場"

    def test_exact_title_first(self, sample, areas):
        make_listing("子ども食堂", area=areas.city, kind=Kind.KODOMO_SHOKUDO)
        assert titles(search(q="子ども食堂"))[0] == "子ども食堂"

    def test_kind_outweighs_a_topic_that_mentions_it(self, engine, areas):
        make_listing("あおぞらカフェ", area=areas.city, kind=Kind.IBASHO)
        make_listing(
            "あおぞら食堂", area=areas.city, kind=Kind.KODOMO_SHOKUDO, topics=("居場所づくり",)
        )
        assert titles(search(q="居場所")) == ["あおぞらカフェ", "あおぞら食堂"]


class TestFilters:
    def test_kind_or_within_facet(self, sample):
        result = search(kinds=("window", "fureai"))
        assert sorted(titles(result)) == ["ひかりシニアサロン", "生活サポート相談窓口"]

    def test_age_everyone_matches_every_age(self, sample):
        assert sorted(titles(search(ages=("senior",)))) == [
            "ひかりシニアサロン",
            "生活サポート相談窓口",
        ]

    def test_facets_and_across(self, sample):
        assert titles(search(ages=("teen",), topics=("食事",))) == ["みどり子ども食堂"]

    def test_topic_or(self, sample):
        assert sorted(titles(search(topics=("子育て", "介護予防")))) == [
            "あおば子育てひろば",
            "ひかりシニアサロン",
        ]

    def test_area_semantics_and_reasons(self, sample, areas):
        result = search(areas=("north-b",))
        reasons = dict(zip(titles(result), [h.area_match for h in result.hits], strict=True))
        assert reasons == {
            "ひかりシニアサロン": MATCH_LOCATED,
            "みどり子ども食堂": MATCH_SERVES,  # serves the whole north 圏域
            "生活サポート相談窓口": MATCH_SERVES,  # serves the city
        }

    def test_area_or_within_facet(self, sample):
        result = search(areas=("north-a-1", "south-a"))
        assert set(titles(result)) == {
            "中高生のたまり場ぽけっと",
            "みどり子ども食堂",
            "生活サポート相談窓口",
            "あおば子育てひろば",
        }

    def test_unknown_area_finds_nothing(self, sample):
        assert search(areas=("nowhere",)).count == 0

    def test_near_with_radius_and_distance(self, sample):
        result = search(near=STATION, radius=1000)
        assert titles(result) == ["みどり子ども食堂"]
        assert 100 < result.hits[0].distance_m < 200

    def test_near_without_query_sorts_nearest_first(self, sample):
        result = search(near=STATION)
        distances = [h.distance_m for h in result.hits if h.distance_m is not None]
        assert distances == sorted(distances)
        assert titles(result)[0] == "みどり子ども食堂"
        # Listings without coordinates come last with no distance.
        assert result.hits[-1].distance_m is None

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (datetime.date(2026, 12, 12), {"みどり子ども食堂"}),  # 第2土曜
            (datetime.date(2026, 12, 9), {"生活サポート相談窓口", "中高生のたまり場ぽけっと"}),
            (datetime.date(2026, 12, 25), {"生活サポート相談窓口", "ひかりシニアサロン"}),  # 最終金
            (
                datetime.date(2026, 12, 23),
                {"生活サポート相談窓口", "中高生のたまり場ぽけっと", "あおば子育てひろば"},
            ),
            # 2027-01-11 is 成人の日: the window is closed on public holidays.
            (datetime.date(2027, 1, 11), set()),
        ],
    )
    def test_open_on(self, sample, day, expected):
        assert set(titles(search(open_on=day))) == expected

    def test_open_on_day_of_month(self, engine, areas):
        rule = {"frequency": "monthday", "day_of_month": 12}
        make_listing("毎月12日の食堂", area=areas.city, rules=(rule,))
        assert titles(search(open_on=datetime.date(2027, 2, 12))) == ["毎月12日の食堂"]
        assert titles(search(open_on=datetime.date(2027, 2, 13))) == []

    def test_sort_by_next_date(self, sample):
        result = search(sort="next_date")
        assert len(result.hits) == 5


class TestFacets:
    def test_counts_over_the_result_set(self, sample):
        facets = search(q="子ども食堂").facets
        assert facets["kind"] == {"kodomo_shokudo": 1, "fureai": 1}
        assert facets["topic"]["食事"] == 1

    def test_area_counts_match_the_area_filter(self, sample, areas):
        facets = search().facets["area"]
        for code in ("city", "north", "north-a", "north-b", "north-a-1", "south", "south-a-1"):
            assert facets.get(code, 0) == search(areas=(code,)).count, code

    def test_a_selected_facet_counts_without_its_own_filter(self, sample):
        facets = search(kinds=("window",), ages=("senior",)).facets
        # Other kinds stay countable (choosing one adds to the OR) under the other filters.
        assert facets["kind"] == {"window": 1, "fureai": 1}
        # Other facets are counted over the current result set.
        assert facets["topic"] == {"生活困窮": 1}
        assert facets["age"]["teen"] == 1  # the window serves everyone

    def test_age_counts_include_everyone(self, sample):
        ages = search().facets["age"]
        assert ages["senior"] == 2
        assert ages["everyone"] == 1


class TestPaging:
    def test_pages_and_total(self, sample):
        first = search(page_size=2, page=1)
        second = search(page_size=2, page=2)
        beyond = search(page_size=2, page=9)
        assert first.count == second.count == beyond.count == 5
        assert len(first.hits) == 2 and beyond.hits == []
        assert not {h.listing_id for h in first.hits} & {h.listing_id for h in second.hits}


class TestIndexSync:
    def test_publish_and_unpublish(self, engine, areas):
        page = make_listing("ゆうやけ食堂", area=areas.city, publish=False)
        assert search(q="ゆうやけ").count == 0
        page.save_revision().publish()
        assert search(q="ゆうやけ").count == 1
        page.refresh_from_db()
        page.unpublish()
        assert search(q="ゆうやけ").count == 0

    def test_edit_reindexes(self, engine, areas):
        page = make_listing("ゆうやけ食堂", area=areas.city)
        page.title = "あさやけ食堂"
        page.save_revision().publish()
        assert search(q="ゆうやけ").count == 0
        assert search(q="あさやけ").count == 1

    def test_delete(self, engine, areas):
        page = make_listing("ゆうやけ食堂", area=areas.city)
        page.delete()
        assert search(q="ゆうやけ").count == 0

    def test_move_keeps_the_listing_findable(self, engine, areas):
        from listings.models import ListingIndexPage
        from tests.factories import listing_index

        page = make_listing("ゆうやけ食堂", area=areas.city)
        other = ListingIndexPage(title="別の一覧", slug="other-listings")
        listing_index().get_parent().add_child(instance=other)
        page.move(other, pos="last-child")
        assert titles(search(q="ゆうやけ")) == ["ゆうやけ食堂"]

    def test_area_rename_is_searchable(self, sample, areas):
        areas.north_b.name = "そよかぜ小地区"
        areas.north_b.save()
        assert titles(search(q="そよかぜ")) == ["ひかりシニアサロン"]

    def test_synonym_edit_takes_effect(self, sample):
        assert search(q="ティーンズスペース").count == 0
        Synonym.objects.create(words="ぽけっと、ティーンズスペース")
        assert titles(search(q="ティーンズスペース")) == ["中高生のたまり場ぽけっと"]

    def test_rebuild_from_database(self, sample):
        before = search(q="食堂").count
        report = get_engine().rebuild()
        assert report.documents == 5
        assert search(q="食堂").count == before


# Engine parity: the same answers as the embedded engine, hit for hit (the Elasticsearch rows
# compare the cluster with the embedded index written alongside it; the embedded rows check
# that get_engine() is the embedded engine's answer).
PARITY = [
    {"q": "子ども食堂"},
    {"q": "こどもしょくどう"},
    {"q": "こどもの いばしょ"},
    {"q": "家賃が払えない"},
    {"q": "そうだん"},
    {"q": "食堂", "areas": ("north",)},
    {"q": "相談", "ages": ("senior",), "kinds": ("window",)},
    {"areas": ("north-b", "south-a")},
    {"topics": ("食事", "子育て"), "ages": ("teen", "infant")},
    {"near": STATION, "radius": 5000},
    {"near": STATION},
    {"q": "食堂", "near": STATION, "sort": "distance"},
    {"open_on": datetime.date(2026, 12, 23)},
    {"open_on": datetime.date(2027, 1, 11)},
    {"sort": "next_date"},
    {"page_size": 2, "page": 2},
    {"q": "ぽけっと 宇宙船"},  # all but one word
    {"kinds": ("window",), "ages": ("senior",)},  # facets counted without their own filter
    {"q": "居場所", "areas": ("north",), "topics": ("居場所づくり",)},
]


@pytest.mark.parametrize("params", PARITY, ids=[str(i) for i in range(len(PARITY))])
def test_same_answers_as_the_embedded_engine(sample, params):
    ours = search(**params)
    embedded = EmbeddedEngine().search(SearchParams(**params))
    assert ours.count == embedded.count
    assert [h.listing_id for h in ours.hits] == [h.listing_id for h in embedded.hits]
    assert [h.area_match for h in ours.hits] == [h.area_match for h in embedded.hits]
    assert [h.distance_m for h in ours.hits] == [h.distance_m for h in embedded.hits]
    # The cluster sums in single precision.
    assert [h.score for h in ours.hits] == pytest.approx([h.score for h in embedded.hits], 1e-5)
    assert ours.relaxed == embedded.relaxed
    assert ours.facets == embedded.facets
