"""RSS/Atom (parsed with feedparser), iCalendar (parsed with icalendar), sitemap.xml, robots.txt
and the <link rel="alternate"> in the head."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar

from listings.vocabulary import Age
from news.models import NoticeLevel, SiteNotice
from tests.news.factories import make_event, make_news

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def parse_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def parse_ics(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_of(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


@pytest.mark.parametrize(
    "url, version", [("/feeds/news/", "rss20"), ("/feeds/news/atom/", "atom10")]
)
def test_news_feed_newest_first_with_active_notices(client, areas, url, version):
    make_news("古いお知らせ", days(-9))
    newest = make_news("新しいお知らせ", days(-1), categories=["parenting"])
    SiteNotice.objects.create(
        level=NoticeLevel.EMERGENCY, title="避難所の開設", message="開設しました"
    )
    SiteNotice.objects.create(
        level=NoticeLevel.INFO,
        title="まだのお知らせ",
        message="x",
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    feed = parse_feed(client, url)
    assert feed.version == version
    titles = [e.title for e in feed.entries]
    assert titles == ["【緊急】避難所の開設", "新しいお知らせ", "古いお知らせ"]
    news_entry = feed.entries[1]
    assert news_entry.link.endswith(newest.url)
    assert "子育て中の方へ" in [t.term for t in news_entry.tags]


@pytest.mark.parametrize("atom", [False, True])
def test_listings_feed_overall_per_area_per_kind(client, city, atom):
    kitchen = city.kitchen()
    south = city.aoba_salon()
    window = city.onestop_window()
    base = "/feeds/listings/atom/" if atom else "/feeds/listings/"

    everything = parse_feed(client, base)
    assert {kitchen.title, south.title, window.title} <= {
        e.title.rsplit("（", 1)[0] for e in everything.entries
    }
    # Newest change first.
    kitchen.save_revision().publish()
    assert parse_feed(client, base).entries[0].title.startswith(kitchen.title)

    north = {e.title.rsplit("（", 1)[0] for e in parse_feed(client, f"{base}?area=north-a").entries}
    assert kitchen.title in north and south.title not in north
    kitchens = parse_feed(client, f"{base}?kind=子ども食堂").entries
    assert {e.title.rsplit("（", 1)[0] for e in kitchens} == {kitchen.title}


@pytest.mark.parametrize("query, field", [("area=nowhere", "area"), ("kind=spaceship", "kind")])
def test_listings_feed_bad_input_is_a_400(client, areas, query, field):
    response = client.get(f"/feeds/listings/?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")


def test_event_ics_has_each_date_in_tokyo_time(client, areas):
    event = make_event("認知症サポーター養成講座", [days(3), days(10)], start="14:00", end="15:30")
    cal = parse_ics(client, f"/calendar/events/{event.pk}.ics")
    vevents = events_of(cal)
    assert [e.decoded("dtstart").date() for e in vevents] == [days(3), days(10)]
    first = vevents[0]
    assert str(first["summary"]) == "認知症サポーター養成講座"
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert (start.hour, start.minute, end.hour, end.minute) == (14, 0, 15, 30)
    assert start.utcoffset() == datetime.timedelta(hours=9)
    assert str(first["url"]).endswith(event.url)
    assert len({str(e["uid"]) for e in vevents}) == 2
    # The page links to it.
    assert f"/calendar/events/{event.pk}.ics" in client.get(event.url).content.decode()


def test_listing_ics_follows_its_schedule(client, city):
    kitchen = city.kitchen()  # 第2・第4土曜 11:00–13:00
    cal = parse_ics(client, f"/calendar/listings/{kitchen.pk}.ics")
    vevents = events_of(cal)
    assert len(vevents) >= 10
    for vevent in vevents:
        start = vevent.decoded("dtstart")
        assert start.weekday() == 5 and (start.day - 1) // 7 + 1 in (2, 4)
        assert (start.hour, start.minute) == (11, 0)
    assert f"/calendar/listings/{kitchen.pk}.ics" in client.get(kitchen.url).content.decode()


def test_filtered_calendar_ics(client, city):
    city.kitchen()
    make_event("高齢者向け講座", [days(1)], area=city.areas.north_a, ages=[Age.SENIOR])
    make_event("南部の講座", [days(1)], area=city.areas.south_a, ages=[Age.SENIOR])
    summaries = {
        str(e["summary"]) for e in events_of(parse_ics(client, "/calendar.ics?area=north-a"))
    }
    assert "高齢者向け講座" in summaries and "みどり子ども食堂" in summaries
    assert "南部の講座" not in summaries
    seniors = events_of(parse_ics(client, "/calendar.ics?area=north-a&age=senior"))
    assert {str(e["summary"]) for e in seniors} == {"高齢者向け講座"}


def test_sitemap_and_robots(client, city):
    news = make_news("お知らせ一件", days(-1))
    event = make_event("講座一件", [days(2)])
    listing = city.kitchen()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text for el in ET.fromstring(response.content).findall("s:url/s:loc", ns)]
    for path in (news.url, event.url, listing.url, "/areas/north-a/", "/calendar/"):
        assert any(loc.endswith(path) for loc in locs), path

    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text
    # The submission form is findable; private status links and the concern form are not crawled.
    assert "Disallow: /submit/\n" not in text and "Disallow: /submit/status/" in text
    assert "Disallow: /concern/" in text


def test_every_page_links_its_feeds_in_the_head(client, areas):
    for url in ("/", "/areas/north/", "/calendar/"):
        head = client.get(url).content.decode().split("</head>")[0]
        assert 'rel="alternate" type="application/rss+xml"' in head, url
        assert 'href="/feeds/news/"' in head and 'href="/feeds/listings/atom/"' in head, url
    head = client.get("/calendar/?area=north").content.decode().split("</head>")[0]
    assert 'type="text/calendar"' in head and "/calendar.ics?area=north" in head
