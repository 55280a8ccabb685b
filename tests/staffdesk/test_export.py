"""CSV export from the admin: all or filtered listings, UTF-8 with BOM for Excel, and a 400
naming the field for a bad filter."""

from __future__ import annotations

import csv
import io
import json

import pytest

from listings.importers.contract import import_listings
from listings.vocabulary import Kind

pytestmark = pytest.mark.django_db

URL = "/admin/staff/export/"


@pytest.fixture
def three(areas):
    from tests.listings.importers.test_contract import DATA

    assert import_listings(DATA / "listings.csv").ok


def rows(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_export_all_and_filtered(client, importer, three):
    client.force_login(importer)
    page = client.get(URL)
    assert page.status_code == 200 and "書き出す" in page.content.decode()
    everything = client.get(URL, {"download": "1"})
    assert everything["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment; filename=" in everything["Content-Disposition"]
    assert sorted(row["ID"] for row in rows(everything)) == ["I-001", "K-001", "W-001"]
    kitchens = rows(client.get(URL, {"download": "1", "kind": Kind.KODOMO_SHOKUDO}))
    assert kitchens and all(row["区分"] == Kind.KODOMO_SHOKUDO for row in kitchens)
    assert len(kitchens) < 3


def test_export_by_area(client, importer, three, areas):
    client.force_login(importer)
    inside = rows(client.get(URL, {"download": "1", "area": areas.south.code}))
    south = {areas.south.code, areas.south_a.code, areas.south_a_1.code}
    assert all(row["地区コード"] in south for row in inside)


def test_bad_filter_is_a_400_naming_the_field(client, importer):
    client.force_login(importer)
    response = client.get(URL, {"download": "1", "kind": "castle"})
    assert response.status_code == 400
    assert "区分" in response.content.decode()
    assert client.get(URL, {"download": "1", "area": "nowhere"}).status_code == 400


def test_export_as_hsds_validates_against_the_official_schema(client, importer, three):
    from tests.listings.test_hsds import SCHEMAS, errors_of

    client.force_login(importer)
    response = client.get(URL, {"download": "1", "format": "hsds"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    body = response.content.decode("utf-8")
    assert not body.startswith("\ufeff")  # JSON takes no BOM
    data = json.loads(body)
    assert data["total_items"] == 3 and len(data["contents"]) == 3
    if SCHEMAS.exists():
        assert errors_of(data["contents"][0]) == []
