"""search.presenters: the search page built from parameters, results and areas alone — no
request and no database (pytest-django refuses a query here: none of these tests has db)."""

from __future__ import annotations

from django.http import QueryDict

from listings.models import Area
from listings.vocabulary import Kind, Tier
from search.contract import SORT_DISTANCE, Hit, SearchParams, SearchResult
from search.params import ParamError
from search.presenters import (
    Selection,
    active_filters,
    page_context,
    radius_options,
    sort_note,
    suggestions,
)


def tree() -> list[Area]:
    """city → 北部圏域 → みどり・ひかり小地区, unsaved (ids set by hand)."""
    city = Area(pk=1, code="city", name="サンプル市", tier=Tier.CITY, path="/city/")
    north = Area(
        pk=2, code="north", name="北部圏域", tier=Tier.JUNIOR_HIGH, parent_id=1, path="/city/north/"
    )
    a = Area(
        pk=3,
        code="north-a",
        name="みどり小地区",
        tier=Tier.ELEMENTARY,
        parent_id=2,
        path="/city/north/north-a/",
        latitude=35.726,
        longitude=139.551,
    )
    b = Area(
        pk=4,
        code="north-b",
        name="ひかり小地区",
        tier=Tier.ELEMENTARY,
        parent_id=2,
        path="/city/north/north-b/",
    )
    return [city, north, a, b]


def test_a_result_page_with_counts_links_and_paging():
    params = SearchParams(q="食堂", kinds=(Kind.KODOMO_SHOKUDO,), areas=("north-a",), page=2)
    result = SearchResult(
        count=25,
        hits=[Hit(1)],
        facets={"kind": {Kind.KODOMO_SHOKUDO: 25, Kind.WINDOW: 3}, "area": {"north-a": 25}},
    )
    context = page_context(QueryDict(""), params, result, [], [], tree())

    kinds = {o.value: (o.count, o.checked) for o in context["facet_groups"][0].options}
    assert kinds == {Kind.KODOMO_SHOKUDO: (25, True), Kind.WINDOW: (3, False)}
    assert context["page_obj"].number == 2 and not context["out_of_range"]
    assert context["area_filter_active"] is True
    assert context["suggestions"] is None
    labels = [f.label for f in context["active_filters"]]
    assert labels == ["種類：子ども食堂", "地域：みどり小地区"]
    assert context["active_filters"][1].url == "/search/?q=%E9%A3%9F%E5%A0%82&kind=kodomo_shokudo"
    assert context["clear_url"] == "/search/?q=%E9%A3%9F%E5%A0%82"


def test_an_invalid_request_keeps_what_could_be_read_and_names_the_bad_control():
    data = QueryDict("q=カフェ&kind=子ども食堂&kind=nonsense&open_on=2026-13-45")
    errors = [ParamError("open_on", "日付が正しくありません。")]
    context = page_context(data, None, None, [], errors, tree())

    assert context["selection"].kind == [Kind.KODOMO_SHOKUDO]
    assert context["query"] == "カフェ"
    assert context["error_for"]["open_on"].startswith("「2026-13-45」は日付として読めません。")
    assert context["errors"][0].control_id == "filter-open-on"
    # No counts on the error page, and every fixed value is offered.
    kinds = context["facet_groups"][0].options
    assert {o.value for o in kinds} == set(Kind.values)
    assert all(o.count is None for o in kinds)
    assert context["page_obj"] is None and context["suggestions"] is None


def test_no_results_suggests_the_wider_area_its_neighbours_and_a_window():
    selection = Selection(q="サロン", area=["north-a"])
    areas = tree()
    found = suggestions(selection, {a.code: a for a in areas}, areas)

    assert [link.label for link in found.wider] == ["北部圏域（概ね中学校区）"]
    assert found.wider[0].url == "/search/?q=%E3%82%B5%E3%83%AD%E3%83%B3&area=north"
    assert [link.label for link in found.nearby] == ["ひかり小地区"]
    assert found.drop_query == "/search/?area=north-a"
    assert found.windows_for_query == "/search/?q=%E3%82%B5%E3%83%AD%E3%83%B3&kind=window"


def test_a_point_from_an_area_is_named_and_an_unlisted_radius_is_kept():
    areas = tree()
    selection = Selection(near="35.726,139.551", radius="1500")
    labels = [f.label for f in active_filters(selection, {a.code: a for a in areas})]
    assert labels == ["場所：みどり小地区", "1.5km以内"]

    options = radius_options(selection)
    assert [o.value for o in options] == ["500", "1000", "2000", "5000", "1500"]
    assert [o.value for o in options if o.checked] == ["1500"]


def test_sort_note_says_why_the_order_differs_from_the_one_asked_for():
    assert sort_note(SearchParams(q="カフェ")) == ""
    assert "場所を選んでください" in sort_note(SearchParams(sort=SORT_DISTANCE))
    assert "近い順" in sort_note(SearchParams(near=(35.7, 139.5)))
