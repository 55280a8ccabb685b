"""Staff actions through the real Wagtail admin views (a logged-in superuser's test client).

Each helper posts the form the admin itself shows, as staff would submit it: pages are added
with a title and no slug (Wagtail makes the slug from the title, a Japanese one for a Japanese
title), then renamed, moved, copied, unpublished and published again. Every helper asserts the
admin accepted the form and returns the page as it is now in the database.
"""

from __future__ import annotations

import re

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from listings.models import Area, ListingIndexPage, ListingPage
from listings.vocabulary import Kind, Tier
from pages.models import HomePage, InformationPage

# Japanese titles whose slugs Wagtail keeps in Japanese (slugify with allow_unicode).
LISTING_TITLES = {
    Kind.IBASHO: "みどりの居場所カフェ",
    Kind.KODOMO_SHOKUDO: "ひかり子ども食堂",
    Kind.FUREAI: "あおば地区ふれまち交流会",
    Kind.WINDOW: "くらしの相談窓口",
}


def admin_slug(title: str) -> str:
    """The slug the admin's slug field fills in as staff type a title and leave the slug alone.

    A copy of wagtailadmin's ``urlify`` (core.js) with WAGTAIL_ALLOW_UNICODE_SLUGS on, the
    default: lower case, only letters, digits, ``-`` and ``_``, spaces to ``-``. Japanese stays.
    """
    slug = re.sub(r"[^-_\w\s]", "", title.lower())
    return re.sub(r"[-\s]+", "-", slug)[:255].rstrip("-")


def _post(client, url: str, data: dict | None = None):
    """POST as one request of a real server: what the view defers to its commit (Wagtail's
    redirects from old addresses, for one) runs when it returns, not at the test's end."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def _form_errors(response) -> str:
    context = getattr(response, "context", None)
    if not context or "form" not in context:
        return f"HTTP {response.status_code}"
    form = context["form"]
    formsets = {name: fs.errors for name, fs in getattr(form, "formsets", {}).items()}
    return f"HTTP {response.status_code}: {form.errors.as_json()} {formsets}"


def _accepted(response) -> None:
    assert response.status_code == 302, _form_errors(response)


def listing_fields(title: str, kind: str, area: Area, slug: str = "") -> dict:
    """What staff type into a listing's add/edit form (photos none, one schedule rule)."""
    data = {
        "title": title,
        "slug": slug,
        "kind": kind,
        "name_kana": "",
        "description": rich_text("<p>職員が管理画面で登録しました。</p>"),
        "topics": "食事, 子育て",
        "photos": inline_formset([]),
        "location_area": area.pk,
        "service_tier": Tier.JUNIOR_HIGH,
        "address": "サンプル市みどり町1-2-3",
        "latitude": "35.72",
        "longitude": "139.55",
        "organiser": "みどりの会",
        "phone": "000-000-0001",
        "schedule_rules": inline_formset(
            [
                {
                    "frequency": "weekly",
                    "weekday": "5",
                    "week_of_month": "",
                    "day_of_month": "",
                    "date": "",
                    "start_time": "11:00",
                    "end_time": "13:00",
                }
            ]
        ),
        "holiday_policy": "",
        "booking": "",
        "fee": "",
        "consultation_keywords": "お金、家賃" if kind == Kind.WINDOW else "",
        "last_verified": "2026-11-01",
        "comments": inline_formset([]),
    }
    form = nested_form_data(data)
    form["age_groups"] = ["elementary", "everyone"]
    return form


def index_fields(title: str, slug: str = "") -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>管理画面で作った一覧です。</p>"),
            "comments": inline_formset([]),
        }
    )


def information_fields(title: str, slug: str = "", link_page: Page | None = None) -> dict:
    """An information page with every block; the callout links to ``link_page`` if given."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "管理画面で作ったお知らせ",
            "body": streamfield(
                [
                    ("heading", {"text": "見出し", "level": "h2"}),
                    ("paragraph", rich_text("<p>本文です。</p>")),
                    (
                        "callout",
                        {
                            "style": "consult",
                            "title": "困ったら",
                            "body": rich_text("<p>まず相談を。</p>"),
                            "link_page": link_page.pk if link_page else "",
                            "link_text": "くわしく" if link_page else "",
                        },
                    ),
                ]
            ),
            "yasashii_summary": "",
            "yasashii_body": streamfield([]),
            "comments": inline_formset([]),
        }
    )


def home_fields(title: str, slug: str = "") -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>ようこそ</p>"),
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )


def fields_for(page: Page, title: str, slug: str) -> dict:
    """The edit form of ``page`` filled as it is, with a new title and slug."""
    page = page.specific
    if isinstance(page, ListingPage):
        return listing_fields(title, page.kind, page.location_area, slug)
    if isinstance(page, ListingIndexPage):
        return index_fields(title, slug)
    if isinstance(page, InformationPage):
        return information_fields(title, slug)
    if isinstance(page, HomePage):
        return home_fields(title, slug)
    raise TypeError(type(page))


def add(client, model: type[Page], parent: Page, form: dict, publish: bool = True) -> Page:
    """Post the admin's add form for ``model`` under ``parent``; return the new page."""
    meta = model._meta
    url = reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))
    assert client.get(url).status_code == 200
    if not form.get("slug"):
        form = {**form, "slug": admin_slug(form["title"])}
    if publish:
        form = {**form, "action-publish": "publish"}
    before = set(model.objects.values_list("pk", flat=True))
    _accepted(_post(client, url, form))
    (new_pk,) = set(model.objects.values_list("pk", flat=True)) - before
    return model.objects.get(pk=new_pk)


def edit(client, page: Page, form: dict, publish: bool = True) -> Page:
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert client.get(url).status_code == 200
    if publish:
        form = {**form, "action-publish": "publish"}
    _accepted(_post(client, url, form))
    return page.specific_class.objects.get(pk=page.pk)


def rename(client, page: Page, title: str, slug: str) -> Page:
    """Change the title and the slug in the edit form and publish."""
    return edit(client, page, fields_for(page, title, slug))


def move(client, page: Page, destination: Page) -> Page:
    url = reverse("wagtailadmin_pages:move_confirm", args=(page.pk, destination.pk))
    assert client.get(url).status_code == 200
    _accepted(_post(client, url))
    return page.specific_class.objects.get(pk=page.pk)


def copy(
    client,
    page: Page,
    title: str,
    slug: str,
    parent: Page | None = None,
    *,
    alias: bool = False,
    subpages: bool = False,
) -> Page:
    """The admin's copy form (publish the copy; or an alias that follows the original)."""
    url = reverse("wagtailadmin_pages:copy", args=(page.pk,))
    assert client.get(url).status_code == 200
    parent = parent or page.get_parent()
    form = {
        "new_title": title,
        "new_slug": slug,
        "new_parent_page": parent.pk,
        "publish_copies": "on",
    }
    if alias:
        form["alias"] = "on"
    if subpages:
        form["copy_subpages"] = "on"
    _accepted(_post(client, url, form))
    copied = Page.objects.child_of(parent).get(slug=slug)
    return copied.specific


def unpublish(client, page: Page) -> Page:
    url = reverse("wagtailadmin_pages:unpublish", args=(page.pk,))
    assert client.get(url).status_code == 200
    _accepted(_post(client, url))
    return page.specific_class.objects.get(pk=page.pk)


def republish(client, page: Page) -> Page:
    """Publish again from the edit form, as it is."""
    return edit(client, page, fields_for(page, page.title, page.slug))


def preview(client, page: Page, form: dict) -> str:
    """The admin's preview of ``page`` edited with ``form`` (as its preview panel shows it)."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    state = client.post(url, form)
    assert state.status_code == 200 and state.json()["is_valid"], state.content
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def make_private(client, page: Page, password: str) -> Page:
    url = reverse("wagtailadmin_pages:set_privacy", args=(page.pk,))
    response = _post(client, url, {"restriction_type": "password", "password": password})
    assert response.status_code == 200, response.status_code
    assert page.get_view_restrictions().exists()
    return page
