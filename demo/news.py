"""The sample city's news, events and one お知らせ notice (fictional sample content).

Made once: a page or notice that already exists (matched by slug / title) is left as it is, so a
second ``load_demo`` changes nothing. Event dates are counted from the day of the first load.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from listings.models import AgeGroup, Area
from news.models import (
    EventDate,
    EventIndexPage,
    EventPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NoticeLevel,
    SiteNotice,
)
from pages.models import ContactCard, HomePage

NEWS_INDEX = {
    "slug": "news",
    "title": "お知らせ",
    "intro": "市と地域からのお知らせです（サンプル）。",
}
EVENT_INDEX = {
    "slug": "events",
    "title": "イベント・講座",
    "intro": "地域のイベント、講座、出前講座の予定です（サンプル）。",
}

# (slug, title, days before today, categories, area code or None, summary, paragraph)
NEWS = [
    (
        "summer-volunteer",
        "夏休みボランティア体験の参加者を募集します",
        2,
        ["volunteer", "youth"],
        None,
        "中学生・高校生・大学生のボランティア体験の参加者を募集します（サンプル）。",
        "居場所や子ども食堂で、配膳や子どもの遊び相手をする体験です。",
    ),
    (
        "salon-guide",
        "高齢の方向けサロンの一覧を更新しました",
        9,
        ["senior"],
        "ne",
        "北東部圏域のサロンの開催日を更新しました（サンプル）。",
        "開催日は各サロンのページとカレンダーでご覧いただけます。",
    ),
    (
        "kosodate-hiroba",
        "子育てひろばの開催時間が変わります",
        20,
        ["parenting"],
        "ce-01",
        "来月から、あおば子育てひろばの開催時間が変わります（サンプル）。",
        "午前の部は10時から、午後の部は14時からになります。",
    ),
]

# (slug, title, type, days from today, start, end, area, ages, categories, place, summary)
EVENTS = [
    (
        "ninchisho-koza",
        "認知症サポーター養成講座",
        "lecture",
        [6, 13],
        "14:00",
        "15:30",
        "ne",
        ["adult", "senior"],
        ["senior", "volunteer"],
        "北東部地域センター 会議室",
        "認知症の方と家族を地域で見守るための基礎を学ぶ講座です（サンプル）。",
    ),
    (
        "oyako-cooking",
        "親子でつくる子ども食堂クッキング",
        "event",
        [10],
        "10:00",
        "13:00",
        "ce-01",
        ["infant", "elementary"],
        ["parenting"],
        "あおば地区会館 調理室",
        "子ども食堂のボランティアと一緒に昼ごはんをつくります（サンプル）。",
    ),
    (
        "demae-bousai",
        "出前講座「地域でそなえる防災」",
        "outreach",
        [17],
        "19:00",
        "20:30",
        None,
        ["everyone"],
        ["organisations"],
        "ご希望の会場（市内）",
        "自治会や団体の集まりに市の職員がうかがいます（サンプル）。",
    ),
]

NOTICE = {
    "title": "年末年始の窓口の休み（サンプル）",
    "message": "12月29日から1月3日まで、市の相談窓口はお休みです。"
    "急ぎの相談は各窓口のページをご覧ください。",
}


CONTACT = {
    "name": "地域福祉課 地域支援係（サンプル）",
    "phone": "000-000-0000",
    "email": "chiiki@example.jp",
    "hours": "平日 8時30分〜17時15分",
    "address": "サンプル市役所 2階",
}


def _event_body(slug: str, area: Area | None) -> list[dict]:
    """The richer blocks on the sample events: FAQ, steps, a contact card, listings nearby."""
    card, _ = ContactCard.objects.get_or_create(name=CONTACT["name"], defaults=CONTACT)
    body: list[dict] = [
        {
            "type": "steps",
            "value": {
                "heading": "参加までの流れ",
                "steps": [
                    {
                        "title": "電話かメールで申し込む",
                        "body": "<p>定員になりしだい締め切ります。</p>",
                    },
                    {"title": "当日、会場へ", "body": "<p>受付で名前をお伝えください。</p>"},
                ],
            },
        },
        {
            "type": "faq",
            "value": {
                "heading": "よくある質問",
                "items": [
                    {
                        "question": "ひとりで参加できますか",
                        "answer": "<p>はい、どなたでもどうぞ。</p>",
                    },
                    {
                        "question": "持ち物はありますか",
                        "answer": "<p>筆記用具をお持ちください。</p>",
                    },
                ],
            },
        },
        {"type": "contact_card", "value": {"card": card.pk}},
    ]
    if area is not None:
        body.append(
            {
                "type": "listing_query",
                "value": {
                    "heading": "この地域の居場所・子ども食堂",
                    "kind": "",
                    "area": area.pk,
                    "age": "",
                    "topic": "",
                    "limit": 6,
                },
            }
        )
    return body


@dataclass
class NewsCounts:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _index(home: HomePage, model, spec: dict, counts: NewsCounts):
    found = model.objects.child_of(home).filter(slug=spec["slug"]).first()
    if found:
        counts.unchanged.append(spec["slug"])
        return found
    page = model(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    home.add_child(instance=page)
    page.save_revision().publish()
    counts.created.append(spec["slug"])
    return page


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def load_news(home: HomePage, today: datetime.date | None = None) -> NewsCounts:
    today = today or timezone.localdate()
    counts = NewsCounts()
    categories = {c.slug: c for c in NewsCategory.objects.all()}
    areas = {a.code: a for a in Area.objects.all()}

    news_index = _index(home, NewsIndexPage, NEWS_INDEX, counts)
    existing = set(NewsPage.objects.child_of(news_index).values_list("slug", flat=True))
    for slug, title, days_ago, cats, area, summary, text in NEWS:
        if slug in existing:
            counts.unchanged.append(slug)
            continue
        page = NewsPage(
            title=title,
            slug=slug,
            date=today - datetime.timedelta(days=days_ago),
            summary=summary,
            area=areas.get(area) if area else None,
            body=[{"type": "paragraph", "value": f"<p>{text}</p>"}],
        )
        page.categories = [categories[c] for c in cats if c in categories]
        news_index.add_child(instance=page)
        page.save_revision().publish()
        counts.created.append(slug)

    event_index = _index(home, EventIndexPage, EVENT_INDEX, counts)
    existing = set(EventPage.objects.child_of(event_index).values_list("slug", flat=True))
    for slug, title, kind, days, start, end, area, ages, cats, place, summary in EVENTS:
        if slug in existing:
            counts.unchanged.append(slug)
            continue
        page = EventPage(
            title=title,
            slug=slug,
            event_type=kind,
            summary=summary,
            place=place,
            area=areas.get(area) if area else None,
            capacity="20人（先着順）",
            fee="無料",
            how_to_apply="電話またはメールで、地域福祉課へお申し込みください（サンプル）。",
            contact="地域福祉課 電話 000-000-0000（サンプル）",
        )
        page.dates = [
            EventDate(
                date=today + datetime.timedelta(days=d),
                start_time=_time(start),
                end_time=_time(end),
            )
            for d in days
        ]
        page.audience = list(AgeGroup.objects.filter(code__in=ages))
        page.categories = [categories[c] for c in cats if c in categories]
        event_index.add_child(instance=page)
        page.save_revision().publish()
        counts.created.append(slug)

    if not SiteNotice.objects.filter(title=NOTICE["title"]).exists():
        SiteNotice.objects.create(level=NoticeLevel.INFO, **NOTICE)
        counts.created.append("notice")
    return counts
