"""Listings CSV import (DESIGN.md §6): contract columns, idempotency, all-or-nothing errors."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from listings.importers.contract import LISTING_COLUMNS, import_listings
from listings.importers.results import RowError
from listings.models import ListingPage
from listings.vocabulary import Kind, Tier
from tests.factories import listing_index, make_listing

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
T = datetime.time


def listings_csv(
    *rows: dict, columns: tuple[str, ...] = LISTING_COLUMNS, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def listing(values: dict | None = None, **cells: str) -> dict:
    """A valid minimal row; ``values`` / ``cells`` override or add cells."""
    return (
        {"ID": "T-1", "区分": "ibasho", "名称": "テストサロン", "地区コード": "north-a-1"}
        | (values or {})
        | cells
    )


def rules_of(page: ListingPage) -> list[tuple]:
    return [
        (r.frequency, r.weekday, r.week_of_month, r.date, r.start_time, r.end_time)
        for r in page.schedule_rules.all()
    ]


def revision_count(page: ListingPage) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


class TestSampleFile:
    def test_creates_published_listings(self, areas):
        result = import_listings(DATA / "listings.csv")

        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
        page = ListingPage.objects.get(external_id="K-001")
        assert page.live and not page.has_unpublished_changes
        assert page.get_parent().specific == listing_index()
        assert page.slug == "k-001"
        assert page.kind == Kind.KODOMO_SHOKUDO
        assert page.title == "みどりこども食堂"
        assert page.name_kana == "ミドリコドモショクドウ"
        assert page.description == (
            "<p>毎月みんなでごはん。<br/>だれでも来てね。</p>"
            "<p>&lt;b&gt;タグ&lt;/b&gt;もそのまま文字です。</p>"
        )
        assert page.age_group_codes == ["elementary", "teen", "everyone"]
        assert sorted(page.topics.names()) == ["学習支援", "食事"]
        assert page.location_area == areas.north_a_1
        assert page.service_tier == Tier.JUNIOR_HIGH
        assert page.service_area == areas.north
        assert (page.latitude, page.longitude) == (35.72, 139.55)
        assert (page.phone, page.fax) == ("000-000-0001", "000-000-0002")
        assert (page.email, page.website) == ("midori@example.jp", "https://example.jp/midori")
        assert page.organiser == "みどりの会"
        assert rules_of(page) == [
            ("monthly", 5, 2, None, T(11, 30), T(14)),
            ("monthly", 5, 4, None, T(11, 30), T(14)),
        ]
        assert page.schedule_note == "8月はお休み"
        assert page.fee == "子ども無料、大人300円"
        assert page.booking == "not_required"
        assert page.accessibility == "段差なし"
        assert page.last_verified == datetime.date(2026, 4, 1)
        assert revision_count(page) == 1

    def test_window_and_minimal_rows(self, areas):
        import_listings(DATA / "listings.csv")

        window = ListingPage.objects.get(external_id="W-001")
        assert window.kind == Kind.WINDOW
        assert window.age_group_codes == ["everyone"]
        assert window.service_area == areas.city
        assert window.booking == "required"
        assert window.consultation_keywords == "お金、家賃、介護"
        assert window.last_verified == datetime.date(2026, 4, 1)
        assert [r[1] for r in rules_of(window)] == [0, 1, 2, 3, 4]
        assert (window.latitude, window.longitude) == (None, None)
        salon = ListingPage.objects.get(external_id="I-001")
        assert rules_of(salon) == [("monthly", 4, -1, None, None, None)]
        assert salon.service_tier == Tier.ELEMENTARY
        assert salon.description == ""

    def test_same_file_twice_changes_nothing(self, areas):
        import_listings(DATA / "listings.csv")
        before = {
            p.external_id: (p.latest_revision_id, revision_count(p))
            for p in ListingPage.objects.all()
        }

        again = import_listings(DATA / "listings.csv")

        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
        after = {
            p.external_id: (p.latest_revision_id, revision_count(p))
            for p in ListingPage.objects.all()
        }
        assert after == before
        assert again.summary() == "居場所・窓口の取り込み: 新規 0件、更新 0件、変更なし 3件。"

    def test_edited_row_updates_its_page_with_a_new_revision(self, areas):
        import_listings(DATA / "listings.csv")
        text = (DATA / "listings.csv").read_text(encoding="utf-8")
        edited = text.replace("子ども無料、大人300円", "子ども無料、大人400円").replace(
            "第2土;第4土,11:30", "第2土,11:00"
        )

        result = import_listings(edited.encode())

        assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
        page = ListingPage.objects.get(external_id="K-001")
        assert page.fee == "子ども無料、大人400円"
        assert rules_of(page) == [("monthly", 5, 2, None, T(11), T(14))]
        assert page.live and not page.has_unpublished_changes
        assert revision_count(page) == 2
        assert page.get_latest_revision().as_object().fee == "子ども無料、大人400円"

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
    def test_encodings(self, areas, encoding):
        text = (DATA / "listings.csv").read_text(encoding="utf-8")

        result = import_listings(text.encode(encoding))

        assert result.created == 3, result.errors
        assert ListingPage.objects.get(external_id="K-001").title == "みどりこども食堂"


class TestCells:
    @pytest.mark.parametrize(
        ("cell", "kind"),
        [
            ("kodomo_shokudo", Kind.KODOMO_SHOKUDO),
            ("子ども食堂", Kind.KODOMO_SHOKUDO),
            ("こども食堂", Kind.KODOMO_SHOKUDO),
            ("ふれまち活動", Kind.FUREAI),
            ("相談窓口", Kind.WINDOW),
        ],
    )
    def test_kind_by_code_or_name(self, areas, cell, kind):
        assert import_listings(listings_csv(listing(区分=cell))).ok
        assert ListingPage.objects.get().kind == kind

    @pytest.mark.parametrize(
        ("cell", "codes"),
        [
            ("infant;senior", ["infant", "senior"]),
            ("乳幼児と保護者；高齢者", ["infant", "senior"]),
            ("どなたでも", ["everyone"]),
            ("中学生;高校生;teen", ["teen"]),
        ],
    )
    def test_ages_by_code_or_name(self, areas, cell, codes):
        assert import_listings(listings_csv(listing(対象者=cell))).ok
        assert ListingPage.objects.get().age_group_codes == codes

    @pytest.mark.parametrize(
        ("cell", "tier"),
        [
            ("", Tier.NEIGHBOURHOOD),
            ("city", Tier.CITY),
            ("市全域", Tier.CITY),
            ("圏域", Tier.JUNIOR_HIGH),
        ],
    )
    def test_service_tier_by_code_or_name(self, areas, cell, tier):
        assert import_listings(listings_csv(listing(対象範囲=cell))).ok
        assert ListingPage.objects.get().service_tier == tier

    @pytest.mark.parametrize(
        ("cell", "booking"),
        [
            ("required", "required"),
            ("要", "required"),
            ("必要", "required"),
            ("予約が必要", "required"),
            ("要予約", "required"),
            ("not_required", "not_required"),
            ("不要", "not_required"),
            ("予約不要", "not_required"),
            ("", ""),
        ],
    )
    def test_booking(self, areas, cell, booking):
        assert import_listings(listings_csv(listing(予約=cell))).ok
        assert ListingPage.objects.get().booking == booking

    def test_weekday_spellings(self, areas):
        cell = "月曜；水曜日;第２土曜;最終金;２０２６／１２／０５;2026-12-05"
        result = import_listings(listings_csv(listing(利用可能曜日=cell, 開始時間="１０：００")))

        assert result.ok, result.errors
        assert rules_of(ListingPage.objects.get()) == [
            ("weekly", 0, None, None, T(10), None),
            ("weekly", 2, None, None, T(10), None),
            ("monthly", 5, 2, None, T(10), None),
            ("monthly", 4, -1, None, T(10), None),
            ("date", None, None, datetime.date(2026, 12, 5), T(10), None),
        ]

    def test_times_without_a_weekday_are_kept_with_the_note(self, areas):
        # DESIGN.md §6: an annual event whose dates are announced later.
        note = "年1回、夏に開催。日程は決まりしだいお知らせします。"
        row = listing(開始時間="10:00", 終了時間="15:00", 利用可能日時特記事項=note)
        result = import_listings(listings_csv(row))

        assert result.ok, result.errors
        page = ListingPage.objects.get()
        assert rules_of(page) == [("tentative", None, None, None, T(10), T(15))]
        assert page.schedule_note == note
        assert page.next_dates() == []

    def test_times_need_the_weekday_column(self, areas):
        columns = tuple(c for c in LISTING_COLUMNS if c != "利用可能曜日")
        result = import_listings(listings_csv(listing(開始時間="10:00"), columns=columns))

        assert not result.ok
        assert [(e.line, e.column) for e in result.errors] == [(2, "開始時間")]

    def test_tentative_weekday_token(self, areas):
        result = import_listings(listings_csv(listing(利用可能曜日="土(要確認);日曜（要確認）")))

        assert result.ok, result.errors
        assert rules_of(ListingPage.objects.get()) == [
            ("tentative", 5, None, None, None, None),
            ("tentative", 6, None, None, None, None),
        ]

    def test_day_of_month_tokens(self, areas):
        result = import_listings(listings_csv(listing(利用可能曜日="毎月12日;２５日")))

        assert result.ok, result.errors
        rules = ListingPage.objects.get().schedule_rules.all()
        assert [(r.frequency, r.day_of_month) for r in rules] == [
            ("monthday", 12),
            ("monthday", 25),
        ]

    def test_cells_are_stripped_including_full_width_spaces(self, areas):
        result = import_listings(listings_csv(listing(ID="\u3000T-1 ", 名称="\u3000サロン\u3000")))

        assert result.ok
        page = ListingPage.objects.get()
        assert (page.external_id, page.title) == ("T-1", "サロン")

    def test_absent_optional_columns_leave_fields_alone(self, areas):
        import_listings(listings_csv(listing(料金="無料", 対象者="senior", 利用可能曜日="月")))
        columns = ("ID", "区分", "名称", "地区コード")

        result = import_listings(listings_csv(listing(名称="新しい名前"), columns=columns))

        assert (result.updated, result.unchanged) == (1, 0)
        page = ListingPage.objects.get()
        assert page.title == "新しい名前"
        assert page.fee == "無料"
        assert page.age_group_codes == ["senior"]
        assert len(rules_of(page)) == 1

    def test_unchanged_plain_text_keeps_staff_formatting(self, areas):
        page = make_listing(
            area=areas.north_a_1,
            external_id="T-1",
            title="テストサロン",
            description='<p data-block-key="a1"><b>毎週</b>あいています。</p>',
        )

        result = import_listings(
            listings_csv(
                listing(説明="毎週あいています。"),
                columns=("ID", "区分", "名称", "地区コード", "説明"),
            )
        )

        assert result.unchanged == 1
        page.refresh_from_db()
        assert "<b>毎週</b>" in page.description

    def test_new_slugs_are_ascii_and_unique(self, areas):
        data = listings_csv(listing(ID="A 1"), listing(ID="a-1"), listing(ID="東京"))

        assert import_listings(data).ok

        slugs = sorted(ListingPage.objects.values_list("slug", flat=True))
        assert slugs[:2] == ["a-1", "a-1-2"]
        assert slugs[2].startswith("listing-") and slugs[2].isascii()


BAD_ROWS = [
    ({"区分": "公園"}, "区分", "使えません"),
    ({"区分": ""}, "区分", "必須"),
    ({"地区コード": "nowhere"}, "地区コード", "先に地域CSV"),
    ({"対象範囲": "県"}, "対象範囲", "使えません"),
    ({"対象者": "赤ちゃん"}, "対象者", "使えません"),
    ({"緯度": "95", "経度": "139"}, "緯度", "-90〜90"),
    ({"緯度": "35", "経度": "200"}, "経度", "-180〜180"),
    ({"緯度": "35.1"}, "経度", "両方"),
    ({"経度": "139.5"}, "緯度", "両方"),
    ({"緯度": "北", "経度": "139"}, "緯度", "数値"),
    ({"利用可能曜日": "月", "開始時間": "25:00"}, "開始時間", "時刻"),
    ({"利用可能曜日": "月", "開始時間": "10時"}, "開始時間", "時刻"),
    ({"利用可能曜日": "月", "開始時間": "12:00", "終了時間": "10:00"}, "終了時間", "後に"),
    ({"最終確認日": "2026-02-30"}, "最終確認日", "日付"),
    ({"最終確認日": "令和8年"}, "最終確認日", "日付"),
    ({"利用可能曜日": "月;第6土"}, "利用可能曜日", "第6土"),
    ({"利用可能曜日": "毎日"}, "利用可能曜日", "毎日"),
    ({"メールアドレス": "info@"}, "メールアドレス", "メールアドレス"),
    ({"URL": "javascript:alert(1)"}, "URL", "URL"),
    ({"名称": ""}, "名称", "必須"),
    ({"ID": ""}, "ID", "必須"),
    ({"ID": "x" * 65}, "ID", "64"),
    ({"予約": "たぶん"}, "予約", "使えません"),
]


class TestBadRows:
    @pytest.mark.parametrize(("cells", "column", "words"), BAD_ROWS)
    def test_reported_with_line_and_column_and_nothing_imported(self, areas, cells, column, words):
        data = listings_csv(listing(ID="OK-1"), listing(cells, ID=cells.get("ID", "T-2")))

        result = import_listings(data)

        assert not result.ok
        assert [(e.line, e.column) for e in result.errors] == [(3, column)]
        assert words in result.errors[0].message
        assert not ListingPage.objects.filter(external_id__isnull=False).exists()
        assert (result.created, result.updated, result.unchanged) == (0, 0, 0)

    def test_duplicate_id_reported_on_the_later_line(self, areas):
        result = import_listings(listings_csv(listing(), listing(名称="別")))

        assert result.errors == [RowError(3, "ID", "ID「T-1」は2行目と重複しています。")]

    def test_line_numbers_count_newlines_inside_quoted_cells(self, areas):
        data = listings_csv(
            listing(ID="A", 説明="一行目\n二行目\n\n四行目"),
            listing(ID="B", 緯度="95", 経度="1"),
        )

        result = import_listings(data)

        assert [(e.line, e.column) for e in result.errors] == [(6, "緯度")]

    def test_every_bad_row_is_reported_at_once(self, areas):
        data = listings_csv(
            listing(ID="A", 区分="x"), listing(ID="B"), listing(ID="C", 地区コード="x", 名称="")
        )

        result = import_listings(data)

        assert [(e.line, e.column) for e in result.errors] == [
            (2, "区分"),
            (4, "名称"),
            (4, "地区コード"),
        ]
        assert "何も取り込みませんでした" in result.summary()

    def test_an_update_is_not_half_applied(self, areas):
        import_listings(listings_csv(listing(料金="無料")))

        result = import_listings(listings_csv(listing(料金="100円"), listing(ID="T-2", 緯度="95")))

        assert not result.ok
        assert ListingPage.objects.get().fee == "無料"

    def test_a_failure_while_writing_rolls_back_every_row(self, areas, monkeypatch):
        original_clean = ListingPage.clean

        def clean(page):
            if page.external_id == "T-2":
                raise ValidationError({"latitude": "書き込み時のエラー"})
            original_clean(page)

        monkeypatch.setattr(ListingPage, "clean", clean)

        result = import_listings(listings_csv(listing(), listing(ID="T-2")))

        assert result.errors == [RowError(3, "緯度", "書き込み時のエラー")]
        assert result.created == 0
        assert not ListingPage.objects.exists()

    def test_missing_required_header_column(self, areas):
        columns = tuple(c for c in LISTING_COLUMNS if c != "名称")

        result = import_listings(listings_csv(listing(), columns=columns))

        assert [(e.line, e.column) for e in result.errors] == [(1, "名称")]
        assert "名称" in result.errors[0].message

    def test_too_many_cells(self, areas):
        data = (
            listings_csv(listing(), columns=("ID", "区分", "名称", "地区コード"))
            + b"T-2,ibasho,x,north,extra\n"
        )

        result = import_listings(data)

        assert [(e.line, e.column) for e in result.errors] == [(3, "")]
        assert "セルの数" in result.errors[0].message

    def test_undecodable_file(self, areas):
        result = import_listings(b"ID,\x85\x40")

        assert result.errors[0].line == 1
        assert "文字コード" in result.errors[0].message

    def test_utf16_file(self, areas):
        result = import_listings("ID,区分,名称,地区コード\n".encode("utf-16"))

        assert "UTF-16" in result.errors[0].message

    def test_missing_file(self, areas, tmp_path):
        result = import_listings(str(tmp_path / "nope.csv"))

        assert result.errors[0].line == 1
        assert "読めません" in result.errors[0].message


class TestDraftsAndDryRun:
    def test_dry_run_writes_nothing(self, areas):
        result = import_listings(DATA / "listings.csv", dry_run=True)

        assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
        assert result.summary().startswith("居場所・窓口の取り込み（試行・書き込みなし）")
        assert not ListingPage.objects.exists()

    def test_dry_run_of_an_edit_adds_no_revision(self, areas):
        import_listings(listings_csv(listing(料金="無料")))
        page = ListingPage.objects.get()

        result = import_listings(listings_csv(listing(料金="100円")), dry_run=True)

        assert result.updated == 1
        page.refresh_from_db()
        assert page.fee == "無料"
        assert revision_count(page) == 1

    def test_unpublished_page_gets_a_draft_not_republished(self, areas):
        import_listings(listings_csv(listing(料金="無料")))
        page = ListingPage.objects.get()
        page.unpublish()

        result = import_listings(listings_csv(listing(料金="100円")))

        assert result.updated == 1
        page.refresh_from_db()
        assert not page.live
        assert page.get_latest_revision_as_object().fee == "100円"

        again = import_listings(listings_csv(listing(料金="100円")))
        assert again.unchanged == 1

    def test_parent_can_be_chosen(self, areas):
        index = listing_index()
        other = index.get_parent().add_child(instance=type(index)(title="別の一覧", slug="other"))

        import_listings(listings_csv(listing()), parent=other)

        assert ListingPage.objects.get().get_parent().pk == other.pk


class TestCommand:
    def test_success(self, areas):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_listings", str(DATA / "listings.csv"), stdout=out, stderr=err)

        assert "新規 3件" in out.getvalue()
        assert "  3/3 行…" in err.getvalue()
        assert ListingPage.objects.count() == 3

    def test_errors_are_printed_and_exit_non_zero(self, areas, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(listings_csv(listing(緯度="95", 経度="139"), listing(ID="B", 区分="x")))
        err = io.StringIO()

        with pytest.raises(CommandError, match="エラーが 2件"):
            call_command("import_listings", str(path), stdout=io.StringIO(), stderr=err)

        lines = err.getvalue().splitlines()
        assert lines[0].startswith("行 2, 列「緯度」: ")
        assert lines[1].startswith("行 3, 列「区分」: ")
        assert not ListingPage.objects.exists()

    def test_dry_run_and_progress(self, areas, tmp_path):
        path = tmp_path / "many.csv"
        path.write_bytes(listings_csv(*(listing(ID=f"N-{n}") for n in range(120))))
        out, err = io.StringIO(), io.StringIO()

        call_command("import_listings", str(path), "--dry-run", stdout=out, stderr=err)

        assert "新規 120件" in out.getvalue()
        assert err.getvalue().splitlines() == ["  50/120 行…", "  100/120 行…", "  120/120 行…"]
        assert not ListingPage.objects.exists()

    def test_unknown_parent(self, areas):
        with pytest.raises(CommandError, match="ID 99999"):
            call_command("import_listings", str(DATA / "listings.csv"), "--parent", "99999")

    def test_parent_option(self, areas):
        index = listing_index()
        call_command(
            "import_listings",
            str(DATA / "listings.csv"),
            "--parent",
            str(index.pk),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert ListingPage.objects.child_of(index).count() == 3
