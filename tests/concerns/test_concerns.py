"""The private concern form: stored, routed by area, never published, kept only so long."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from community.models import Coordinator
from concerns.models import Concern

pytestmark = pytest.mark.django_db

URL = "/concern/"
TEXT = "最近、隣のおばあさんを見かけません。新聞がたまっています。"


@pytest.fixture
def coordinators(areas):
    north = Coordinator.objects.create(
        name="北部の担当", area=areas.north, notify_email="north@example.jp"
    )
    city = Coordinator.objects.create(name="市の担当", area=areas.city, notify_email="city@ex.jp")
    return north, city


def post(client, **changes):
    data = {"area": "north-a", "category": "watch", "what": TEXT, "where_hint": "", "callback": ""}
    return client.post(URL, {**data, **changes})


def test_form_shows_emergency_numbers_and_what_happens(client, areas):
    response = client.get(URL, {"area": "north-a"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:110"' in html and 'href="tel:119"' in html
    assert "ホームページには載りません" in html
    assert re.search(r'<option value="north-a" selected>', html)
    assert response["Cache-Control"].startswith("no-store")


def test_a_concern_is_stored_routed_and_mailed_after_commit(
    client, coordinators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client)
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert concern.coordinator.name == "北部の担当"
    assert concern.what == TEXT
    assert concern.notified_at is not None
    assert [m.to for m in mail.outbox] == [["north@example.jp"]]
    assert concern.reference in mail.outbox[0].subject
    assert TEXT not in mail.outbox[0].body  # the text stays behind the admin permission

    html = response.content.decode()
    link = re.search(r'href="(/concern/status/[^"]+)"', html).group(1)
    status = client.get(link)
    assert status.status_code == 200
    assert concern.reference in status.content.decode()
    assert TEXT not in status.content.decode()
    assert status["Referrer-Policy"] == "no-referrer"
    assert client.get(link[:-3] + "xyz/").status_code == 404


def test_unknown_area_goes_to_the_city(client, coordinators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, area="")
    assert Concern.objects.get().coordinator.name == "市の担当"
    assert mail.outbox[0].to == ["city@ex.jp"]


def test_bad_input_is_sent_back_and_nothing_stored(client, areas):
    response = post(client, what="", category="nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_what_error"' in html and 'id="id_category_error"' in html
    assert post(client, hp_check="http://spam").status_code == 400
    assert Concern.objects.count() == 0


def test_retention_purge(areas, coordinators):
    now = timezone.now()

    def make(ref, status, created_days, closed_days=None):
        concern = Concern.objects.create(
            reference=ref, token_hash="x" * 64, category="watch", what="…", status=status
        )
        closed = now - datetime.timedelta(days=closed_days) if closed_days is not None else None
        Concern.objects.filter(pk=concern.pk).update(
            created_at=now - datetime.timedelta(days=created_days), closed_at=closed
        )

    make("AAAA-AAAA", Concern.Status.CLOSED, 200, closed_days=100)  # closed > 90 days ago
    make("BBBB-BBBB", Concern.Status.CLOSED, 200, closed_days=10)
    make("CCCC-CCCC", Concern.Status.IN_PROGRESS, 400)  # past the maximum
    make("DDDD-DDDD", Concern.Status.NEW, 5)
    call_command("purge_concerns", "--dry-run")
    assert Concern.objects.count() == 4
    call_command("purge_concerns")
    assert set(Concern.objects.values_list("reference", flat=True)) == {"BBBB-BBBB", "DDDD-DDDD"}


def test_closing_records_when(areas):
    concern = Concern.objects.create(reference="EEEE-EEEE", category="watch", what="…")
    concern.status = Concern.Status.CLOSED
    concern.save()
    assert concern.closed_at is not None
    concern.status = Concern.Status.IN_PROGRESS
    concern.save()
    assert concern.closed_at is None


def test_only_the_handlers_group_sees_concerns_in_the_admin(client, areas):
    concern = Concern.objects.create(reference="FFFF-FFFF", category="watch", what=TEXT)
    index = reverse("concerns:index")
    edit = reverse("concerns:edit", args=[concern.pk])

    editor = User.objects.create_user("chiiki", password="long-password-1")
    editor.groups.add(Group.objects.get(name="地域ページ担当"))
    client.force_login(editor)
    assert client.get(index).status_code in (302, 403)
    assert client.get(edit).status_code in (302, 403)

    handler = User.objects.create_user("uketsuke", password="long-password-2")
    handler.groups.add(Group.objects.get(name="気になる人の連絡受付"))
    client.force_login(handler)
    assert client.get(index).status_code == 200
    page = client.get(edit)
    assert page.status_code == 200 and TEXT in page.content.decode()
    assert client.get(reverse("concerns:add")).status_code in (302, 403)
    assert not handler.has_perm("concerns.delete_concern")


def test_a_failed_or_unaddressed_notice_is_recorded_for_staff(
    client, areas, settings, django_capture_on_commit_callbacks
):
    from concerns.services import notify
    from portal.staff_mail import NO_RECIPIENT

    settings.CONCERN_FALLBACK_EMAIL = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client).status_code == 200
    unaddressed = Concern.objects.get()
    assert unaddressed.notified_at is None and unaddressed.notify_error == NO_RECIPIENT

    settings.EMAIL_BACKEND = "tests.staffdesk.failing_mail.Backend"
    unaddressed.coordinator = Coordinator.objects.create(
        name="北部の担当", area=areas.north, notify_email="a@example.jp"
    )
    unaddressed.save(update_fields=["coordinator"])
    assert notify(unaddressed.pk) is False
    unaddressed.refresh_from_db()
    assert unaddressed.notified_at is None
    assert unaddressed.notify_error.startswith("OSError: 550")
