"""The verification loop: stale listings by 最終確認日, a signed link mailed to each contact,
one button to confirm (logged, the date updated and shown to residents) or the correction form,
and what staff see (dashboard panel, the list, unanswered and failed requests)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import PageLogEntry

from listings.models import ListingPage
from staffdesk import selectors
from staffdesk.models import VerificationRequest
from staffdesk.services import verification
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/staff/verification/"


@pytest.fixture
def stale_city(areas, settings):
    settings.VERIFICATION_STALE_MONTHS = 6
    settings.SUBMISSION_PUBLIC_BASE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    old = today - datetime.timedelta(days=400)
    return {
        "old": make_listing(
            "古いサロン", area=areas.north_a_1, last_verified=old, email="a@example.jp"
        ),
        "old_same_group": make_listing(
            "古い食堂", area=areas.north_a_1, last_verified=old, email="A@example.jp"
        ),
        "never": make_listing("記録なしの会", area=areas.south_a_1, email="b@example.jp"),
        "no_address": make_listing("連絡先なし", area=areas.south_a_1, last_verified=old),
        "fresh": make_listing(
            "新しい会", area=areas.south_a_1, last_verified=today, email="c@example.jp"
        ),
    }


def links(body: str) -> list[str]:
    return re.findall(r"http://testserver(/verify/\S+/)", body)


def test_stale_listings_follow_the_setting(stale_city, settings):
    stale = {page.title for page in selectors.stale_listings()}
    assert stale == {"古いサロン", "古い食堂", "記録なしの会", "連絡先なし"}
    settings.VERIFICATION_STALE_MONTHS = 24
    assert {page.title for page in selectors.stale_listings()} == {"記録なしの会"}
    assert selectors.stale_cutoff(datetime.date(2026, 3, 31)) == datetime.date(2024, 3, 31)
    settings.VERIFICATION_STALE_MONTHS = 1
    assert selectors.stale_cutoff(datetime.date(2026, 3, 31)) == datetime.date(2026, 2, 28)


def test_the_command_mails_each_address_once_with_a_link_per_listing(stale_city):
    out = io.StringIO()
    call_command("send_verification_requests", stdout=out)
    assert "2件の宛先に、3件の掲載について送りました" in out.getvalue()
    assert "メールアドレスのない掲載 1件" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.jp", "b@example.jp"]
    group_mail = next(m for m in mail.outbox if m.to == ["a@example.jp"])
    assert "掲載内容の確認のお願い" in group_mail.subject
    assert "古いサロン" in group_mail.body and "古い食堂" in group_mail.body
    assert len(links(group_mail.body)) == 2
    assert VerificationRequest.objects.filter(status="sent").count() == 3
    # Asked recently: the next run sends nothing.
    mail.outbox.clear()
    call_command("send_verification_requests", stdout=io.StringIO())
    assert mail.outbox == []


def test_one_button_confirms_and_the_date_is_logged_and_shown(client, stale_city):
    call_command("send_verification_requests", stdout=io.StringIO())
    body = next(m.body for m in mail.outbox if m.to == ["b@example.jp"])
    (link,) = links(body)
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "記録なしの会" in html and "この内容のままで正しい" in html
    assert (
        ListingPage.objects.get(title="記録なしの会").last_verified is None
    )  # GET changes nothing

    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(link, {"answer": "correct"})
    assert "内容を確認しました" in done.content.decode()
    listing = ListingPage.objects.get(title="記録なしの会")
    assert listing.last_verified == timezone.localdate()
    assert listing.live and not listing.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=listing, action="staffdesk.verified").exists()
    assert VerificationRequest.objects.get(listing=listing).status == "confirmed"
    # Residents see it on the listing.
    public = client.get(listing.url).content.decode()
    assert f'datetime="{timezone.localdate():%Y-%m-%d}"' in public
    assert listing.pk not in {p.pk for p in selectors.stale_listings()}


def test_the_correction_link_opens_the_prefilled_form(client, stale_city):
    call_command("send_verification_requests", stdout=io.StringIO())
    body = next(m.body for m in mail.outbox if m.to == ["b@example.jp"])
    (link,) = links(body)
    response = client.get(link + "correct/")
    listing = stale_city["never"]
    assert response["Location"] == f"/submit/listing/{listing.pk}/"
    form = client.get(response["Location"]).content.decode()
    assert 'value="記録なしの会"' in form
    assert VerificationRequest.objects.get(listing=listing).status == "correcting"


def test_bad_and_expired_links(client, stale_city, settings):
    assert client.get("/verify/nonsense/").status_code == 400
    request = VerificationRequest.objects.create(
        listing=stale_city["old"], email="a@example.jp", status="sent", sent_at=timezone.now()
    )
    token = verification.token_for(request)
    settings.VERIFICATION_LINK_DAYS = 0
    expired = client.get(f"/verify/{token}/")
    assert expired.status_code == 410
    assert "有効期限が切れています" in expired.content.decode()
    settings.VERIFICATION_LINK_DAYS = 60
    assert client.post(f"/verify/{token}/", {}).status_code == 400  # no answer given
    forged = signing.dumps(request.pk, salt="another-salt")
    assert client.get(f"/verify/{forged}/").status_code == 400


def test_staff_see_the_panel_the_list_and_unanswered_and_failed_requests(
    client, chaser, stale_city, settings
):
    client.force_login(chaser)
    dashboard = client.get("/admin/").content.decode()
    assert "最終確認日が 6 か月以上前か記録のない掲載：4件（うち記録なし 1件）" in dashboard
    page = client.get(ADMIN_URL).content.decode()
    for title in ("古いサロン", "記録なしの会", "連絡先なし"):
        assert title in page
    assert "新しい会" not in page
    assert "3件の掲載の連絡先に確認を依頼する" in page

    # Sending from the admin; one address fails.
    settings.EMAIL_BACKEND = "tests.staffdesk.failing_mail.Backend"
    client.post(ADMIN_URL)
    failed = client.get(ADMIN_URL, {"tab": "failed"}).content.decode()
    assert "a@example.jp" in failed and "送信失敗" in failed
    # Ask the never-confirmed one long ago: listed as unanswered.
    VerificationRequest.objects.filter(email="b@example.jp").update(
        sent_at=timezone.now() - datetime.timedelta(days=20)
    )
    unanswered = client.get(ADMIN_URL, {"tab": "unanswered"}).content.decode()
    assert "記録なしの会" in unanswered and "b@example.jp" in unanswered


def test_only_permitted_staff_see_it(client, editor):
    client.force_login(editor)
    assert client.get(ADMIN_URL)["Location"] == "/admin/"
    assert "掲載内容の確認" not in client.get("/admin/").content.decode()
