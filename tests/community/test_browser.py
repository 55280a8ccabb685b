"""Area, network and concern pages in a real browser at phone width: axe (WCAG 2.x A/AA), no
sideways scrolling, and the concern form sent with the keyboard only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    browser,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    sample,  # noqa: F401 - fixture
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def community(sample, areas):
    from community.models import (
        AreaLookup,
        AreaNotice,
        Coordinator,
        LookupKind,
        Network,
        NetworkMember,
        Pillar,
    )
    from listings.models import ListingPage

    window = ListingPage.objects.live().filter(kind="window").first()
    Coordinator.objects.create(
        name="北部圏域 地域福祉コーディネーター",
        area=areas.north,
        window=window,
        phone="03-0000-1111",
        hours="平日 9:00〜17:00",
        note="何でもご相談ください。",
        notify_email="north@example.jp",
    )
    AreaNotice.objects.create(
        area=areas.north,
        title="北部圏域の交流会",
        body="<p>どなたでも参加できます。<a href='/areas/'>地域</a></p>",
        shown_from=timezone.localdate() - datetime.timedelta(days=1),
    )
    AreaLookup.objects.create(kind=LookupKind.SCHOOL, name="みどり小学校", area=areas.north_a)
    network = Network.objects.create(
        code="hotnet",
        name="ほっとネット",
        summary="相談を受け止めて、地域や専門機関につなぎます。",
        who_for="だれでも",
        what_it_does="<p>相談を受けます。</p>",
        how_to_reach="<p>電話か来所で。</p>",
        pillar=Pillar.CONSULT,
    )
    NetworkMember.objects.create(network=network, listing=window, role="窓口")
    from volunteering.models import VolunteerOpportunity

    VolunteerOpportunity.objects.create(
        title="ほっとネット推進員",
        role="地区の困りごとに気づき、コーディネーターと一緒に考えます。",
        when="月1回",
        area=areas.north,
        who_can="18歳以上の方",
        support="研修、ボランティア保険",
        network=network,
        coordinator=Coordinator.objects.get(),
    )
    return network


PAGES = [
    ("area-with-content", "/areas/north-a-1/"),
    ("area-index", "/areas/"),
    ("find-area", "/find-area/?q=みどり小学校"),
    ("find-area-none", "/find-area/?q=どこにもない町"),
    ("networks", "/networks/"),
    ("network", "/networks/hotnet/?area=north-a"),
    ("concern", "/concern/?area=north-a"),
    ("volunteer-index", "/volunteer/?area=north-a"),
]


def test_pages_at_phone_width_have_no_violations(live_server, browser, community):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP")
    page = context.new_page()
    failures = []
    try:
        for name, path in PAGES:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            if not no_horizontal_overflow(page):
                failures.append(f"{path}: scrolls sideways at 360 px")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path}\n{format_violations(violations)}")
                shot(page, f"axe-community-{name}")
        # The concern form sent back with errors.
        page.goto(f"{live_server.url}/concern/")
        with page.expect_navigation():
            page.get_by_role("button", name="送信する").click()
        assert page.locator("#concern-errors").is_visible()
        violations = axe_violations(page)
        if violations:
            failures.append(f"/concern/ (errors)\n{format_violations(violations)}")
            shot(page, "axe-community-concern-errors")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_volunteer_inquiry_at_phone_width(live_server, browser, community):
    from volunteering.models import VolunteerOpportunity

    opportunity = VolunteerOpportunity.objects.get()
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/volunteer/{opportunity.pk}/")
        assert no_horizontal_overflow(page)
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        with page.expect_navigation():
            page.get_by_role("button", name="問い合わせを送る").click()
        assert page.locator("#inquiry-errors").is_visible()
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        page.get_by_label("お名前").fill("山田花子")
        page.get_by_label("連絡先").fill("090-0000-0000")
        with page.expect_navigation():
            page.get_by_role("button", name="問い合わせを送る").click()
        assert page.get_by_role("heading", name="問い合わせを受け付けました").is_visible()
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        assert opportunity.inquiries.get().name == "山田花子"
    finally:
        context.close()


def test_concern_sent_with_the_keyboard_and_its_status_link(live_server, browser, community):
    from concerns.models import Concern

    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/areas/north/")
        with page.expect_navigation():
            page.get_by_role(
                "link", name="気になる人・困りごとを知らせる（公開されません）"
            ).click()
        assert page.locator("#id_area").input_value() == "north"
        page.locator("#id_category_0").focus()
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type("最近、近所の方を見かけません。")
        page.get_by_role("button", name="送信する").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", name="受け付けました").is_visible()
        assert no_horizontal_overflow(page)
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        concern = Concern.objects.get()
        assert concern.area.code == "north" and concern.what.startswith("最近")
        with page.expect_navigation():
            page.get_by_role("link", name=f"/concern/status/{concern.reference}/").click()
        assert page.get_by_text("受け付けました").first.is_visible()
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
    finally:
        context.close()
