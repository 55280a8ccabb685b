"""Loading the Tokyo 子ども食堂一覧 open-data layout (listings.importers.tokyo_kodomo_shokudo).

``data/tokyo_kodomo_shokudo.csv`` is our own small file in that layout (fictional places): UTF-8
with BOM, two cities, two sources (the cities' lists and a prefecture-wide list repeating one
of their places), CR/LF inside quoted cells, full-width digits and spaces, half-width kana, rows
without coordinates, a row without a name and a row without any municipality. Its rows:

line  row                                  becomes
 2    西東京市 1 みどりこども食堂（サンプル）  listing, every column filled in
 3-7  西東京市 2 ひかり食堂                  listing (messy cells, no coordinates)
 8    西東京市 3 (no name)                  skipped
 9    西東京市 4 あおぞら食堂                listing, schedule kept as text, bad URL
10    小金井市 1 さくら子ども食堂            listing (second city)
11    小金井市 2 こがねい食堂                listing, weekday known, dates to confirm
12    (福祉局) みどり こども食堂（サンプル）  duplicate of line 2
13    (福祉局) ほしぞら食堂                  listing; city told by its address
14    (福祉局) なぞの食堂                    skipped: no municipality at all
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from listings.editing.text import html_to_text
from listings.exporting import export_listings_csv
from listings.importers.contract import (
    LISTING_COLUMNS,
    LISTING_SOURCE_COLUMNS,
    ListingImportResult,
    import_listings,
)
from listings.importers.opendata.attribution import Attribution
from listings.importers.opendata.cleaning import address_key, name_key, nfkc, one_line, tidy_name
from listings.importers.opendata.report import OpenDataImportResult
from listings.importers.registry import import_listing_file
from listings.importers.tokyo_kodomo_shokudo import (
    COLUMNS,
    check_digit,
    import_file,
    local_government_code,
)
from listings.models import Area, ListingPage
from listings.vocabulary import Kind, Tier

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "tokyo_kodomo_shokudo.csv"
T = datetime.time
LICENSE = "クリエイティブ・コモンズ 表示（CC BY）"
CITY_SOURCE_URL = "https://example.jp/opendata/132292_kodomosyokudo.csv"


def fixture_rows() -> list[dict]:
    text = FIXTURE.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def tokyo_csv(*rows: dict, columns: tuple[str, ...] = COLUMNS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def page(external_id: str) -> ListingPage:
    return ListingPage.objects.get(external_id=external_id)


def rules_of(listing: ListingPage) -> list[tuple]:
    return [
        (r.frequency, r.weekday, r.week_of_month, r.day_of_month, r.start_time, r.end_time)
        for r in listing.schedule_rules.all()
    ]


def revisions() -> dict[str, int]:
    return {
        p.external_id: Revision.page_revisions.filter(object_id=str(p.pk)).count()
        for p in ListingPage.objects.all()
    }


@pytest.fixture
def imported(db) -> OpenDataImportResult:
    result = import_file(FIXTURE)
    assert result.ok, result.errors
    return result


# --- the report --------------------------------------------------------------------------------


class TestReport:
    def test_every_row_is_accounted_for_per_city(self, imported):
        nishitokyo, koganei = imported.cities["132292"], imported.cities["132101"]
        unknown = imported.cities[""]

        assert (nishitokyo.name, nishitokyo.rows, nishitokyo.created) == ("西東京市", 5, 3)
        assert [(n.line, n.message[:9]) for n in nishitokyo.duplicates] == [(12, "行 2 と同じ場所")]
        assert [(n.line, n.message) for n in nishitokyo.skipped] == [(8, "名称がありません。")]
        assert (nishitokyo.schedules_parsed, nishitokyo.schedules_text) == (2, 1)
        assert nishitokyo.without_coordinates == 1
        assert (koganei.name, koganei.rows, koganei.created) == ("小金井市", 3, 3)
        assert (koganei.schedules_parsed, koganei.schedules_weekday) == (2, 1)
        assert koganei.schedules_text == 0
        assert koganei.without_coordinates == 1
        assert (unknown.name, unknown.rows, [n.line for n in unknown.skipped]) == (
            "市区町村不明",
            1,
            [14],
        )
        assert "市区町村が分かりません" in unknown.skipped[0].message
        total = imported.total()
        assert (total.rows, total.created, len(total.duplicates), len(total.skipped)) == (
            9,
            6,
            1,
            2,
        )
        assert total.accounted == total.rows == len(fixture_rows())
        assert (imported.created, imported.updated, imported.unchanged) == (6, 0, 0)

    def test_notes_name_the_line(self, imported):
        notes = {str(note) for city in imported.cities.values() for note in city.notes}

        assert (
            "行 9: URL「あおぞらの会のホームページ」はURLとして使えないため載せませんでした。"
            in notes
        )
        assert (
            "行 13: 市区町村の記載がないため、住所から「小金井市」（132101）としました。" in notes
        )

    def test_report_lines_and_summary(self, imported):
        lines = imported.report_lines()

        assert lines[0] == "子ども食堂一覧（東京都オープンデータの形式）の取り込み"
        assert lines[1] == (
            "■ 132101 小金井市（地域を新規作成）: 読込 3、新規 3、更新 0、変更なし 0、重複 0、"
            "除外 0／開催日時 構造化 2・曜日のみ（日程要確認） 1・文字のみ 0・記載なし 0／"
            "座標なし 1"
        )
        assert "  行 12: 重複: 行 2 と同じ場所（同じ市区町村・名称・住所）のため、" in "\n".join(
            lines
        )
        assert lines[-1].startswith("■ 合計（3市区町村）: 読込 9、新規 6、")
        assert imported.summary() == (
            "子ども食堂一覧（東京都オープンデータの形式）の取り込み: 9行のうち、新規 6件、"
            "更新 0件、変更なし 0件、重複 1件、除外 2件（3市区町村）。"
        )


# --- what each column becomes ------------------------------------------------------------------


class TestMapping:
    def test_cities_become_city_tier_areas(self, imported):
        nishitokyo = Area.objects.get(code="132292")
        koganei = Area.objects.get(code="132101")

        assert (nishitokyo.name, nishitokyo.tier, nishitokyo.parent) == (
            "西東京市",
            Tier.CITY,
            None,
        )
        assert (koganei.name, koganei.tier, koganei.name_kana) == ("小金井市", Tier.CITY, "")
        assert {p.location_area.code for p in ListingPage.objects.all()} == {"132292", "132101"}

    def test_a_full_row(self, imported):
        listing = page("tokyo-ks:132292:1")

        assert listing.live and not listing.has_unpublished_changes
        assert listing.kind == Kind.KODOMO_SHOKUDO
        assert listing.title == "みどりこども食堂（サンプル）"
        assert listing.name_kana == "ミドリコドモショクドウ"
        assert listing.location_area.code == "132292"
        assert listing.service_tier == Tier.ELEMENTARY
        assert listing.service_area.code == "132292"
        assert listing.address == "東京都西東京市みどり町1-2-3 みどり会館"
        assert (listing.latitude, listing.longitude) == (35.7255, 139.5383)
        assert listing.website == "https://example.jp/midori"
        assert listing.organiser == "みどりの会"
        assert html_to_text(listing.description) == (
            "地域の子どもに、温かいごはんと居場所を。\n\n参加条件：どなたでも\n\n"
            "備考：雨の日も開きます。\n\n"
            "加入しているネットワーク：にしとうきょう子ども食堂ネットワーク（サンプル）"
        )
        assert listing.age_group_codes == ["everyone"]
        assert sorted(listing.topics.names()) == ["フードパントリー", "学習支援"]
        assert listing.fee == "子ども（高校生まで）無料、大人300円"
        assert listing.booking == "required"
        assert listing.how_to_join == "予約方法：電話;メール\n予約について：事前予約必要"
        assert listing.capacity == "30人"
        assert listing.school_district == "みどり小;ひかり小"
        assert rules_of(listing) == [("monthly", 5, 3, None, T(11, 30), T(13, 30))]
        assert listing.schedule_text == ("開催曜日：土\n開催日：第３土曜日\n時間：11:30〜13:30")
        assert listing.source_municipality == "西東京市"
        assert listing.source_dataset == "子ども食堂一覧"
        assert listing.source_license == LICENSE
        assert listing.source_url == CITY_SOURCE_URL

    def test_a_messy_row(self, imported):
        # Line 3: CR/LF inside the URL and 特記事項 cells, １３２２９２, 「西東京市　」, ﾋｶﾘｼｮｸﾄﾞｳ.
        listing = page("tokyo-ks:132292:2")

        assert listing.title == "ひかり食堂"
        assert listing.name_kana == "ヒカリショクドウ"
        assert listing.location_area.code == "132292"
        assert listing.address == "西東京市ひかり町2-5-8"
        assert (listing.latitude, listing.longitude) == (None, None)
        # 「HP\nhttps://…\nInstagram\nhttps://…」: the first URL, the others in the description.
        assert listing.website == "https://example.jp/hikari"
        assert html_to_text(listing.description) == (
            "参加条件：小学生\n\nほかのリンク：\nhttps://example.jp/hikari-insta"
        )
        assert listing.age_group_codes == ["elementary"]
        assert list(listing.topics.names()) == ["テイクアウト"]
        assert listing.fee == "小学生100円。おかわり自由"
        assert rules_of(listing) == [
            ("monthly", 1, 2, None, T(16, 30), T(18)),
            ("monthly", 1, 4, None, T(16, 30), T(18)),
        ]
        assert listing.schedule_text == (
            "開催日：毎月第2・4火曜日\n時間：１６：３０〜18:00\n特記事項：夏休みは\nお休みです。"
        )

    @pytest.mark.parametrize(
        ("cell", "words"),
        [
            # The real file's 豊島区 and 大田区 rows name who publishes the page.
            (
                "豊島子どもWAKUWAKUネットワーク\nhttps://toshimawakuwaku.com/",
                "豊島子どもWAKUWAKUネットワーク",
            ),
            (
                "大田区社会福祉協議会\u3000ホームページ\nhttps://www.ota-shakyo.jp/k",
                "大田区社会福祉協議会",
            ),
            # Labels that only say what kind of link follows are not words worth keeping.
            ("HP\nhttps://example.jp/a\nInstagram\nhttps://example.jp/b", ""),
            ("なし", ""),
        ],
    )
    def test_words_beside_the_links_are_kept(self, cell, words):
        from listings.importers.table import Row
        from listings.importers.tokyo_kodomo_shokudo import _link_words

        assert _link_words(Row(line=2, cells={"URL": cell})) == words

    @pytest.mark.parametrize(
        ("text", "ended"),
        [
            ("うさぎワンダーワールド(令和4年8月閉店）", True),  # the real file's row 793
            ("2023年3月をもって活動を終了しました", True),
            ("閉店後のお店で子ども食堂", False),  # held after closing time, still running
        ],
    )
    def test_a_closing_date_says_the_place_has_closed(self, text, ended):
        from listings.importers.tokyo_kodomo_shokudo import _ENDED

        assert bool(_ENDED.search(text)) is ended

    def test_schedule_kept_as_text(self, imported):
        monthly_once = page("tokyo-ks:132292:4")
        bare_number = page("tokyo-ks:132101:2")

        assert rules_of(monthly_once) == []
        assert monthly_once.schedule_text == "開催頻度：月1回\n時間：17:00〜19:00"
        assert monthly_once.website == ""
        assert monthly_once.booking == "not_required"
        assert monthly_once.how_to_join == "予約方法：不要"
        assert monthly_once.age_group_codes == []
        assert "参加条件：地域の親子。" in html_to_text(monthly_once.description)
        # 開催曜日「水」 with a bare code: Wednesday, dates to confirm; the code is not shown.
        assert rules_of(bare_number) == [("tentative", 2, None, None, T(17), T(19))]
        assert bare_number.schedule_text == "開催曜日：水\n時間：17:00〜19:00"
        assert bare_number.booking == "required"
        assert bare_number.capacity == "20人"

    def test_second_city_and_times_in_the_text(self, imported):
        listing = page("tokyo-ks:132101:1")

        assert listing.location_area.code == "132101"
        assert rules_of(listing) == [("monthday", None, None, 12, T(17), T(19))]
        assert listing.fee == "幼児・小学生無料、中学生・高校生100円、大人300円"
        assert listing.source_municipality == "小金井市"

    def test_city_told_by_address_and_prefecture_source(self, imported):
        [listing] = ListingPage.objects.filter(title="ほしぞら食堂")

        assert listing.external_id.startswith("tokyo-ks:132101:n-")
        assert listing.location_area.code == "132101"
        assert rules_of(listing) == [("weekly", 2, None, None, None, None)]
        assert listing.source_municipality == "東京都福祉局"
        assert listing.source_dataset == "子供食堂推進事業(サンプル)"
        assert listing.source_url == "https://example.jp/fukushi/sample.xlsx"

    def test_duplicate_and_skipped_rows_make_no_listing(self, imported):
        assert ListingPage.objects.count() == 6
        assert ListingPage.objects.filter(title__contains="みどり").count() == 1
        assert not ListingPage.objects.filter(title="なぞの食堂").exists()


# --- importing again ---------------------------------------------------------------------------


class TestReimport:
    def test_same_file_again_changes_nothing(self, imported):
        before = revisions()

        again = import_file(FIXTURE)

        assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
        assert not any(city.area_created for city in again.cities.values())
        assert revisions() == before
        assert Area.objects.filter(tier=Tier.CITY).count() == 2

    def test_a_changed_row_updates_its_listing(self, imported):
        rows = fixture_rows()
        rows[0]["参加費_大人"] = "400"

        result = import_file(tokyo_csv(*rows))

        assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
        assert result.cities["132292"].updated == 1
        listing = page("tokyo-ks:132292:1")
        assert listing.fee == "子ども（高校生まで）無料、大人400円"
        assert revisions()["tokyo-ks:132292:1"] == 2

    def test_dry_run_writes_nothing(self, db):
        result = import_file(FIXTURE, dry_run=True)

        assert result.ok
        assert result.created == 6
        assert result.title.endswith("（試行・書き込みなし）")
        assert "になります" in result.summary()
        assert not ListingPage.objects.exists()
        assert not Area.objects.exists()

    def test_a_place_already_in_the_portal_from_another_source(self, db):
        rows = fixture_rows()
        import_file(tokyo_csv(rows[0]))  # the city's own list first

        result = import_file(tokyo_csv(rows[6]))  # then the prefecture's list (line 12)

        [note] = result.cities["132292"].duplicates
        assert note.line == 2
        assert "すでに載っている「みどりこども食堂（サンプル）」（ID tokyo-ks:132292:1）" in (
            note.message
        )
        assert result.created == 0
        assert ListingPage.objects.count() == 1

    def test_ids_repeated_within_a_city_get_a_suffix(self, db):
        base = {"全国地方公共団体コード": "132292", "市区町村名": "西東京市", "ID": "7"}
        result = import_file(
            tokyo_csv(base | {"名称": "一の食堂"}, base | {"名称": "二の食堂", "住所": "x"})
        )

        assert result.created == 2
        ids = sorted(ListingPage.objects.values_list("external_id", flat=True))
        assert all(i.startswith("tokyo-ks:132292:7-") for i in ids)
        assert len(set(ids)) == 2


# --- formats and the command -------------------------------------------------------------------


class TestFormats:
    def test_told_by_the_header(self, areas):
        assert isinstance(import_listing_file(FIXTURE), OpenDataImportResult)
        assert isinstance(import_listing_file(DATA / "listings.csv"), ListingImportResult)

    def test_command_reports_per_city(self, db):
        out, err = io.StringIO(), io.StringIO()

        call_command("import_listings", str(FIXTURE), stdout=out, stderr=err)

        text = out.getvalue()
        assert "■ 132292 西東京市（地域を新規作成）: 読込 5、新規 3、" in text
        assert "  行 8: 除外: 名称がありません。" in text
        assert "9行のうち、新規 6件、更新 0件、変更なし 0件、重複 1件、除外 2件" in text
        assert err.getvalue().splitlines()[-1] == "  6/6 行…"
        assert ListingPage.objects.count() == 6

    def test_command_dry_run(self, db):
        out = io.StringIO()

        call_command("import_listings", str(FIXTURE), "--dry-run", stdout=out, stderr=io.StringIO())

        assert "（試行・書き込みなし）" in out.getvalue()
        assert not ListingPage.objects.exists()

    def test_explicit_format(self, db):
        call_command(
            "import_listings",
            str(FIXTURE),
            "--format",
            "tokyo-kodomo-shokudo",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

        assert ListingPage.objects.count() == 6

    def test_explicit_format_on_another_layout_fails(self, areas):
        err = io.StringIO()

        with pytest.raises(CommandError, match="何も取り込みませんでした"):
            call_command(
                "import_listings",
                str(DATA / "listings.csv"),
                "--format",
                "tokyo-kodomo-shokudo",
                stdout=io.StringIO(),
                stderr=err,
            )

        assert "全国地方公共団体コード" in err.getvalue()
        assert not ListingPage.objects.exists()

    def test_contract_format_on_this_layout_fails(self, db):
        with pytest.raises(CommandError):
            call_command(
                "import_listings",
                str(FIXTURE),
                "--format",
                "contract",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )

    def test_missing_required_column_is_an_error(self, db):
        columns = tuple(c for c in COLUMNS if c != "名称")
        data = tokyo_csv({"全国地方公共団体コード": "132292", "ID": "1"}, columns=columns)

        result = import_file(data)

        assert not result.ok
        assert [(e.line, e.column) for e in result.errors] == [(1, "名称")]
        assert "何も取り込みませんでした" in result.summary()

    def test_a_city_file_without_attribution_columns(self, db):
        columns = tuple(c for c in COLUMNS if not c.startswith("_"))
        row = {"全国地方公共団体コード": "132292", "ID": "1", "市区町村名": "西東京市", "名称": "A"}

        bare = import_file(tokyo_csv(row, columns=columns), dry_run=True)
        given = import_file(
            tokyo_csv(row, columns=columns),
            attribution=Attribution(
                dataset="こども食堂一覧", license="CC BY 4.0", url="https://example.jp/a.csv"
            ),
        )

        assert "出典のライセンスとURLを指定してください" in bare.warnings[0]
        assert not given.warnings
        listing = page("tokyo-ks:132292:1")
        assert (listing.source_municipality, listing.source_dataset) == (
            "西東京市",
            "こども食堂一覧",
        )
        assert (listing.source_license, listing.source_url) == (
            "CC BY 4.0",
            "https://example.jp/a.csv",
        )

    def test_command_attribution_options(self, db, tmp_path):
        columns = tuple(c for c in COLUMNS if not c.startswith("_"))
        path = tmp_path / "city.csv"
        path.write_bytes(
            tokyo_csv(
                {
                    "全国地方公共団体コード": "132292",
                    "ID": "1",
                    "市区町村名": "西東京市",
                    "名称": "A",
                },
                columns=columns,
            )
        )

        call_command(
            "import_listings",
            str(path),
            "--source-license",
            "CC BY 4.0",
            "--source-url",
            "https://example.jp/a.csv",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

        listing = page("tokyo-ks:132292:1")
        assert (listing.source_license, listing.source_dataset) == ("CC BY 4.0", "子ども食堂一覧")


# --- what residents and other tools see --------------------------------------------------------


class TestAttributionAndPages:
    def test_listing_page_shows_source_schedule_text_capacity_and_district(self, imported, client):
        listing = page("tokyo-ks:132292:1")

        html = client.get(listing.url).content.decode()

        assert f"出典：西東京市「子ども食堂一覧」（{LICENSE}）" in html
        assert f'href="{CITY_SOURCE_URL}"' in html
        assert "開催日時（元の表記）" in html and "開催日：第３土曜日" in html
        assert "定員" in html and "30人" in html
        assert "学区" in html and "みどり小;ひかり小" in html
        assert "毎月 第3 土曜 11:30〜13:30" in html

    def test_pages_say_only_what_the_source_says(self, db, client):
        result = import_file(FIXTURE, attribution=Attribution(date=datetime.date(2025, 4, 1)))
        assert result.ok, result.errors
        listing = page("tokyo-ks:132292:1")
        assert listing.source_date == datetime.date(2025, 4, 1)

        html = client.get(listing.url).content.decode()
        # The city is the service area; the tier's words would claim more than the source.
        assert "概ね小学校通学区域" not in html
        assert "データの時点：" in html and "2025年4月1日" in html
        assert "最終確認日" not in html
        # A bare frequency code is no words for a resident.
        assert "開催頻度：5" not in html and "開催曜日：土" in html

        flyer = client.get(listing.url + "flyer/").content.decode()
        for words in (
            "料金",
            "予約",
            "予約が必要",
            "参加の方法",
            "予約方法：電話;メール",
            "https://example.jp/midori",
            f"出典：<span>西東京市「子ども食堂一覧」（{LICENSE}）</span>",
            "データの時点：2025年4月1日",
            CITY_SOURCE_URL,
        ):
            assert words in flyer, words

    def test_data_as_of_defaults_to_the_files_date(self, db, tmp_path):
        path = tmp_path / "kodomo.csv"
        path.write_bytes(FIXTURE.read_bytes())
        os.utime(path, (datetime.datetime(2025, 6, 30, 12).timestamp(),) * 2)
        call_command("import_listings", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        assert page("tokyo-ks:132292:1").source_date == datetime.date(2025, 6, 30)
        call_command(
            "import_listings",
            str(path),
            "--source-date",
            "2025-07-01",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert page("tokyo-ks:132292:1").source_date == datetime.date(2025, 7, 1)

    def test_listing_without_source_has_no_attribution(self, areas, client):
        import_listings(DATA / "listings.csv")

        html = client.get(page("K-001").url).content.decode()

        assert "出典：" not in html

    def test_export_carries_the_attribution(self, imported):
        buffer = io.StringIO(newline="")
        export_listings_csv(buffer)
        rows = list(csv.DictReader(io.StringIO(buffer.getvalue().removeprefix("\ufeff"))))

        header = next(csv.reader(io.StringIO(buffer.getvalue().removeprefix("\ufeff"))))
        assert header == [*LISTING_COLUMNS, *LISTING_SOURCE_COLUMNS]
        row = next(r for r in rows if r["ID"] == "tokyo-ks:132292:1")
        assert row["出典_自治体名"] == "西東京市"
        assert row["出典_データセット名"] == "子ども食堂一覧"
        assert row["出典_ライセンス"] == LICENSE
        assert row["出典_URL"] == CITY_SOURCE_URL
        assert row["地区コード"] == "132292"
        assert row["利用可能曜日"] == "第3土"

        # The contract importer reads the export back: nothing changes.
        before = revisions()
        again = import_listings(buffer.getvalue().encode("utf-8"))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 6), again.errors
        assert revisions() == before

    def test_contract_import_accepts_the_source_columns(self, areas):
        columns = ("ID", "区分", "名称", "地区コード", *LISTING_SOURCE_COLUMNS)
        row = ["S-1", "kodomo_shokudo", "出典つき食堂", "north-a", "A市", "一覧", "CC BY 4.0"]
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows([columns, [*row, "https://example.jp/a.csv"]])

        result = import_listings(buffer.getvalue().encode("utf-8"))

        assert result.ok, result.errors
        listing = page("S-1")
        assert (listing.source_municipality, listing.source_url) == (
            "A市",
            "https://example.jp/a.csv",
        )

        bad = buffer.getvalue().replace("https://example.jp/a.csv", "not a url")
        failed = import_listings(bad.encode("utf-8"))
        assert [(e.line, e.column) for e in failed.errors] == [(2, "出典_URL")]

    def test_home_page_city_picker(self, imported, client):
        html = client.get("/").content.decode()

        assert "市区町村をえらぶ" in html
        assert 'href="/areas/132292/"' in html and 'href="/search/?area=132292"' in html
        assert 'href="/areas/132101/"' in html and 'href="/search/?area=132101"' in html

    def test_no_city_picker_for_one_city(self, areas, client):
        assert "市区町村をえらぶ" not in client.get("/").content.decode()

    def test_area_page_and_api_per_city(self, imported, client):
        assert "さくら子ども食堂" in client.get("/areas/132101/").content.decode()
        assert "さくら子ども食堂" not in client.get("/areas/132292/").content.decode()

        data = client.get("/api/v1/listings/", {"area": "132101"}).json()
        assert {r["title"] for r in data["results"]} == {
            "さくら子ども食堂",
            "こがねい食堂",
            "ほしぞら食堂",
        }


# --- cleaning ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (one_line, "  ひかり\r\n食堂　", "ひかり 食堂"),
        (one_line, "おばんざい\u3000地獄に佛", "おばんざい\u3000地獄に佛"),
        (one_line, "\t\t\t大田区\t\t\t", "大田区"),
        (tidy_name, "こども食堂ﾋﾛ", "こども食堂ヒロ"),
        (tidy_name, "ｵﾔｺｶﾌｪｳﾞｪﾙﾃﾞ", "オヤコカフェヴェルデ"),
        (tidy_name, "オヤコカフェウ゛ェルデ", "オヤコカフェヴェルデ"),
        (tidy_name, "Steak＆Hamburg ＳＯＨ（本店）", "Steak＆Hamburg SOH（本店）"),
        (nfkc, "品川区中延４－４－１", "品川区中延4-4-1"),
        (name_key, "みどり こども食堂（サンプル）", "みどりこども食堂(サンプル)"),
        (address_key, "東京都西東京市みどり町１－２－３", "西東京市みどり町1-2-3"),
    ],
)
def test_cleaning(function, value, expected):
    assert function(value) == expected


@pytest.mark.parametrize(
    ("address", "city", "key"),
    [
        ("東京都大田区北馬込2-5-5 宗福寺", "大田区", "北馬込2-5-5"),
        ("大田区北馬込2－5－5\u3000宗福寺", "大田区", "北馬込2-5-5"),
        ("大田区中央１-15-1-101", "大田区", "中央1-15-1-101"),
        ("西東京市みどり町1丁目2番3号", "西東京市", "みどり町1-2-3"),
        ("日野市旭が丘", "日野市", "旭が丘"),
        ("", "日野市", ""),
    ],
)
def test_address_key(address, city, key):
    assert address_key(address, city) == key


@pytest.mark.parametrize(
    ("cell", "code", "noted"),
    [
        ("132292", "132292", False),
        ("１３２２９２", "132292", False),
        ("13229", "132292", False),
        ("131092", "131091", True),  # a wrong check digit in the real data
        ("", "", False),
        ("不明", "", True),
    ],
)
def test_local_government_code(cell, code, noted):
    assert local_government_code(cell)[0] == code
    assert bool(local_government_code(cell)[1]) == noted


def test_check_digit():
    assert [check_digit(c) for c in ("13229", "13101", "13000", "13210")] == ["2", "6", "1", "1"]
