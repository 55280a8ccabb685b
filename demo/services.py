"""Load the sample city: areas, listings, 情報発信 pages and an admin account.

Safe to run again: the importers match rows by code / external ID, pages by slug, and the admin
user is only created when missing, so a second run changes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Site

from community.importing import import_area_lookup
from consult.services import (
    seed_crisis_defaults,
    seed_troubles,
    set_fallback_windows,
    set_window_profiles,
)
from listings.editing import Then, apply, diff, save_listing, values_of
from listings.importers.areas import import_areas
from listings.importers.contract import import_listings
from listings.importers.results import progress_printer
from listings.models import Area, ListingPage
from listings.vocabulary import ContactMethod, HolidayPolicy, Kind
from pages.models import HomePage, InformationPage, SiteIdentity

from . import content
from .community import load_community
from .news import load_news

DATA_DIR = Path(__file__).resolve().parent / "data"
AREAS_CSV = DATA_DIR / "areas.csv"
AREA_LOOKUP_CSV = DATA_DIR / "area_lookup.csv"
LISTINGS_CSV = DATA_DIR / "listings.csv"

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.jp"
ADMIN_PASSWORD_ENV = "DEMO_ADMIN_PASSWORD"
LOGIN_URL = "http://127.0.0.1:8000/admin/"


class DemoLoadError(Exception):
    """The demo data did not import cleanly (a bug in demo/data, not in the resident's input)."""


@dataclass
class PageCounts:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class DemoSummary:
    areas: Any
    area_notes_updated: int
    listings: Any
    pages: PageCounts
    home_updated: bool
    admin_username: str
    admin_created: bool
    # Only set when the account was created by this run (never read back from the database).
    admin_password: str | None = None

    def lines(self) -> list[str]:
        lines = [
            f"地域: {_counts(self.areas)}、紹介文の更新 {self.area_notes_updated}",
            f"居場所・窓口: {_counts(self.listings)}",
            f"情報ページ: 新規 {len(self.pages.created)}、更新 {len(self.pages.updated)}、"
            f"変更なし {len(self.pages.unchanged)}",
            f"トップページの紹介文: {'更新' if self.home_updated else '変更なし'}",
        ]
        if self.admin_created:
            lines += [
                f"管理ユーザーを作成しました: {LOGIN_URL}",
                f"  ユーザー名: {self.admin_username}",
                f"  パスワード: {self.admin_password}",
            ]
        else:
            lines.append(
                f"管理ユーザー「{self.admin_username}」は作成済みです（パスワードは変えていません）。"
            )
        return lines


def _counts(result) -> str:
    return f"新規 {result.created}、更新 {result.updated}、変更なし {result.unchanged}"


# Offered wherever a search finds little or nothing: 福祉丸ごと相談窓口, then each
# 圏域's ほっとネット.
FALLBACK_ONE_STOP = ("DEMO-W01",)
FALLBACK_LOCAL = ("DEMO-W02", "DEMO-W03", "DEMO-W04", "DEMO-W05")
_HOTNET = ["DEMO-W02", "DEMO-W03", "DEMO-W04", "DEMO-W05"]
_HOUKATSU = ["DEMO-W07", "DEMO-W08", "DEMO-W09", "DEMO-W10"]
# How each sample window can be reached and the windows it connects to (「こちらにもつなぎます」).
WINDOW_PROFILES = {
    "DEMO-W01": {
        "access": ["writing", "outreach"],
        "languages": "やさしい日本語",
        "related": ["DEMO-W06", "DEMO-W21", *_HOTNET],
    },
    **{w: {"access": ["outreach"], "related": ["DEMO-W01", "DEMO-W24"]} for w in _HOTNET},
    "DEMO-W06": {"access": ["writing", "online"], "related": ["DEMO-W01", "DEMO-W22", "DEMO-W20"]},
    **{
        w: {"access": ["outreach"], "related": ["DEMO-W15", "DEMO-W16", "DEMO-W24"]}
        for w in _HOUKATSU
    },
    "DEMO-W11": {
        "access": ["sign_language", "writing", "outreach"],
        "related": ["DEMO-W23", "DEMO-W15"],
    },
    "DEMO-W12": {"access": ["outreach"], "related": ["DEMO-W26", "DEMO-W18", "DEMO-W13"]},
    "DEMO-W19": {"access": ["anonymous", "online"], "related": ["DEMO-W06", "DEMO-W27"]},
    "DEMO-W22": {"access": ["writing"], "related": ["DEMO-W06", "DEMO-W01"]},
    "DEMO-W23": {"access": ["sign_language", "writing"], "related": ["DEMO-W11"]},
    "DEMO-W25": {"access": ["anonymous"], "related": ["DEMO-W11", "DEMO-W06"]},
    "DEMO-W26": {"access": ["night_holiday"], "related": ["DEMO-W12"]},
    "DEMO-W27": {"access": ["night_holiday"], "related": ["DEMO-W19", "DEMO-W17"]},
    "DEMO-W28": {"access": ["night_holiday"], "related": []},
    "DEMO-W29": {
        "access": ["languages", "online"],
        "languages": "英語、中国語、韓国語、ベトナム語、やさしい日本語",
        "related": ["DEMO-W01", "DEMO-W18"],
    },
}


def load_demo(stdout: TextIO | None = None) -> DemoSummary:
    """Import the sample city and its pages; raise ``DemoLoadError`` if the data is rejected."""
    out = stdout or sys.stdout

    def say(message: str) -> None:
        out.write(f"{message}\n")

    with transaction.atomic():
        say(f"地域を取り込んでいます: {AREAS_CSV.name}")
        areas = import_areas(AREAS_CSV, progress=progress_printer(say, every=20))
        _check(areas, AREAS_CSV)
        area_notes = set_area_notes()
        say(f"  {_counts(areas)}（紹介文の更新 {area_notes}）")
        say(f"地域の検索語を取り込んでいます: {AREA_LOOKUP_CSV.name}")
        lookup = import_area_lookup(AREA_LOOKUP_CSV)
        _check(lookup, AREA_LOOKUP_CSV)
        say(f"  {_counts(lookup)}")

        say(f"居場所・窓口を取り込んでいます: {LISTINGS_CSV.name}")
        listings = import_listings(LISTINGS_CSV, progress=progress_printer(say, every=20))
        _check(listings, LISTINGS_CSV)
        windows = set_window_details()
        yasashii = set_yasashii_descriptions()
        say(
            f"  {_counts(listings)}（窓口の受付方法・祝日の更新 {windows}）"
            f"（やさしい日本語の説明 {yasashii}）"
        )
        community = load_community()
        say(
            f"地域のコーディネーター {community['coordinators']}件、"
            f"お知らせ {community['notices']}件、"
            f"ネットワーク {community['networks']}件、"
            f"ボランティアの募集 {community['opportunities']}件を新しく作成しました"
        )

        say("情報ページを作成しています")
        home = HomePage.objects.first()
        if home is None:
            raise DemoLoadError("トップページがありません。先に migrate を実行してください。")
        pages = load_pages(home)
        home_updated = set_home_intro(home)
        say(
            f"  新規 {len(pages.created)}、更新 {len(pages.updated)}、"
            f"変更なし {len(pages.unchanged)}"
        )
        news = load_news(home)
        say(f"お知らせ・イベント: 新規 {len(news.created)}、変更なし {len(news.unchanged)}")

        if seed_crisis_defaults():
            say("緊急の相談電話の既定値を登録しました")
        fallback = set_fallback_windows(
            ListingPage.objects.filter(external_id__in=FALLBACK_ONE_STOP).order_by("external_id"),
            ListingPage.objects.filter(external_id__in=FALLBACK_LOCAL).order_by("external_id"),
        )
        if fallback:
            say(f"行き止まりにしない窓口を {fallback} 件登録しました")
        troubles = seed_troubles()
        if troubles:
            say(f"困りごとを {troubles} 件登録しました")
        profiles = set_window_profiles(WINDOW_PROFILES)
        if profiles:
            say(f"窓口の相談しやすさ・つなぎ先を {profiles} 件登録しました")

        show_sample_notice()
        created, password = ensure_admin()

    return DemoSummary(
        areas=areas,
        area_notes_updated=area_notes,
        listings=listings,
        pages=pages,
        home_updated=home_updated,
        admin_username=ADMIN_USERNAME,
        admin_created=created,
        admin_password=password,
    )


def _check(result, path: Path) -> None:
    if result.errors:
        details = "\n".join(
            f"  {path.name} {e.line}行目 {e.column}: {e.message}" for e in result.errors
        )
        raise DemoLoadError(f"デモデータを取り込めませんでした:\n{details}")


def set_area_notes() -> int:
    """Fill the areas' description and coordinator (not in the CSV); return how many changed."""
    changed = 0
    for code, values in content.AREA_NOTES.items():
        changed += Area.objects.filter(code=code).exclude(**values).update(**values)
    return changed


WINDOW_CONTACT_METHODS = [ContactMethod.VISIT.value, ContactMethod.PHONE.value]


def set_window_details() -> int:
    """Windows close on public holidays and take visits and calls (fields not in the CSV)."""
    changed = 0
    windows = (
        ListingPage.objects.live()
        .filter(kind=Kind.WINDOW, external_id__startswith="DEMO-")
        .select_related("location_area")
        .prefetch_related("age_groups", "topics", "schedule_rules")
    )
    for page in windows:
        before = values_of(page)
        after = dataclasses.replace(
            before,
            holiday_policy=HolidayPolicy.CLOSED.value,
            contact_methods=tuple(WINDOW_CONTACT_METHODS),
        )
        fields = diff(before, after)
        if not fields:
            continue
        apply(page, after, fields)
        save_listing(page, then=Then.PUBLISH)
        changed += 1
    return changed


def set_yasashii_descriptions() -> int:
    """The やさしい日本語 descriptions of ``content.LISTING_YASASHII`` (not in the CSV)."""
    changed = 0
    pages = (
        ListingPage.objects.live()
        .filter(external_id__in=content.LISTING_YASASHII)
        .select_related("location_area")
        .prefetch_related("age_groups", "topics", "schedule_rules")
    )
    for page in pages:
        before = values_of(page)
        after = dataclasses.replace(
            before, description_yasashii=content.LISTING_YASASHII[page.external_id]
        )
        fields = diff(before, after)
        if not fields:
            continue
        apply(page, after, fields)
        save_listing(page, then=Then.PUBLISH)
        changed += 1
    return changed


# -- information pages -------------------------------------------------------------------------


def load_pages(home: HomePage) -> PageCounts:
    """Create or update each page of ``content.PAGES`` under ``home`` (matched by slug)."""
    counts = PageCounts()
    existing = {p.slug: p for p in InformationPage.objects.child_of(home).specific()}
    # First make sure every page exists, so callouts can link to pages later in the list.
    for spec in content.PAGES:
        if spec["slug"] not in existing:
            page = InformationPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                body=resolve_body(spec["body"], existing, allow_missing_pages=True),
                yasashii_summary=spec.get("yasashii_summary", ""),
                yasashii_body=resolve_body(
                    spec.get("yasashii_body", []), existing, allow_missing_pages=True
                ),
            )
            home.add_child(instance=page)
            existing[page.slug] = page
            counts.created.append(page.slug)

    for spec in content.PAGES:
        page = InformationPage.objects.get(pk=existing[spec["slug"]].pk)
        body = resolve_body(spec["body"], existing)
        new_body_raw = _prep_without_ids(page.body.stream_block, body)
        yasashii_body = resolve_body(spec.get("yasashii_body", []), existing)
        new_yasashii_raw = _prep_without_ids(page.yasashii_body.stream_block, yasashii_body)
        unchanged = (
            page.slug not in counts.created
            and page.live
            and not page.has_unpublished_changes
            and page.title == spec["title"]
            and page.summary == spec["summary"]
            and _strip_ids(page.body.get_prep_value()) == new_body_raw
            and page.yasashii_summary == spec.get("yasashii_summary", "")
            and _strip_ids(page.yasashii_body.get_prep_value()) == new_yasashii_raw
        )
        if unchanged:
            counts.unchanged.append(page.slug)
            continue
        page.title = spec["title"]
        page.draft_title = spec["title"]
        page.summary = spec["summary"]
        page.body = body
        page.yasashii_summary = spec.get("yasashii_summary", "")
        page.yasashii_body = yasashii_body
        page.save_revision().publish()
        if page.slug not in counts.created:
            counts.updated.append(page.slug)
    return counts


def resolve_body(
    blocks: list[tuple[str, Any]], pages: dict[str, InformationPage], allow_missing_pages=False
) -> list[dict]:
    """Turn ``content`` blocks into raw StreamField data (listing IDs and slugs to page ids)."""
    wanted = {
        external_id
        for block_type, value in blocks
        if block_type == "related_listings"
        for external_id in value["listings"]
    }
    listing_ids = dict(
        ListingPage.objects.filter(external_id__in=wanted).values_list("external_id", "pk")
    )
    missing = sorted(wanted - listing_ids.keys())
    if missing:
        raise DemoLoadError(f"情報ページが参照する居場所・窓口がありません: {', '.join(missing)}")

    raw = []
    for block_type, value in blocks:
        if block_type == "related_listings":
            value = {
                "heading": value["heading"],
                "listings": [listing_ids[i] for i in value["listings"]],
            }
        elif block_type == "callout" and value.get("link_page"):
            target = pages.get(value["link_page"])
            if target is None and not allow_missing_pages:
                raise DemoLoadError(f"リンク先のページがありません: {value['link_page']}")
            value = {**value, "link_page": target.pk if target else None}
        raw.append({"type": block_type, "value": value})
    return raw


def _prep_without_ids(stream_block, raw: list[dict]):
    return _strip_ids(stream_block.get_prep_value(stream_block.to_python(raw)))


def _strip_ids(data):
    """Block ids are random per save: compare StreamField data without them."""
    if isinstance(data, dict):
        return {k: _strip_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_strip_ids(v) for v in data]
    return data


def set_home_intro(home: HomePage) -> bool:
    home = HomePage.objects.get(pk=home.pk)
    if home.intro == content.HOME_INTRO and home.live and not home.has_unpublished_changes:
        return False
    home.intro = content.HOME_INTRO
    home.save_revision().publish()
    return True


# -- admin account -----------------------------------------------------------------------------


def ensure_admin() -> tuple[bool, str | None]:
    """Create the ``admin`` superuser if missing; return (created, password if created).

    The admin is put in the moderators group, so the notices about the community's submissions
    reach someone in the demo (without it they are stored as 「宛先なし」)."""
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    created, password = user is None, None
    if created:
        password = os.environ.get(ADMIN_PASSWORD_ENV) or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, password)
    group, _ = Group.objects.get_or_create(name=settings.SUBMISSION_MODERATOR_GROUP)
    user.groups.add(group)
    return created, password


def show_sample_notice() -> None:
    """The demo is sample data: every site says so in its footer (pages.SiteIdentity)."""
    for site in Site.objects.all():
        identity = SiteIdentity.for_site(site)
        if not identity.show_sample_notice:
            identity.show_sample_notice = True
            identity.save(update_fields=["show_sample_notice"])
