"""Reading one row's cells: each parsed on its own, every problem kept with its line and column.

``Cells.take`` parses a cell and, instead of stopping at the first bad one, collects a
``RowError`` per bad cell, so an import reports every problem of a file at once. The parsers
raise ``CellError`` with a message for the person who made the file.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from ..vocabulary import code_for
from .results import RowError
from .table import Row, clean_cell

LIST_SEPARATORS = re.compile(r"[;；]")
# What ``Cells.take`` returns for a column the file does not have (the field is left as it is).
MISSING: Any = object()


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the person who made the file."""


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


def parse_float(value: str, low: float, high: float) -> float:
    try:
        number = float(normalize_width(value))
    except ValueError as exc:
        raise CellError(f"「{value}」は数値として読めません。") from exc
    if not math.isfinite(number) or not low <= number <= high:
        raise CellError(f"{low:g}〜{high:g} の範囲で入力してください（「{value}」）。")
    return number


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
DATE_PATTERN = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


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
    match = DATE_PATTERN.match(normalize_width(value).replace(" ", ""))
    try:
        if not match:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError(f"「{value}」は日付として読めません。例：2026-04-01") from exc


class Cells:
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
        """The parsed cell; ``empty`` when blank or bad; ``MISSING`` when the column is absent."""
        if not self.row.has(column):
            return MISSING
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


def field_parser(model: type[models.Model], name: str, message: str = "") -> Callable:
    """Check a text cell against the model field's own validators (length, e-mail, URL)."""
    model_field = model._meta.get_field(name)

    def parse(value: str) -> str:
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            raise CellError(message or " ".join(exc.messages)) from exc
        return value

    return parse


def choice_parser(choices: type[models.TextChoices], aliases: dict) -> Callable[[str], str]:
    return lambda value: parse_choice(choices, value, aliases)


def coordinates(cells: Cells) -> dict[str, float | None]:
    """緯度・経度: each in range, given both or neither; absent columns are left out."""
    latitude = cells.take("緯度", lambda v: parse_float(v, -90, 90), empty=None)
    longitude = cells.take("経度", lambda v: parse_float(v, -180, 180), empty=None)
    if latitude is MISSING and longitude is MISSING:
        return {}
    lat_given, lng_given = cells.row.get("緯度") != "", cells.row.get("経度") != ""
    if lat_given != lng_given:
        column = "経度" if lat_given else "緯度"
        cells.fail(column, "緯度と経度は両方入力するか、両方空にしてください。")
    return {
        "latitude": None if latitude is MISSING else latitude,
        "longitude": None if longitude is MISSING else longitude,
    }
