"""CSV import of areas and listings (DESIGN.md §6).

Every row is validated before anything is written; if any row is bad nothing is written and
every problem comes back as a ``RowError`` (line, column, Japanese message). Rows are matched by
their code / ``ID``, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.signal_handlers import disable_reference_index_auto_update

from .csv_contract import (
    AREA_COLUMNS,
    AREA_REQUIRED_COLUMNS,
    LISTING_COLUMNS,
    LISTING_REQUIRED_COLUMNS,
    CellError,
    Row,
    Table,
    TableError,
    clean_cell,
    decode,
    parse_booking,
    parse_choice,
    parse_date,
    parse_float,
    parse_time,
    parse_weekdays,
    read_bytes,
    read_table,
    split_list,
)
from .editing.text import html_to_text, normalize_text, text_to_html
from .models import AgeGroup, Area, ListingIndexPage, ListingPage, ScheduleRule, split_keywords
from .schedules import Rule
from .vocabulary import AGE_ALIASES, KIND_ALIASES, TIER_ALIASES, TIER_ORDER, Age, Kind, Tier

Source = str | Path | bytes
Progress = Callable[[int, int], None]

# How many IDs to look up per query (SQLite limits the number of query parameters).
LOOKUP_CHUNK = 500


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"行 {self.line}, 列「{self.column}」" if self.column else f"行 {self.line}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    subject: ClassVar[str] = "データ"
    columns: ClassVar[tuple[str, ...]] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        title = f"{self.subject}の取り込み" + ("（試行・書き込みなし）" if self.dry_run else "")
        if self.errors:
            if self.dry_run:
                return f"{title}: エラーが {len(self.errors)}件あります。"
            return f"{title}: エラーが {len(self.errors)}件あるため、何も取り込みませんでした。"
        counts = f"新規 {self.created}件、更新 {self.updated}件、変更なし {self.unchanged}件"
        return f"{title}: {counts}{'になります' if self.dry_run else ''}。"

    def fail(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(set(errors), key=self._error_order)
        self.created = self.updated = self.unchanged = 0

    def _error_order(self, error: RowError) -> tuple[int, int, str]:
        # By line, then in the file's column order (whole-row problems first).
        position = self.columns.index(error.column) if error.column in self.columns else -1
        return error.line, position, error.message


@dataclass
class AreaImportResult(ImportResult):
    subject: ClassVar[str] = "地域"
    columns: ClassVar[tuple[str, ...]] = AREA_COLUMNS


# Optional columns after the contract's 26: where an open-data listing came from (CC BY
# attribution). Exports write them when some listing has a source; imports accept them.
LISTING_SOURCE_COLUMNS = {
    "出典_自治体名": "source_municipality",
    "出典_データセット名": "source_dataset",
    "出典_ライセンス": "source_license",
    "出典_URL": "source_url",
}
LISTING_FILE_COLUMNS: tuple[str, ...] = LISTING_COLUMNS + tuple(LISTING_SOURCE_COLUMNS)


@dataclass
class ListingImportResult(ImportResult):
    subject: ClassVar[str] = "居場所・窓口"
    columns: ClassVar[tuple[str, ...]] = LISTING_FILE_COLUMNS


def progress_printer(write: Callable[[str], None], every: int = 50) -> Progress:
    """A ``progress`` callback printing 「  100/798 行…」 every ``every`` rows and at the end."""

    def report(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            write(f"  {done}/{total} 行…")

    return report


# --- shared machinery --------------------------------------------------------------------------


_MISSING: Any = object()


class _Cells:
    """One row's cells, parsed one column at a time, collecting errors instead of stopping."""

    def __init__(self, row: Row):
        self.row = row
        self.errors: list[RowError] = []
        if row.problem:
            self.fail("", row.problem)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.line, column, message))

    def take(
        self,
        column: str,
        parse: Callable[[str], Any] = str,
        *,
        empty: Any = "",
        required: bool = False,
    ) -> Any:
        """The parsed cell; ``empty`` when blank or bad; ``_MISSING`` when the column is absent."""
        if not self.row.has(column):
            return _MISSING
        text = self.row.get(column)
        if not text:
            if required:
                self.fail(column, f"「{column}」は必須です。")
            return empty
        try:
            return parse(text)
        except CellError as exc:
            self.fail(column, str(exc))
            return empty


def _field_parser(model: type[models.Model], name: str, message: str = "") -> Callable:
    """Check a text cell against the model field's own validators (length, e-mail, URL)."""
    model_field = model._meta.get_field(name)

    def parse(value: str) -> str:
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            raise CellError(message or " ".join(exc.messages)) from exc
        return value

    return parse


def _choice_parser(choices: type[models.TextChoices], aliases: dict) -> Callable[[str], str]:
    return lambda value: parse_choice(choices, value, aliases)


def _coordinates(cells: _Cells) -> dict[str, float | None]:
    """緯度・経度: each in range, given both or neither; absent columns are left out."""
    latitude = cells.take("緯度", lambda v: parse_float(v, -90, 90), empty=None)
    longitude = cells.take("経度", lambda v: parse_float(v, -180, 180), empty=None)
    if latitude is _MISSING and longitude is _MISSING:
        return {}
    lat_given, lng_given = cells.row.get("緯度") != "", cells.row.get("経度") != ""
    if lat_given != lng_given:
        column = "経度" if lat_given else "緯度"
        cells.fail(column, "緯度と経度は両方入力するか、両方空にしてください。")
    return {
        "latitude": None if latitude is _MISSING else latitude,
        "longitude": None if longitude is _MISSING else longitude,
    }


def _read(
    source: Any, columns: tuple[str, ...], required: tuple[str, ...], result: ImportResult
) -> Table | None:
    """The file's rows, or None with the reason recorded on line 1 of ``result``."""
    try:
        return read_table(source, columns, required)
    except TableError as exc:
        result.fail([RowError(1, exc.column, exc.message)])
        return None


@dataclass
class _Step:
    """What importing one row does; ``write`` is None when the row changes nothing."""

    line: int
    action: str  # "created" | "updated" | "unchanged"
    write: Callable[[], None] | None = None


class _WriteFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def _run(
    steps: list[_Step],
    result: ImportResult,
    columns_by_field: dict[str, str],
    progress: Progress | None,
) -> None:
    for step in steps:
        setattr(result, step.action, getattr(result, step.action) + 1)
    total = len(steps)
    try:
        with transaction.atomic():
            for done, step in enumerate(steps, 1):
                if step.write and not result.dry_run:
                    _write_step(step, columns_by_field)
                if progress:
                    progress(done, total)
    except _WriteFailed as failed:
        result.fail(failed.errors)


def _write_step(step: _Step, columns_by_field: dict[str, str]) -> None:
    try:
        step.write()
    except ValidationError as exc:
        # Validation above should have caught this; roll everything back and say where.
        raise _WriteFailed(_validation_errors(step.line, exc, columns_by_field)) from exc


def _validation_errors(
    line: int, exc: ValidationError, columns_by_field: dict[str, str]
) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(line, "", message) for message in exc.messages]
    return [
        RowError(line, columns_by_field.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _duplicates(rows: list[Any], key: str, column: str) -> list[RowError]:
    first_line: dict[str, int] = {}
    errors = []
    for row in rows:
        value = getattr(row, key)
        if not value:
            continue
        if value in first_line:
            errors.append(
                RowError(
                    row.line,
                    column,
                    f"{column}「{value}」は{first_line[value]}行目と重複しています。",
                )
            )
        else:
            first_line[value] = row.line
    return errors


# --- areas -------------------------------------------------------------------------------------

AREA_COLUMN_FIELDS = {
    "コード": "code",
    "名称": "name",
    "名称_カナ": "name_kana",
    "階層": "tier",
    "親コード": "parent",
    "緯度": "latitude",
    "経度": "longitude",
}


@dataclass
class _AreaRow:
    line: int
    code: str
    parent_code: str
    # Model field values; optional columns absent from the file are left out (kept as they are).
    values: dict[str, Any]

    @property
    def tier(self) -> str:
        return self.values["tier"]


def import_areas(
    source: Source, *, dry_run: bool = False, progress: Progress | None = None
) -> AreaImportResult:
    """Create or update areas from an Areas CSV, matched by コード; all rows or none."""
    result = AreaImportResult(dry_run=dry_run)
    table = _read(source, AREA_COLUMNS, AREA_REQUIRED_COLUMNS, result)
    if table is None:
        return result
    existing = {area.code: area for area in Area.objects.all()}
    rows, errors = [], []
    for row in table.rows:
        parsed, row_errors = _parse_area_row(row)
        errors += row_errors
        rows.append(parsed)
    errors += _duplicates(rows, "code", "コード")
    errors += _check_area_tree(rows, existing)
    if errors:
        result.fail(errors)
        return result
    parent_codes = {area.pk: code for code, area in existing.items()}
    steps = [
        _area_step(row, existing.get(row.code), parent_codes)
        for row in sorted(rows, key=_tree_order)
    ]
    _run(steps, result, {v: k for k, v in AREA_COLUMN_FIELDS.items()}, progress)
    return result


def _parse_area_row(row: Row) -> tuple[_AreaRow, list[RowError]]:
    cells = _Cells(row)
    code = cells.take("コード", _field_parser(Area, "code"), required=True)
    values = {
        "name": cells.take("名称", _field_parser(Area, "name"), required=True),
        "tier": cells.take("階層", _choice_parser(Tier, TIER_ALIASES), empty=None, required=True),
        "name_kana": cells.take("名称_カナ", _field_parser(Area, "name_kana")),
        **_coordinates(cells),
    }
    values = {name: value for name, value in values.items() if value is not _MISSING}
    parent_code = cells.take("親コード")
    return _AreaRow(row.line, code, parent_code, values), cells.errors


def _tree_order(row: _AreaRow) -> tuple[int, int]:
    # Parents before children, whatever order the file lists them in.
    return TIER_ORDER.index(row.tier), row.line


def _check_area_tree(rows: list[_AreaRow], existing: dict[str, Area]) -> list[RowError]:
    """Each row's parent is one tier up (after this import); areas left below still fit."""
    tiers: dict[str, str | None] = {code: area.tier for code, area in existing.items()}
    tiers |= {row.code: row.values.get("tier") for row in rows if row.code}
    errors = [
        RowError(row.line, column, message)
        for row in rows
        if row.code and row.values.get("tier")
        for column, message in _parent_problems(row, tiers)
    ]
    by_code = {row.code: row for row in rows if row.code}
    code_by_pk = {area.pk: code for code, area in existing.items()}
    for area in existing.values():
        row = by_code.get(code_by_pk.get(area.parent_id, ""))
        if area.code in by_code or row is None or not row.values.get("tier"):
            continue
        if TIER_ORDER.index(area.tier) - 1 != TIER_ORDER.index(row.tier):
            errors.append(
                RowError(
                    row.line,
                    "階層",
                    f"この地域の下にある「{area.name}（{area.code}）」"
                    f"（{area.get_tier_display()}）と階層が合わなくなります。",
                )
            )
    return errors


def _parent_problems(row: _AreaRow, tiers: dict[str, str | None]) -> list[tuple[str, str]]:
    if row.tier == Tier.CITY:
        if row.parent_code:
            return [("親コード", "市全域の地域には親コードを設定できません。")]
        return []
    expected = TIER_ORDER[TIER_ORDER.index(row.tier) - 1]
    if not row.parent_code:
        return [("親コード", f"「{Tier(row.tier).label}」の地域には親コードが必要です。")]
    if row.parent_code not in tiers:
        return [
            (
                "親コード",
                f"親コード「{row.parent_code}」の地域がありません。"
                "同じファイルに入れるか、先に取り込んでください。",
            )
        ]
    parent_tier = tiers[row.parent_code]
    if parent_tier is not None and parent_tier != expected:
        return [
            (
                "親コード",
                f"親の地域「{row.parent_code}」は「{Tier(parent_tier).label}」です。"
                f"「{Tier(row.tier).label}」の親は「{Tier(expected).label}」の地域にしてください。",
            )
        ]
    return []


def _area_step(row: _AreaRow, area: Area | None, parent_codes: dict[int, str]) -> _Step:
    if area is None:
        return _Step(row.line, "created", lambda: _save_area(Area(code=row.code), row))
    unchanged = all(getattr(area, name) == value for name, value in row.values.items())
    if unchanged and parent_codes.get(area.parent_id, "") == row.parent_code:
        return _Step(row.line, "unchanged")
    return _Step(row.line, "updated", lambda: _save_area(area, row))


def _save_area(area: Area, row: _AreaRow) -> None:
    for name, value in row.values.items():
        setattr(area, name, value)
    # Fetched now, not earlier: an ancestor saved before this row may have moved it (new path).
    area.parent = Area.objects.get(code=row.parent_code) if row.parent_code else None
    area.full_clean(exclude=["path"], validate_unique=False)
    area.save()


# --- listings ----------------------------------------------------------------------------------

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


@dataclass
class _ListingRow:
    line: int
    external_id: str
    # Field name → incoming value, for the columns present in the file. Besides model fields:
    # description (plain text), age_groups (codes), topics (names), schedule_rules (Rules),
    # consultation_keywords (keywords).
    values: dict[str, Any]


@dataclass
class _ListingContext:
    areas: dict[str, Area]
    ages: dict[str, AgeGroup]
    parent: ListingIndexPage | None
    taken_slugs: set[str] = field(default_factory=set)


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
    table = _read(source, LISTING_FILE_COLUMNS, LISTING_REQUIRED_COLUMNS, result)
    if table is None:
        return result
    areas = {area.code: area for area in Area.objects.all()}
    rows, errors = [], []
    for row in table.rows:
        parsed, row_errors = _parse_listing_row(row, areas)
        errors += row_errors
        rows.append(parsed)
    errors += _duplicates(rows, "external_id", "ID")
    if errors:
        result.fail(errors)
        return result

    existing = _existing_listings([row.external_id for row in rows])
    if parent is None and any(row.external_id not in existing for row in rows):
        parent = ListingIndexPage.objects.first()
        if parent is None:
            result.fail([RowError(1, "", "取り込み先の「居場所・窓口の一覧」ページがありません。")])
            return result
    context = _ListingContext(areas, {a.code: a for a in AgeGroup.objects.all()}, parent)
    if parent is not None:
        context.taken_slugs = set(parent.get_children().values_list("slug", flat=True))
    steps = [_listing_step(row, existing.get(row.external_id), context) for row in rows]
    _run(steps, result, {v: k for k, v in LISTING_COLUMN_FIELDS.items()}, progress)
    return result


def _parse_listing_row(row: Row, areas: dict[str, Area]) -> tuple[_ListingRow, list[RowError]]:
    cells = _Cells(row)
    external_id = cells.take("ID", _field_parser(ListingPage, "external_id"), required=True)
    values = {
        "kind": cells.take("区分", _choice_parser(Kind, KIND_ALIASES), required=True),
        "location_area": cells.take("地区コード", lambda v: _area(v, areas), required=True),
        "service_tier": cells.take(
            "対象範囲", _choice_parser(Tier, TIER_ALIASES), empty=Tier.NEIGHBOURHOOD
        ),
        "description": cells.take("説明", normalize_text),
        "age_groups": cells.take("対象者", _parse_ages, empty=()),
        "topics": cells.take("テーマ", _parse_topics, empty=()),
        "booking": cells.take("予約", parse_booking),
        "consultation_keywords": cells.take("相談内容", _parse_keywords, empty=()),
        "last_verified": cells.take("最終確認日", parse_date, empty=None),
        "schedule_rules": _schedule(cells),
        **_coordinates(cells),
    }
    for column, name in (LISTING_TEXT_COLUMNS | LISTING_SOURCE_COLUMNS).items():
        parse = _field_parser(ListingPage, name, _FIELD_MESSAGES.get(name, ""))
        values[name] = cells.take(column, parse, required=name == "title")
    for name in ("schedule_note", "accessibility"):
        if values[name] is not _MISSING:
            values[name] = normalize_text(values[name])
    values = {name: value for name, value in values.items() if value is not _MISSING}
    return _ListingRow(row.line, external_id, values), cells.errors


def _area(code: str, areas: dict[str, Area]) -> Area:
    try:
        return areas[code]
    except KeyError:
        raise CellError(
            f"地区コード「{code}」の地域がありません。先に地域CSVを取り込んでください。"
        ) from None


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


def _schedule(cells: _Cells) -> Any:
    """利用可能曜日 × 開始時間/終了時間 → Rules (``_MISSING`` when the column is absent)."""
    rules = cells.take("利用可能曜日", parse_weekdays, empty=[])
    start = cells.take("開始時間", parse_time, empty=None)
    end = cells.take("終了時間", parse_time, empty=None)
    start = None if start is _MISSING else start
    end = None if end is _MISSING else end
    if start and end and end <= start:
        cells.fail("終了時間", "終了時間は開始時間より後にしてください。")
    if (start or end) and (rules is _MISSING or not rules):
        column = "開始時間" if start else "終了時間"
        cells.fail(column, "時間を入れるときは「利用可能曜日」も入力してください。")
    if rules is _MISSING:
        return _MISSING
    return tuple(rule.with_times(start, end) for rule in rules)


def _existing_listings(external_ids: list[str]) -> dict[str, ListingPage]:
    found: dict[str, ListingPage] = {}
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        chunk = external_ids[start : start + LOOKUP_CHUNK]
        pages = (
            ListingPage.objects.filter(external_id__in=chunk)
            .select_related("location_area")
            .prefetch_related("age_groups", "topics", "schedule_rules")
        )
        found |= {page.external_id: page for page in pages}
    return found


def _listing_step(row: _ListingRow, page: ListingPage | None, context: _ListingContext) -> _Step:
    if page is None:
        slug = _unique_slug(row.external_id, context.taken_slugs)
        return _Step(row.line, "created", lambda: _create_listing(row, slug, context))
    # Compare with what is published; a page staff took offline is compared with its draft.
    base = page if page.live else page.get_latest_revision_as_object()
    changed = [
        name
        for name, value in row.values.items()
        if _comparable(name, value) != _current_value(base, name)
    ]
    if not changed:
        return _Step(row.line, "unchanged")
    return _Step(row.line, "updated", lambda: _update_listing(base, row, changed, context))


def _unique_slug(external_id: str, taken: set[str]) -> str:
    base = slugify(external_id)
    if not base:
        # A non-ASCII ID: a short stable hash keeps the URL ASCII and the same on every import.
        base = "listing-" + hashlib.sha1(external_id.encode()).hexdigest()[:10]
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _comparable(name: str, value: Any) -> Any:
    if name == "age_groups":
        return frozenset(value)
    if name == "topics":
        # Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE).
        return frozenset(topic.casefold() for topic in value)
    return value


def _current_value(page: ListingPage, name: str) -> Any:
    if name == "description":
        # Compared as plain text, so re-importing an export keeps staff's formatting.
        return html_to_text(page.description)
    if name == "age_groups":
        return frozenset(group.code for group in page.age_groups.all())
    if name == "topics":
        return frozenset(tag.name.casefold() for tag in page.topics.all())
    if name == "schedule_rules":
        return tuple(Rule.from_model(rule) for rule in page.schedule_rules.all())
    if name == "consultation_keywords":
        return tuple(split_keywords(page.consultation_keywords))
    if name in ("schedule_note", "accessibility"):
        return normalize_text(getattr(page, name))
    return getattr(page, name)


def _apply(page: ListingPage, name: str, value: Any, context: _ListingContext) -> None:
    if name == "description":
        page.description = text_to_html(value)
    elif name == "age_groups":
        page.age_groups.set([context.ages[code] for code in value])
    elif name == "topics":
        page.topics.set(list(value))
    elif name == "schedule_rules":
        page.schedule_rules = [
            ScheduleRule(sort_order=order, **rule.model_kwargs())
            for order, rule in enumerate(value)
        ]
    elif name == "consultation_keywords":
        page.consultation_keywords = "、".join(value)
    else:
        setattr(page, name, value)


def _create_listing(row: _ListingRow, slug: str, context: _ListingContext) -> None:
    page = ListingPage(slug=slug, external_id=row.external_id, live=False)
    for name, value in row.values.items():
        _apply(page, name, value, context)
    with disable_reference_index_auto_update():
        # Saved three times in all; the last (publish) indexes the page's references.
        context.parent.add_child(instance=page)
        revision = page.save_revision()
    revision.publish()


def _update_listing(
    page: ListingPage, row: _ListingRow, changed: list[str], context: _ListingContext
) -> None:
    for name in changed:
        _apply(page, name, row.values[name], context)
    revision = page.save_revision()
    if page.live:
        revision.publish()


# --- shared with the open-data importers (listings.opendata) -----------------------------------
# They build the same per-row field values (see ``_ListingRow.values``) and write them through
# the same steps, so pages, revisions, publishing and "unchanged" mean the same everywhere.

ListingRow = _ListingRow
ListingContext = _ListingContext
Step = _Step
listing_step = _listing_step
existing_listings = _existing_listings
run_steps = _run


def default_listing_parent() -> ListingIndexPage | None:
    """Where new listings go when no parent is given: the first listing index page."""
    return ListingIndexPage.objects.first()


# --- formats -----------------------------------------------------------------------------------

FORMAT_CONTRACT = "contract"


def listing_formats() -> dict[str, str]:
    """Format code → label, for ``import_listings --format``."""
    from .opendata import tokyo_kodomo_shokudo

    return {
        FORMAT_CONTRACT: "居場所・窓口CSV（DESIGN.md §6）",
        tokyo_kodomo_shokudo.FORMAT: tokyo_kodomo_shokudo.LABEL,
    }


def detect_listing_format(data: bytes) -> str:
    """The format a listings file is in, told by its header; the contract when unsure."""
    from .opendata import tokyo_kodomo_shokudo

    try:
        header = read_header(data)
    except TableError:
        return FORMAT_CONTRACT  # the contract importer reports what is wrong with the file
    if tokyo_kodomo_shokudo.matches_header(header) and not set(LISTING_REQUIRED_COLUMNS) <= set(
        header
    ):
        return tokyo_kodomo_shokudo.FORMAT
    return FORMAT_CONTRACT


def read_header(data: bytes) -> list[str]:
    text = decode(data)
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return [clean_cell(cell) for cell in first]


def import_listing_file(
    source: Source,
    *,
    format: str | None = None,
    dry_run: bool = False,
    parent: ListingIndexPage | None = None,
    progress: Progress | None = None,
    **options: Any,
):
    """Import a listings file in any known format (``format=None``: told by the header).

    The contract goes to ``import_listings`` (options are not used); open-data layouts go to
    their importer in ``listings.opendata`` with ``options`` (e.g. ``attribution``).
    """
    try:
        data = read_bytes(source)
    except TableError:
        data = None  # let the chosen importer report it as it always does
    chosen = format or (detect_listing_format(data) if data is not None else FORMAT_CONTRACT)
    if chosen == FORMAT_CONTRACT:
        return import_listings(
            source if data is None else data, dry_run=dry_run, parent=parent, progress=progress
        )
    from .opendata import tokyo_kodomo_shokudo

    if chosen == tokyo_kodomo_shokudo.FORMAT:
        return tokyo_kodomo_shokudo.import_file(
            source if data is None else data,
            dry_run=dry_run,
            parent=parent,
            progress=progress,
            **options,
        )
    raise ValueError(f"unknown listings format: {chosen}")
