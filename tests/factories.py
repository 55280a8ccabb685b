"""Small builders for test data (real models, real database), and the sample city.

``make_sample_areas`` builds the sample city's area tree (the ``areas`` fixture of
tests/conftest.py); ``SampleCity`` (the ``city`` fixture) builds its places, each defined once.
A test module picks the places it needs and passes only what its assertions need different.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from listings.models import AgeGroup, Area, ListingIndexPage, ListingPage, ScheduleRule
from listings.vocabulary import Age, Kind, Tier
from pages.models import HomePage, InformationPage

_counter = itertools.count(1)


def make_area(code: str, name: str, tier: str, parent: Area | None = None, **extra) -> Area:
    area = Area(code=code, name=name, tier=tier, parent=parent, **extra)
    area.full_clean()
    area.save()
    return area


def listing_index() -> ListingIndexPage:
    return ListingIndexPage.objects.get(slug="listings")


def make_listing(
    title: str | None = None,
    *,
    kind: str = Kind.IBASHO,
    area: Area,
    service_tier: str = Tier.NEIGHBOURHOOD,
    ages: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    rules: tuple[dict, ...] = (),
    publish: bool = True,
    parent: ListingIndexPage | None = None,
    **fields,
) -> ListingPage:
    """Create a listing under the listing index; published unless ``publish=False``."""
    n = next(_counter)
    page = ListingPage(
        title=title or f"テスト居場所{n}",
        slug=f"listing-{n}",
        kind=kind,
        location_area=area,
        service_tier=service_tier,
        live=publish,
        **fields,
    )
    (parent or listing_index()).add_child(instance=page)
    if ages:
        page.age_groups.set(AgeGroup.objects.filter(code__in=ages))
    if topics:
        page.topics.add(*topics)
    for order, rule in enumerate(rules):
        ScheduleRule.objects.create(listing=page, sort_order=order, **rule)
    page.save_revision().publish() if publish else page.save_revision()
    return ListingPage.objects.get(pk=page.pk)


def weekly(weekday: int, start: str | None = None, end: str | None = None) -> dict:
    return {"frequency": "weekly", "weekday": weekday, **_times(start, end)}


def monthly(week: int, weekday: int, start: str | None = None, end: str | None = None) -> dict:
    return {
        "frequency": "monthly",
        "weekday": weekday,
        "week_of_month": week,
        **_times(start, end),
    }


def on_date(day: datetime.date, start: str | None = None, end: str | None = None) -> dict:
    return {"frequency": "date", "date": day, **_times(start, end)}


def tentative(weekday: int | None, start: str | None = None, end: str | None = None) -> dict:
    """Weekday known (or none: times only), dates to confirm with the group (要確認)."""
    return {"frequency": "tentative", "weekday": weekday, **_times(start, end)}


def _times(start: str | None, end: str | None) -> dict:
    def parse(t):
        return datetime.time.fromisoformat(t) if t else None

    return {"start_time": parse(start), "end_time": parse(end)}


def ensure_site_tree() -> None:
    """Re-create what migrations made if an earlier transactional test flushed it.

    (With ``transactional_db`` every table is emptied after each test, so the HomePage,
    ListingIndexPage, Site, root collection and age groups made by migrations may be gone.)
    """
    for order, code in enumerate(Age.values):
        AgeGroup.objects.update_or_create(code=code, defaults={"sort_order": order})
    if Collection.get_first_root_node() is None:  # images need it
        Collection.add_root(name="Root")
    if ListingIndexPage.objects.filter(slug="listings").exists():
        return
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="ja")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="居場所ポータル", slug="home", locale=locale))
    home.add_child(instance=ListingIndexPage(title="居場所・窓口をさがす", slug="listings"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "居場所ポータル",
        },
    )


def make_image(title: str = "テスト画像"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 700), (40, 120, 100)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="test-photo.png")
    )


# The sample city ------------------------------------------------------------------------------

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)


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


def make_sample_areas() -> SampleAreas:
    city = make_area("city", "サンプル市", Tier.CITY)
    north = make_area("north", "北部圏域", Tier.JUNIOR_HIGH, city)
    south = make_area("south", "南部圏域", Tier.JUNIOR_HIGH, city)
    north_a = make_area("north-a", "みどり小地区", Tier.ELEMENTARY, north)
    north_b = make_area("north-b", "ひかり小地区", Tier.ELEMENTARY, north)
    south_a = make_area("south-a", "あおば小地区", Tier.ELEMENTARY, south)
    north_a_1 = make_area("north-a-1", "みどり町1丁目", Tier.NEIGHBOURHOOD, north_a)
    south_a_1 = make_area("south-a-1", "あおば町2丁目", Tier.NEIGHBOURHOOD, south_a)
    return SampleAreas(city, north, south, north_a, north_b, south_a, north_a_1, south_a_1)


CAFE_PHONE = "03-1234-5678"


class SampleCity:
    """The places of the sample city, one method each.

    Every method creates its listing with ``make_listing``; keyword arguments replace the
    place's own values (a module that needs a kitchen open to everyone passes ``ages=``), so
    what a test relies on beyond the place itself is written where the test is.
    """

    def __init__(self, areas: SampleAreas):
        self.areas = areas

    def _place(self, defaults: dict, changes: dict) -> ListingPage:
        return make_listing(**{**defaults, **changes})

    # Around みどり (north) ----------------------------------------------------------------

    def kitchen(self, **changes) -> ListingPage:
        """みどり子ども食堂: serves the whole north 圏域, 第2・第4土曜 at lunchtime."""
        return self._place(
            {
                "title": "みどり子ども食堂",
                "kind": Kind.KODOMO_SHOKUDO,
                "area": self.areas.north_a,
                "service_tier": Tier.JUNIOR_HIGH,
                "name_kana": "ミドリコドモショクドウ",
                "ages": (Age.ELEMENTARY,),
                "topics": ("食事", "学習支援"),
                "description": (
                    "<p>毎月第2・第4土曜のお昼ごはん。子どもは無料、おとなは300円です。</p>"
                ),
                "latitude": 35.726,
                "longitude": 139.551,
                "rules": (monthly(2, SAT, "11:00", "13:00"), monthly(4, SAT, "11:00", "13:00")),
            },
            changes,
        )

    def teen_space(self, **changes) -> ListingPage:
        """中高生のたまり場ぽけっと: a teen space in みどり町1丁目, Wednesday afternoons."""
        return self._place(
            {
                "title": "中高生のたまり場ぽけっと",
                "area": self.areas.north_a_1,
                "ages": (Age.TEEN,),
                "topics": ("居場所づくり", "学習支援"),
                "description": "<p>放課後に立ち寄れる場所です。</p>",
                "latitude": 35.7205,
                "longitude": 139.5505,
                "rules": (weekly(WED, "15:00", "19:00"),),
            },
            changes,
        )

    def community_cafe(self, **changes) -> ListingPage:
        """みどりの森のコミュニティカフェ: open every morning, with every contact detail filled
        in (long enough to wrap on a phone)."""
        return self._place(
            {
                "title": "みどりの森のコミュニティカフェ・ほっとひといき",
                "kind": Kind.IBASHO,
                "area": self.areas.north_a_1,
                "ages": (Age.EVERYONE, Age.SENIOR),
                "topics": ("食事", "介護予防"),
                "rules": tuple(weekly(day, "10:00", "12:00") for day in range(7)),
                "name_kana": "ミドリノモリノコミュニティカフェホットヒトイキ",
                "description": (
                    "<p>だれでも立ち寄れるカフェです。"
                    "お茶を飲みながら、ゆっくりお話しできます。</p>"
                ),
                "address": "サンプル市みどり町1丁目2番3号 みどり会館1階",
                "latitude": 35.68,
                "longitude": 139.76,
                "phone": CAFE_PHONE,
                "email": "hottohitoiki-community-cafe-contact@example.jp",
                "website": "https://example.jp/a/very/long/path/that/should/wrap/on/small/screens/index.html",
                "organiser": "みどり町1丁目自治会",
                "fee": "100円（お茶代）",
                "booking": "not_required",
                "schedule_note": "8月と年末年始はお休みです。",
                "last_verified": datetime.date(2025, 4, 1),
            },
            changes,
        )

    def youth_cafe(self, **changes) -> ListingPage:
        """みどりカフェ: a café for teens and young people (水・金), every field filled in."""
        return self._place(
            {
                "title": "みどりカフェ",
                "kind": Kind.IBASHO,
                "area": self.areas.north_a_1,
                "service_tier": Tier.NEIGHBOURHOOD,
                "ages": (Age.TEEN, Age.YOUTH),
                "topics": ("居場所づくり", "学習支援"),
                "rules": (weekly(WED, "15:00", "18:00"), weekly(FRI, "15:00", "18:00")),
                "name_kana": "ミドリカフェ",
                "description": "<p>中高生がゆっくり過ごせる<b>カフェ</b>です。</p>",
                "address": "サンプル市みどり町1-2-3",
                "latitude": 35.681236,
                "longitude": 139.767125,
                "phone": CAFE_PHONE,
                "fax": "03-1234-5679",
                "email": "cafe@example.jp",
                "website": "https://example.jp/cafe",
                "organiser": "NPO法人みどり",
                "fee": "無料",
                "booking": "not_required",
                "how_to_join": "直接お越しください。",
                "accessibility": "段差なし。車いす用トイレあり。",
                "holiday_policy": "closed",
                "schedule_note": "8月はお休みです。",
                "last_verified": datetime.date(2025, 4, 1),
            },
            changes,
        )

    def fureai_meal(self, **changes) -> ListingPage:
        """みどり地区ふれまち ふれあい食事会: a monthly lunch for seniors of みどり小地区."""
        return self._place(
            {
                "title": "みどり地区ふれまち ふれあい食事会",
                "kind": Kind.FUREAI,
                "area": self.areas.north_a,
                "service_tier": Tier.ELEMENTARY,
                "ages": (Age.SENIOR,),
                "topics": ("食事", "介護予防"),
                "name_kana": "ミドリチクフレマチフレアイショクジカイ",
                "latitude": 35.727,
                "longitude": 139.553,
                "rules": (monthly(3, WED, "12:00", "14:00"),),
            },
            changes,
        )

    def senior_salon(self, **changes) -> ListingPage:
        """ひかりシニアサロン: the ひかり小地区 salon, on the last Friday of the month."""
        return self._place(
            {
                "title": "ひかりシニアサロン",
                "kind": Kind.FUREAI,
                "area": self.areas.north_b,
                "service_tier": Tier.ELEMENTARY,
                "ages": (Age.SENIOR,),
                "topics": ("介護予防",),
                "latitude": 35.74,
                "longitude": 139.57,
                "rules": (monthly(-1, FRI, "13:30", "15:00"),),
            },
            changes,
        )

    def north_hiroba(self, **changes) -> ListingPage:
        """北部ひろば: a 子育てひろば in ひかり小地区 serving the whole north 圏域."""
        return self._place(
            {
                "title": "北部ひろば",
                "kind": Kind.IBASHO,
                "area": self.areas.north_b,
                "service_tier": Tier.JUNIOR_HIGH,
                "ages": (Age.INFANT,),
                "name_kana": "ホクブヒロバ",
            },
            changes,
        )

    # Around あおば (south) ----------------------------------------------------------------

    def aoba_salon(self, **changes) -> ListingPage:
        """あおばふれあいサロン: a salon of あおば町2丁目, on one date ten days from today."""
        soon = datetime.date.today() + datetime.timedelta(days=10)
        return self._place(
            {
                "title": "あおばふれあいサロン",
                "kind": Kind.FUREAI,
                "area": self.areas.south_a_1,
                "service_tier": Tier.NEIGHBOURHOOD,
                "ages": (Age.SENIOR,),
                "rules": (on_date(soon, "13:30", "15:00"),),
                "name_kana": "アオバフレアイサロン",
                "phone": "042-555-0101",
            },
            changes,
        )

    def parenting_space(self, **changes) -> ListingPage:
        """あおば子育てひろば: for parents with infants, on one December date."""
        return self._place(
            {
                "title": "あおば子育てひろば",
                "area": self.areas.south_a,
                "service_tier": Tier.ELEMENTARY,
                "ages": (Age.INFANT,),
                "topics": ("子育て",),
                "latitude": 35.69,
                "longitude": 139.51,
                "rules": (on_date(datetime.date(2026, 12, 23), "10:00", "12:00"),),
            },
            changes,
        )

    def living_support_window(self, **changes) -> ListingPage:
        """生活サポート相談窓口: money, rent and work, for the whole city, on weekdays."""
        return self._place(
            {
                "title": "生活サポート相談窓口",
                "kind": Kind.WINDOW,
                "area": self.areas.south_a_1,
                "service_tier": Tier.CITY,
                "ages": (Age.EVERYONE,),
                "topics": ("生活困窮",),
                "consultation_keywords": "お金、家賃、仕事、借金",
                "description": "<p>暮らしやお金のことを一緒に考えます。</p>",
                "latitude": 35.69,
                "longitude": 139.51,
                "holiday_policy": "closed",
                "rules": tuple(weekly(day, "08:30", "17:15") for day in WEEKDAYS),
            },
            changes,
        )

    def onestop_window(self, **changes) -> ListingPage:
        """福祉まるごと相談窓口: the one-stop window for anything, for the whole city."""
        return self._place(
            {
                "title": "福祉まるごと相談窓口",
                "kind": Kind.WINDOW,
                "area": self.areas.south_a_1,
                "service_tier": Tier.CITY,
                "ages": (Age.EVERYONE,),
                "rules": tuple(weekly(day, "08:30", "17:15") for day in WEEKDAYS),
                "name_kana": "フクシマルゴトソウダンマドグチ",
                "description": "<p>どこに相談すればよいかわからないときに。</p>",
                "phone": "+81-42-555-0000",
                "consultation_keywords": "お金、家賃、介護、認知症、DV",
                "contact_methods": ["visit", "phone", "home_visit"],
            },
            changes,
        )

    def draft_kitchen(self, **changes) -> ListingPage:
        """下書きの子ども食堂: a kitchen nobody has published."""
        return self._place(
            {
                "title": "下書きの子ども食堂",
                "kind": Kind.KODOMO_SHOKUDO,
                "area": self.areas.city,
                "publish": False,
            },
            changes,
        )

    # Sets several modules share ---------------------------------------------------------

    def engine_set(self) -> dict[str, ListingPage]:
        """The search engines' shared sample (tests/search/test_engine_contract.py): five
        published listings across kinds, tiers, ages, topics, places and days, and a draft."""
        return {
            "kitchen": self.kitchen(ages=(Age.ELEMENTARY, Age.TEEN)),
            # Not at the same point as the parenting space: equal distances would tie.
            "window": self.living_support_window(latitude=35.70, longitude=139.52),
            # No point on the map: sorted last by distance.
            "teen": self.teen_space(latitude=None, longitude=None),
            # Mentions 子ども食堂 only in its description (ranking).
            "salon": self.senior_salon(description="<p>子ども食堂のボランティアも募集中。</p>"),
            "cafe": self.parenting_space(),
            "draft": self.draft_kitchen(),
        }

    def information_page(self, *, window: ListingPage, related: list[ListingPage]):
        """地域福祉計画について (/plan/): every kind of block, its callout linking ``window``."""
        image = make_image("サロンの様子")
        body = [
            {"type": "heading", "value": {"text": "計画の目標", "level": "h2"}},
            {"type": "heading", "value": {"text": "小さな見出し", "level": "h3"}},
            {"type": "paragraph", "value": "<p>だれもが<b>居場所</b>を持てるまちへ。</p>"},
            {
                "type": "image",
                "value": {"image": image.pk, "decorative": False, "alt_text": "公民館で話す人たち"},
            },
            {
                "type": "callout",
                "value": {
                    "style": "consult",
                    "title": "どこに相談すればよいかわからないとき",
                    "body": "<p>まずはお電話ください。</p>",
                    "link_page": window.pk,
                    "link_text": "相談窓口を見る",
                },
            },
            {
                "type": "related_listings",
                "value": {"heading": "近くの居場所", "listings": [p.pk for p in related]},
            },
        ]
        page = InformationPage(
            title="地域福祉計画について",
            slug="plan",
            summary="計画のあらましです。",
            body=json.dumps(body),
        )
        HomePage.objects.first().add_child(instance=page)
        page.save_revision().publish()
        return page
