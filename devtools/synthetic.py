"""Synthetic listings for benchmarks and load tests (``manage.py generate_listings``).

Creating 100,000 pages one by one through Wagtail's ``add_child`` takes about 30 ms a page
(validation, tree bookkeeping, index updates), so this module writes them in batches through
public APIs, leaving what a published page without revisions would leave:

* a fixed synthetic area tree (city → 4 圏域 → 20 地区 → 80 町丁目), codes prefixed ``syn-`` so
  they never clash with real or demo areas, saved as any area is;
* the page rows with ``Page.objects.bulk_create``, at the tree paths ``add_child`` would give
  them (``child_paths``: treebeard's own step encoding after the index's last child), then the
  index's child count;
* the listing rows through Django's serialization framework, as ``loaddata`` loads a fixture
  (``bulk_create`` refuses multi-table inheritance; a raw save writes only the child table);
* age groups, topics (taggit) and schedule rules with ``bulk_create``.

Text is composed from Japanese word pools with kana readings, so text search sees realistic
selectivity (「子ども食堂」 in about a fifth of the listings, 「家賃」 in a few percent). The same
seed always produces the same listings. Like a fixture, nothing is indexed: rebuild the search
index afterwards (``manage.py rebuild_search_index``, or the engine's ``rebuild()``).
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from taggit.models import Tag
from treebeard.exceptions import PathOverflow
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from listings.models import (
    AgeGroup,
    Area,
    ListingIndexPage,
    ListingPage,
    ListingTopic,
    ScheduleRule,
)
from listings.vocabulary import TIER_ORDER, Age, Booking, ContactMethod, HolidayPolicy, Kind, Tier
from search.engines import get_engine

AREA_PREFIX = "syn-"
EXTERNAL_PREFIX = "SYN-"
SLUG_PREFIX = "syn-"
BATCH_SIZE = 2000
DELETE_CHUNK = 500  # treebeard ORs one path condition per page; SQLite nests ORs

Progress = Callable[[int, int], None]

# ------------------------------------------------------------------------------ the area tree
CITY = ("みらい市", "ミライシ")
CITY_CENTRE = (35.4500, 139.3500)
# 圏域: code suffix, name, kana, (lat, lng) offset of its centre from the city centre.
WARDS = [
    ("n", "北部圏域", "ホクブケンイキ", (0.030, 0.000)),
    ("e", "東部圏域", "トウブケンイキ", (0.000, 0.040)),
    ("s", "南部圏域", "ナンブケンイキ", (-0.030, 0.000)),
    ("w", "西部圏域", "セイブケンイキ", (0.000, -0.040)),
]
# 20 地区 names (5 per 圏域); each has 4 町丁目 named after it.
DISTRICTS = [
    ("本町", "ホンチョウ"),
    ("栄町", "サカエチョウ"),
    ("旭町", "アサヒチョウ"),
    ("緑が丘", "ミドリガオカ"),
    ("若葉台", "ワカバダイ"),
    ("富士見", "フジミ"),
    ("日の出", "ヒノデ"),
    ("松原", "マツバラ"),
    ("梅園", "ウメゾノ"),
    ("桜木", "サクラギ"),
    ("柳町", "ヤナギチョウ"),
    ("東山", "ヒガシヤマ"),
    ("宮前", "ミヤマエ"),
    ("川端", "カワバタ"),
    ("泉", "イズミ"),
    ("青葉", "アオバ"),
    ("中央", "チュウオウ"),
    ("大原", "オオハラ"),
    ("港南", "コウナン"),
    ("北野", "キタノ"),
]
DISTRICT_OFFSETS = [(0.0, 0.0), (0.010, 0.0), (-0.010, 0.0), (0.0, 0.012), (0.0, -0.012)]
BLOCK_OFFSETS = [(0.003, 0.003), (0.003, -0.003), (-0.003, 0.003), (-0.003, -0.003)]
CHOME_KANA = ["イッチョウメ", "ニチョウメ", "サンチョウメ", "ヨンチョウメ"]


@dataclass
class AreaTree:
    city: Area
    wards: list[Area]
    districts: list[Area]
    blocks: list[Area]

    @property
    def all(self) -> list[Area]:
        return [self.city, *self.wards, *self.districts, *self.blocks]


def _area_specs() -> list[dict]:
    """Every synthetic area as field values, parents before children."""
    lat0, lng0 = CITY_CENTRE
    specs = [
        dict(
            code=f"{AREA_PREFIX}city",
            name=CITY[0],
            name_kana=CITY[1],
            tier=Tier.CITY,
            parent=None,
            latitude=lat0,
            longitude=lng0,
        )
    ]
    for w, (suffix, name, kana, (dlat, dlng)) in enumerate(WARDS):
        ward_code = f"{AREA_PREFIX}{suffix}"
        wlat, wlng = lat0 + dlat, lng0 + dlng
        specs.append(
            dict(
                code=ward_code,
                name=name,
                name_kana=kana,
                tier=Tier.JUNIOR_HIGH,
                parent=specs[0]["code"],
                latitude=wlat,
                longitude=wlng,
            )
        )
        for d in range(5):
            dname, dkana = DISTRICTS[w * 5 + d]
            district_code = f"{ward_code}-{d + 1:02d}"
            dlat2, dlng2 = DISTRICT_OFFSETS[d]
            specs.append(
                dict(
                    code=district_code,
                    name=f"{dname}小地区",
                    name_kana=f"{dkana}ショウチク",
                    tier=Tier.ELEMENTARY,
                    parent=ward_code,
                    latitude=round(wlat + dlat2, 5),
                    longitude=round(wlng + dlng2, 5),
                )
            )
            for b in range(4):
                blat, blng = BLOCK_OFFSETS[b]
                specs.append(
                    dict(
                        code=f"{district_code}-{b + 1}",
                        name=f"{dname}{b + 1}丁目",
                        name_kana=f"{dkana}{CHOME_KANA[b]}",
                        tier=Tier.NEIGHBOURHOOD,
                        parent=district_code,
                        latitude=round(wlat + dlat2 + blat, 5),
                        longitude=round(wlng + dlng2 + blng, 5),
                    )
                )
    return specs


def ensure_area_tree() -> AreaTree:
    """The synthetic area tree, created on first use (the same tree for every seed)."""
    existing = {a.code: a for a in Area.objects.filter(code__startswith=AREA_PREFIX)}
    for spec in _area_specs():
        if spec["code"] in existing:
            continue
        parent = existing[spec["parent"]] if spec["parent"] else None
        area = Area(**{**spec, "parent": parent})
        area.save()
        existing[area.code] = area
    by_tier: dict[str, list[Area]] = {t: [] for t in TIER_ORDER}
    for area in sorted(existing.values(), key=lambda a: a.path):
        by_tier[area.tier].append(area)
    return AreaTree(
        city=by_tier[Tier.CITY][0],
        wards=by_tier[Tier.JUNIOR_HIGH],
        districts=by_tier[Tier.ELEMENTARY],
        blocks=by_tier[Tier.NEIGHBOURHOOD],
    )


# ------------------------------------------------------------------------------ word pools
def _entries(text: str) -> list[tuple]:
    """``word:カナ:weight`` entries separated by white space (weights become ints)."""
    entries = []
    for entry in text.split():
        parts = entry.split(":")
        entries.append(tuple(int(p) if p.isdigit() else p for p in parts))
    return entries


def _words(text: str) -> list[str]:
    return text.split()


# Words for listing names: (word, katakana reading).
NAME_WORDS = _entries(
    """
    みどり:ミドリ ひかり:ヒカリ たんぽぽ:タンポポ ひまわり:ヒマワリ
    にじいろ:ニジイロ おひさま:オヒサマ どんぐり:ドングリ つくし:ツクシ
    あおぞら:アオゾラ わかば:ワカバ こもれび:コモレビ なかよし:ナカヨシ
    ぽかぽか:ポカポカ にこにこ:ニコニコ わいわい:ワイワイ ほっと:ホット
    ゆうやけ:ユウヤケ そよかぜ:ソヨカゼ 虹:ニジ 陽だまり:ヒダマリ
    結:ユイ 縁側:エンガワ 寺子屋:テラコヤ さくら:サクラ
    若竹:ワカタケ あすなろ:アスナロ ふたば:フタバ すずらん:スズラン
    こぐま:コグマ ほしぞら:ホシゾラ きらきら:キラキラ のびのび:ノビノビ
    まんまる:マンマル えがお:エガオ みんなの:ミンナノ まちかど:マチカド
    ぬくもり:ヌクモリ はなみずき:ハナミズキ かがやき:カガヤキ
    ひだまり:ヒダマリ 森の:モリノ 風の:カゼノ かもめ:カモメ
    いちご:イチゴ もぐもぐ:モグモグ ぱくぱく:パクパク あったか:アッタカ
    ふれあい:フレアイ つながり:ツナガリ ありがとう:アリガトウ
    """
)

KIND_WEIGHTS = [
    (Kind.IBASHO, 35),
    (Kind.KODOMO_SHOKUDO, 20),
    (Kind.FUREAI, 30),
    (Kind.WINDOW, 15),
]
# What a listing calls itself, by kind: (noun, reading, weight).
KIND_NOUNS = {
    Kind.KODOMO_SHOKUDO: _entries(
        """
        子ども食堂:コドモショクドウ:40 こども食堂:コドモショクドウ:20
        子供食堂:コドモショクドウ:8 みんな食堂:ミンナショクドウ:10
        地域食堂:チイキショクドウ:10 キッズキッチン:キッズキッチン:6 ごはん会:ゴハンカイ:6
        """
    ),
    Kind.IBASHO: _entries(
        """
        コミュニティカフェ:コミュニティカフェ:20 カフェ:カフェ:10 ひろば:ヒロバ:10
        子育てひろば:コソダテヒロバ:12 居場所:イバショ:12 たまり場:タマリバ:6
        学習教室:ガクシュウキョウシツ:10 フリースペース:フリースペース:8
        地域の茶の間:チイキノチャノマ:6 ユーススペース:ユーススペース:6
        """
    ),
    Kind.FUREAI: _entries(
        """
        ふれあいサロン:フレアイサロン:20 シニアサロン:シニアサロン:15
        いきいきサロン:イキイキサロン:15 体操教室:タイソウキョウシツ:12
        健康麻雀の会:ケンコウマージャンノカイ:6 囲碁クラブ:イゴクラブ:6
        手芸の会:シュゲイノカイ:6 歌声サロン:ウタゴエサロン:6 見守り隊:ミマモリタイ:6
        食事会:ショクジカイ:4 茶話会:サワカイ:4
        """
    ),
    Kind.WINDOW: _entries(
        """
        相談窓口:ソウダンマドグチ:20 相談室:ソウダンシツ:10
        福祉相談センター:フクシソウダンセンター:12
        地域包括支援センター:チイキホウカツシエンセンター:15
        子育て相談:コソダテソウダン:10 くらしの相談窓口:クラシノソウダンマドグチ:12
        若者相談室:ワカモノソウダンシツ:8
        障がい者相談支援センター:ショウガイシャソウダンシエンセンター:8
        ほっとネットステーション:ホットネットステーション:5
        """
    ),
}
# Topics (taggit tags) by kind: (tag, percentage of listings of that kind).
TOPICS = {
    Kind.KODOMO_SHOKUDO: _entries(
        "食事:90 学習支援:25 子育て:25 多世代交流:20 食料支援:15 遊び:15"
    ),
    Kind.IBASHO: _entries(
        """
        居場所づくり:50 多世代交流:25 学習支援:20 不登校:12 子育て:25 遊び:15
        読書:8 音楽:8 外国籍:5 障がい:6
        """
    ),
    Kind.FUREAI: _entries(
        "介護予防:50 体操:30 趣味:25 手芸:10 囲碁・将棋:10 見守り:20 認知症:10 健康:25 食事:10"
    ),
    Kind.WINDOW: _entries(
        """
        生活困窮:35 ひきこもり:20 見守り:15 介護:25 認知症:15 子育て:15 障がい:12
        就労支援:15 住まい:10 不登校:8 ヤングケアラー:6
        """
    ),
}
# What a 相談窓口 is consulted about, by its specialty (its noun says which).
CONSULTATION_WORDS = {
    "general": _words(
        """
        お金 家賃 生活費 借金 仕事 就職 住まい 家族 孤立 近所づきあい ひきこもり 8050
        食べ物がない フードバンク 病気 税金の滞納 ごみ屋敷 困りごと なんでも相談
        """
    ),
    "care": _words("介護 認知症 物忘れ 介護保険 見守り 成年後見 在宅医療 家族の介護 お金"),
    "child": _words("子育て 発達 不登校 いじめ しつけ ヤングケアラー ひとり親 保育園 家族"),
    "youth": _words("ひきこもり 仕事 就職 不登校 人間関係 居場所 生活費"),
    "disability": _words("障害 障害者手帳 福祉サービス 仕事 生活費 住まい 家族"),
}
WINDOW_SPECIALTY = {
    "地域包括支援センター": "care",
    "子育て相談": "child",
    "若者相談室": "youth",
    "障がい者相談支援センター": "disability",
}

FOODS = _words(
    """
    カレーライス 手作りのお弁当 温かいごはんとおみそ汁 季節の野菜料理
    旬の食材を使ったランチ 具だくさんの豚汁 手作りのおやつ
    """
)
KITCHEN_EXTRAS = _words(
    """
    宿題の時間もあります。 食事のあとは自由に遊べます。 地域のボランティアが運営しています。
    大人も一緒に食べられます。 食材の寄付を受け付けています。
    学生ボランティアが勉強を見ます。 アレルギーのある方は事前にご相談ください。
    """
)
IBASHO_ACTIVITIES = _words("おしゃべり 読書 ボードゲーム 宿題 工作 楽器の演奏 お茶 ゲーム 料理")
FUREAI_ACTIVITIES = _words(
    "体操 脳トレ 歌 手芸 囲碁 将棋 麻雀 お茶会 折り紙 健康チェック ウォーキング カラオケ"
)
AUDIENCES = {
    Kind.KODOMO_SHOKUDO: _words("地域の子どもたち 小学生 親子 どなたでも"),
    Kind.IBASHO: _words("中高生 子育て中の親子 若者 地域の方 不登校の子ども どなたでも"),
    Kind.FUREAI: _words("地域の高齢者 シニア世代 ご近所の方 どなたでも"),
    Kind.WINDOW: _words("市民 地域の方 どなたでも"),
}
FEES = [*_words("無料 子ども無料、大人300円 100円 材料費実費 1回200円 無料（カンパ歓迎）"), ""]
ACCESSIBILITY = [
    *_words(
        """
        段差なし。 車いす用トイレあり。 2階です。エレベーターはありません。
        駐車場はありません。公共交通機関でお越しください。 ベビーカーで入れます。
        段差なし。車いすで入れます。
        """
    ),
    "",
]
SCHEDULE_NOTES = [
    *_words(
        """
        8月はお休みです。 年末年始はお休みです。 雨天中止。
        日程は毎月のお知らせで確認してください。 祝日の場合は翌週に開催します。
        """
    ),
    "",
]
HOW_TO_JOIN = [
    *_words(
        """
        直接お越しください。 前日までに電話で予約してください。
        初めての方は電話でお問い合わせください。 申込書を事前に提出してください。
        """
    ),
    "",
]
ORGANISER_FORMS = _words(
    """
    {w}の会 NPO法人{w} {a}自治会 社会福祉法人{w}会 みらい市社会福祉協議会
    {a}地区社会福祉協議会 {w}ボランティアグループ
    """
)

AGE_PLANS = {
    Kind.KODOMO_SHOKUDO: [(Age.ELEMENTARY, 90), (Age.TEEN, 40), (Age.INFANT, 25), (Age.ADULT, 10)],
    Kind.IBASHO: [
        (Age.TEEN, 35),
        (Age.YOUTH, 25),
        (Age.INFANT, 25),
        (Age.ELEMENTARY, 25),
        (Age.ADULT, 15),
        (Age.SENIOR, 15),
    ],
    Kind.FUREAI: [(Age.SENIOR, 85), (Age.ADULT, 25)],
    Kind.WINDOW: [(Age.YOUTH, 25), (Age.SENIOR, 35), (Age.INFANT, 20), (Age.ADULT, 30)],
}
EVERYONE_SHARE = {Kind.KODOMO_SHOKUDO: 15, Kind.IBASHO: 25, Kind.FUREAI: 15, Kind.WINDOW: 45}

# Which tier a listing serves (index into TIER_ORDER), capped at its own location's depth.
SERVICE_TIERS = {
    Kind.KODOMO_SHOKUDO: [(Tier.NEIGHBOURHOOD, 50), (Tier.ELEMENTARY, 35), (Tier.JUNIOR_HIGH, 15)],
    Kind.IBASHO: [
        (Tier.NEIGHBOURHOOD, 40),
        (Tier.ELEMENTARY, 30),
        (Tier.JUNIOR_HIGH, 20),
        (Tier.CITY, 10),
    ],
    Kind.FUREAI: [(Tier.NEIGHBOURHOOD, 70), (Tier.ELEMENTARY, 30)],
    Kind.WINDOW: [(Tier.CITY, 30), (Tier.JUNIOR_HIGH, 50), (Tier.ELEMENTARY, 20)],
}

PUBLISHED_FROM = datetime.datetime(2024, 4, 1, 9, 0, tzinfo=datetime.UTC)
VERIFIED_FROM = datetime.date(2025, 4, 1)
DATED_EVENTS_FROM = datetime.date(2026, 1, 1)
HOLIDAY_POLICIES = [
    HolidayPolicy.CLOSED,
    HolidayPolicy.CLOSED,
    HolidayPolicy.OPEN,
    HolidayPolicy.UNKNOWN,
]


def _pick(rng: random.Random, weighted):
    """One item of ``[(item..., weight)]`` (the weight is the last element)."""
    total = sum(w[-1] for w in weighted)
    point = rng.random() * total
    for item in weighted:
        point -= item[-1]
        if point < 0:
            return item
    return weighted[-1]


def _some(rng: random.Random, weighted: list[tuple[str, int]], at_least: int = 1) -> list[str]:
    """Each item independently with its weight as a percentage; at least ``at_least`` items."""
    chosen = [name for name, pct in weighted if rng.random() * 100 < pct]
    while len(chosen) < at_least:
        name = _pick(rng, weighted)[0]
        if name not in chosen:
            chosen.append(name)
    return chosen


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


MONTHLY_WEEKS = [[1], [2], [3], [4], [-1], [1, 3], [2, 4]]
# weekly: share of listings open weekly (the rest monthly); weekly_days: a fixed list of days
# or how many of ``weekdays`` to draw; hours: (start, end) choices.
SCHEDULE_PLANS = {
    Kind.WINDOW: {
        "weekly": 1.0,
        "weekly_days": [[0, 1, 2, 3, 4]] * 7 + [3] * 3,
        "weekdays": [0, 1, 2, 3, 4],
        "hours": [("08:30", "17:15"), ("09:00", "17:00")],
    },
    Kind.KODOMO_SHOKUDO: {
        "weekly": 0.2,
        "weekly_days": [1],
        "weekdays": [1, 3, 4, 5, 5, 6],
        "hours": [("17:00", "19:00"), ("11:30", "13:30"), ("16:30", "19:00")],
    },
    Kind.IBASHO: {
        "weekly": 0.85,
        "weekly_days": [1, 1, 2, 3],
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "hours": [("10:00", "16:00"), ("15:00", "18:00"), ("13:00", "17:00"), ("10:00", "12:00")],
    },
    Kind.FUREAI: {
        "weekly": 0.35,
        "weekly_days": [1],
        "weekdays": [0, 1, 2, 3, 4, 5],
        "hours": [("10:00", "12:00"), ("13:30", "15:30"), ("10:00", "11:30")],
    },
}


# ------------------------------------------------------------------------------ one listing
@dataclass
class Synthetic:
    """One generated listing, before it has a database id."""

    number: int
    title: str
    name_kana: str
    kind: str
    location: Area
    service: Area
    service_tier: str
    fields: dict
    ages: list[str]
    topics: list[str]
    rules: list[dict] = field(default_factory=list)
    translation_key: uuid.UUID | None = None
    published_at: datetime.datetime | None = None


class ListingComposer:
    """Composes listings from the word pools; one ``random.Random(seed)`` drives everything."""

    def __init__(self, seed: int, tree: AreaTree):
        self.rng = random.Random(seed)
        self.tree = tree
        self.by_code = {a.code: a for a in tree.all}

    def area_for(self, kind: str) -> Area:
        rng = self.rng
        roll = rng.random()
        ward_share = 0.15 if kind == Kind.WINDOW else 0.03
        if roll < ward_share:
            return rng.choice(self.tree.wards)
        if roll < ward_share + 0.15:
            return rng.choice(self.tree.districts)
        return rng.choice(self.tree.blocks)

    def service_for(self, kind: str, location: Area) -> tuple[str, Area]:
        options = [(t, w) for t, w in SERVICE_TIERS[kind] if TIER_ORDER.index(t) <= location.depth]
        if not options:
            options = [(location.tier, 1)]
        tier = _pick(self.rng, options)[0]
        code = location.ancestor_codes[TIER_ORDER.index(tier)]
        return tier, self.by_code[code]

    def point_near(self, area: Area) -> tuple[float, float]:
        spread = {3: 0.0025, 2: 0.006, 1: 0.012, 0: 0.03}[area.depth]
        lat = area.latitude + self.rng.uniform(-spread, spread)
        lng = area.longitude + self.rng.uniform(-spread, spread) * 1.2
        return round(lat, 6), round(lng, 6)

    def rules_for(self, kind: str) -> list[dict]:
        """Opening days: windows on weekdays, kitchens mostly monthly, salons either."""
        rng = self.rng
        plan = SCHEDULE_PLANS[kind]
        start, end = (_time(t) for t in rng.choice(plan["hours"]))
        times = {"start_time": start, "end_time": end}
        if rng.random() < plan["weekly"]:
            days = rng.choice(plan["weekly_days"])
            if isinstance(days, int):
                days = sorted(rng.sample(plan["weekdays"], days))
            rules = [dict(frequency="weekly", weekday=d, **times) for d in days]
        elif rng.random() < 0.15:
            # 「毎月15日」: a day of the month, whatever the weekday.
            rules = [dict(frequency="monthday", day_of_month=rng.randint(1, 28), **times)]
        else:
            weekday = rng.choice(plan["weekdays"])
            weeks = rng.choice(MONTHLY_WEEKS)
            rules = [
                dict(frequency="monthly", weekday=weekday, week_of_month=w, **times) for w in weeks
            ]
        if rng.random() < 0.03:
            day = DATED_EVENTS_FROM + datetime.timedelta(days=rng.randrange(365))
            rules.append(dict(frequency="date", date=day, **times))
        return rules

    def compose(self, number: int) -> Synthetic:
        rng = self.rng
        kind = _pick(rng, KIND_WEIGHTS)[0]
        noun, noun_kana, _ = _pick(rng, KIND_NOUNS[kind])
        location = self.area_for(kind)
        tier, service = self.service_for(kind, location)
        district = self.by_code[location.ancestor_codes[min(location.depth, 2)]]
        place = district.name.removesuffix("小地区") if location.depth >= 2 else location.name
        place_kana = (
            district.name_kana.removesuffix("ショウチク")
            if location.depth >= 2
            else location.name_kana
        )
        word, word_kana = rng.choice(NAME_WORDS)
        style = rng.random()
        if kind == Kind.WINDOW and noun in ("地域包括支援センター", "ほっとネットステーション"):
            title, kana = f"{place}{noun}", f"{place_kana}{noun_kana}"
        elif style < 0.55:
            title, kana = f"{word}{noun}", f"{word_kana}{noun_kana}"
        elif style < 0.85:
            title, kana = f"{place}{noun}", f"{place_kana}{noun_kana}"
        else:
            title, kana = f"{word}{noun}（{place}）", f"{word_kana}{noun_kana} {place_kana}"

        ages = _some(rng, AGE_PLANS[kind])
        if rng.random() * 100 < EVERYONE_SHARE[kind]:
            ages = [Age.EVERYONE]
        topics = _some(rng, TOPICS[kind])
        lat, lng = self.point_near(location)
        audience = rng.choice(AUDIENCES[kind])
        description, keywords, contact = self.text_for(kind, noun, place, audience)
        organiser = rng.choice(ORGANISER_FORMS).format(w=word, a=place)
        block = location.name if location.depth == 3 else f"{place}1丁目"
        address = f"{CITY[0]}{block}{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        fields = {
            "description": description,
            "consultation_keywords": "、".join(keywords),
            "contact_methods": contact,
            "organiser": organiser,
            "address": address,
            "latitude": lat,
            "longitude": lng,
            "phone": f"000-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            "email": f"syn{number}@example.jp" if rng.random() < 0.4 else "",
            "website": f"https://example.jp/syn/{number}" if rng.random() < 0.2 else "",
            "fee": "無料" if kind == Kind.WINDOW else rng.choice(FEES),
            "booking": rng.choice([Booking.UNKNOWN, Booking.REQUIRED, Booking.NOT_REQUIRED]),
            "how_to_join": rng.choice(HOW_TO_JOIN),
            "accessibility": rng.choice(ACCESSIBILITY),
            "schedule_note": rng.choice(SCHEDULE_NOTES),
            "holiday_policy": rng.choice(HOLIDAY_POLICIES),
            "last_verified": VERIFIED_FROM + datetime.timedelta(days=rng.randrange(540)),
            "external_id": f"{EXTERNAL_PREFIX}{number:07d}",
        }
        return Synthetic(
            number=number,
            title=title,
            name_kana=kana,
            kind=kind,
            location=location,
            service=service,
            service_tier=tier,
            fields=fields,
            ages=ages,
            topics=topics,
            rules=self.rules_for(kind),
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            published_at=PUBLISHED_FROM + datetime.timedelta(minutes=rng.randrange(700 * 24 * 60)),
        )

    def text_for(self, kind, noun, place, audience) -> tuple[str, list[str], list[str]]:
        """The description (HTML), a window's 相談内容 words and its contact methods."""
        rng = self.rng
        sentences: list[str] = []
        keywords: list[str] = []
        contact: list[str] = []
        if kind == Kind.KODOMO_SHOKUDO:
            freq = rng.choice(["毎月", "月に2回", "毎週", "月に1回"])
            sentences.append(f"{place}で{freq}開いている{noun}です。")
            sentences.append(f"{rng.choice(FOODS)}を{audience}と一緒に食べます。")
            sentences += rng.sample(KITCHEN_EXTRAS, 2)
        elif kind == Kind.IBASHO:
            sentences.append(f"{audience}がふらっと立ち寄れる{noun}です。")
            acts = rng.sample(IBASHO_ACTIVITIES, 3)
            sentences.append(f"{acts[0]}や{acts[1]}、{acts[2]}などをして、思い思いに過ごせます。")
            if rng.random() < 0.15:
                sentences.append("子育ての相談もできます。")
            if rng.random() < 0.3:
                sentences.append("ひとりでも気軽に来てください。")
        elif kind == Kind.FUREAI:
            acts = rng.sample(FUREAI_ACTIVITIES, 2)
            sentences.append(f"{audience}が集まる{noun}です。")
            sentences.append(f"{acts[0]}や{acts[1]}で、体と頭を動かします。")
            if rng.random() < 0.4:
                sentences.append("ひとり暮らしの方の見守りも兼ねています。")
        else:
            specialty = WINDOW_SPECIALTY.get(noun, "general")
            keywords = rng.sample(CONSULTATION_WORDS[specialty], rng.randint(3, 6))
            sentences.append(
                f"{'、'.join(keywords[:3])}などの困りごとについて、{audience}からの相談を受けます。"
            )
            sentences.append("相談は無料で、秘密は守ります。")
            contact = sorted(rng.sample(ContactMethod.values, rng.randint(1, 3)))
            if ContactMethod.PHONE in contact:
                sentences.append("電話での相談もできます。")
        description = "".join(f"<p>{s}</p>" for s in sentences)
        return description, keywords, contact


# ------------------------------------------------------------------------------ writing
@dataclass
class GenerateReport:
    created: int
    areas: int
    age_rows: int
    topic_rows: int
    rule_rows: int
    seconds: float

    def summary(self) -> str:
        return (
            f"合成データを作成しました: 居場所・窓口 {self.created}件, 地域 {self.areas}件, "
            f"対象者 {self.age_rows}行, テーマ {self.topic_rows}行, 開催日 {self.rule_rows}行, "
            f"{self.seconds:.1f}秒"
        )


class SyntheticDataExists(Exception):
    pass


def generated_listings():
    return ListingPage.objects.filter(external_id__startswith=EXTERNAL_PREFIX)


def listing_index() -> ListingIndexPage:
    index = ListingIndexPage.objects.order_by("path").first()
    if index is None:
        raise ListingIndexPage.DoesNotExist("居場所・窓口の一覧ページがありません。")
    return index


def generate(
    count: int,
    seed: int = 1,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> GenerateReport:
    """Create ``count`` published listings (and the synthetic area tree) in one transaction.

    Refuses to run while earlier generated listings exist (``clear`` them first): their
    external IDs and slugs would clash.
    """
    if generated_listings().exists():
        raise SyntheticDataExists(
            "生成済みの合成データがあります。--clear を付けて削除してから作り直してください。"
        )
    started = time.monotonic()
    with transaction.atomic():
        tree = ensure_area_tree()
        index = listing_index()
        composer = ListingComposer(seed, tree)
        tags = _tags()
        known_ages = set(AgeGroup.objects.values_list("code", flat=True))
        rows = RelationRows()
        done = 0
        for start in range(0, count, batch_size):
            items = [composer.compose(n + 1) for n in range(start, min(start + batch_size, count))]
            pages = _add_pages(index, items)
            _add_listings(items, pages)
            rows += _add_relations(items, pages, tags, known_ages)
            done += len(items)
            if progress:
                progress(done, count)
        # Children added without add_child: count them once, as treebeard would have (not with
        # index.get_children_count(): it trusts the stale numchild of a leaf).
        Page.objects.filter(pk=index.pk).update(numchild=Page.objects.child_of(index).count())
    return GenerateReport(
        created=done,
        areas=len(tree.all),
        age_rows=rows.ages,
        topic_rows=rows.topics,
        rule_rows=rows.rules,
        seconds=time.monotonic() - started,
    )


def child_paths(parent: Page, count: int) -> list[str]:
    """The treebeard paths of ``count`` new last children of ``parent``: the paths add_child
    would give them one after another, in treebeard's own step encoding."""
    # Not parent.get_last_child(): it trusts the parent's numchild, stale between batches.
    last = Page.objects.child_of(parent).order_by("path").last()
    numbers = Page.numconv_obj()
    first = numbers.str2int(last.path[-Page.steplen :]) + 1 if last else 1
    paths = []
    for step in range(first, first + count):
        key = numbers.int2str(step)
        if len(key) > Page.steplen:
            raise PathOverflow(f"{parent.path} has no room for {count} more children")
        paths.append(parent.path + key.rjust(Page.steplen, Page.alphabet[0]))
    return paths


def _add_pages(index: ListingIndexPage, items: list[Synthetic]) -> list[Page]:
    """The Wagtail page rows (title, slug, tree position, publication) of these listings."""
    content_type = ContentType.objects.get_for_model(ListingPage)
    pages = []
    for item, path in zip(items, child_paths(index, len(items)), strict=True):
        slug = f"{SLUG_PREFIX}{item.number:07d}"
        pages.append(
            Page(
                path=path,
                depth=index.depth + 1,
                numchild=0,
                title=item.title,
                draft_title=item.title,
                slug=slug,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                content_type=content_type,
                locale_id=index.locale_id,
                translation_key=item.translation_key,
                first_published_at=item.published_at,
                last_published_at=item.published_at,
            )
        )
    return Page.objects.bulk_create(pages)


def _add_listings(items: list[Synthetic], pages: list[Page]) -> None:
    """The listing rows of these pages.

    Django's ``bulk_create`` refuses multi-table inheritance and ``save`` would insert the page
    row again, so each listing row is loaded the way ``loaddata`` loads a fixture: through the
    serialization framework, whose raw save writes only the model's own table (and which, like
    a fixture, leaves the search and reference indexes alone).
    """
    records = [
        {
            "model": ListingPage._meta.label_lower,
            "pk": page.pk,
            "fields": {
                "kind": item.kind,
                "name_kana": item.name_kana,
                "location_area": item.location.pk,
                "service_tier": item.service_tier,
                "service_area": item.service.pk,
                **item.fields,
            },
        }
        for item, page in zip(items, pages, strict=True)
    ]
    for record in serializers.deserialize("python", records):
        record.save(force_insert=True)  # a new row: no UPDATE tried first


@dataclass
class RelationRows:
    ages: int = 0
    topics: int = 0
    rules: int = 0

    def __iadd__(self, other: RelationRows) -> RelationRows:
        self.ages += other.ages
        self.topics += other.topics
        self.rules += other.rules
        return self


def _add_relations(
    items: list[Synthetic], pages: list[Page], tags: dict[str, Tag], known_ages: set[str]
) -> RelationRows:
    """Age groups, topics and schedule rules of these listings."""
    age_through = ListingPage.age_groups.through
    pairs = list(zip(items, pages, strict=True))
    ages = age_through.objects.bulk_create(
        [
            age_through(listingpage_id=page.pk, agegroup_id=code)
            for item, page in pairs
            for code in item.ages
            if code in known_ages
        ],
        batch_size=5000,
    )
    topics = ListingTopic.objects.bulk_create(
        [
            ListingTopic(content_object_id=page.pk, tag_id=tags[name].pk)
            for item, page in pairs
            for name in item.topics
        ],
        batch_size=5000,
    )
    rules = ScheduleRule.objects.bulk_create(
        [
            ScheduleRule(listing_id=page.pk, sort_order=order, **rule)
            for item, page in pairs
            for order, rule in enumerate(item.rules)
        ],
        batch_size=2000,
    )
    return RelationRows(len(ages), len(topics), len(rules))


def _tags() -> dict[str, Tag]:
    names = sorted({name for pool in TOPICS.values() for name, _ in pool})
    found = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in found:
            match = Tag.objects.filter(name__iexact=name).first()  # TAGGIT_CASE_INSENSITIVE
            if match is None:
                match = Tag(name=name)
                match.save()  # taggit makes a unique slug
            found[name] = match
    return found


# ------------------------------------------------------------------------------ clearing
@dataclass
class ClearReport:
    listings: int
    areas: int
    seconds: float

    def summary(self) -> str:
        return (
            f"合成データを削除しました: 居場所・窓口 {self.listings}件, 地域 {self.areas}件, "
            f"{self.seconds:.1f}秒"
        )


def clear(progress: Progress | None = None) -> ClearReport:
    """Delete the generated listings and the synthetic area tree, as Wagtail deletes pages.

    The search engine drops the listings in one pass, and each chunk of pages is taken offline
    with one UPDATE before it is deleted: Wagtail would otherwise unpublish each live page on
    its own (revision state, log entry, signals), ~10 ms a page, for pages that never had any.
    """
    started = time.monotonic()
    ids = list(generated_listings().order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), disable_reference_index_auto_update():
        get_engine().remove_listings(ids)
        done = 0
        for chunk in _chunks(ids, DELETE_CHUNK):
            pages = Page.objects.filter(pk__in=chunk)
            pages.update(live=False)
            pages.delete()  # treebeard's delete keeps the parent's child count right
            done += len(chunk)
            if progress:
                progress(done, len(ids))
        areas = 0
        synthetic_areas = Area.objects.filter(code__startswith=AREA_PREFIX)
        for tier in reversed(TIER_ORDER):
            areas += synthetic_areas.filter(tier=tier).delete()[0]
    return ClearReport(len(ids), areas, time.monotonic() - started)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
