"""Structured data, Open Graph, the share links and the printable flyer with its QR code."""

from __future__ import annotations

import json
import re

import pytest

from tests.pages.test_public_pages import sample  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_each_kind_has_fitting_schema_org_data(client, sample):  # noqa: F811
    window = json_ld(client.get(sample.window.url).content.decode())
    assert window["@context"] == "https://schema.org"
    assert window["@type"] == "GovernmentService"
    assert window["name"] == sample.window.title
    assert window["url"] == f"http://testserver{sample.window.url}"

    ibasho = json_ld(client.get(sample.ibasho.url).content.decode())
    assert ibasho["@type"] == "Place"

    shokudo = json_ld(client.get(sample.shokudo.url).content.decode())
    assert shokudo["@type"] in {"Event", "Place"}
    if shokudo["@type"] == "Event":
        assert shokudo["startDate"].startswith("20")
        assert shokudo["location"]["@type"] == "Place"


def test_json_ld_cannot_close_its_script(client, sample):  # noqa: F811
    sample.ibasho.title = "</script><script>alert(1)</script>"
    sample.ibasho.save_revision().publish()
    html = client.get(sample.ibasho.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_open_graph_and_share_links(client, sample):  # noqa: F811
    html = client.get(sample.ibasho.url).content.decode()
    assert f'<meta property="og:title" content="{sample.ibasho.title}">' in html
    assert f'<meta property="og:url" content="http://testserver{sample.ibasho.url}">' in html
    assert f'href="/listings/{sample.ibasho.slug}/flyer/"' in html
    assert "https://line.me/R/share?text=" in html
    assert f'readonly value="http://testserver{sample.ibasho.url}"' in html


def test_flyer_has_an_svg_qr_code_to_the_page(client, sample):  # noqa: F811
    response = client.get(f"/listings/{sample.shokudo.slug}/flyer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert f"http://testserver{sample.shokudo.url}" in html
    assert sample.shokudo.title in html
    assert client.get("/listings/no-such-listing/flyer/").status_code == 404


def test_only_the_new_activity_form_is_indexable(client, sample):  # noqa: F811
    """/submit/ is how a group finds the portal (indexed, with a description); the forms to change
    one listing are thin copies and stay out of search engines."""
    html = client.get("/submit/").content.decode()
    assert 'name="robots"' not in html
    assert '<meta name="description" content="子ども食堂、サロン' in html
    html = client.get(f"/submit/listing/{sample.ibasho.pk}/").content.decode()
    assert '<meta name="robots" content="noindex">' in html
