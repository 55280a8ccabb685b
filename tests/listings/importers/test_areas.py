"""Areas CSV import (DESIGN.md §3, §6): tiers by code or name, any row order, all or nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from listings.importers.areas import AREA_COLUMNS, import_areas
from listings.importers.results import RowError
from listings.models import Area
from listings.vocabulary import Tier

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def areas_csv(*rows: dict, columns: tuple[str, ...] = AREA_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode("utf-8")


def area(code: str, tier: str, parent: str = "", **cells) -> dict:
    return {"コード": code, "名称": f"{code}の名前", "階層": tier, "親コード": parent, **cells}


def sample_tree() -> bytes:
    return areas_csv(
        area("city", "city"),
        area("north", "junior_high", "city"),
        area("north-a", "elementary", "north"),
        area("north-a-1", "neighbourhood", "north-a"),
    )


class TestImport:
    def test_children_may_come_before_parents(self, db):
        result = import_areas(DATA / "areas.csv")

        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
        leaf = Area.objects.get(code="east-a-1")
        assert leaf.path == "/city/east/east-a/east-a-1/"
        assert leaf.tier == Tier.NEIGHBOURHOOD
        assert leaf.name_kana == "ヒガシチョウ1チョウメ"
        east = Area.objects.get(code="east")
        assert (east.latitude, east.longitude) == (35.70, 139.60)
        assert east.parent.code == "city"

    def test_same_file_twice_changes_nothing(self, db):
        import_areas(DATA / "areas.csv")
        again = import_areas(DATA / "areas.csv")

        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
        assert again.summary() == "地域の取り込み: 新規 0件、更新 0件、変更なし 4件。"

    @pytest.mark.parametrize(
        ("cell", "tier"),
        [
            ("city", Tier.CITY),
            ("市全域", Tier.CITY),
            ("junior_high", Tier.JUNIOR_HIGH),
            ("概ね中学校区", Tier.JUNIOR_HIGH),
            ("圏域", Tier.JUNIOR_HIGH),
        ],
    )
    def test_tier_by_code_or_name(self, db, cell, tier):
        parent = [] if tier == Tier.CITY else [area("city", "city")]
        data = areas_csv(*parent, area("x", cell, "city" if parent else ""))

        assert import_areas(data).ok
        assert Area.objects.get(code="x").tier == tier

    def test_changed_row_moves_the_area_and_its_subtree(self, areas):
        data = areas_csv(area("north-a", "ふれまち地区", "south", 名称="みどり小地区（新）"))

        result = import_areas(data)

        assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
        moved = Area.objects.get(code="north-a")
        assert moved.name == "みどり小地区（新）"
        assert Area.objects.get(code="north-a-1").path == "/city/south/north-a/north-a-1/"

    def test_absent_optional_columns_are_kept(self, db):
        import_areas(areas_csv(area("city", "city", 名称_カナ="サンプルシ", 緯度="35", 経度="139")))

        result = import_areas(
            areas_csv(area("city", "city"), columns=("コード", "名称", "階層", "親コード"))
        )

        assert result.unchanged == 1
        city = Area.objects.get(code="city")
        assert (city.name_kana, city.latitude, city.longitude) == ("サンプルシ", 35.0, 139.0)

    def test_dry_run_writes_nothing(self, db):
        result = import_areas(sample_tree(), dry_run=True)

        assert result.created == 4
        assert "試行" in result.summary()
        assert not Area.objects.exists()

    def test_progress_is_reported(self, db):
        calls = []
        import_areas(sample_tree(), progress=lambda done, total: calls.append((done, total)))
        assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


class TestErrors:
    @pytest.mark.parametrize(
        ("row", "column", "words"),
        [
            (area("x", "elementary", "city"), "親コード", "概ね中学校区"),
            (area("x", "junior_high", "nowhere"), "親コード", "nowhere"),
            (area("x", "junior_high"), "親コード", "親コードが必要"),
            (area("x", "city", "city"), "親コード", "市全域"),
            (area("x", "県"), "階層", "県"),
            (area("a/b", "junior_high", "city"), "コード", "半角英数字"),
            (area("x", "junior_high", "city", 名称=""), "名称", "必須"),
            (area("x", "junior_high", "city", 緯度="35"), "経度", "両方"),
            (area("x", "junior_high", "city", 緯度="north", 経度="139"), "緯度", "数値"),
        ],
    )
    def test_bad_row_is_reported_and_nothing_written(self, db, row, column, words):
        result = import_areas(areas_csv(area("city", "city"), row))

        assert not result.ok
        assert [(e.line, e.column) for e in result.errors] == [(3, column)]
        assert words in result.errors[0].message
        assert not Area.objects.exists()
        assert (result.created, result.updated, result.unchanged) == (0, 0, 0)

    def test_duplicate_code_reported_on_the_later_line(self, db):
        result = import_areas(areas_csv(area("city", "city"), area("city", "city")))

        assert result.errors == [RowError(3, "コード", "コード「city」は2行目と重複しています。")]

    def test_tier_change_that_would_strand_children(self, areas):
        # north has ふれまち地区 below it: it cannot become a ふれまち地区 itself.
        result = import_areas(areas_csv(area("north", "elementary", "north")))

        columns = {e.column for e in result.errors}
        assert "階層" in columns
        assert Area.objects.get(code="north").tier == Tier.JUNIOR_HIGH

    def test_missing_header_column(self, db):
        data = areas_csv(area("city", "city"), columns=("コード", "名称", "親コード"))

        result = import_areas(data)

        assert [(e.line, e.column) for e in result.errors] == [(1, "階層")]

    def test_unreadable_file(self, db, tmp_path):
        result = import_areas(tmp_path / "missing.csv")

        assert result.errors[0].line == 1
        assert "読めません" in result.errors[0].message


class TestCommand:
    def test_success(self, db):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_areas", str(DATA / "areas.csv"), stdout=out, stderr=err)

        assert "新規 4件" in out.getvalue()
        assert "  4/4 行…" in err.getvalue()
        assert Area.objects.count() == 4

    def test_errors_exit_non_zero(self, db, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(areas_csv(area("x", "junior_high", "nowhere")))
        err = io.StringIO()

        with pytest.raises(CommandError, match="何も取り込みませんでした"):
            call_command("import_areas", str(path), stdout=io.StringIO(), stderr=err)

        assert "行 2, 列「親コード」: 親コード「nowhere」の地域がありません" in err.getvalue()

    def test_dry_run(self, db):
        out = io.StringIO()
        call_command(
            "import_areas", str(DATA / "areas.csv"), "--dry-run", stdout=out, stderr=io.StringIO()
        )

        assert "新規 4件" in out.getvalue()
        assert not Area.objects.exists()
