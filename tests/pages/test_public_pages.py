"""The public, server-rendered pages: each returns 200 and shows what a resident needs."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from listings.models import AgeGroup, ListingIndexPage, ListingPage, ListingPhoto, ScheduleRule
from listings.schedules import Rule
from listings.templatetags.listing_tags import describe_rules, jp_date, tel_href
from listings.vocabulary import Age, Kind, Tier
from pages.models import HomePage, InformationPage
from tests.factories import SampleCity, listing_index, make_image, make_listing, weekly

pytestmark = pytest.mark.django_db


# Helpers ------------------------------------------------------------------------------------


def html_of(response) -> str:
    return response.content.decode()


def card_for(html: str, title: str) -> str:
    """The listing card (<article>) whose text contains ``title``."""
    for chunk in html.split("<article")[1:]:
        card = chunk.split("</article>")[0]
        if f">{title}<" in card:
            return card
    raise AssertionError(f"no card for {title!r}")


def home() -> HomePage:
    return HomePage.objects.get()


@dataclass
class Sample:
    ibasho: ListingPage
    shokudo: ListingPage
    fureai: ListingPage
    window: ListingPage
    district: ListingPage
    city: SampleCity


@pytest.fixture
def sample(city) -> Sample:
    """One listing of each kind, spread over the tree with different service tiers."""
    return Sample(
        ibasho=city.youth_cafe(),
        # A kitchen for everyone in its 地区, with no point on the map and every contact detail.
        shokudo=city.kitchen(
            service_tier=Tier.ELEMENTARY,
            ages=(Age.EVERYONE,),
            latitude=None,
            longitude=None,
            phone="０３（１１１１）２２２２",
            fee="子ども無料、大人300円",
            booking="required",
        ),
        fureai=city.aoba_salon(),
        window=city.onestop_window(),
        district=city.north_hiroba(),
        city=city,
    )


def information_page(sample: Sample) -> InformationPage:
    return sample.city.information_page(
        window=sample.window, related=[sample.ibasho, sample.shokudo]
    )


# Home ---------------------------------------------------------------------------------------


def test_home_page_shows_search_kinds_areas_and_information(client, sample, areas):
    info = information_page(sample)
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    assert '<html lang="ja">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert 'action="/search/"' in html
    for code, label in Kind.choices:
        assert f'href="/listings/?kind={code}"' in html
        assert str(label) in html
    assert 'href="/areas/city/"' in html and "北部圏域" in html and 'href="/areas/north/"' in html
    assert info.title in html and 'href="/plan/"' in html
    assert "サンプルのポータル" not in html  # only the demo (or staff) turns the notice on
    assert "/static/css/portal.css" in html


def test_site_identity_from_the_admin_settings(client, areas):
    """Site settings (pages.SiteIdentity): name, operator, footer notice, where corrections go,
    the sample-data notice, and which kinds the home page offers (never an empty kind)."""
    from wagtail.models import Site

    from pages.models import SiteIdentity

    kitchen = make_listing("みどり食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.city)
    make_listing("ひかりサロン", kind=Kind.FUREAI, area=areas.city)
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))

    html = html_of(client.get("/"))
    offered = re.findall(r'class="kind-link kind-link--(\w+)"', html)
    assert offered == [Kind.KODOMO_SHOKUDO, Kind.FUREAI]  # ibasho and window have no listings
    assert "サンプルのポータル" not in html and "site-footer__operator" not in html

    identity.site_name = "西東京市 子ども食堂マップ"
    identity.operator = "西東京市 子育て支援課"
    identity.footer_notice = "掲載内容は東京都オープンデータをもとにしています。"
    identity.corrections_contact = "kosodate@example.jp"
    identity.show_sample_notice = True
    identity.offer_fureai = False
    identity.save()

    for url in ("/", kitchen.url):
        html = html_of(client.get(url))
        assert "西東京市 子ども食堂マップ" in html
        assert "運営：<span>西東京市 子育て支援課</span>" in html
        assert "掲載内容は東京都オープンデータをもとにしています。" in html
        assert 'href="mailto:kosodate@example.jp"' in html
        assert "サンプルのポータル" in html
    html = html_of(client.get("/"))
    assert "<title>西東京市 子ども食堂マップ</title>" in html
    assert re.findall(r'class="kind-link kind-link--(\w+)"', html) == [Kind.KODOMO_SHOKUDO]


def test_home_page_renders_intro_and_body(client, sample):
    page = home()
    page.intro = "<p>ようこそ、<b>居場所ポータル</b>へ。</p>"
    page.body = json.dumps(
        [
            {
                "type": "callout",
                "value": {"style": "info", "title": "今月のお知らせ", "body": "<p>x</p>"},
            }
        ]
    )
    page.save_revision().publish()
    html = html_of(client.get("/"))
    assert "ようこそ、<b>居場所ポータル</b>へ。" in html
    assert "今月のお知らせ" in html and "callout--info" in html


# Listing index ------------------------------------------------------------------------------


def test_listing_index_lists_everything_with_kind_filter_links(client, sample):
    response = client.get("/listings/")
    assert response.status_code == 200
    html = html_of(response)
    for listing in (sample.ibasho, sample.shokudo, sample.fureai, sample.window):
        assert f'href="{listing.url_path.removeprefix("/home")}"' in html
    assert '<a class="kind-filter__link" href="/listings/" aria-current="page">' in html
    card = card_for(html, "みどりカフェ")
    assert "ミドリカフェ" in card and "みどり町1丁目" in card and "中高生" in card
    assert "中高生がゆっくり過ごせるカフェです。" in card  # rich text stripped to plain text
    assert "5件" in html


def test_listing_index_filters_by_kind(client, sample):
    html = html_of(client.get("/listings/?kind=window"))
    assert "福祉まるごと相談窓口" in html
    assert "みどりカフェ" not in html
    assert 'href="/listings/?kind=window" aria-current="page"' in html
    assert "1件" in html


def test_listing_index_ignores_unknown_kind(client, sample):
    html = html_of(client.get("/listings/?kind=nonsense"))
    assert "みどりカフェ" in html and "福祉まるごと相談窓口" in html


def test_listing_index_paginates_and_keeps_the_filter(client, sample, monkeypatch):
    monkeypatch.setattr(ListingIndexPage, "page_size", 2)
    first = html_of(client.get("/listings/?kind=ibasho"))
    assert "全1ページ" not in first
    # Two ibasho only → one page; all kinds → 3 pages of 2.
    all_first = html_of(client.get("/listings/"))
    assert 'href="?page=2"' in all_first and 'rel="next"' in all_first
    assert "全3ページ中 1ページ目" in all_first
    second = client.get("/listings/?page=2")
    assert second.status_code == 200
    assert "全3ページ中 2ページ目" in html_of(second)
    assert 'rel="prev"' in html_of(second)

    monkeypatch.setattr(ListingIndexPage, "page_size", 1)
    filtered = html_of(client.get("/listings/?kind=ibasho&page=2"))
    assert "全2ページ中 2ページ目" in filtered
    assert 'href="?kind=ibasho&amp;page=1"' in filtered


def test_listing_index_query_count_does_not_grow_with_listings(client, areas):
    for _ in range(5):
        make_listing(area=areas.north_a_1, ages=(Age.SENIOR,), topics=("食事",), rules=(weekly(1),))
    client.get("/listings/")  # warm the site-root cache
    with CaptureQueriesContext(connection) as five:
        assert client.get("/listings/").status_code == 200
    for _ in range(10):
        make_listing(area=areas.north_a_1, ages=(Age.SENIOR,), topics=("食事",), rules=(weekly(1),))
    with CaptureQueriesContext(connection) as fifteen:
        html = html_of(client.get("/listings/"))
    assert html.count("<article") == 15
    assert len(fifteen) == len(five), [q["sql"] for q in fifteen.captured_queries]


# Listing detail -----------------------------------------------------------------------------


def get_detail(client, listing: ListingPage) -> str:
    response = client.get(listing.get_url())
    assert response.status_code == 200
    return html_of(response)


def next_date_text(listing: ListingPage) -> str:
    occurrence = listing.next_dates(1)[0]
    return jp_date(occurrence.date)


def test_ibasho_detail_shows_everything_a_resident_needs(client, sample, areas):
    listing = sample.ibasho
    image = make_image()
    ListingPhoto.objects.create(listing=listing, image=image, caption="カフェの中", sort_order=0)
    html = get_detail(client, listing)
    assert "<h1" in html and "みどりカフェ</h1>" in html
    assert "ミドリカフェ" in html
    assert "居場所" in html  # kind label
    assert "中高生" in html and "若者" in html
    assert "学習支援" in html
    assert "中高生がゆっくり過ごせる<b>カフェ</b>です。" in html
    # When
    assert "毎週 水・金曜 15:00〜18:00" in html
    assert "祝日は休み" in html and "8月はお休みです。" in html
    assert next_date_text(listing) in html
    assert "15:00〜18:00" in html
    # Where
    assert "サンプル市みどり町1-2-3" in html
    assert 'href="/areas/north-a-1/"' in html
    assert "対象範囲" in html and "身近な地域" in html
    assert "https://maps.gsi.go.jp/#16/35.681236/139.767125/" in html
    # Joining and contact
    assert "無料" in html and "予約不要" in html and "直接お越しください。" in html
    assert 'href="tel:0312345678"' in html and ">03-1234-5678</a>" in html
    assert "03-1234-5679" in html
    assert 'href="mailto:cafe@example.jp"' in html
    assert 'href="https://example.jp/cafe"' in html
    assert "NPO法人みどり" in html
    assert "段差なし。車いす用トイレあり。" in html
    # Photos and freshness
    assert 'alt="カフェの中"' in html and "<figcaption>カフェの中</figcaption>" in html
    assert "2025年4月1日" in html
    # Breadcrumbs: top → listing index → this page
    assert 'aria-label="パンくずリスト"' in html and 'href="/listings/"' in html
    # Window-only sections are absent
    assert "相談内容" not in html


def test_listing_map_is_fetched_only_on_request(client, sample):
    """Leaflet is not on the page: map.js fetches it after "地図を表示する" (page weight)."""
    html = get_detail(client, sample.ibasho)
    assert '<script src="/static/js/map.js" defer></script>' in html
    assert 'src="/static/vendor/leaflet/leaflet.js"' not in html
    assert 'href="/static/vendor/leaflet/leaflet.css"' not in html
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in html
    assert 'data-load="on-request"' in html and "data-map-show" in html
    # The button is for JavaScript only; without it the address and the GSI link remain.
    assert '<p class="map__show" hidden>' in html
    assert "https://maps.gsi.go.jp/#16/35.681236/139.767125/" in html


def test_kodomo_shokudo_detail(client, sample):
    listing = sample.shokudo
    html = get_detail(client, listing)
    assert "子ども食堂" in html and "ミドリコドモショクドウ" in html
    assert "どなたでも" in html
    assert "毎月 第2・第4 土曜 11:00〜13:00" in html
    assert next_date_text(listing) in html
    assert 'href="tel:0311112222"' in html  # full-width digits and brackets normalised
    assert "子ども無料、大人300円" in html and "予約が必要" in html
    assert 'href="/areas/north-a/"' in html
    assert "みどり小地区" in html and "概ね小学校通学区域" in html
    # No coordinates → no map link; no empty sections
    assert "maps.gsi.go.jp" not in html
    assert "バリアフリー情報" not in html
    assert "最終確認日" not in html
    assert "mailto:" not in html


def test_fureai_detail(client, sample):
    listing = sample.fureai
    html = get_detail(client, listing)
    assert "ふれまち活動" in html and "アオバフレアイサロン" in html
    assert "高齢者" in html
    assert next_date_text(listing) in html and "13:30〜15:00" in html
    assert 'href="tel:0425550101"' in html
    assert 'href="/areas/south-a-1/"' in html


def test_window_detail_shows_consultation_details(client, sample):
    listing = sample.window
    html = get_detail(client, listing)
    assert "相談窓口" in html and "フクシマルゴトソウダンマドグチ" in html
    assert "相談内容" in html
    for keyword in ("お金", "家賃", "介護", "認知症"):
        assert f'<li class="tag">{keyword}</li>' in html
    assert "相談の方法" in html and "来所・電話・訪問" in html
    assert "受付日時" in html and "次の受付日" in html
    assert "毎週 月〜金曜 08:30〜17:15" in html
    assert next_date_text(listing) in html and "08:30〜17:15" in html
    assert 'href="tel:+81425550000"' in html
    assert 'href="/areas/south-a-1/"' in html
    assert 'href="/areas/city/"' in html and "市全域" in html


def test_preview_of_an_unsaved_listing_renders(areas):
    """Staff preview a new listing before saving: nothing may assume it is in the database."""
    index = listing_index()
    page = ListingPage(
        title="プレビュー中の窓口",
        slug="preview-window",
        kind=Kind.WINDOW,
        location_area=areas.north_a_1,
        service_tier=Tier.CITY,
        phone="03-0000-1111",
        consultation_keywords="お金、家賃",
        contact_methods=["phone"],
    )
    page.age_groups = AgeGroup.objects.filter(code=Age.SENIOR)
    page.schedule_rules = [ScheduleRule(**weekly(0, "09:00", "17:00"))]
    page.depth = index.depth + 1
    page.path = ListingPage._get_path(index.path, page.depth, index.numchild + 1)
    page.set_url_path(index)
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "プレビュー中の窓口" in html and "毎週 月曜 09:00〜17:00" in html
    assert 'href="tel:0300001111"' in html and "高齢者" in html and "家賃" in html


def test_unpublished_listing_is_not_found(client, areas):
    draft = make_listing("下書きの居場所", area=areas.north_a_1, publish=False)
    assert client.get(f"/listings/{draft.slug}/").status_code == 404


# Information pages --------------------------------------------------------------------------


def test_information_page_renders_every_block(client, sample):
    page = information_page(sample)
    response = client.get("/plan/")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>地域福祉計画について</h1>" in html
    assert "計画のあらましです。" in html
    assert '<h2 class="stream-heading">計画の目標</h2>' in html
    assert '<h3 class="stream-heading">小さな見出し</h3>' in html
    assert "だれもが<b>居場所</b>を持てるまちへ。" in html
    assert re.search(r'<img [^>]*alt="公民館で話す人たち"', html)
    assert "callout--consult" in html and "どこに相談すればよいかわからないとき" in html
    assert "まずはお電話ください。" in html
    assert f'href="{sample.window.get_url()}">相談窓口を見る</a>' in html
    assert "近くの居場所" in html
    assert f'href="{sample.ibasho.get_url()}">みどりカフェ</a>' in html
    assert f'href="{sample.shokudo.get_url()}">みどり子ども食堂</a>' in html
    assert page.title in html


# Areas --------------------------------------------------------------------------------------


def test_area_index_is_a_nested_tree_with_counts(client, sample, areas):
    response = client.get("/areas/")
    assert response.status_code == 200
    html = html_of(response)
    for area in (areas.city, areas.north, areas.north_a, areas.north_a_1, areas.south_a_1):
        assert f'href="/areas/{area.code}/"' in html
    # The tree nests: 北部圏域's list contains みどり小地区, which contains みどり町1丁目.
    north = html.index('href="/areas/north/"')
    south = html.index('href="/areas/south/"')
    assert north < html.index('href="/areas/north-a/"') < html.index('href="/areas/north-a-1/"')
    assert html.index('href="/areas/north-a-1/"') < south
    assert "area-tree__list--depth-3" in html
    # Five listings in the city, three located in 北部圏域.
    city_item = html[html.index('href="/areas/city/"') : north]
    assert "5件" in city_item
    assert "3件" in html[north:south]


def test_area_page_city_tier(client, sample, areas):
    response = client.get("/areas/city/")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>サンプル市</h1>" in html and "市全域" in html
    assert 'href="/areas/north/"' in html and 'href="/areas/south/"' in html  # children
    for title in (
        "みどりカフェ",
        "みどり子ども食堂",
        "あおばふれあいサロン",
        "福祉まるごと相談窓口",
    ):
        assert "この地域にあります" in card_for(html, title)


def test_area_page_junior_high_tier(client, sample, areas):
    areas.north.coordinator = "北部圏域 ほっとネットステーション"
    areas.north.description = "市の北側の圏域です。"
    areas.north.save()
    html = html_of(client.get("/areas/north/"))
    assert "<h1>北部圏域</h1>" in html
    assert "北部圏域 ほっとネットステーション" in html and "市の北側の圏域です。" in html
    assert 'href="/areas/city/"' in html  # breadcrumb
    assert "この地域にあります" in card_for(html, "みどりカフェ")
    assert "この地域にあります" in card_for(html, "北部ひろば")
    assert "サンプル市全体が対象" in card_for(html, "福祉まるごと相談窓口")
    assert "あおばふれあいサロン" not in html


def test_area_page_elementary_tier(client, sample, areas):
    html = html_of(client.get("/areas/north-a/"))
    assert "<h1>みどり小地区</h1>" in html
    assert 'href="/areas/north-a-1/"' in html  # child
    assert "この地域にあります" in card_for(html, "みどり子ども食堂")
    assert "北部圏域全体が対象" in card_for(html, "北部ひろば")
    assert "サンプル市全体が対象" in card_for(html, "福祉まるごと相談窓口")
    assert "あおばふれあいサロン" not in html


def test_area_page_neighbourhood_tier(client, sample, areas):
    html = html_of(client.get("/areas/north-a-1/"))
    assert "<h1>みどり町1丁目</h1>" in html
    assert "身近な地域" in html
    # Breadcrumbs go city → 圏域 → 地区.
    crumbs = html[html.index("パンくずリスト") : html.index("</nav>", html.index("パンくずリスト"))]
    assert (
        crumbs.index("/areas/city/")
        < crumbs.index("/areas/north/")
        < crumbs.index("/areas/north-a/")
    )
    assert "この地域にあります" in card_for(html, "みどりカフェ")
    assert "みどり小地区全体が対象" in card_for(html, "みどり子ども食堂")
    assert "北部圏域全体が対象" in card_for(html, "北部ひろば")
    # A city-tier window located elsewhere still appears, as serving.
    window = card_for(html, "福祉まるごと相談窓口")
    assert "サンプル市全体が対象" in window and "この地域にあります" not in window
    assert "あおばふれあいサロン" not in html
    assert "この地域にあるもの 1件、この地域も対象にしているもの 3件" in html


def test_area_page_without_listings(client, areas):
    html = html_of(client.get("/areas/north-b/"))
    assert "まだ登録されていません" in html


def test_area_page_query_count_does_not_grow_with_listings(client, areas):
    def add(n):
        for i in range(n):
            make_listing(
                area=areas.north_a_1 if i % 2 else areas.south_a_1,
                service_tier=Tier.NEIGHBOURHOOD if i % 2 else Tier.CITY,
                ages=(Age.ADULT,),
                rules=(weekly(3),),
            )

    add(5)
    client.get("/areas/north-a-1/")
    with CaptureQueriesContext(connection) as five:
        assert client.get("/areas/north-a-1/").status_code == 200
    add(10)
    # Warm as before the first count: one-time work after a change (a snapshot reload, a
    # pending query-log batch) is not growth with the number of listings.
    client.get("/areas/north-a-1/")
    with CaptureQueriesContext(connection) as fifteen:
        html = html_of(client.get("/areas/north-a-1/"))
    assert html.count("<article") == 15
    assert len(fifteen) == len(five), [q["sql"] for q in fifteen.captured_queries]


# Search and errors --------------------------------------------------------------------------


def test_search_placeholder(client, sample):
    response = client.get("/search/", {"q": "家賃"})
    assert response.status_code == 200
    html = html_of(response)
    assert 'value="家賃"' in html
    assert "1件" in html
    assert "福祉まるごと相談窓口" in html and "みどりカフェ" not in html
    assert "名称・説明に含まれる語で探します" in html


def test_search_without_query_and_without_results(client, sample):
    assert "名称・説明に含まれる語で探します" in html_of(client.get("/search/"))
    html = html_of(client.get("/search/", {"q": "存在しないことば"}))
    assert "0件" in html and "見つかりませんでした" in html


def test_search_escapes_the_query(client, sample):
    html = html_of(client.get("/search/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in html


def test_unknown_area_code_is_404(client, areas):
    response = client.get("/areas/no-such-area/")
    assert response.status_code == 404
    assert "ページが見つかりません" in html_of(response)


def test_unknown_path_uses_the_404_template(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert "ページが見つかりません" in html
    assert 'href="/"' in html and 'action="/search/"' in html


def test_500_template_renders_without_context():
    html = render_to_string("500.html")
    assert "エラーが発生しました" in html
    assert 'href="/"' in html and 'href="/search/"' in html


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("03-1234-5678", "tel:0312345678"),
        ("(042) 555-0101 内線12", "tel:0425550101"),
        ("03-1111-2222／03-3333-4444（夜間）", "tel:0311112222"),
        ("042ー555ー0101", "tel:0425550101"),
        ("+81 42-555-0000", "tel:+81425550000"),
        ("０３－１２３４－５６７８", "tel:0312345678"),
        ("なし", ""),
        ("", ""),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def rule(frequency, weekday=None, week=None, start=None, end=None, day=None):
    return Rule(
        frequency,
        weekday,
        week,
        date=day,
        start_time=datetime.time.fromisoformat(start) if start else None,
        end_time=datetime.time.fromisoformat(end) if end else None,
    )


def test_describe_rules_merges_rules_with_the_same_times():
    rules = [
        rule("weekly", 0, start="10:00", end="12:00"),
        rule("monthly", 5, week=4, start="11:00", end="13:00"),
        rule("weekly", 2, start="10:00", end="12:00"),
        rule("monthly", 5, week=2, start="11:00", end="13:00"),
        rule("monthly", 4, week=-1),
        rule("monthly", 4, week=1),
        rule("weekly", 5, start="09:00"),
        rule("date", day=datetime.date(2026, 12, 5), start="10:00", end="11:00"),
    ]
    assert describe_rules(rules) == [
        "毎週 月・水曜 10:00〜12:00",
        "毎月 第2・第4 土曜 11:00〜13:00",
        "毎月 第1・最終 金曜",
        "毎週 土曜 09:00〜",
        "2026年12月5日（土） 10:00〜11:00",
    ]
    weekdays = [rule("weekly", d, start="08:30", end="17:15") for d in range(5)]
    assert describe_rules(weekdays) == ["毎週 月〜金曜 08:30〜17:15"]
    every_day = [rule("weekly", d, start="10:00", end="12:00") for d in range(7)]
    assert describe_rules(every_day) == ["毎日 10:00〜12:00"]
    assert describe_rules([]) == []


def test_jp_date():
    assert jp_date(datetime.date(2025, 12, 13)) == "12月13日（土）"
