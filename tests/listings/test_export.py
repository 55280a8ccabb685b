"""Listings CSV export (DESIGN.md §6), and the round trip export → import."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from listings.exporting import export_listings_csv
from listings.importers.contract import LISTING_COLUMNS, import_listings
from listings.models import ListingPage
from listings.vocabulary import Kind, Tier
from tests.factories import make_listing, monthly, on_date, weekly

pytestmark = pytest.mark.django_db


def exported(queryset=None) -> str:
    buffer = io.StringIO(newline="")
    export_listings_csv(buffer, queryset)
    return buffer.getvalue()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=LISTING_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def full_listing(areas, external_id: str = "K-001", **fields) -> ListingPage:
    values = {
        "title": "みどりこども食堂",
        "kind": Kind.KODOMO_SHOKUDO,
        "area": areas.north_a_1,
        "service_tier": Tier.JUNIOR_HIGH,
        "ages": ("elementary", "everyone"),
        "topics": ("食事", "学習支援"),
        "rules": (
            monthly(2, 5, "11:30", "14:00"),
            monthly(-1, 4, "11:30", "14:00"),
            on_date(datetime.date(2026, 12, 5), "11:30", "14:00"),
        ),
        "external_id": external_id,
        "name_kana": "ミドリコドモショクドウ",
        "description": "<p>毎月みんなでごはん。<br/>だれでも。</p><p>&lt;予約&gt; &amp; 持ち物</p>",
        "address": "サンプル市みどり町1-2-3",
        "latitude": 35.7219,
        "longitude": 139.5512,
        "phone": "000-000-0001",
        "fax": "000-000-0002",
        "email": "midori@example.jp",
        "website": "https://example.jp/midori",
        "organiser": "みどりの会",
        "schedule_note": "8月はお休み。\n雨天決行。",
        "fee": "子ども無料、大人300円",
        "booking": "required",
        "accessibility": "段差なし",
        "consultation_keywords": "お金、家賃",
        "last_verified": datetime.date(2026, 4, 1),
    }
    return make_listing(**(values | fields))


def snapshot(page: ListingPage) -> dict:
    fields = [
        "title",
        "kind",
        "name_kana",
        "description",
        "location_area_id",
        "service_tier",
        "service_area_id",
        "address",
        "latitude",
        "longitude",
        "phone",
        "fax",
        "email",
        "website",
        "organiser",
        "schedule_note",
        "fee",
        "booking",
        "accessibility",
        "consultation_keywords",
        "last_verified",
        "live",
    ]
    return {
        **{name: getattr(page, name) for name in fields},
        "ages": sorted(page.age_group_codes),
        "topics": sorted(page.topics.names()),
        "rules": [
            (r.frequency, r.weekday, r.week_of_month, r.date, r.start_time, r.end_time)
            for r in page.schedule_rules.all()
        ],
    }


class TestExport:
    def test_bom_header_and_column_order(self, db):
        text = exported()

        assert text.startswith("\ufeffID,区分,名称,名称_カナ,説明,")
        assert next(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == list(LISTING_COLUMNS)

    def test_row_cells(self, areas):
        full_listing(areas)

        [row] = rows_of(exported())

        assert row["ID"] == "K-001"
        assert row["区分"] == "kodomo_shokudo"
        assert row["説明"] == "毎月みんなでごはん。\nだれでも。\n\n<予約> & 持ち物"
        assert row["対象者"] == "elementary;everyone"
        assert row["テーマ"] == "学習支援;食事"
        assert (row["地区コード"], row["対象範囲"]) == ("north-a-1", "junior_high")
        assert (row["緯度"], row["経度"]) == ("35.7219", "139.5512")
        assert row["利用可能曜日"] == "第2土;最終金;2026-12-05"
        assert (row["開始時間"], row["終了時間"]) == ("11:30", "14:00")
        assert row["予約"] == "required"
        assert row["相談内容"] == "お金;家賃"
        assert row["最終確認日"] == "2026-04-01"

    def test_only_live_listings_by_default(self, areas):
        make_listing("公開", area=areas.north_a, external_id="A")
        make_listing("下書き", area=areas.north_a, external_id="B", publish=False)

        assert [row["ID"] for row in rows_of(exported())] == ["A"]

    def test_queryset_can_be_given(self, areas):
        make_listing("一", area=areas.north_a, external_id="A")
        make_listing("二", area=areas.north_a, external_id="B")

        text = exported(ListingPage.objects.filter(external_id="B"))

        assert [row["ID"] for row in rows_of(text)] == ["B"]

    def test_rules_with_different_times_leave_times_empty(self, areas):
        make_listing(
            area=areas.north_a, external_id="A", rules=(weekly(0, "10:00"), weekly(2, "13:00"))
        )

        [row] = rows_of(exported())

        assert (row["利用可能曜日"], row["開始時間"], row["終了時間"]) == ("月;水", "", "")

    def test_staff_formatting_becomes_plain_text(self, areas):
        make_listing(
            area=areas.north_a,
            external_id="A",
            description='<p data-block-key="x"><b>太字</b>と<a href="https://e.jp">リンク</a></p>'
            "<ul><li>一</li><li>二</li></ul>",
        )

        [row] = rows_of(exported())

        assert row["説明"] == "太字とリンク\n\n・一\n・二"


class TestRoundTrip:
    def test_reimporting_an_export_changes_nothing(self, areas):
        pages = [
            full_listing(areas, "K-001"),
            full_listing(areas, "K-002", latitude=None, longitude=None, rules=()),
        ]
        revisions = [p.latest_revision_id for p in pages]

        result = import_listings(exported().encode("utf-8"))

        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert [p.latest_revision_id for p in ListingPage.objects.order_by("path")] == revisions

    def test_export_then_import_as_new_listings_gives_the_same_listings(self, areas):
        full_listing(areas, "K-001")
        full_listing(areas, "W-001", kind=Kind.WINDOW, ages=("everyone",), rules=(weekly(0),))
        rows = rows_of(exported())
        # New IDs make the import create fresh pages from the exported cells alone.
        copies = [row | {"ID": f"copy-{row['ID']}"} for row in rows]

        result = import_listings(csv_bytes(copies))

        assert result.created == 2, result.errors
        for external_id in ("K-001", "W-001"):
            original = ListingPage.objects.get(external_id=external_id)
            copy = ListingPage.objects.get(external_id=f"copy-{external_id}")
            assert snapshot(copy) == snapshot(original)
        exported_again = rows_of(
            exported(ListingPage.objects.filter(external_id__startswith="copy-"))
        )
        assert exported_again == copies

    def test_times_without_a_weekday_and_tentative_days_survive_the_round_trip(self, areas):
        from tests.factories import tentative

        annual = full_listing(
            areas,
            "A-001",
            rules=(tentative(None, "10:00", "15:00"),),
            schedule_note="年1回（秋）。日程は決まりしだいお知らせします。",
        )
        maybe = full_listing(areas, "A-002", rules=(tentative(5, "11:00"), tentative(6, "11:00")))
        rows = {row["ID"]: row for row in rows_of(exported())}
        assert (rows["A-001"]["利用可能曜日"], rows["A-001"]["開始時間"]) == ("", "10:00")
        assert rows["A-001"]["終了時間"] == "15:00"
        assert rows["A-002"]["利用可能曜日"] == "土(要確認);日(要確認)"
        revisions = [annual.latest_revision_id, maybe.latest_revision_id]

        result = import_listings(exported().encode("utf-8"))

        assert (result.created, result.updated, result.unchanged) == (0, 0, 2), result.errors
        pages = ListingPage.objects.filter(external_id__in=["A-001", "A-002"]).order_by("path")
        assert [p.latest_revision_id for p in pages] == revisions
        kept = [(r.frequency, r.weekday, r.start_time) for r in pages[0].schedule_rules.all()]
        assert kept == [("tentative", None, datetime.time(10))]
        assert pages[0].schedule_note.startswith("年1回")


class TestCommand:
    def test_stdout(self, areas):
        full_listing(areas)
        out, err = io.StringIO(), io.StringIO()

        call_command("export_listings", "--format", "csv", stdout=out, stderr=err)

        assert out.getvalue().startswith("\ufeffID,")
        assert rows_of(out.getvalue())[0]["ID"] == "K-001"
        assert "1件を書き出しました" in err.getvalue()

    def test_output_file(self, areas, tmp_path):
        full_listing(areas)
        path = tmp_path / "out.csv"

        call_command("export_listings", "--output", str(path), stderr=io.StringIO())

        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfID,")
        assert import_listings(data).unchanged == 1

    def test_unknown_format(self, db):
        with pytest.raises(CommandError):
            call_command("export_listings", "--format", "xml")
