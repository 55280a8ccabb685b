"""CSV export of listings in the exchange contract (DESIGN.md §6).

What this writes, ``listings.importers.contract.import_listings`` reads back to the same listings.
When any exported listing came from open data, the optional attribution columns
``出典_自治体名, 出典_データセット名, 出典_ライセンス, 出典_URL`` follow the 26 contract columns:
CC BY data must keep its credit wherever it goes (docs/data.md).
"""

from __future__ import annotations

import csv
from typing import IO

from django.db.models import QuerySet

from .editing.text import html_to_text
from .importers.contract import (
    LISTING_COLUMNS,
    LISTING_SOURCE_COLUMNS,
    format_date,
    format_float,
    format_time,
    format_weekdays,
)
from .importers.table import guard_cell
from .models import ListingPage

BOM = "\ufeff"


def export_listings_csv(stream: IO[str], queryset: QuerySet[ListingPage] | None = None) -> int:
    """Write UTF-8 CSV (with BOM, for Excel) to a text stream; return the number of listings.

    Default: every live listing, in page-tree order.
    """
    if queryset is None:
        queryset = ListingPage.objects.live().order_by("path")
    pages = queryset.select_related("location_area").prefetch_related(
        "age_groups", "topics", "schedule_rules"
    )
    columns = LISTING_COLUMNS
    if _any_source(queryset):
        columns += tuple(LISTING_SOURCE_COLUMNS)
    stream.write(BOM)
    writer = csv.writer(stream)
    writer.writerow(columns)
    count = 0
    for page in pages:
        row = listing_row(page)
        # Staff open this in Excel: no cell may run as a formula (importers.table.guard_cell).
        writer.writerow([guard_cell(row[column]) for column in columns])
        count += 1
    return count


def _any_source(queryset: QuerySet[ListingPage]) -> bool:
    # True when some listing has any attribution field filled in.
    no_source = dict.fromkeys(LISTING_SOURCE_COLUMNS.values(), "")
    return queryset.exclude(**no_source).exists()


def listing_row(page: ListingPage) -> dict[str, str]:
    """One listing as contract cells (codes, not Japanese names, for 区分/対象者/対象範囲)."""
    rules = list(page.schedule_rules.all())
    start, end = _shared_times(rules)
    return {
        "ID": page.external_id or "",
        "区分": page.kind,
        "名称": page.title,
        "名称_カナ": page.name_kana,
        "説明": html_to_text(page.description),
        "対象者": ";".join(group.code for group in page.age_groups.all()),
        "テーマ": ";".join(sorted(tag.name for tag in page.topics.all())),
        "地区コード": page.location_area.code if page.location_area else "",
        "対象範囲": page.service_tier,
        "所在地_連結表記": page.address,
        "緯度": format_float(page.latitude),
        "経度": format_float(page.longitude),
        "電話番号": page.phone,
        "FAX番号": page.fax,
        "メールアドレス": page.email,
        "URL": page.website,
        "団体名": page.organiser,
        "利用可能曜日": format_weekdays(rules),
        "開始時間": start,
        "終了時間": end,
        "利用可能日時特記事項": page.schedule_note,
        "料金": page.fee,
        "予約": page.booking,
        "バリアフリー情報": page.accessibility,
        "相談内容": ";".join(page.consultation_keyword_list),
        "最終確認日": format_date(page.last_verified),
        **{column: getattr(page, name) for column, name in LISTING_SOURCE_COLUMNS.items()},
    }


def _shared_times(rules: list) -> tuple[str, str]:
    # The contract has one time range for all days; rules with different times cannot be
    # written faithfully, so their times are left out rather than misstated.
    ranges = {(rule.start_time, rule.end_time) for rule in rules}
    if len(ranges) != 1:
        return "", ""
    start, end = ranges.pop()
    return format_time(start), format_time(end)
