"""The public form: every invalid field shows its error next to it (and in the summary at the
top, linked), input is kept, labels everywhere; honeypot, rate limit and CSRF block without
losing a legitimate submission."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from listings.models import ListingPage
from submissions.models import Submission

from .helpers import URL, valid_post

pytestmark = pytest.mark.django_db


def tag_with_id(html: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+\b[^>]*\sid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def error_text(html: str, control_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(control_id)}_error">(.*?)</p>', html)
    assert match, f"no error next to {control_id}"
    return match.group(1)


def test_the_form_page_has_a_label_for_every_control(client, areas):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    controls = re.findall(r"<(?:input|select|textarea)\b([^>]*)>", html)
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    for attrs in controls:
        if 'type="hidden"' in attrs or 'type="search"' in attrs:
            continue
        control_id = re.search(r'\sid="([^"]+)"', attrs).group(1)
        assert control_id in labelled, control_id
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert html.count('<fieldset class="schedule-row') == 3
    # Groups of options are fieldsets with a legend.
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>どんな活動ですか", html)
    assert "個人情報の取り扱い" in html
    assert "みどり小地区 › みどり町1丁目" in html


INVALID = [
    ({"kind": ""}, "id_kind", "どんな活動かを選んでください。", True),
    ({"title": "  "}, "id_title", "活動・場所の名前を入力してください。", False),
    ({"name_kana": "向日葵"}, "id_name_kana", "カタカナかひらがな", False),
    ({"description": ""}, "id_description", "活動の説明を入力してください。", False),
    ({"description": "あ" * 2001}, "id_description", "2000", False),
    ({"age_groups": []}, "id_age_groups", "1つ以上選んでください", True),
    ({"topics": ["存在しない"]}, "id_topics", "選択", True),
    ({"topics_other": "あ" * 101}, "id_topics_other", "100文字", False),
    ({"location_area": ""}, "id_location_area", "地域を選んでください。", False),
    ({"location_area": "no-such"}, "id_location_area", "選択", False),
    ({"service_tier": "galaxy"}, "id_service_tier", "選択", False),
    ({"latitude": "95", "longitude": "139.7"}, "id_latitude", "90", False),
    ({"latitude": "35.6"}, "id_longitude", "両方入力するか", False),
    ({"longitude": "abc", "latitude": "35"}, "id_longitude", "数値", False),
    ({"schedule-0-week_of_month": ""}, "id_schedule-0-week_of_month", "第何週", False),
    ({"schedule-0-weekday": ""}, "id_schedule-0-weekday", "曜日を選んでください", False),
    (
        {"schedule-0-frequency": "monthday", "schedule-0-day_of_month": ""},
        "id_schedule-0-day_of_month",
        "日を入力してください",
        False,
    ),
    (
        {"schedule-0-frequency": "date", "schedule-0-date": ""},
        "id_schedule-0-date",
        "日付を入力してください",
        False,
    ),
    (
        {"schedule-0-frequency": "date", "schedule-0-date": "2026-13-45"},
        "id_schedule-0-date",
        "2026-04-01",
        False,
    ),
    ({"schedule-0-end_time": "10:00"}, "id_schedule-0-end_time", "開始時刻より後", False),
    ({"schedule-1-weekday": "2"}, "id_schedule-1-frequency", "くり返しを選んでください", False),
    ({"schedule-0-start_time": "25:00"}, "id_schedule-0-start_time", "選択", False),
    ({"booking": "maybe"}, "id_booking", "選択", True),
    ({"phone": "電話してね"}, "id_phone", "数字とハイフン", False),
    ({"email": "not-an-email"}, "id_email", "メールアドレスの形", False),
    ({"website": "ht!tp://bad url"}, "id_website", "URLの形", False),
    ({"accessibility": "あ" * 1001}, "id_accessibility", "1000", False),
    ({"submitter_name": ""}, "id_submitter_name", "お名前を入力してください。", False),
    ({"submitter_email": ""}, "id_submitter_email", "メールアドレスを入力してください。", False),
    ({"submitter_email": "hanako@"}, "id_submitter_email", "メールアドレスの形", False),
    ({"submitter_phone": "abc"}, "id_submitter_phone", "数字とハイフン", False),
    ({"consent": ""}, "id_consent", "同意が必要です", False),
]


@pytest.mark.parametrize(
    ("overrides", "control_id", "message", "group"), INVALID, ids=[c[1] for c in INVALID]
)
def test_every_invalid_field_shows_its_error_next_to_it(
    client, areas, overrides, control_id, message, group
):
    data = valid_post(areas, **overrides)
    if overrides.get("consent") == "":
        data.pop("consent")
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_text(html, control_id)
    anchor = f"{control_id}_0" if group else control_id
    control = tag_with_id(html, anchor)
    assert 'aria-invalid="true"' in control
    if group:
        fieldset = re.search(rf'<fieldset[^>]*aria-describedby="[^"]*{control_id}_error"', html)
        assert fieldset, "the group's fieldset points at its error"
    elif not control_id.startswith("id_schedule"):
        described = re.search(r'aria-describedby="([^"]+)"', control).group(1).split()
        assert f"{control_id}_error" in described
    # The summary at the top links to the field.
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert f'href="#{anchor}"' in summary
    assert "<title>入力内容の確認" in html
    # Nothing stored, and what was typed is still there.
    assert not Submission.objects.exists()
    if "title" not in overrides:
        assert 'value="ひまわり子ども食堂"' in html
    assert "毎月第2土曜にみんなでごはんを食べます。" in html or "description" in overrides
    assert 'value="elementary" aria-invalid' in html or 'value="elementary"' in html


def test_many_errors_at_once_keep_every_other_value(client, areas):
    data = valid_post(areas, title="", email="bad", **{"schedule-0-weekday": ""})
    response = client.post(URL, data)
    html = response.content.decode()
    assert "入力内容を確認してください（3件）" in html
    assert "ひまわりこどもしょくどう" in html  # typed kana, before normalising
    assert re.search(r'<option value="monthly" selected>', html)
    assert re.search(r'<option value="11:00" selected>', html)
    assert re.search(r'value="elementary"[^>]*checked', html)
    assert re.search(r'value="食事"[^>]*checked', html)
    assert 'value="料理教室"' in html
    assert "投稿山田花子" in html


def test_the_honeypot_blocks_but_loses_nothing(client, areas):
    response = client.post(URL, valid_post(areas, hp_check="http://spam.example"))
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert not ListingPage.objects.exists()
    html = response.content.decode()
    assert "この欄は空のままにしてください。" in error_text(html, "id_hp_check")
    assert 'value="ひまわり子ども食堂"' in html
    # A person who filled it by mistake can clear it and send.
    response = client.post(URL, valid_post(areas, hp_check=""))
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_the_honeypot_is_hidden_from_people(client, areas):
    html = client.get(URL).content.decode()
    wrapper = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', html, re.S)
    assert wrapper and 'tabindex="-1"' in wrapper.group(0)


def test_the_rate_limit_blocks_after_the_limit_and_keeps_the_input(
    client, areas, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSION_RATE_LIMIT = "1/h"
    # A form with errors does not count against the limit.
    assert client.post(URL, valid_post(areas, title="")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, valid_post(areas))
    assert first.status_code == 302
    assert Submission.objects.count() == 1

    second = client.post(URL, valid_post(areas, title="二回目の食堂"))
    assert second.status_code == 429
    html = second.content.decode()
    assert "いまは送信を受け付けられません" in html
    assert 'value="二回目の食堂"' in html
    assert "毎月第2土曜にみんなでごはんを食べます。" in html
    assert 'class="field-error"' not in html
    assert Submission.objects.count() == 1
    assert Submission.objects.get().title == "ひまわり子ども食堂"

    # Another address is not affected.
    other = client.post(URL, valid_post(areas, title="別の場所から"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert Submission.objects.count() == 2


def test_a_malformed_rate_setting_falls_back_instead_of_failing(client, areas, settings):
    settings.SUBMISSION_RATE_LIMIT = "lots"
    assert client.post(URL, valid_post(areas)).status_code == 302


def test_csrf_is_enforced(areas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, valid_post(areas))
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_text_is_escaped_on_every_page(
    client, areas, moderator_client, django_capture_on_commit_callbacks
):
    nasty = '<img src=x onerror="alert(1)">'
    data = valid_post(areas, title=f"食堂{nasty}", description=f"説明{nasty}", fee=nasty)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    status_html = client.get(response["Location"]).content.decode()
    assert nasty not in status_html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in status_html
    admin_html = moderator_client.get(
        f"/admin/submissions/inspect/{submission.pk}/"
    ).content.decode()
    assert nasty not in admin_html
    page = ListingPage.objects.get(pk=submission.page_id)
    draft = page.get_latest_revision_as_object()
    assert "<img" not in draft.description
    assert draft.description == '<p>説明&lt;img src=x onerror="alert(1)"&gt;</p>'
