"""Coverage: live listings per 圏域 and 地区 by kind and age group, empty cells marked, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from listings.vocabulary import Age, Kind
from staffdesk import selectors
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

URL = "/admin/staff/coverage/"


@pytest.fixture
def placed(areas):
    make_listing(kind=Kind.KODOMO_SHOKUDO, area=areas.north_a_1, ages=(Age.ELEMENTARY,))
    make_listing(kind=Kind.IBASHO, area=areas.north_a, ages=(Age.EVERYONE,))
    make_listing(kind=Kind.IBASHO, area=areas.south_a_1, ages=(Age.SENIOR,), publish=False)
    return areas


def row_of(rows, code):
    return next(row for row in rows if row.area.code == code)


def test_counts_by_place_kind_and_age(placed):
    rows = selectors.coverage()
    codes = [row.area.code for row in rows]
    assert codes.index(placed.north.code) < codes.index(placed.north_a.code)  # tree order
    assert placed.city.code not in codes and placed.north_a_1.code not in codes
    north = row_of(rows, placed.north.code)
    kinds = list(Kind.values)
    ages = [str(age) for age in selectors.COVERAGE_AGES]
    assert north.total == 2 and north.depth == 0
    assert north.kinds[kinds.index(Kind.KODOMO_SHOKUDO)] == 1
    assert north.kinds[kinds.index(Kind.WINDOW)] == 0
    # 「どなたでも」 counts for every age; the elementary kitchen adds one.
    assert north.ages[ages.index(Age.ELEMENTARY)] == 2
    assert north.ages[ages.index(Age.SENIOR)] == 1
    south = row_of(rows, placed.south.code)
    assert south.total == 0  # the unpublished one does not count


def test_the_report_marks_empty_cells_and_exports_csv(client, planner, placed):
    client.force_login(planner)
    html = client.get(URL).content.decode()
    assert f'data-area="{placed.south.code}"' in html
    assert "data-empty" in html and "（なし）" in html
    export = client.get(URL, {"format": "csv"})
    body = export.content.decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body[1:])))
    assert table[0][:4] == ["地域コード", "地域", "階層", "合計"]
    south = next(line for line in table if line[0] == placed.south.code)
    assert south[3] == "0"
    assert client.get(URL, {"format": "xlsx"}).status_code == 400


def test_only_permitted_staff(client, editor):
    client.force_login(editor)
    assert client.get(URL)["Location"] == "/admin/"


def test_map_points_come_from_the_area_or_the_mean_of_its_listings(areas):
    make_listing(area=areas.north_a_1, latitude=35.70, longitude=139.50)
    make_listing(area=areas.north_a, latitude=35.72, longitude=139.54)
    make_listing(area=areas.north_a, publish=False, latitude=10.0, longitude=10.0)
    areas.south.latitude, areas.south.longitude = 35.60, 139.60
    areas.south.save()
    rows = selectors.coverage()
    north = row_of(rows, areas.north.code)
    assert north.point_from == "listings"
    assert north.point == pytest.approx((35.71, 139.52))  # live listings only
    south = row_of(rows, areas.south.code)  # empty, but it has its own point
    assert (south.point, south.point_from, south.total) == ((35.60, 139.60), "area", 0)
    assert row_of(rows, areas.north_b.code).point is None  # nothing to place it by


def test_the_report_gives_the_map_its_points(client, planner, areas):
    make_listing(area=areas.north_a_1, latitude=35.70, longitude=139.50)
    client.force_login(planner)
    html = client.get(URL).content.decode()
    assert "data-coverage-map" in html
    assert 'data-lat="35.700000" data-lng="139.500000" data-point-from="listings"' in html
    # The areas the map cannot show are named under it.
    assert "位置がわからず地図に出ない地域" in html and areas.south.name in html
