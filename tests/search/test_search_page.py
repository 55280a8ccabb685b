"""The residents' search page (/search/): query, facets, sorting, errors, no-results help."""

from __future__ import annotations

import datetime
import html as htmllib
import re
from urllib.parse import unquote

import jpholiday
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from listings.models import Area
from listings.vocabulary import Age, Tier
from search.contract import haversine_m
from search.models import SearchQueryLog
from search.params import parse_search_params
from search.selectors import search_listings
from tests.factories import make_listing, weekly

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
STATION = (35.72, 139.55)


# Helpers ------------------------------------------------------------------------------------


def get(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/search/{'?' if query else ''}{query}")
    assert response.status_code == status, response.status_code
    return response.content.decode()


def titles(html: str) -> list[str]:
    """Result titles in page order."""
    return [
        htmllib.unescape(t)
        for t in re.findall(r'<h3 class="card__title"><a [^>]*>([^<]*)</a>', html)
    ]


def card_for(html: str, title: str) -> str:
    for chunk in html.split("<article")[1:]:
        card = chunk.split("</article>")[0]
        if f">{title}<" in card:
            return card
    raise AssertionError(f"no card for {title!r}")


FACET_OPTION = re.compile(
    r'<input class="facet__checkbox" type="checkbox" id="[^"]+" name="(?P<name>\w+)" '
    r'value="(?P<value>[^"]*)"(?P<checked> checked)?> <label class="facet__label" for="[^"]+">'
    r'(?P<label>[^<]*)(?:<span class="facet__count">（(?P<count>\d+)件）</span>)?</label>'
)


def facet_options(html: str) -> dict[str, dict[str, tuple[int | None, bool]]]:
    """{facet: {value: (count shown, checked)}} as the facet panel shows them."""
    found: dict[str, dict[str, tuple[int | None, bool]]] = {}
    for m in FACET_OPTION.finditer(html):
        count = int(m["count"]) if m["count"] is not None else None
        found.setdefault(m["name"], {})[htmllib.unescape(m["value"])] = (count, bool(m["checked"]))
    return found


def engine_result(query: str):
    params = parse_search_params(QueryDict(query), truncate_query=True)
    return search_listings(params)[0]


def links(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def next_wednesday() -> datetime.date:
    day = datetime.date.today() + datetime.timedelta(days=1)
    while day.weekday() != WED or jpholiday.is_holiday(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def sample(city):
    """Four listings: one per kind, spread over the tree, tiers, ages, topics and days."""
    return {
        "kitchen": city.kitchen(),
        "window": city.living_support_window(),
        "teen": city.teen_space(),
        "salon": city.senior_salon(),
    }


ALL = {"みどり子ども食堂", "生活サポート相談窓口", "中高生のたまり場ぽけっと", "ひかりシニアサロン"}


# Rendering ----------------------------------------------------------------------------------


def test_page_renders_noindex_and_lists_everything_without_a_query(client, sample):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert '<html lang="ja">' in html
    assert set(titles(html)) == ALL
    assert "4件見つかりました" in html
    # The query box is labelled, the form is a plain GET to this page.
    assert '<label class="search-box__label" for="search-q">' in html
    assert 'action="/search/" method="get"' in html
    assert "<script" not in html.split('id="search-form"')[1]


def test_japanese_reading_finds_the_listing(client, sample):
    html = get(client, "q=こどもしょくどう")
    assert titles(html)[0] == "みどり子ども食堂"
    assert "ひかりシニアサロン" not in titles(html)
    assert 'value="こどもしょくどう"' in html  # the box keeps what was typed
    assert "「こどもしょくどう」の検索結果" in html  # in the <title>
    log = SearchQueryLog.objects.get()
    assert log.query == "こどもしょくどう" and log.source == "page"


def test_consultation_words_find_the_window(client, sample):
    html = get(client, "q=家賃")
    assert titles(html) == ["生活サポート相談窓口"]
    assert "1件見つかりました" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=fureai", {"ひかりシニアサロン"}),
        ("kind=fureai&kind=window", {"ひかりシニアサロン", "生活サポート相談窓口"}),
        ("age=teen", {"中高生のたまり場ぽけっと", "生活サポート相談窓口"}),  # everyone counts
        ("topic=学習支援", {"みどり子ども食堂", "中高生のたまり場ぽけっと"}),
        ("area=north-b", {"ひかりシニアサロン", "みどり子ども食堂", "生活サポート相談窓口"}),
        ("area=south", {"生活サポート相談窓口"}),
    ],
)
def test_each_facet_narrows_the_results(client, sample, query, expected):
    html = get(client, query)
    assert set(titles(html)) == expected
    name, value = query.split("&")[0].split("=")
    assert facet_options(html)[name][value][1] is True  # the chosen value stays ticked


def test_open_on_keeps_what_is_open_that_day(client, sample):
    day = next_wednesday()
    html = get(client, f"open_on={day.isoformat()}")
    assert set(titles(html)) == {"中高生のたまり場ぽけっと", "生活サポート相談窓口"}
    assert f'value="{day.isoformat()}"' in html  # the date box keeps the day
    # The card shows the time on that day.
    assert f'<time datetime="{day.isoformat()}">' in card_for(html, "中高生のたまり場ぽけっと")


def test_filters_keep_the_other_parameters_in_links(client, sample):
    html = get(client, "q=学習&kind=ibasho&topic=学習支援")
    assert titles(html) == ["中高生のたまり場ぽけっと"]
    hrefs = [unquote(h) for h in links(html)]
    # Dropping one filter keeps the query and the other filter.
    assert "/search/?q=学習&kind=ibasho" in hrefs
    assert "/search/?q=学習&topic=学習支援" in hrefs
    # 条件をクリア keeps the words only.
    assert "/search/?q=学習" in hrefs
    # Everything is one form: the checkboxes, the date, the sort and the words go together.
    form = html.split('id="search-form"')[1].split("</form>")[0]
    for control in ('name="q"', 'name="kind"', 'name="topic"', 'name="open_on"', 'name="sort"'):
        assert control in form
    assert ">絞り込む</button>" in form


@pytest.mark.parametrize(
    "query", ["", "q=学習", "kind=ibasho&kind=window", "area=north", "q=みどり&age=elementary"]
)
def test_facet_counts_are_the_engines(client, sample, query):
    html = get(client, query)
    shown = facet_options(html)
    facets = engine_result(query).facets
    for name in ("kind", "age", "topic", "area"):
        expected = {value: count for value, count in facets.get(name, {}).items() if count}
        assert {v: c for v, (c, _checked) in shown.get(name, {}).items()} == expected, name


def test_area_names_and_tiers_in_the_panel(client, sample):
    html = get(client)
    panel = html.split('id="filter-area"')[1].split("</fieldset>\n  </fieldset>")[0]
    for legend in ("市全域", "概ね中学校区", "概ね小学校通学区域", "身近な地域"):
        assert f'<legend class="facet__tier-legend">{legend}</legend>' in panel
    assert ">北部圏域<span" in panel and ">ひかり小地区<span" in panel
    # 南部圏域 has only the city-wide window... which serves it: listed with its count.
    assert facet_options(html)["area"]["south"] == (1, False)


def test_zero_count_values_are_not_listed_unless_chosen(client, sample):
    html = get(client, "q=家賃")
    kinds = facet_options(html)["kind"]
    assert set(kinds) == {"window"}
    assert "topic" in facet_options(html) and "介護予防" not in facet_options(html)["topic"]


def test_topics_are_limited_to_the_most_common(client, areas):
    for n in range(20):
        make_listing(area=areas.north_a_1, topics=(f"テーマ{n:02d}", "よく使う"))
    html = get(client)
    topics = facet_options(html)["topic"]
    assert len(topics) == 15
    assert topics["よく使う"] == (20, False)
    # A chosen topic outside the top 15 is still shown, ticked.
    html = get(client, "topic=テーマ19&topic=よく使う")
    assert facet_options(html)["topic"]["テーマ19"] == (1, True)


def test_area_filter_says_why_each_listing_matched(client, sample):
    html = get(client, "area=north-a-1")
    assert "この地域にあります" in card_for(html, "中高生のたまり場ぽけっと")
    assert "北部圏域全体が対象" in card_for(html, "みどり子ども食堂")
    assert "サンプル市全体が対象" in card_for(html, "生活サポート相談窓口")
    # Without an area filter there is no reason to give.
    assert "この地域にあります" not in get(client)


def test_sort_by_distance_needs_a_point(client, sample):
    html = get(client, f"near={STATION[0]},{STATION[1]}&sort=distance")
    found = titles(html)
    by_distance = sorted(
        sample.values(), key=lambda x: haversine_m(*STATION, x.latitude, x.longitude)
    )
    assert found == [x.title for x in by_distance]
    near = haversine_m(*STATION, 35.7205, 139.5505)
    assert f"約{round(near, -1):.0f}m" in card_for(html, "中高生のたまり場ぽけっと")
    far = haversine_m(*STATION, 35.69, 139.51)
    assert f"約{far / 1000:.1f}km" in card_for(html, "生活サポート相談窓口")
    assert '<option value="distance" selected>' in html
    # Without a point, 近い順 falls back to relevance and says how to use it.
    html = get(client, "sort=distance")
    assert "「場所から」で場所を選んでください" in html
    assert "選んだ場所から" not in html


def test_sort_by_next_date(client, sample):
    html = get(client, "sort=next_date")
    days = re.findall(
        r'<div class="search-result__next"><dt>[^<]*</dt><dd><time datetime="([^"]+)"', html
    )
    assert len(days) == 4
    assert days == sorted(days)
    assert '<option value="next_date" selected>' in html


def test_sort_by_relevance_is_the_default(client, sample):
    html = get(client, "q=食堂")
    assert '<option value="relevance" selected>' in html
    assert titles(html)[0] == "みどり子ども食堂"


def test_place_select_offers_areas_with_a_point(client, sample, areas):
    Area.objects.filter(pk=areas.north_a.pk).update(latitude=35.726, longitude=139.551)
    html = get(client)
    assert '<option value="35.726,139.551">みどり小地区</option>' in html
    html = get(client, "near=35.726,139.551&radius=1000&sort=distance")
    assert '<option value="35.726,139.551" selected>みどり小地区</option>' in html
    assert '<option value="1000" selected>1km以内</option>' in html
    assert set(titles(html)) == {"みどり子ども食堂", "中高生のたまり場ぽけっと"}
    # A point from a shared URL that is no area is kept, and can be removed (with its radius).
    html = get(client, "near=35.72,139.55&radius=1000")
    assert '<option value="35.72,139.55" selected>指定した地点（35.72,139.55）</option>' in html
    assert "/search/?radius=1000" not in links(html)
    assert "/search/" in links(html)


# Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter", "message", "control"),
    [
        (
            "open_on=2026-99-99",
            "open_on",
            "「2026-99-99」は日付として読めません。",
            "filter-open-on",
        ),
        ("page=0", "page", "page は 1〜1000 の範囲で指定してください。", ""),
        ("kind=xxx", "kind", "「xxx」は使えません。", "filter-kind"),
        (
            "radius=500",
            "radius",
            "範囲を選ぶときは、「場所から」で場所も選んでください。",
            "filter-radius",
        ),
        ("near=north", "near", "near は「緯度,経度」の形で指定してください。", "filter-near"),
        ("sort=popular", "sort", "sort は relevance, distance, next_date のどれかです。", ""),
        ("area=nowhere", "area", "地区コード「nowhere」はありません。", "filter-area"),
    ],
)
def test_bad_parameters_are_a_400_page_naming_them(
    client, sample, query, parameter, message, control
):
    html = get(client, query, status=400)
    assert '<meta name="robots" content="noindex">' in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert f"（{parameter}）" in summary and message in summary
    if control:
        assert f'href="#{control}"' in summary
        # The message is also next to the control.
        assert f'<p class="field-error" id="{control}-error">' in html
        assert f'id="{control}"' in html
    assert "<article" not in html
    assert not SearchQueryLog.objects.exists()


def test_error_page_keeps_what_was_valid(client, sample):
    html = get(client, "q=食堂&kind=window&open_on=2026-99-99", status=400)
    assert 'value="食堂"' in html
    assert facet_options(html)["kind"]["window"] == (None, True)  # no counts without a search
    assert facet_options(html)["kind"]["ibasho"] == (None, False)
    assert '<p class="field-error" id="search-sort-error">' not in html


def test_page_error_offers_the_first_page(client, sample):
    html = get(client, "q=食堂&page=0", status=400)
    assert 'href="?q=%E9%A3%9F%E5%A0%82">1ページ目から見る' in html


def test_page_beyond_the_results(client, sample):
    html = get(client, "page=9")
    assert "このページには結果がありません" in html and 'href="/search/">1ページ目を見る' in html


# No results ---------------------------------------------------------------------------------


def test_no_results_suggests_wider_and_nearby_areas_and_a_window(client, sample):
    html = get(client, "q=サロン&area=north-a")
    assert titles(html) == []
    help_ = html.split('class="search-empty"')[1].split("</section>")[0]
    assert "「サロン」では、見つかりませんでした（0件）" in help_
    assert "ことば：「サロン」" in help_ and "地域：みどり小地区" in help_
    hrefs = [unquote(h) for h in links(help_)]
    # (1) drop each filter
    assert "/search/?q=サロン" in hrefs  # without the area
    assert "/search/?area=north-a" in hrefs  # without the words
    # (2) the wider tier: the parent area, same words
    assert "/search/?q=サロン&area=north" in hrefs
    assert "北部圏域（概ね中学校区）で探す" in help_
    # (3) nearby: the sibling ふれまち地区
    assert "/search/?q=サロン&area=north-b" in hrefs
    assert ">ひかり小地区</a>" in help_
    # (4) consultation windows
    assert "どこに相談したらよいかわからないときは" in help_
    assert "/search/?kind=window" in hrefs and "/listings/?kind=window" in hrefs
    assert "/search/?q=サロン&kind=window" in hrefs
    # The wider search does find it.
    assert titles(get(client, "q=サロン&area=north")) == ["ひかりシニアサロン"]


def test_no_results_for_words_only(client, sample):
    html = get(client, "q=宇宙旅行")
    assert "見つかりませんでした（0件）" in html
    assert "ことばを短くするか" in html
    assert "/search/?kind=window" in links(html)
    assert "もっと広い地域で探す" not in html


def test_query_is_escaped(client, sample):
    html = get(client, "q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Paging and cost ----------------------------------------------------------------------------


def test_pagination_keeps_the_parameters(client, sample):
    html = get(client, "area=north&page_size=1")
    assert "4件見つかりました" in html and "（1〜1件目）" in html
    assert 'href="?area=north&amp;page_size=1&amp;page=2"' in html
    first = titles(html)
    html = get(client, "area=north&page_size=1&page=2")
    assert "（2〜2件目）" in html and titles(html) != first
    assert 'href="?area=north&amp;page_size=1&amp;page=1" rel="prev"' in html


def test_query_count_does_not_grow_with_results(client, areas):
    def add(n):
        for i in range(n):
            make_listing(
                area=areas.north_a_1 if i % 2 else areas.south_a_1,
                service_tier=Tier.NEIGHBOURHOOD if i % 2 else Tier.CITY,
                ages=(Age.ADULT,),
                topics=("食事", f"テーマ{i}"),
                rules=(weekly(i % 7, "10:00", "12:00"),),
                latitude=35.72 + i / 1000,
                longitude=139.55,
            )

    url = "/search/?q=テスト&area=north-a-1&near=35.72,139.55"
    add(5)
    client.get(url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add(10)
    # The first search after an index write reloads the engine's in-memory copy (three more
    # statements, whatever the size): measure both sizes in the steady state.
    client.get(url)
    with CaptureQueriesContext(connection) as fifteen:
        html = client.get(url).content.decode()
    assert html.count("<article") == 15
    assert len(fifteen) == len(five), [q["sql"] for q in fifteen.captured_queries]


@pytest.mark.parametrize("sort", ["relevance", "next_date"])
def test_query_count_is_bounded(client, areas, django_assert_max_num_queries, sort):
    for i in range(15):
        make_listing(area=areas.north_a_1, ages=(Age.ADULT,), rules=(weekly(i % 7),))
    client.get("/search/")
    with django_assert_max_num_queries(20):
        html = client.get(f"/search/?sort={sort}&kind=ibasho").content.decode()
    assert html.count("<article") == 15
