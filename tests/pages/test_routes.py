"""Pages staff make in the admin with Japanese titles work wherever they are linked.

Wagtail makes a Japanese slug from a Japanese title. Every page type is created that way through
the admin's own forms, then renamed, moved, copied, unpublished and published again; each time
the page, its flyer, the menus and the API's ``url`` must follow it (issue 11).
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from listings.models import ListingIndexPage, ListingPage
from listings.vocabulary import Kind
from pages.models import HomePage, InformationPage
from tests import staff
from tests.factories import listing_index, make_listing
from tests.links import hrefs

pytestmark = pytest.mark.django_db

LANGUAGES = ("ja", "en")
API = "/api/v1/listings/"


@pytest.fixture
def visitor() -> Client:
    """A resident's browser: a server error is a 500 response, not an exception in the test."""
    return Client(raise_request_exception=False)


def get(client: Client, url: str, language: str = "ja"):
    return client.get(url, headers={"accept-language": language})


def assert_renders(client: Client, url: str) -> dict[str, str]:
    """``url`` answers 200 in Japanese and English; returns the HTML by language."""
    html = {}
    for language in LANGUAGES:
        response = get(client, url, language)
        assert response.status_code == 200, (url, language, response.status_code)
        html[language] = response.content.decode()
    return html


def flyer_link(html: str) -> str:
    (link,) = [href for href in hrefs(html) if href.endswith("/flyer/")]
    return link


def api_url(client: Client, listing: ListingPage) -> str | None:
    """The listing's ``url`` as the public API gives it (None when the API leaves it out)."""
    body = client.get(API, {"page_size": 100}).json()
    for item in body["results"]:
        if item["id"] == listing.pk:
            return item["url"]
    return None


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def assert_listing_works(client: Client, listing: ListingPage) -> None:
    """The page, its flyer (linked from the page, linking back) and its API url."""
    listing = ListingPage.objects.get(pk=listing.pk)
    path = unquote(listing.url)
    html = assert_renders(client, listing.url)
    flyer = flyer_link(html["ja"])
    assert flyer == f"{path}flyer/"
    flyer_html = assert_renders(client, flyer)
    assert listing.title in flyer_html["ja"]
    assert path in hrefs(flyer_html["ja"])
    assert api_url(client, listing) == absolute(listing.url)


@pytest.fixture
def japanese_listings(admin_client, areas) -> dict[str, ListingPage]:
    """One listing of each kind, added in the admin with a Japanese title and no slug."""
    return {
        kind: staff.add(
            admin_client,
            ListingPage,
            listing_index(),
            staff.listing_fields(title, kind, areas.north_a_1),
        )
        for kind, title in staff.LISTING_TITLES.items()
    }


@pytest.mark.parametrize("kind", Kind.values)
def test_listing_added_with_a_japanese_title_renders_with_its_flyer(
    japanese_listings, visitor, kind
):
    listing = japanese_listings[kind]
    assert listing.slug == staff.LISTING_TITLES[kind]
    assert not listing.slug.isascii()
    assert_listing_works(visitor, listing)


def test_renamed_listing_moves_its_page_flyer_and_api_url(japanese_listings, admin_client, visitor):
    listing = japanese_listings[Kind.KODOMO_SHOKUDO]
    old_path = unquote(listing.url)
    renamed = staff.rename(admin_client, listing, "ひかり子ども食堂（土曜）", "ひかり土曜食堂")
    assert renamed.url != listing.url
    assert_listing_works(visitor, renamed)
    # Old addresses (printed QR codes, bookmarks) lead to the new page.
    response = get(visitor, old_path)
    assert response.status_code in (301, 302)
    assert unquote(response["Location"]).endswith(unquote(renamed.url))
    response = get(visitor, f"{old_path}flyer/")
    assert response.status_code in (301, 302)
    assert unquote(response["Location"]).endswith(f"{unquote(renamed.url)}flyer/")


def test_moved_listing_follows_its_new_index(japanese_listings, admin_client, visitor):
    home = HomePage.objects.get()
    second = staff.add(admin_client, ListingIndexPage, home, staff.index_fields("北部の居場所"))
    assert second.slug == "北部の居場所"
    listing = japanese_listings[Kind.IBASHO]
    moved = staff.move(admin_client, listing, second)
    assert unquote(moved.url).startswith("/北部の居場所/")
    assert_listing_works(visitor, moved)
    html = assert_renders(visitor, second.url)
    assert unquote(moved.url) in hrefs(html["en"])


@pytest.mark.parametrize("kind", Kind.values)
def test_listing_copied_with_a_japanese_title(admin_client, areas, visitor, kind):
    original = make_listing("コピー元", kind=kind, area=areas.north_a)
    title = f"{staff.LISTING_TITLES[kind]}（第二会場）"
    copied = staff.copy(admin_client, original, title, staff.admin_slug(title))
    assert copied.live and copied.pk != original.pk
    assert_listing_works(visitor, copied)
    assert_listing_works(visitor, original)


def test_listings_are_copied_not_aliased(japanese_listings, admin_client):
    """An alias would be the same listing twice under one import ID: Wagtail could not save it
    (the admin answered 500), so the copy form offers no alias where listings are copied."""
    home = HomePage.objects.get()
    second = staff.add(admin_client, ListingIndexPage, home, staff.index_fields("南部の一覧"))
    listing = japanese_listings[Kind.WINDOW]
    for page in (listing, listing_index()):
        form = admin_client.get(reverse("wagtailadmin_pages:copy", args=(page.pk,)))
        assert "alias" not in form.context["form"].fields
    before = ListingPage.objects.count()
    staff.copy(admin_client, listing, listing.title, listing.slug, second, alias=True)
    assert ListingPage.objects.count() == before + 1
    assert ListingPage.objects.filter(alias_of__isnull=False).count() == 0
    # An information page, with no listing below it, can still be aliased.
    info = staff.add(admin_client, InformationPage, home, staff.information_fields("お知らせ"))
    form = admin_client.get(reverse("wagtailadmin_pages:copy", args=(info.pk,)))
    assert "alias" in form.context["form"].fields


def test_unpublished_listing_and_its_flyer_are_gone_until_republished(
    japanese_listings, admin_client, visitor
):
    listing = japanese_listings[Kind.FUREAI]
    url, flyer = listing.url, f"{listing.url}flyer/"
    staff.unpublish(admin_client, listing)
    assert get(visitor, url).status_code == 404
    assert get(visitor, flyer).status_code == 404
    assert api_url(visitor, listing) is None
    republished = staff.republish(admin_client, ListingPage.objects.get(pk=listing.pk))
    assert republished.live
    assert_listing_works(visitor, republished)


def test_private_listing_flyer_asks_for_the_password(japanese_listings, admin_client, visitor):
    listing = japanese_listings[Kind.IBASHO]
    staff.make_private(admin_client, listing, "himitsu-123")
    for url in (listing.url, f"{listing.url}flyer/"):
        response = get(visitor, url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="password"' in html
        assert "職員が管理画面で登録しました" not in html


def test_renamed_listing_index_is_followed_by_every_menu(japanese_listings, admin_client, visitor):
    renamed = staff.rename(admin_client, listing_index(), "居場所と窓口をさがす", "さがす")
    index_path = unquote(renamed.url)
    assert index_path == "/さがす/"
    listing = ListingPage.objects.get(pk=japanese_listings[Kind.IBASHO].pk)
    pages = ["/", index_path, listing.url, f"{listing.url}flyer/", "/areas/", "/search/"]
    pages.append("/search/?q=zzzzzzzz")  # no results: links to the windows' list
    for url in pages:
        html = assert_renders(visitor, url)
        for language in LANGUAGES:
            links = hrefs(html[language])
            assert not [h for h in links if h.startswith("/listings/")], (url, language)
            assert index_path in links, (url, language)
            # The 相談窓口 menu starts from the 困りごと finder, which lists the windows too.
            assert "/consult/" in links, (url, language)
    finder = assert_renders(visitor, "/consult/")
    for language in LANGUAGES:
        assert f"{index_path}?kind=window" in hrefs(finder[language]), language
    response = get(visitor, "/no-such-page/")
    assert response.status_code == 404
    assert index_path in hrefs(response.content.decode())
    for listing in japanese_listings.values():
        assert unquote(ListingPage.objects.get(pk=listing.pk).url).startswith(index_path)
        assert_listing_works(visitor, listing)
    # The old address of the index still leads to it.
    response = get(visitor, "/listings/")
    assert response.status_code in (301, 302)
    assert unquote(response["Location"]).endswith(index_path)


def test_information_pages_with_japanese_titles(admin_client, japanese_listings, visitor):
    home = HomePage.objects.get()
    listing = japanese_listings[Kind.WINDOW]
    parent = staff.add(
        admin_client,
        InformationPage,
        home,
        staff.information_fields("計画のあらまし", link_page=listing),
    )
    child = staff.add(admin_client, InformationPage, parent, staff.information_fields("四つの階層"))
    assert unquote(child.url) == "/計画のあらまし/四つの階層/"
    for page in (parent, child):
        assert_renders(visitor, page.url)
    assert unquote(listing.url) in hrefs(assert_renders(visitor, parent.url)["en"])

    renamed = staff.rename(admin_client, parent, "地域福祉計画のあらまし", "地域福祉計画")
    child = InformationPage.objects.get(pk=child.pk)
    assert unquote(child.url) == "/地域福祉計画/四つの階層/"
    assert_renders(visitor, renamed.url)
    assert_renders(visitor, child.url)

    moved = staff.move(admin_client, child, home)
    assert unquote(moved.url) == "/四つの階層/"
    assert_renders(visitor, moved.url)
    # The home page lists its information pages.
    assert "/四つの階層/" in hrefs(assert_renders(visitor, "/")["ja"])

    copied = staff.copy(admin_client, renamed, "地域福祉計画（写し）", "地域福祉計画-写し")
    assert_renders(visitor, copied.url)

    staff.unpublish(admin_client, copied)
    assert get(visitor, copied.url).status_code == 404
    staff.republish(admin_client, InformationPage.objects.get(pk=copied.pk))
    assert_renders(visitor, copied.url)


def test_home_page_renamed_and_a_second_home_page_added(admin_client, visitor):
    home = HomePage.objects.get()
    staff.rename(admin_client, home, "わがまちの居場所ポータル", "ホーム")
    html = assert_renders(visitor, "/")
    assert "わがまちの居場所ポータル" in html["ja"]
    # A second home page (not a site root yet) can be made and previewed by staff.
    root = home.get_parent()
    second = staff.add(admin_client, HomePage, root, staff.home_fields("第二のトップページ"))
    assert second.slug == "第二のトップページ"
    assert second.url is None  # no Site serves it
    draft = staff.home_fields("第二のトップページ（案）", second.slug)
    assert "第二のトップページ（案）" in staff.preview(admin_client, second, draft)


def test_admin_preview_of_a_japanese_listing_links_its_flyer(japanese_listings, admin_client):
    listing = japanese_listings[Kind.KODOMO_SHOKUDO]
    form = staff.listing_fields("ひかり子ども食堂（下書き）", listing.kind, listing.location_area)
    form["slug"] = listing.slug
    html = staff.preview(admin_client, listing, form)
    assert "ひかり子ども食堂（下書き）" in html
    assert f"{unquote(listing.url)}flyer/" in hrefs(html)


def test_there_is_no_django_admin(visitor):
    """Staff use the Wagtail admin at /admin/; Django's own admin was mounted with nothing in it."""
    assert not apps.is_installed("django.contrib.admin")
    assert get(visitor, "/django-admin/").status_code == 404
    assert get(visitor, "/admin/login/").status_code == 200
