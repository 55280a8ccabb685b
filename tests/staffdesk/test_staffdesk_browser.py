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
    page.get_by_label("CSVファイル").set_input_files(str(DATA / "listings.csv"))
    page.get_by_role("button", name="試行する（まだ取り込みません）").click()
    # The page refreshes itself until the dry run is done.
    page.wait_for_selector("[data-job-status=previewed]", timeout=30_000)
    assert page.locator("[data-count=created]").inner_text() == "3"
    assert page.locator("[data-job-rows] tr[data-action=created]").count() == 3
    assert not ListingPage.objects.exists()
    shot(page, "staffdesk-import-preview-1280")

    page.get_by_role("button", name="この内容で取り込む").click()
    page.wait_for_selector("[data-job-status=done]", timeout=60_000)
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
