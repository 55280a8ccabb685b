"""RSS 2.0 and Atom feeds (Django's syndication framework): news with the notices showing,
and new or updated listings (all, or one area's, or one kind's)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from listings.models import Area
from listings.selectors import listings_for_area, public_listings

from .selectors import active_notices, public_news

FEED_SIZE = 30


@dataclass
class FeedEntry:
    title: str
    link: str
    description: str
    published: datetime.datetime | None
    updated: datetime.datetime | None
    guid: str
    categories: list[str] = field(default_factory=list)


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def notice_entries() -> list[FeedEntry]:
    return [
        FeedEntry(
            title=f"【{n.get_level_display()}】{n.title}",
            link=n.link or f"/#notice-{n.pk}",
            description=n.message,
            published=n.starts_at,
            updated=n.updated_at,
            guid=f"notice-{n.pk}-{n.updated_at:%Y%m%d%H%M%S}",
            categories=[str(n.get_level_display())],
        )
        for n in active_notices()
    ]


class EntryFeed(Feed):
    feed_type = Rss201rev2Feed

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_description(self, item: FeedEntry) -> str:
        return item.description

    def item_pubdate(self, item: FeedEntry):
        return item.published

    def item_updateddate(self, item: FeedEntry):
        return item.updated

    def item_guid(self, item: FeedEntry) -> str:
        return item.guid

    def item_guid_is_permalink(self, item: FeedEntry) -> bool:
        return False

    def item_categories(self, item: FeedEntry) -> list[str]:
        return item.categories


class NewsFeed(EntryFeed):
    """The site-wide notices showing now (緊急 first), then the newest news."""

    def title(self) -> str:
        return _("%(site)s お知らせ") % {"site": settings.WAGTAIL_SITE_NAME}

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        return _("新しいお知らせとサイト全体のお知らせ")

    def items(self) -> list[FeedEntry]:
        news = [
            FeedEntry(
                title=page.title,
                link=page.url or "/",
                description=page.summary,
                published=_as_datetime(page.date),
                updated=page.last_published_at,
                guid=f"news-{page.pk}",
                categories=[c.name for c in page.categories.all()],
            )
            for page in public_news()[:FEED_SIZE]
        ]
        return notice_entries() + news


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class ListingsFeed(EntryFeed):
    """Listings newest-changed first; the object is (area or None, kind code or "")."""

    def get_object(self, request, area: Area | None = None, kind: str = ""):
        return (area, kind)

    def title(self, obj) -> str:
        area, kind = obj
        parts = [settings.WAGTAIL_SITE_NAME]
        if area:
            parts.append(area.name)
        if kind:
            from listings.vocabulary import Kind

            parts.append(str(Kind(kind).label))
        return _("%(what)s 新しい・更新された居場所・窓口") % {"what": " ".join(parts)}

    def link(self, obj) -> str:
        area, kind = obj
        if area:
            return reverse("listings:area_detail", args=[area.code])
        return reverse("search") + (f"?kind={kind}" if kind else "")

    def description(self, obj) -> str:
        return _("新しく載った、または内容が更新された居場所・窓口")

    def items(self, obj) -> list[FeedEntry]:
        area, kind = obj
        queryset = listings_for_area(area) if area else public_listings()
        if kind:
            queryset = queryset.filter(kind=kind)
        queryset = queryset.order_by("-last_published_at", "-pk")[:FEED_SIZE]
        return [
            FeedEntry(
                title=f"{listing.title}（{listing.get_kind_display()}）",
                link=listing.url or "/",
                description=strip_tags(listing.description)[:300],
                published=listing.first_published_at,
                updated=listing.last_published_at,
                guid=f"listing-{listing.pk}-{listing.last_published_at:%Y%m%d%H%M%S}",
                categories=[str(listing.get_kind_display())],
            )
            for listing in queryset
        ]


class ListingsAtomFeed(ListingsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj) -> str:
        return self.description(obj)
