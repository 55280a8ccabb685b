"""Every internal link of the demo site works, in Japanese and in English (issue 11).

The sample city is loaded, then staff work on it through the real admin with Japanese titles:
a listing of each kind added, each kind of demo listing copied, one renamed, one moved to a new
listing index, one unpublished and published again, information pages added, renamed, moved and
copied, and the listing index itself renamed. The crawler then starts from ``/``, the API, the
OpenAPI document and those pages, follows every internal link (pages, flyers, forms that GET,
scripts, styles, images, redirects, URLs in JSON) and lists every 404 and 5xx it met.
"""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from demo.services import ADMIN_USERNAME, load_demo
from listings.models import ListingIndexPage, ListingPage
from pages.models import HomePage, InformationPage
from tests import staff
from tests.crawler import crawl

pytestmark = pytest.mark.django_db

API_START = ["/api/v1/listings/?page_size=100", "/api/v1/areas/", "/api/v1/openapi.json"]
# The suggest-a-change form is one view for every listing (linked by page id, so renames cannot
# break it) and the slowest page to render: it is fetched for the first dozen listings met,
# the admin-made ones first, which keeps the whole test well under a minute.
SAMPLE = {
    "submissions:change": 12,
    # The calendar links every month and view of every filter (area pages link it filtered),
    # and each listing its iCalendar file: a few of each show the family works.
    "news:calendar": 12,
    "news:calendar_ics": 4,
    "news:listing_ics": 6,
    "news:event_ics": 6,
}
HTML_LANG = re.compile(r"<html lang=\"([a-z-]+)\"")


def staff_work_with_japanese_titles() -> tuple[list[str], list[str]]:
    """What staff do in the admin on the demo site; returns the URLs of the pages they made and
    the old URLs of those renamed or moved (which must redirect to them)."""
    admin = Client()
    admin.force_login(get_user_model().objects.get(username=ADMIN_USERNAME))
    home = HomePage.objects.get()
    index = ListingIndexPage.objects.get()
    some_area = ListingPage.objects.first().location_area
    made: list[ListingPage | InformationPage | ListingIndexPage] = []
    first = ListingPage.objects.first()
    old: list[str] = [index.url, first.url, f"{first.url}flyer/"]

    for kind, title in staff.LISTING_TITLES.items():
        made.append(
            staff.add(admin, ListingPage, index, staff.listing_fields(title, kind, some_area))
        )
        demo = ListingPage.objects.filter(kind=kind, external_id__startswith="DEMO-").first()
        copy_title = f"{demo.title}（写し）"
        made.append(staff.copy(admin, demo, copy_title, staff.admin_slug(copy_title)))

    old += [made[0].url, made[2].url, f"{made[0].url}flyer/"]
    made[0] = staff.rename(admin, made[0], "みどりの居場所カフェ（改名）", "みどりカフェ改")
    second_index = staff.add(admin, ListingIndexPage, home, staff.index_fields("北部の一覧"))
    made.append(staff.move(admin, made[2], second_index))
    made.append(second_index)
    staff.unpublish(admin, made[4])
    made[4] = staff.republish(admin, ListingPage.objects.get(pk=made[4].pk))

    info = staff.add(
        admin,
        InformationPage,
        home,
        staff.information_fields("計画のあらまし", link_page=made[6]),
    )
    child = staff.add(admin, InformationPage, info, staff.information_fields("四つの階層"))
    old += [info.url, child.url]
    info = staff.rename(admin, info, "地域福祉計画のあらまし", "地域福祉計画")
    made.append(staff.copy(admin, info, "地域福祉計画（写し）", "地域福祉計画-写し"))
    made.append(staff.move(admin, child, home))
    made.append(InformationPage.objects.get(pk=info.pk))

    staff.rename(admin, index, "居場所と窓口をさがす", "さがす")

    urls = [type(page).objects.get(pk=page.pk).url for page in made]
    assert all(urls), urls
    return [unquote(url) for url in urls], [unquote(url) for url in old]


def language_is(expected: str):
    def check(url: str, html: str) -> str | None:
        match = HTML_LANG.search(html)
        found = match.group(1) if match else None
        return None if found == expected else f'<html lang="{found}">, not "{expected}"'

    return check


def switch_to_english(client: Client) -> None:
    """Use the footer's language switch as a resident would (it sets the language cookie)."""
    home = client.get("/").content.decode()
    form = re.search(r'<form class="language-switch" action="([^"]+)" method="post">', home)
    assert form, "the footer has no language switch"
    response = client.post(form.group(1), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_every_internal_link_works_in_japanese_and_english():
    load_demo(stdout=io.StringIO())
    made, old = staff_work_with_japanese_titles()
    start = ["/", *API_START, *made, *old]

    japanese = crawl(
        Client(raise_request_exception=False),
        start,
        headers={"accept-language": "ja"},
        check_html=language_is("ja"),
        sample=SAMPLE,
    )
    english_client = Client(raise_request_exception=False)
    switch_to_english(english_client)
    # The switch outranks the browser's language: every page must come out in English.
    english = crawl(
        english_client,
        start,
        headers={"accept-language": "ja"},
        check_html=language_is("en"),
        sample=SAMPLE,
    )
    # The browser's language alone (no switch used) also gives English.
    by_header = crawl(
        Client(raise_request_exception=False),
        ["/", *made],
        headers={"accept-language": "en"},
        check_html=language_is("en"),
        follow=False,
    )

    report = []
    for name, result in (("ja", japanese), ("en", english), ("Accept-Language: en", by_header)):
        report += [f"[{name}] {line}" for line in result.broken() + result.problems]
    assert not report, "\n".join(report)

    # The crawl did reach what it was for.
    visited = set(japanese.status)
    listings = [unquote(p.url) for p in ListingPage.objects.live()]
    assert set(listings) <= visited
    assert {f"{url}flyer/" for url in listings} <= visited
    assert set(made) <= visited
    assert not {url for url in old if japanese.status[url] != 301}, old
    assert len(japanese.status) == len(english.status)
