"""The CSV exchange contract (DESIGN.md §6): column names, reading, and cell parsing/formatting.

Everything here is pure (no database), so importers, exporters and tests share one definition
of what a cell means.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models

from .schedules import LAST_WEEK, Rule, weekday_token
from .vocabulary import WEEKDAY_NAMES, Booking, code_for

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

AREA_COLUMNS: tuple[str, ...] = ("コード", "名称", "名称_カナ", "階層", "親コード", "緯度", "経度")
AREA_REQUIRED_COLUMNS: tuple[str, ...] = ("コード", "名称", "階層", "親コード")

ENCODINGS = ("utf-8-sig", "cp932")
LIST_SEPARATORS = re.compile(r"[;；]")

BOOKING_ALIASES = {
    "要": Booking.REQUIRED,
    "必要": Booking.REQUIRED,
    "要予約": Booking.REQUIRED,
    "予約必要": Booking.REQUIRED,
    "不要": Booking.NOT_REQUIRED,
    "予約なし": Booking.NOT_REQUIRED,
}


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the person who made the file."""


class TableError(ValueError):
    """The file as a whole cannot be read (reported on line 1)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]
    # A message when the row has more cells than the header (usually an unquoted comma).
    problem: str = ""

    def has(self, column: str) -> bool:
        return column in self.cells

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[Row]


# --- reading -----------------------------------------------------------------------------------


def read_bytes(source: Any) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise TableError("", f"ファイルを読めません（{exc.strerror or exc}）: {source}") from exc


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            "", "UTF-16 のファイルは読めません。UTF-8 か Shift_JIS で保存してください。"
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        "", "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存してください。"
    )


def clean_cell(value: str) -> str:
    # str.strip() also removes the full-width space U+3000 (it is Unicode whitespace).
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def read_table(source: Any, known: tuple[str, ...], required: tuple[str, ...]) -> Table:
    """Read a contract CSV; rows keep the physical line where they start (header = line 1)."""
    text = decode(read_bytes(source))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [clean_cell(c) for c in next(reader, [])]
        columns = _check_header(header, known, required)
        rows = list(_rows(reader, header, columns))
    except csv.Error as exc:
        raise TableError("", f"CSVとして読めません（{reader.line_num}行目付近: {exc}）") from exc
    return Table(columns, rows)


def _check_header(
    header: list[str], known: tuple[str, ...], required: tuple[str, ...]
) -> tuple[str, ...]:
    for name in known:
        if header.count(name) > 1:
            raise TableError(name, f"見出し行に「{name}」の列が2つ以上あります。")
    missing = [name for name in required if name not in header]
    if missing:
        raise TableError(missing[0], f"見出し行に必須の列「{'」「'.join(missing)}」がありません。")
    return tuple(name for name in header if name in known)


def _rows(reader: Any, header: list[str], columns: tuple[str, ...]) -> Iterator[Row]:
    last_line = reader.line_num
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        values = [clean_cell(c) for c in cells]
        if not any(values):
            continue
        problem = ""
        if len(values) > len(header) and any(values[len(header) :]):
            problem = (
                f"セルの数（{len(values)}）が見出し行（{len(header)}）より多くなっています。"
                'カンマを含むセルは " で囲んでください。'
            )
        by_name = dict(zip(header, values, strict=False))
        yield Row(line, {name: by_name.get(name, "") for name in columns}, problem)


# --- parsing cells -----------------------------------------------------------------------------


def normalize_width(value: str) -> str:
    """Full-width digits and punctuation to ASCII (２０２６／４／１ → 2026/4/1)."""
    return unicodedata.normalize("NFKC", value)


def split_list(value: str) -> list[str]:
    """Items of a `;`-separated cell, stripped, without blanks or repeats."""
    items = (clean_cell(part) for part in LIST_SEPARATORS.split(value))
    return list(dict.fromkeys(item for item in items if item))


def parse_choice(choices: type[models.TextChoices], value: str, aliases: dict | None = None) -> str:
    try:
        return code_for(choices, value, aliases)
    except ValueError as exc:
        raise CellError(str(exc)) from exc


def parse_booking(value: str) -> str:
    return parse_choice(Booking, value, BOOKING_ALIASES) if value else ""


def parse_float(value: str, low: float, high: float) -> float:
    try:
        number = float(normalize_width(value))
    except ValueError as exc:
        raise CellError(f"「{value}」は数値として読めません。") from exc
    if not math.isfinite(number) or not low <= number <= high:
        raise CellError(f"{low:g}〜{high:g} の範囲で入力してください（「{value}」）。")
    return number


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def parse_time(value: str) -> datetime.time:
    match = _TIME.match(normalize_width(value).replace(" ", ""))
    try:
        if not match:
            raise ValueError
        hour, minute, second = (int(part or 0) for part in match.groups())
        return datetime.time(hour, minute, second)
    except ValueError as exc:
        raise CellError(f"「{value}」は時刻として読めません。例：10:00") from exc


def parse_date(value: str) -> datetime.date:
    match = _DATE.match(normalize_width(value).replace(" ", ""))
    try:
        if not match:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError(f"「{value}」は日付として読めません。例：2026-04-01") from exc


# --- schedules ---------------------------------------------------------------------------------


_WEEKDAY = "(?P<weekday>[" + "".join(WEEKDAY_NAMES) + "])"
_WEEKLY = re.compile(rf"^(?:毎週)?{_WEEKDAY}$")
_NTH = re.compile(rf"^(?:毎月)?第(?P<week>[1-5]){_WEEKDAY}$")
_LAST = re.compile(rf"^(?:毎月)?最終{_WEEKDAY}$")
_MONTHDAY = re.compile(r"^(?:毎月)?(?P<day>[1-9]|[12][0-9]|3[01])日$")


def parse_weekday_token(token: str) -> Rule:
    """月 / 第2土 / 最終金 / 毎月12日 / 2026-12-05 (曜・曜日 suffixes, full-width digits)."""
    text = re.sub(r"曜日?$", "", normalize_width(token).replace(" ", ""))
    if match := _WEEKLY.match(text):
        return Rule("weekly", WEEKDAY_NAMES.index(match["weekday"]))
    if match := _NTH.match(text):
        return Rule("monthly", WEEKDAY_NAMES.index(match["weekday"]), int(match["week"]))
    if match := _LAST.match(text):
        return Rule("monthly", WEEKDAY_NAMES.index(match["weekday"]), LAST_WEEK)
    if match := _MONTHDAY.match(text):
        return Rule("monthday", day_of_month=int(match["day"]))
    if _DATE.match(text):
        return Rule("date", date=parse_date(text))
    raise CellError(
        f"「{token}」は曜日として読めません。例：月;水、第2土;第4土、最終金、毎月12日、2026-12-05"
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
