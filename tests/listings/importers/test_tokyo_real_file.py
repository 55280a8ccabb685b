"""The real Tokyo 子ども食堂一覧 file (798 rows, 30 municipalities, CC BY 4.0) loads completely.

The file lives beside the project in ``../shared/data/tokyo-kodomo-shokudo/`` (CI clones the
repository with ``shared/`` next to it); it is read there and never copied into the project.
One test on purpose: importing ~770 Wagtail pages is the slow part (about two minutes on
SQLite), so it is done once and everything is checked against that import.
"""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Revision

from listings.importers.tokyo_kodomo_shokudo import import_file
from listings.models import Area, ListingPage
from listings.schedules import Rule, rule_may_occur_on, rule_occurs_on
from listings.vocabulary import Kind, Tier

REAL_FILE = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "data"
    / "tokyo-kodomo-shokudo"
    / "kodomo_shokudo.csv"
)
ROWS = 798
NISHITOKYO = "132292"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REAL_FILE.exists(), reason=f"the real open-data file is not there: {REAL_FILE}"
    ),
]


def third_saturday(after: datetime.date) -> datetime.date:
    first = (after.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    first_saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7)
    return first_saturday + datetime.timedelta(days=14)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6_371_000 * 2 * math.asin(math.sqrt(a))


def test_real_file_loads_completely_and_is_searchable(client):
    result = import_file(REAL_FILE)

    # Every row accounted for: a listing, a duplicate of another row, or skipped with a reason.
    assert result.ok, result.errors
    total = result.total()
    assert total.rows == ROWS
    assert total.imported + len(total.duplicates) + len(total.skipped) == ROWS
    assert total.created == ListingPage.objects.count() == total.imported
    assert all(note.message for note in total.skipped + total.duplicates)
    assert total.schedules_parsed > 50
    assert total.schedules_weekday > 100  # 開催曜日「土」 with a bare code, 月1回 土曜日 …
    assert (
        total.schedules_parsed
        + total.schedules_weekday
        + total.schedules_text
        + total.schedules_none
        == total.imported
    )
    assert "曜日のみ（日程要確認）" in "\n".join(result.report_lines())
    assert total.without_coordinates > 100
    assert len(result.cities) >= 30
    assert all(Area.objects.get(code=code).tier == Tier.CITY for code in result.cities if code)

    # The 26 rows of 西東京市's own list are listings under their city.
    nishitokyo = Area.objects.get(code=NISHITOKYO)
    assert nishitokyo.name == "西東京市"
    own = ListingPage.objects.filter(source_municipality="西東京市")
    assert own.count() == 26
    assert set(own.values_list("location_area__code", flat=True)) == {NISHITOKYO}
    assert all(p.kind == Kind.KODOMO_SHOKUDO and p.live for p in own)
    in_city = ListingPage.objects.filter(location_area=nishitokyo)
    assert result.cities[NISHITOKYO].imported == in_city.count() >= 26

    # Importing the same file again changes nothing.
    revision_count = Revision.objects.count()
    again = import_file(REAL_FILE)
    again_total = again.total()
    assert (again_total.created, again_total.updated) == (0, 0)
    assert again_total.unchanged == total.imported
    assert Revision.objects.count() == revision_count

    # The JSON API answers on the imported data.
    def api(**params) -> dict:
        response = client.get("/api/v1/listings/", {"page_size": 100, **params})
        assert response.status_code == 200, response.content
        return response.json()

    found = api(q="子ども食堂")
    assert found["count"] > 0

    by_area = api(area=NISHITOKYO)
    assert by_area["count"] == in_city.count()
    assert {r["area"]["code"] for r in by_area["results"]} == {NISHITOKYO}
    assert set(own.values_list("external_id", flat=True)) <= {
        r["external_id"] for r in by_area["results"]
    }

    # A Saturday: the sure matches first, then the ones that may be open (要確認), each marked.
    saturday = third_saturday(datetime.date.today())
    open_then = api(open_on=saturday.isoformat())
    results = open_then["results"] + api(open_on=saturday.isoformat(), page=2)["results"]
    assert open_then["count"] == len(results)
    marks = [r["open_on_match"] for r in results]
    assert marks == sorted(marks, key=lambda m: m != "sure")  # sure, …, maybe, …
    assert 5 < marks.count("sure") < marks.count("maybe")
    assert 60 <= open_then["count"] <= 160
    for item in results:
        rules = [
            Rule.from_model(r) for r in ListingPage.objects.get(pk=item["id"]).schedule_rules.all()
        ]
        sure = any(rule_occurs_on(rule, saturday) for rule in rules)
        assert sure == (item["open_on_match"] == "sure")
        if not sure:
            assert any(rule_may_occur_on(rule, saturday) for rule in rules)
    # Judged from the rows: every listing whose 開催曜日 names Saturday (土), with no week of
    # the month (第n, 最終) that could rule this Saturday out and no word that it has stopped,
    # is among them.
    returned = {r["external_id"] for r in results}
    saturday_rows = [
        p
        for p in ListingPage.objects.all()
        if re.search(r"開催曜日：[^\n]*土", p.schedule_text)
        and not re.search(r"第|最終|休止|休業|中止|終了|不定期|非公開", p.schedule_text)
    ]
    assert len(saturday_rows) > 30
    missing = [p.schedule_text for p in saturday_rows if p.external_id not in returned]
    assert not missing

    centre = own.exclude(latitude=None).order_by("external_id").first()
    near = api(near=f"{centre.latitude},{centre.longitude}", radius=2000)
    assert near["count"] > 0
    distances = [r["distance_m"] for r in near["results"]]
    assert distances == sorted(distances)
    assert all(d is not None and d <= 2000 for d in distances)
    assert centre.external_id in {r["external_id"] for r in near["results"]}
    for item in near["results"]:
        expected = distance_m(
            centre.latitude, centre.longitude, item["latitude"], item["longitude"]
        )
        assert abs(item["distance_m"] - expected) < 50
