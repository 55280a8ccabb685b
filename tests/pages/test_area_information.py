"""Information pages tagged with an area appear on that area's page and the areas inside it
(issue 16 item 6), and nowhere else."""

from __future__ import annotations

import pytest

from tests.pages.blocks_sample import blocks_page

pytestmark = pytest.mark.django_db


def test_a_page_tagged_with_a_kenniki_shows_on_it_and_its_districts_only(client, areas):
    page = blocks_page(slug="kita-news")
    page.title = "北部圏域の夏まつり報告"
    page.summary = "地域の皆さんの協力で開かれました。"
    page.areas.set([areas.north])
    page.save_revision().publish()

    for inside in (areas.north, areas.north_a):
        html = client.get(f"/areas/{inside.code}/").content.decode()
        assert "この地域についての情報" in html
        assert page.title in html and page.url in html
        assert "地域の皆さんの協力で開かれました。" in html
    for outside in (areas.south, areas.city):
        assert page.title not in client.get(f"/areas/{outside.code}/").content.decode()


def test_an_unpublished_or_private_page_does_not_show(client, areas):
    from wagtail.models import PageViewRestriction

    page = blocks_page(slug="private-news")
    page.title = "職員だけの情報"
    page.areas.set([areas.north])
    page.save_revision().publish()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert page.title not in client.get(f"/areas/{areas.north.code}/").content.decode()
    page.unpublish()
    assert page.title not in client.get(f"/areas/{areas.north.code}/").content.decode()
