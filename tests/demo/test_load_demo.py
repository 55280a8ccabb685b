"""The sample city: ``load_demo`` on an empty database, run twice, and the data files themselves."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from demo import content
from demo.services import AREAS_CSV, LISTINGS_CSV, load_demo
from listings.models import AgeGroup, Area, ListingPage
from listings.vocabulary import TIER_ORDER, Age, Kind, Tier
from pages.models import HomePage, InformationPage

PASSWORD = "demo-test-password"

PLAN_WINDOWS = [
    "福祉丸ごと相談窓口",
    "ほっとネットステーション",
    "生活サポート相談窓口",
    "地域包括支援センター",
    "基幹相談支援センター",
    "子ども家庭支援センター",
    "子育て世代包括支援センター",
    "地域子育て支援センター",
    "権利擁護センター",
    "在宅療養連携支援センター",
    "消費者センター",
    "教育支援課",
    "男女平等推進センター",
    "住宅課",
]

LISTING_HEADER = [
    *("ID", "区分", "名称", "名称_カナ", "説明", "対象者", "テーマ", "地区コード", "対象範囲"),
    *("所在地_連結表記", "緯度", "経度", "電話番号", "FAX番号", "メールアドレス", "URL"),
    *("団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "料金"),
    *("予約", "バリアフリー情報", "相談内容", "最終確認日"),
]
AREA_HEADER = ["コード", "名称", "名称_カナ", "階層", "親コード", "緯度", "経度"]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} should start with a UTF-8 BOM"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def snapshot() -> dict[str, int]:
    User = get_user_model()
    return {
        "areas": Area.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
    }


# -- the data files (no database) ---------------------------------------------------------------


def test_area_csv_follows_the_contract():
    rows = read_csv(AREAS_CSV)
    assert rows[0] == AREA_HEADER
    assert all(len(row) == len(AREA_HEADER) for row in rows)


def test_listing_csv_follows_the_contract_and_is_clearly_fictional():
    rows = read_csv(LISTINGS_CSV)
    assert rows[0] == LISTING_HEADER
    assert all(len(row) == len(LISTING_HEADER) for row in rows)
    listings = [dict(zip(LISTING_HEADER, row, strict=True)) for row in rows[1:]]
    assert len(listings) >= 60
    assert len({row["ID"] for row in listings}) == len(listings)
    for row in listings:
        for column in ("電話番号", "FAX番号"):
            assert row[column] == "" or re.fullmatch(r"000-000-\d{4}", row[column]), row
        assert row["メールアドレス"] == "" or re.search(
            r"@example\.(jp|com)$", row["メールアドレス"]
        )
        assert row["URL"] == "" or row["URL"].startswith("https://example.jp/")
        assert row["説明"].endswith("（サンプルデータ）")
        assert row["所在地_連結表記"].startswith("サンプル市")
        assert row["最終確認日"].startswith("2026-")
        if row["区分"] == "window":
            assert "（サンプル）" in row["名称"]
            assert row["相談内容"]


# -- loading ----------------------------------------------------------------------------------
# Each load imports ~80 pages (about 10 s on SQLite), so one load is checked by several helpers.


def test_load_demo_on_an_empty_database(db, client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", PASSWORD)
    out = io.StringIO()
    summary = load_demo(stdout=out)

    assert summary.listings.created == ListingPage.objects.count()
    assert summary.areas.created == Area.objects.count()
    check_listings_cover_every_kind_tier_and_age()
    check_the_plans_consultation_windows()
    check_windows_close_on_holidays_and_take_visits_and_calls(out.getvalue())
    check_every_area_has_a_valid_tier_and_parent()
    check_every_phone_number_is_fictional()
    check_information_pages(client, created=summary.pages.created)

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(PASSWORD)
    assert summary.admin_created and summary.admin_password == PASSWORD
    report = "\n".join(summary.lines())
    assert "http://127.0.0.1:8000/admin/" in report
    assert report.count(PASSWORD) == 1


def check_listings_cover_every_kind_tier_and_age():
    listings = ListingPage.objects.live()
    assert listings.count() >= 60
    assert set(listings.values_list("kind", flat=True)) == set(Kind.values)
    assert set(listings.values_list("service_tier", flat=True)) == set(Tier.values)
    used_ages = set(AgeGroup.objects.filter(listings__in=listings).values_list("code", flat=True))
    assert used_ages == set(Age.values)
    for ken in Area.objects.filter(tier=Tier.JUNIOR_HIGH):
        located = listings.filter(location_area__path__startswith=ken.path)
        assert located.count() >= 5, ken
        assert set(located.values_list("kind", flat=True)) == set(Kind.values), ken


def check_the_plans_consultation_windows():
    windows = ListingPage.objects.live().filter(kind=Kind.WINDOW)
    for name in PLAN_WINDOWS:
        assert windows.filter(title__contains=name).exists(), name
    kens = set(Area.objects.filter(tier=Tier.JUNIOR_HIGH))
    for per_ken in ("地域包括支援センター", "ほっとネットステーション"):
        found = windows.filter(title__contains=per_ken)
        assert {w.service_tier for w in found} == {Tier.JUNIOR_HIGH}
        assert {w.service_area for w in found} == kens, per_ken
    assert windows.filter(service_tier=Tier.CITY).count() > len(kens)
    assert all(w.consultation_keyword_list for w in windows)
    money = windows.get(title__contains="生活サポート相談窓口")
    assert {"お金", "家賃", "仕事", "借金"} <= set(money.consultation_keyword_list)


def check_windows_close_on_holidays_and_take_visits_and_calls(output: str):
    # Not in the CSV: load_demo sets them on each window, as a new published revision.
    windows = ListingPage.objects.live().filter(kind=Kind.WINDOW, external_id__startswith="DEMO-")
    assert {(w.holiday_policy, tuple(w.contact_methods)) for w in windows} == {
        ("closed", ("visit", "phone"))
    }
    # One more revision where load_demo also wrote a やさしい日本語 description.
    assert all(
        not w.has_unpublished_changes
        and w.revisions.count() == 2 + (w.external_id in content.LISTING_YASASHII)
        for w in windows
    )
    assert f"（窓口の受付方法・祝日の更新 {windows.count()}）" in output
    assert f"（やさしい日本語の説明 {len(content.LISTING_YASASHII)}）" in output
    easy = ListingPage.objects.get(external_id="DEMO-W01")
    assert easy.description_yasashii == content.LISTING_YASASHII["DEMO-W01"]


def check_every_area_has_a_valid_tier_and_parent():
    counts = {tier: Area.objects.filter(tier=tier).count() for tier in TIER_ORDER}
    assert counts[Tier.CITY] == 1
    assert counts[Tier.JUNIOR_HIGH] == 4
    assert 18 <= counts[Tier.ELEMENTARY] <= 22
    assert 8 <= counts[Tier.NEIGHBOURHOOD] <= 12
    for area in Area.objects.select_related("parent"):
        area.full_clean()  # also checks the parent is exactly one tier up
        assert area.path == area.build_path()
        if area.tier != Tier.CITY:
            assert area.parent.tier == TIER_ORDER[TIER_ORDER.index(area.tier) - 1]
    assert "サンプル" in Area.objects.get(tier=Tier.CITY).name
    for ken in Area.objects.filter(tier=Tier.JUNIOR_HIGH):
        assert ken.children.count() >= 4
        assert ken.description and "ほっとネットステーション" in ken.coordinator


def check_every_phone_number_is_fictional():
    for phone, fax in ListingPage.objects.values_list("phone", "fax"):
        assert phone == "" or phone.startswith("000"), phone
        assert fax == "" or fax.startswith("000"), fax


def check_information_pages(client, created):
    home = HomePage.objects.get()
    assert "サンプル" in home.intro
    pages = InformationPage.objects.child_of(home).live()
    assert sorted(p.slug for p in pages) == sorted(spec["slug"] for spec in content.PAGES)
    assert sorted(created) == sorted(p.slug for p in pages)

    # Templates are written alongside this app: check rendering once the template exists.
    template = Path(settings.BASE_DIR) / "templates" / "pages" / "information_page.html"
    block_types: set[str] = set()
    for page in pages:
        assert "（サンプル）" in page.summary
        assert not page.has_unpublished_changes
        block_types |= {block.block_type for block in page.body}
        spec = next(s for s in content.PAGES if s["slug"] == page.slug)
        assert len(page.yasashii_body) == len(spec.get("yasashii_body", []))
        for block in page.body:
            if block.block_type == "related_listings":
                assert block.value["listings"]
                assert all(isinstance(p.specific, ListingPage) for p in block.value["listings"])
            if block.block_type == "callout" and block.value["link_page"]:
                assert block.value["link_page"].live
        if template.exists():
            response = client.get(page.url)
            assert response.status_code == 200
            assert page.title in response.content.decode()
    assert {"heading", "paragraph", "callout", "related_listings"} <= block_types
    assert any(page.yasashii_body for page in pages)  # one page shows a やさしい日本語 version


def test_running_twice_changes_nothing(db, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first = load_demo(stdout=io.StringIO())
    assert first.admin_created and len(first.admin_password) >= 12
    assert get_user_model().objects.get(username="admin").check_password(first.admin_password)

    before = snapshot()
    out = io.StringIO()
    again = load_demo(stdout=out)
    assert snapshot() == before
    assert "（窓口の受付方法・祝日の更新 0）" in out.getvalue()
    assert "（やさしい日本語の説明 0）" in out.getvalue()
    assert (again.areas.created, again.areas.updated, again.area_notes_updated) == (0, 0, 0)
    assert (again.listings.created, again.listings.updated) == (0, 0)
    assert again.pages.created == again.pages.updated == []
    assert len(again.pages.unchanged) == len(content.PAGES)
    assert not again.home_updated
    assert not again.admin_created and again.admin_password is None
    assert first.admin_password not in "\n".join(again.lines())
    assert ListingPage.objects.filter(external_id__startswith="DEMO-").count() == len(
        read_csv(LISTINGS_CSV)[1:]
    )


def test_if_empty_loads_once_then_skips(db, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", PASSWORD)
    first = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=first)
    assert ListingPage.objects.count() >= 60
    assert "http://127.0.0.1:8000/admin/" in first.getvalue()
    assert PASSWORD in first.getvalue()

    before = snapshot()
    second = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=second)
    assert snapshot() == before
    assert "読み込みません" in second.getvalue()
