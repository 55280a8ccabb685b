"""The "find my area" lookup CSV: ``種類, 名称, 名称_カナ, 地区コード``.

Rows are matched by (種類, 名称), so importing the same file twice changes nothing. It reuses the
listings importers' row machinery: every bad cell is reported by line and column, and a file
with any bad row imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from listings.importers.cells import Cells, choice_parser, field_parser
from listings.importers.results import ImportResult, Progress, RowError
from listings.importers.steps import Step, read_or_fail, run_steps
from listings.importers.table import Source
from listings.models import Area

from .models import AreaLookup, LookupKind

LOOKUP_COLUMNS: tuple[str, ...] = ("種類", "名称", "名称_カナ", "地区コード")
LOOKUP_REQUIRED: tuple[str, ...] = ("種類", "名称", "地区コード")
KIND_ALIASES = {
    "町丁目": LookupKind.TOWN,
    "住所": LookupKind.TOWN,
    "町名": LookupKind.TOWN,
    "学校": LookupKind.SCHOOL,
    "小学校区": LookupKind.SCHOOL,
    "施設": LookupKind.LANDMARK,
    "通称": LookupKind.LANDMARK,
}
COLUMN_FIELDS = {"種類": "kind", "名称": "name", "名称_カナ": "name_kana", "地区コード": "area"}


@dataclass
class LookupImportResult(ImportResult):
    subject: ClassVar[str] = "地域の検索語"
    columns: ClassVar[tuple[str, ...]] = LOOKUP_COLUMNS


@dataclass
class _LookupRow:
    line: int
    kind: str
    name: str
    name_kana: str
    area: Area | None


def import_area_lookup(
    source: Source, *, dry_run: bool = False, progress: Progress | None = None
) -> LookupImportResult:
    """Create or update lookup entries, matched by (種類, 名称); all rows or none."""
    result = LookupImportResult(dry_run=dry_run)
    table = read_or_fail(source, LOOKUP_COLUMNS, LOOKUP_REQUIRED, result)
    if table is None:
        return result
    areas = {area.code: area for area in Area.objects.all()}
    rows: list[_LookupRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        cells = Cells(row)
        kind = cells.take("種類", choice_parser(LookupKind, KIND_ALIASES), required=True)
        name = cells.take("名称", field_parser(AreaLookup, "name"), required=True)
        kana = cells.take("名称_カナ", field_parser(AreaLookup, "name_kana"))
        code = cells.take("地区コード", required=True)
        area = areas.get(code)
        if code and area is None:
            cells.fail(
                "地区コード",
                f"地区コード「{code}」の地域がありません。先に地域を取り込んでください。",
            )
        if kind and name:
            if (kind, name) in seen:
                cells.fail("名称", f"「{name}」は{seen[(kind, name)]}行目と重複しています。")
            seen.setdefault((kind, name), row.line)
        errors += cells.errors
        rows.append(_LookupRow(row.line, kind, name, "" if kana is None else kana or "", area))
    if errors:
        result.fail(errors)
        return result
    existing = {(e.kind, e.name): e for e in AreaLookup.objects.all()}
    steps = [_step(row, existing.get((row.kind, row.name))) for row in rows]
    run_steps(steps, result, {v: k for k, v in COLUMN_FIELDS.items()}, progress)
    return result


def _step(row: _LookupRow, entry: AreaLookup | None) -> Step:
    if entry is None:
        new = AreaLookup(kind=row.kind, name=row.name)
        return Step(row.line, "created", lambda: _save(new, row))
    if entry.area_id == row.area.pk and entry.name_kana == row.name_kana:
        return Step(row.line, "unchanged")
    return Step(row.line, "updated", lambda: _save(entry, row))


def _save(entry: AreaLookup, row: _LookupRow) -> None:
    entry.name_kana = row.name_kana
    entry.area = row.area
    entry.full_clean(validate_unique=False)
    entry.save()
