"""The listings CSV contract (DESIGN.md §6): its columns and cells, and its importer.

26 columns (``ID, 区分, 名称, … 最終確認日``), then optionally the four 出典_* attribution
columns. Every row is checked before anything is written; one bad row and nothing is written,
with every problem reported by line and column. Rows are matched to listings by ``ID``, so
importing the same file twice changes nothing; a column left out of a file leaves that field
as it is. ``listings.exporting`` writes the same cells with the ``format_*`` functions here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from taggit.models import Tag

from ..editing import References
from ..editing.text import normalize_text, text_to_html
from ..models import AgeGroup, Area, ListingIndexPage, ListingPage, split_keywords
from ..schedules import LAST_WEEK, Rule, weekday_token
from ..vocabulary import (
    AGE_ALIASES,
    KIND_ALIASES,
    TIER_ALIASES,
    WEEKDAY_NAMES,
    Age,
    Booking,
    Kind,
    Tier,
)
from .cells import (
    DATE_PATTERN,
    MISSING,
    CellError,
    Cells,
    choice_parser,
    coordinates,
    field_parser,
    normalize_width,
    parse_choice,
    parse_date,
    parse_time,
    split_list,
)
from .listing_rows import (
    ListingContext,
    ListingRow,
    default_listing_parent,
    existing_listings,
    listing_step,
)
from .results import ImportResult, Progress, RowError
from .steps import duplicates, read_or_fail, run_steps
from .table import Row, Source

NAME = "contract"
LABEL = "居場所・窓口CSV（DESIGN.md §6）"

LISTING_COLUMNS: tuple[str, ...] = (
    "ID",
    "区分",
    "名称",
    "名称_カナ",
    "説明",
    "対象者",
    "テーマ",
    "地区コード",
    "対象範囲",
    "所在地_連結表記",
    "緯度",
    "経度",
    "電話番号",
    "FAX番号",
    "メールアドレス",
    "URL",
    "団体名",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "料金",
    "予約",
    "バリアフリー情報",
    "相談内容",
    "最終確認日",
)
# Other columns may be left out of a file: a missing column leaves that field as it is.
LISTING_REQUIRED_COLUMNS: tuple[str, ...] = ("ID", "区分", "名称", "地区コード")

# Optional columns after the contract's 26: where an open-data listing came from (CC BY
# attribution). Exports write them when some listing has a source; imports accept them.
LISTING_SOURCE_COLUMNS = {
    "出典_自治体名": "source_municipality",
    "出典_データセット名": "source_dataset",
    "出典_ライセンス": "source_license",
    "出典_URL": "source_url",
}
LISTING_FILE_COLUMNS: tuple[str, ...] = LISTING_COLUMNS + tuple(LISTING_SOURCE_COLUMNS)

BOOKING_ALIASES = {
    "要": Booking.REQUIRED,
    "必要": Booking.REQUIRED,
    "要予約": Booking.REQUIRED,
    "予約必要": Booking.REQUIRED,
    "不要": Booking.NOT_REQUIRED,
    "予約なし": Booking.NOT_REQUIRED,
}


def matches_header(header: list[str]) -> bool:
    return set(LISTING_REQUIRED_COLUMNS) <= set(header)


def parse_booking(value: str) -> str:
    return parse_choice(Booking, value, BOOKING_ALIASES) if value else ""


# --- 利用可能曜日 ---------------------------------------------------------------------------------


_WEEKDAY = "(?P<weekday>[" + "".join(WEEKDAY_NAMES) + "])"
_WEEKLY = re.compile(rf"^(?:毎週)?{_WEEKDAY}$")
_TENTATIVE = re.compile(rf"^{_WEEKDAY}(?:曜日?)?\(要確認\)$")
_NTH = re.compile(rf"^(?:毎月)?第(?P<week>[1-5]){_WEEKDAY}$")
_LAST = re.compile(rf"^(?:毎月)?最終{_WEEKDAY}$")
_MONTHDAY = re.compile(r"^(?:毎月)?(?P<day>[1-9]|[12][0-9]|3[01])日$")


def parse_weekday_token(token: str) -> Rule:
    """月 / 第2土 / 最終金 / 毎月12日 / 2026-12-05 / 土(要確認) (曜・曜日 suffixes, full-width
    digits and brackets)."""
    text = normalize_width(token).replace(" ", "").replace("（", "(").replace("）", ")")
    if match := _TENTATIVE.match(text):
        return Rule("tentative", WEEKDAY_NAMES.index(match["weekday"]))
    text = re.sub(r"曜日?$", "", text)
    if match := _WEEKLY.match(text):
        return Rule("weekly", WEEKDAY_NAMES.index(match["weekday"]))
    if match := _NTH.match(text):
        return Rule("monthly", WEEKDAY_NAMES.index(match["weekday"]), int(match["week"]))
    if match := _LAST.match(text):
        return Rule("monthly", WEEKDAY_NAMES.index(match["weekday"]), LAST_WEEK)
    if match := _MONTHDAY.match(text):
        return Rule("monthday", day_of_month=int(match["day"]))
    if DATE_PATTERN.match(text):
        return Rule("date", date=parse_date(text))
    raise CellError(
        f"「{token}」は曜日として読めません。"
        "例：月;水、第2土;第4土、最終金、毎月12日、2026-12-05、土(要確認)"
    )


def parse_weekdays(value: str) -> list[Rule]:
    rules: list[Rule] = []
    bad: list[str] = []
    for token in split_list(value):
        try:
            rules.append(parse_weekday_token(token))
        except CellError as exc:
            bad.append(str(exc))
    if bad:
        raise CellError(" ".join(bad))
    return list(dict.fromkeys(rules))


def format_weekdays(rules: list[Any]) -> str:
    """利用可能曜日 for ``ScheduleRule`` rows (or Rules): 第2土;第4土."""
    tokens = (weekday_token(Rule.from_model(rule)) for rule in rules)
    return ";".join(token for token in tokens if token)


def format_time(value: datetime.time | None) -> str:
    if value is None:
        return ""
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def format_float(value: float | None) -> str:
    return "" if value is None else repr(value)


def format_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


# --- the importer ------------------------------------------------------------------------------


@dataclass
class ListingImportResult(ImportResult):
    subject: ClassVar[str] = "居場所・窓口"
    columns: ClassVar[tuple[str, ...]] = LISTING_FILE_COLUMNS


# Plain text columns and the ListingPage field each one fills.
LISTING_TEXT_COLUMNS = {
    "名称": "title",
    "名称_カナ": "name_kana",
    "所在地_連結表記": "address",
    "電話番号": "phone",
    "FAX番号": "fax",
    "メールアドレス": "email",
    "URL": "website",
    "団体名": "organiser",
    "利用可能日時特記事項": "schedule_note",
    "料金": "fee",
    "バリアフリー情報": "accessibility",
}
LISTING_COLUMN_FIELDS = {
    **LISTING_TEXT_COLUMNS,
    **LISTING_SOURCE_COLUMNS,
    "ID": "external_id",
    "区分": "kind",
    "説明": "description",
    "対象者": "age_groups",
    "テーマ": "topics",
    "地区コード": "location_area",
    "対象範囲": "service_tier",
    "緯度": "latitude",
    "経度": "longitude",
    "利用可能曜日": "schedule_rules",
    "予約": "booking",
    "相談内容": "consultation_keywords",
    "最終確認日": "last_verified",
}
_FIELD_MESSAGES = {
    "email": "メールアドレスの形式が正しくありません。例：info@example.jp",
    "website": "URLの形式が正しくありません。http:// か https:// で始まるURLにしてください。",
    "source_url": "URLの形式が正しくありません。http:// か https:// で始まるURLにしてください。",
}
TOPIC_MAX_LENGTH = Tag._meta.get_field("name").max_length


def import_listings(
    source: Source,
    *,
    dry_run: bool = False,
    parent: ListingIndexPage | None = None,
    progress: Progress | None = None,
) -> ListingImportResult:
    """Create or update published listings from a Listings CSV, matched by ``ID``.

    New listings become children of ``parent`` (default: the first ListingIndexPage). Changed
    listings get a new revision, published when the page is live; unchanged rows are skipped.
    Nothing is written if any row is bad.
    """
    result = ListingImportResult(dry_run=dry_run)
    table = read_or_fail(source, LISTING_FILE_COLUMNS, LISTING_REQUIRED_COLUMNS, result)
    if table is None:
        return result
    areas = {area.code: area for area in Area.objects.all()}
    rows, errors = [], []
    for row in table.rows:
        parsed, row_errors = _parse_listing_row(row, areas)
        errors += row_errors
        rows.append(parsed)
    errors += duplicates(rows, "external_id", "ID")
    if errors:
        result.fail(errors)
        return result

    existing = existing_listings([row.external_id for row in rows])
    if parent is None and any(row.external_id not in existing for row in rows):
        parent = default_listing_parent()
        if parent is None:
            result.fail([RowError(1, "", "取り込み先の「居場所・窓口の一覧」ページがありません。")])
            return result
    context = ListingContext(References(areas, {a.code: a for a in AgeGroup.objects.all()}), parent)
    if parent is not None:
        context.taken_slugs = set(parent.get_children().values_list("slug", flat=True))
    steps = [listing_step(row, existing.get(row.external_id), context) for row in rows]
    run_steps(steps, result, {v: k for k, v in LISTING_COLUMN_FIELDS.items()}, progress)
    return result


def _parse_listing_row(row: Row, areas: dict[str, Area]) -> tuple[ListingRow, list[RowError]]:
    cells = Cells(row)
    external_id = cells.take("ID", field_parser(ListingPage, "external_id"), required=True)
    values = {
        "kind": cells.take("区分", choice_parser(Kind, KIND_ALIASES), required=True),
        "location_area": cells.take("地区コード", lambda v: _area(v, areas), required=True),
        "service_tier": cells.take(
            "対象範囲", choice_parser(Tier, TIER_ALIASES), empty=Tier.NEIGHBOURHOOD
        ),
        "description": cells.take("説明", text_to_html),
        "age_groups": cells.take("対象者", _parse_ages, empty=()),
        "topics": cells.take("テーマ", _parse_topics, empty=()),
        "booking": cells.take("予約", parse_booking),
        "consultation_keywords": cells.take("相談内容", _parse_keywords, empty=()),
        "last_verified": cells.take("最終確認日", parse_date, empty=None),
        "schedule_rules": _schedule(cells),
        **coordinates(cells),
    }
    for column, name in (LISTING_TEXT_COLUMNS | LISTING_SOURCE_COLUMNS).items():
        parse = field_parser(ListingPage, name, _FIELD_MESSAGES.get(name, ""))
        values[name] = cells.take(column, parse, required=name == "title")
    for name in ("schedule_note", "accessibility"):
        if values[name] is not MISSING:
            values[name] = normalize_text(values[name])
    values = {name: value for name, value in values.items() if value is not MISSING}
    return ListingRow(row.line, external_id, values), cells.errors


def _area(code: str, areas: dict[str, Area]) -> str:
    if code not in areas:
        raise CellError(
            f"地区コード「{code}」の地域がありません。先に地域CSVを取り込んでください。"
        )
    return code


def _parse_ages(value: str) -> tuple[str, ...]:
    codes = {parse_choice(Age, item, AGE_ALIASES) for item in split_list(value)}
    return tuple(code for code in Age.values if code in codes)


def _parse_topics(value: str) -> tuple[str, ...]:
    topics = tuple(split_list(value))
    too_long = [t for t in topics if len(t) > TOPIC_MAX_LENGTH]
    if too_long:
        raise CellError(f"テーマは1つ{TOPIC_MAX_LENGTH}文字までです（「{too_long[0][:20]}…」）。")
    return topics


def _parse_keywords(value: str) -> tuple[str, ...]:
    # Keywords are stored 、-separated, so 、 in a cell also separates (keeps re-import stable).
    return tuple(dict.fromkeys(split_keywords(value)))


def _schedule(cells: Cells) -> Any:
    """利用可能曜日 × 開始時間/終了時間 → Rules (``MISSING`` when the column is absent)."""
    rules = cells.take("利用可能曜日", parse_weekdays, empty=[])
    start = cells.take("開始時間", parse_time, empty=None)
    end = cells.take("終了時間", parse_time, empty=None)
    start = None if start is MISSING else start
    end = None if end is MISSING else end
    if start and end and end <= start:
        cells.fail("終了時間", "終了時間は開始時間より後にしてください。")
    if (start or end) and rules is MISSING:
        # Without the column the days would be left as they are while the times change.
        column = "開始時間" if start else "終了時間"
        cells.fail(column, "時間を入れるときは「利用可能曜日」の列も入れてください（空欄でも可）。")
        return MISSING
    if (start or end) and not rules:
        # Times without a weekday (an annual event, dates announced later) are legal
        # (DESIGN.md §6): kept as one tentative rule with no weekday, beside the note.
        return (Rule("tentative").with_times(start, end),)
    if rules is MISSING:
        return MISSING
    return tuple(rule.with_times(start, end) for rule in rules)
