"""Staff drive the staff desk in a real browser (Debian's chromium): upload a CSV, read the
preview, confirm, watch the background import finish; download the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from listings.models import ListingPage
from staffdesk.models import ImportJob
from tests.browser import (  # also skips this module when chromium is missing
    chromium,  # noqa: F401 - fixture
    shot,
)

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent.parent / "listings" / "importers" / "data"


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()


def wait_for_status(page, status: str, seconds: int = 90) -> None:
    """The job page refreshes itself every 2 s while the job runs; in this test server (an
    in-memory SQLite shared by threads) a refresh can meet a table locked by the import and
    fail, so reload it here too rather than trust every automatic refresh."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(seconds):
        try:
            page.wait_for_selector(f"[data-job-status={status}]", timeout=1_000)
            return
        except PlaywrightTimeout:
            page.reload()
    raise AssertionError(f"the job never reached {status}: {page.content()[:2000]}")


@pytest.fixture
def staff_page(live_server, chromium, site_tree, areas, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.jp", "pw-for-test")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    log_in(page, live_server.url, "chief", "pw-for-test")
    yield page
    context.close()


def test_import_with_preview_in_a_background_thread(live_server, staff_page, settings):
    settings.IMPORT_JOBS_RUNNER = "thread"  # as in production: a thread after the commit
    page = staff_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="運用").click()
    page.get_by_role("link", name="CSVの取り込み").click()
    page.wait_for_url("**/admin/staff/imports/")
    assert page.locator("h1").first.inner_text().strip() == "CSVの取り込み"
    page.get_by_label("CSVファイル").set_input_files(str(DATA / "listings.csv"))
    page.get_by_role("button", name="試行する（まだ取り込みません）").click()
    # The page refreshes itself until the dry run is done.
    wait_for_status(page, "previewed")
    assert page.locator("[data-count=created]").inner_text() == "3"
    assert page.locator("[data-job-rows] tr[data-action=created]").count() == 3
    assert not ListingPage.objects.exists()
    shot(page, "staffdesk-import-preview-1280")

    page.get_by_role("button", name="この内容で取り込む").click()
    wait_for_status(page, "done")
    assert "取り込みの結果" in page.content()
    assert ListingPage.objects.live().count() == 3
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    shot(page, "staffdesk-import-done-1280")


def test_export_downloads_a_csv(live_server, staff_page):
    page = staff_page
    page.goto(f"{live_server.url}/admin/staff/export/")
    page.get_by_label("区分").select_option(label="子ども食堂")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="書き出す").click()
    download = download_info.value
    assert download.suggested_filename.startswith("listings-")
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    assert "ID,区分,名称" in content.decode("utf-8-sig")


def test_chase_a_stale_listing_and_the_contact_confirms(live_server, staff_page, areas, settings):
    import datetime
    import re

    from django.core import mail
    from django.utils import timezone

    from tests.factories import make_listing

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SUBMISSION_PUBLIC_BASE_URL = live_server.url
    old = timezone.localdate() - datetime.timedelta(days=800)
    listing = make_listing(
        "ふるいサロン", area=areas.north_a_1, last_verified=old, email="g@example.jp"
    )
    page = staff_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="確認が古い掲載を見る").click()
    page.wait_for_url("**/admin/staff/verification/")
    assert page.locator("h1").first.inner_text().strip() == "確認が古い掲載"
    assert page.locator("[data-stale-listings]").get_by_text("ふるいサロン").is_visible()
    page.get_by_role("button", name="1件の掲載の連絡先に確認を依頼する").click()
    page.wait_for_load_state()
    assert "1件の宛先に、1件の掲載について送りました" in page.content()
    shot(page, "staffdesk-verification-1280")

    (link,) = re.findall(r"(http://\S+/verify/\S+/)", mail.outbox[-1].body)
    contact = page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ja-JP"
    )
    phone = contact.new_page()
    answer = phone.goto(link)
    assert answer.status == 200, (link, answer.status, phone.content()[:3000])
    phone.get_by_role("button", name="この内容のままで正しい").click()
    phone.wait_for_selector("[data-verified]")
    shot(phone, "staffdesk-verified-360")
    contact.close()
    listing.refresh_from_db()
    assert listing.last_verified == timezone.localdate()


def test_unmet_needs_add_a_synonym_group(live_server, staff_page):
    from search.models import SearchQueryLog, Synonym

    for query in ("たまり場", "たまり場", "タマリ場"):
        SearchQueryLog.objects.create(query=query, result_count=0, source="page")
    page = staff_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="運用").click()
    page.get_by_role("link", name="見つからなかった検索").click()
    page.wait_for_url("**/admin/staff/unmet-needs/")
    row = page.locator('tr[data-query="たまり場"]')
    assert row.locator("[data-total]").inner_text() == "2"
    shot(page, "staffdesk-unmet-needs-1280")
    row.get_by_label("「たまり場」と同じ意味の言葉").fill("居場所、サロン")
    row.get_by_role("button", name="同義語を追加").click()
    page.wait_for_load_state()
    assert "同義語「たまり場、居場所、サロン」を追加しました" in page.content()
    assert Synonym.objects.filter(words="たまり場、居場所、サロン").exists()
    assert page.locator('tr[data-query="たまり場"]').count() == 0
    page.locator('tr[data-query="タマリ場"]').get_by_role("button", name="対応済み").click()
    page.wait_for_load_state()
    assert page.locator("[data-unmet-needs] tbody tr[data-query]").count() == 0


def test_coverage_report_shows_the_gaps(live_server, staff_page, areas):
    from listings.vocabulary import Kind
    from tests.factories import make_listing

    make_listing(kind=Kind.KODOMO_SHOKUDO, area=areas.north_a_1)
    page = staff_page
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="運用").click()
    page.get_by_role("link", name="地域ごとの掲載数").click()
    page.wait_for_url("**/admin/staff/coverage/")
    south = page.locator(f'tr[data-area="{areas.south.code}"]')
    assert south.locator("[data-empty]").count() > 0
    north = page.locator(f'tr[data-area="{areas.north.code}"]')
    assert north.locator("td").first.inner_text() == "1"
    shot(page, "staffdesk-coverage-1280")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSVで書き出す").click()
    assert download_info.value.suggested_filename.startswith("coverage-")


def test_the_area_chooser_searches_in_the_listing_form(live_server, staff_page, areas):
    from tests.factories import listing_index

    page = staff_page
    index = listing_index()
    page.goto(f"{live_server.url}/admin/pages/add/listings/listingpage/{index.pk}/")
    page.get_by_role("tab", name="場所と連絡先").click()
    page.locator("#id_location_area-chooser .chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_label("地域名・よみ・コードで探す").fill("あおば")
    modal.locator(f"text={areas.south_a_1.name}").first.wait_for()
    # The results follow the typing (after a short delay): the other areas go.
    modal.locator(f"text={areas.north_a.name}").wait_for(state="detached")
    shot(page, "staffdesk-area-chooser-1280")
    modal.get_by_role("link", name=areas.south_a_1.name).click()
    page.locator("#id_location_area-chooser").get_by_text(areas.south_a_1.name).wait_for()
