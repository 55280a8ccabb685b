"""A group fills the submission form on a phone in a real browser (Debian's chromium).

Launch and screenshot helpers come from tests/browser.py (which skips this module without chromium).
Screenshots go to ``test-artifacts/`` at 360px and 1280px.
"""

from __future__ import annotations

import re

import pytest

from submissions.models import Submission
from tests.browser import (  # also skips this module when chromium is missing
    chromium,  # noqa: F401 - fixture
    no_horizontal_overflow,
    shot,
)

from .helpers import jpeg_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def site(site_tree, areas):
    return areas


def fill_the_form(page, photo_path: str) -> None:
    page.get_by_label("子ども食堂", exact=True).check()
    page.get_by_label("活動・場所の名前").fill("ひまわり子ども食堂")
    page.get_by_label("名前のよみがな（任意）").fill("ひまわりこどもしょくどう")
    page.get_by_label("活動の説明").fill(
        "毎月第2土曜にみんなでごはんを食べます。子どもは無料です。"
    )
    page.get_by_label("小学生", exact=True).check()
    page.get_by_label("乳幼児と保護者", exact=True).check()
    page.get_by_label("食事", exact=True).check()
    page.get_by_label("会場の住所（任意）").fill("サンプル市みどり町1-2-3 みどり会館")
    page.get_by_label("いちばん近い地域").select_option(label="みどり小地区 › みどり町1丁目")
    page.locator("#id_schedule-0-frequency").select_option("monthly")
    page.locator("#id_schedule-0-week_of_month").select_option("2")
    page.locator("#id_schedule-0-weekday").select_option("5")
    page.locator("#id_schedule-0-start_time").select_option("11:00")
    page.locator("#id_schedule-0-end_time").select_option("13:00")
    page.get_by_label("参加費（任意）").fill("子ども無料、大人300円")
    page.get_by_label("予約が必要", exact=True).check()
    page.get_by_label("問い合わせの電話番号（公開・任意）").fill("042-555-0101")
    page.locator("#id_photo_1").set_input_files(photo_path)
    page.locator("#id_submitter_name").fill("山田花子")
    page.locator("#id_submitter_email").fill("hanako@example.org")
    page.get_by_label("上の「個人情報の取り扱い」に同意します").check()


def test_a_group_submits_on_a_phone(live_server, chromium, site, tmp_path):
    photo = tmp_path / "ひまわり.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    try:
        # From the home page, the way a group would find it.
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="活動を登録する").click()
        page.wait_for_url("**/submit/")
        assert page.locator("h1").inner_text() == "活動を登録する"
        assert no_horizontal_overflow(page)
        shot(page, "submission-form-360")

        # Sending it empty: a summary at the top, each error next to its field.
        page.get_by_role("button", name="送信する").click()
        page.wait_for_load_state()
        summary = page.locator("#error-summary")
        assert summary.is_visible()
        assert "入力内容を確認してください" in summary.inner_text()
        assert page.locator("#id_title_error").is_visible()
        assert no_horizontal_overflow(page)
        shot(page, "submission-errors-360")
        summary.get_by_role("link", name="活動・場所の名前").click()
        assert page.evaluate("location.hash") == "#id_title"

        fill_the_form(page, str(photo))
        # Focus is visible on the controls (keyboard users).
        page.get_by_label("活動・場所の名前").focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        shot(page, "submission-filled-360")
        page.get_by_role("button", name="送信する").click()
        # (The browser may carry the #id_title fragment from the error summary link along.)
        page.wait_for_url(re.compile(r".*/submit/status/[A-Z0-9-]+/[A-Za-z0-9_-]+/\?sent=new"))

        assert page.locator("h1").inner_text() == "送信しました。ありがとうございます"
        link = page.locator(".status-link a")
        assert link.is_visible()
        status_url = link.inner_text()
        assert status_url == page.url.split("?")[0]
        assert no_horizontal_overflow(page)
        shot(page, "submission-done-360")

        submission = Submission.objects.get()
        assert submission.title == "ひまわり子ども食堂"
        assert submission.photos.count() == 1
        assert submission.data["schedule"][0]["week_of_month"] == 2

        # The link opens the status page again later.
        page.goto(status_url)
        assert page.get_by_text(submission.reference).first.is_visible()
        assert "山田花子" not in page.content()
    finally:
        context.close()


def test_the_form_and_status_page_at_desktop_width(live_server, chromium, site, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/submit/")
        assert no_horizontal_overflow(page)
        shot(page, "submission-form-1280")
        fill_the_form(page, str(photo))
        page.get_by_role("button", name="送信する").click()
        page.wait_for_url(re.compile(r".*\?sent=new"))
        assert no_horizontal_overflow(page)
        shot(page, "submission-done-1280")
        page.goto(f"{live_server.url}/submit/status/AAAA-BBBB/wrong-token/")
        assert page.locator("h1").inner_text() == "このリンクは使えません"
        shot(page, "submission-link-invalid-1280")
    finally:
        context.close()


def test_staff_review_page_in_the_admin(live_server, chromium, site, django_user_model, tmp_path):
    from django.test import Client

    from .helpers import valid_post

    django_user_model.objects.create_superuser("chief", "chief@example.jp", "pw-for-test")
    Client().post("/submit/", valid_post(site, note_to_staff="土曜の午前に電話できます。"))
    submission = Submission.objects.get()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill("chief")
        page.locator("#id_password").fill("pw-for-test")
        page.locator("button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/admin/submissions/")
        assert page.get_by_text(submission.reference).first.is_visible()
        shot(page, "submission-admin-queue-1280")
        page.get_by_role("link", name=submission.reference).click()
        page.wait_for_load_state()
        assert page.get_by_text("投稿者（公開しない情報）").is_visible()
        shot(page, "submission-admin-review-1280")
    finally:
        context.close()
