"""News and events: newest news first, upcoming events soonest first, the calendar (month and
list, filtered by area and audience, with listings' dates), on the home and area pages."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone

from listings.vocabulary import Age
from news.selectors import calendar_entries, latest_news, upcoming_events
from tests.news.factories import make_event, make_news

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_news_newest_first_on_the_index_and_home(client, areas):
    old = make_news("古いお知らせ", days(-30), categories=["senior"])
    new = make_news("新しいお知らせ", days(-1), categories=["volunteer"])
    middle = make_news("中ごろのお知らせ", days(-10))
    assert [p.pk for p in latest_news()] == [new.pk, middle.pk, old.pk]

    index = client.get("/news/").content.decode()
    assert (
        index.index("新しいお知らせ")
        < index.index("中ごろのお知らせ")
        < index.index("古いお知らせ")
    )
    home = client.get("/").content.decode()
    assert home.index("新しいお知らせ") < home.index("古いお知らせ")

    filtered = client.get("/news/?category=senior").content.decode()
    assert "古いお知らせ" in filtered and "新しいお知らせ" not in filtered


def test_news_page_has_date_and_news_article_json_ld(client, areas):
    page = make_news("夏のボランティア募集", days(-2), summary="募集します")
    html = client.get(page.url).content.decode()
    assert f'datetime="{days(-2):%Y-%m-%d}"' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "夏のボランティア募集"
    assert data["datePublished"] == days(-2).isoformat()


def test_upcoming_events_soonest_first_past_ones_left_out(client, areas):
    later = make_event("後の講座", [days(20)])
    past = make_event("終わった講座", [days(-3)])
    soon = make_event("次の講座", [days(-7), days(2)])
    found = upcoming_events()
    assert [u.event.pk for u in found] == [soon.pk, later.pk]
    assert found[0].next_date.date == days(2)
    assert past.pk not in [u.event.pk for u in found]

    html = client.get("/events/").content.decode()
    assert html.index("次の講座") < html.index("後の講座")
    assert "終わった講座" not in html
    home = client.get("/").content.decode()
    assert "次の講座" in home and "終わった講座" not in home


def test_event_page_shows_what_residents_need_and_event_json_ld(client, areas):
    event = make_event(
        "認知症サポーター養成講座", [days(5), days(12)], area=areas.north, ages=[Age.SENIOR]
    )
    html = client.get(event.url).content.decode()
    for text in ("地域センター", "20人", "電話で申し込み", "北部圏域", "高齢者"):
        assert text in html, text
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert [d["@type"] for d in data] == ["Event", "Event"]
    assert data[0]["startDate"].startswith(f"{days(5):%Y-%m-%d}T14:00:00")
    assert data[0]["location"]["name"] == "地域センター"


def test_area_page_shows_its_events_and_news(client, areas):
    make_event("北部の講座", [days(3)], area=areas.north_a)
    make_event("南部の講座", [days(3)], area=areas.south)
    make_event("市全体の講座", [days(4)], area=areas.city)
    make_news("北部のお知らせ", days(-1), area=areas.north)
    html = client.get(f"/areas/{areas.north_a.code}/").content.decode()
    assert "北部の講座" in html and "市全体の講座" in html and "北部のお知らせ" in html
    assert "南部の講座" not in html


def test_calendar_has_events_and_listing_dates_filtered_by_area_and_age(client, city):
    kitchen = city.kitchen()  # north 圏域, 第2・第4土曜, elementary
    north = make_event("北部の講座", [days(1)], area=city.areas.north_a, ages=[Age.SENIOR])
    make_event("南部の講座", [days(1)], area=city.areas.south_a, ages=[Age.ELEMENTARY])
    start, end = TODAY, days(40)

    everything = calendar_entries(start, end)
    titles = {e.title for e in everything}
    assert {"北部の講座", "南部の講座", kitchen.title} <= titles
    assert [e.sort_key for e in everything] == sorted(e.sort_key for e in everything)
    kitchen_days = [e.date for e in everything if e.title == kitchen.title]
    assert kitchen_days and all(d.weekday() == 5 for d in kitchen_days)

    in_north = {e.title for e in calendar_entries(start, end, area=city.areas.north_a)}
    assert "北部の講座" in in_north and kitchen.title in in_north and "南部の講座" not in in_north
    for_seniors = {e.title for e in calendar_entries(start, end, age=Age.SENIOR)}
    assert for_seniors == {"北部の講座"}

    month = client.get(f"/calendar/?month={days(1):%Y-%m}&area=north-a")
    assert month.status_code == 200
    html = month.content.decode()
    assert "<table" in html and f"#d-{days(1):%Y-%m-%d}" in html
    listing = client.get(f"/calendar/?view=list&month={days(1):%Y-%m}&area=north-a")
    html = listing.content.decode()
    assert north.url in html and "南部の講座" not in html
    assert f'id="d-{days(1):%Y-%m-%d}"' in html


@pytest.mark.parametrize(
    "query, field",
    [
        ("view=grid", "view"),
        ("month=2026-13", "month"),
        ("month=1999-01", "month"),
        ("area=nowhere", "area"),
        ("age=martian", "age"),
    ],
)
def test_calendar_bad_input_is_a_400_naming_the_field(client, areas, query, field):
    for path in ("/calendar/", "/calendar.ics"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.content.decode().startswith(f"{field}:")


def test_calendar_month_links_stay_within_bounds(client, areas):
    far = (TODAY.replace(day=1) + datetime.timedelta(days=366)).strftime("%Y-%m")
    html = client.get(f"/calendar/?month={far}").content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' in html
