"""Reading an import file: bytes → text (UTF-8 with or without BOM, or Shift_JIS/CP932) → rows.

Every importer reads its file through ``read_table``: rows keep the physical line where they
start (the header is line 1), cells are trimmed, and a file that cannot be read at all raises
``TableError`` (reported on line 1).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A path, or the file's bytes.
Source = str | Path | bytes
ENCODINGS = ("utf-8-sig", "cp932")


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


# Spreadsheet formula injection: a cell that starts with one of these is a formula to Excel and
# LibreOffice (=HYPERLINK(...), +cmd|...). Export writes such cells with a leading ' (shown as
# text, not saved in the cell); import takes off the one ' that export added. A cell that already
# started with ' before one of these gets one more, so the round trip is exact. Plain numbers
# (-33.5 as a longitude) are numbers to a spreadsheet, never formulas: written as they are.
FORMULA_TRIGGERS = "=+-@\t\r"
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def guard_cell(value: str) -> str:
    """A cell safe to open in a spreadsheet (docs/data.md)."""
    if not value or _PLAIN_NUMBER.match(value):
        return value
    if value[0] in FORMULA_TRIGGERS or _GUARDED.match(value):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """The cell as it was before ``guard_cell``."""
    return value[1:] if _GUARDED.match(value) else value


def read_table(
    source: Any,
    known: tuple[str, ...],
    required: tuple[str, ...],
    *,
    spreadsheet_guard: bool = False,
) -> Table:
    """The rows of a CSV file with ``known`` columns (``required`` must be in the header).

    ``spreadsheet_guard``: the file may be our own export, whose formula guard (``guard_cell``)
    is taken off every cell."""
    text = decode(read_bytes(source))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [clean_cell(c) for c in next(reader, [])]
        columns = _check_header(header, known, required)
        rows = list(_rows(reader, header, columns, spreadsheet_guard))
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


def _rows(
    reader: Any, header: list[str], columns: tuple[str, ...], spreadsheet_guard: bool = False
) -> Iterator[Row]:
    last_line = reader.line_num
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        values = [clean_cell(unguard_cell(c) if spreadsheet_guard else c) for c in cells]
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


def read_header(data: bytes) -> list[str]:
    """The cleaned cells of the first line (for telling a file's format)."""
    text = decode(data)
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return [clean_cell(cell) for cell in first]
