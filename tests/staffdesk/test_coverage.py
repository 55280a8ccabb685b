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
