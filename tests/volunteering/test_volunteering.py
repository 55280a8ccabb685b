"""Volunteering: the filterable list, the no-account inquiry reaching the coordinator, the
coordinators' matching view, and who may see inquiries."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from community.models import Coordinator, Network, Pillar
from volunteering.models import VolunteerInquiry, VolunteerOpportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunities(areas):
    north = Coordinator.objects.create(name="北部の担当", area=areas.north, notify_email="n@ex.jp")
    hotnet = Network.objects.create(
        code="hotnet", name="ほっとネット", summary="…", pillar=Pillar.CONSULT
    )
    volunteer = VolunteerOpportunity.objects.create(
        title="ほっとネット推進員",
        role="地区の困りごとに気づく",
        when="月1回",
        area=areas.north,
        who_can="18歳以上",
        network=hotnet,
        coordinator=north,
    )
    kitchen = VolunteerOpportunity.objects.create(
        title="食堂の配膳", role="配膳", when="土曜", area=areas.north_a, who_can="中学生以上"
    )
    south = VolunteerOpportunity.objects.create(
        title="南のサロン", role="お茶出し", when="水曜", area=areas.south_a, who_can="どなたでも"
    )
    closed = VolunteerOpportunity.objects.create(
        title="終わった募集", role="…", when="…", area=areas.north, who_can="…", is_open=False
    )
    return volunteer, kitchen, south, closed


def titles(client, **params):
    response = client.get(reverse("volunteering:index"), params)
    html = response.content.decode()
    names = ["ほっとネット推進員", "食堂の配膳", "南のサロン", "終わった募集"]
    return response.status_code, [n for n in names if n in html]


def test_list_filters_by_area_network_and_words(client, opportunities):
    assert titles(client) == (200, ["ほっとネット推進員", "食堂の配膳", "南のサロン"])
    # みどり小地区: its own, and the 圏域-wide one that covers it.
    assert titles(client, area="north-a") == (200, ["ほっとネット推進員", "食堂の配膳"])
    assert titles(client, area="north") == (200, ["ほっとネット推進員", "食堂の配膳"])
    assert titles(client, network="hotnet") == (200, ["ほっとネット推進員"])
    assert titles(client, q="お茶") == (200, ["南のサロン"])
    assert titles(client, area="nowhere")[0] == 400
    assert titles(client, network="nothing")[0] == 400


def test_inquiry_is_stored_then_mailed_to_the_named_coordinator(
    client, opportunities, django_capture_on_commit_callbacks
):
    volunteer = opportunities[0]
    url = reverse("volunteering:detail", args=[volunteer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "山田花子", "contact": "090-0000-0000"})
    assert response.status_code == 200
    inquiry = VolunteerInquiry.objects.get()
    assert inquiry.reference in response.content.decode()
    assert inquiry.notified_at is not None
    assert [m.to for m in mail.outbox] == [["n@ex.jp"]]
    assert "山田花子" not in mail.outbox[0].body  # personal data stays in the admin

    again = client.post(url, {"name": "", "contact": ""})
    assert again.status_code == 200 and 'id="id_name_error"' in again.content.decode()
    assert client.post(url, {"name": "a", "contact": "b", "hp_check": "x"}).status_code == 400
    assert VolunteerInquiry.objects.count() == 1
    closed = opportunities[3]
    assert client.get(reverse("volunteering:detail", args=[closed.pk])).status_code == 404


def test_matching_view_and_roles(client, opportunities):
    volunteer = opportunities[0]
    VolunteerInquiry.objects.create(
        reference="AAAA-AAAA", opportunity=volunteer, name="山田花子", contact="090"
    )
    matching = reverse("volunteer_matching")

    editor = User.objects.create_user("chiiki", password="long-password-1")
    editor.groups.add(Group.objects.get(name="地域ページ担当"))
    client.force_login(editor)
    assert editor.has_perm("volunteering.change_volunteeropportunity")
    assert client.get(matching).status_code in (302, 403)
    assert client.get(reverse("volunteer_inquiries:index")).status_code in (302, 403)

    handler = User.objects.create_user("uketsuke", password="long-password-2")
    handler.groups.add(Group.objects.get(name="参加の問い合わせ受付"))
    client.force_login(handler)
    page = client.get(matching)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ほっとネット推進員" in html and "山田花子" in html
    assert client.get(reverse("volunteer_inquiries:add")).status_code in (302, 403)


def test_inquiries_are_purged_after_the_retention_period(opportunities, settings):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    settings.VOLUNTEER_INQUIRY_KEEP_DAYS = 30
    old = VolunteerInquiry.objects.create(
        reference="OOOO-OOOO", opportunity=opportunities[0], name="古い", contact="1"
    )
    VolunteerInquiry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    VolunteerInquiry.objects.create(
        reference="NNNN-NNNN", opportunity=opportunities[0], name="新しい", contact="2"
    )
    call_command("purge_volunteer_inquiries", "--dry-run")
    assert VolunteerInquiry.objects.count() == 2
    call_command("purge_volunteer_inquiries")
    assert list(VolunteerInquiry.objects.values_list("name", flat=True)) == ["新しい"]
