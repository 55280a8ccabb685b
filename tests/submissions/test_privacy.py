"""The submitter's own name and contact never reach any public output: the listing page and the
lists, the API, the CSV export, the search index, the page's revisions, the status page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Revision

from listings.models import ListingPage
from submissions.models import Submission

from .helpers import SUBMITTER_EMAIL, SUBMITTER_NAME, SUBMITTER_PHONE, URL, valid_post

pytestmark = pytest.mark.django_db

PRIVATE = (SUBMITTER_NAME, SUBMITTER_EMAIL, SUBMITTER_PHONE, "hanako-private-contact", "山田花子")


def assert_private_absent(text: str, where: str) -> None:
    for secret in PRIVATE:
        assert secret not in text, f"{secret!r} leaked into {where}"


@pytest.fixture
def published(client, areas, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post(areas))
    submission = Submission.objects.get()
    page = ListingPage.objects.get(pk=submission.page_id)
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    return page, response["Location"]


def test_private_contact_never_appears_in_public_output(client, areas, published):
    page, status_location = published
    public_pages = [
        page.url,
        "/",
        "/listings/",
        "/listings/?kind=kodomo_shokudo",
        f"/areas/{areas.north_a_1.code}/",
        "/search/?q=ひまわり",
        status_location,
    ]
    for path in public_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_private_absent(response.content.decode(), path)
    # The public contact the group chose to publish is there.
    listing_html = client.get(page.url).content.decode()
    assert "042-555-0101" in listing_html and "himawari@example.jp" in listing_html

    for query in ("ひまわり", SUBMITTER_NAME, SUBMITTER_EMAIL, "090-9876-5432"):
        api = client.get("/api/v1/listings/", {"q": query})
        assert api.status_code == 200
        assert_private_absent(api.content.decode(), f"API q={query}")
    assert client.get("/api/v1/listings/", {"q": SUBMITTER_NAME}).json()["count"] == 0

    out = io.StringIO()
    call_command("export_listings", stdout=out, stderr=io.StringIO())
    csv_text = out.getvalue()
    assert "ひまわり子ども食堂" in csv_text
    assert_private_absent(csv_text, "export_listings CSV")

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # (search_searchquerylog holds what this test itself typed into the API above.)
            if table.startswith(("search_", "wagtailsearch_")) and "querylog" not in table:
                cursor.execute(f'SELECT * FROM "{table}"')
                assert_private_absent(repr(cursor.fetchall()), table)

    for revision in Revision.objects.filter(object_id=str(page.pk)):
        assert_private_absent(repr(revision.content), f"revision {revision.pk}")
    assert_private_absent(repr(page.__dict__), "the ListingPage row")
