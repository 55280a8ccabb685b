"""The Areas CSV (DESIGN.md §6): ``コード, 名称, 名称_カナ, 階層, 親コード, 緯度, 経度``.

Rows are matched to areas by コード, so importing the same file twice changes nothing; parents
are written before their children whatever the file's order, and the tree must still fit after
the import (each parent one tier up). Any bad row: nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..models import Area
from ..vocabulary import TIER_ALIASES, TIER_ORDER, Tier
from .cells import MISSING, Cells, choice_parser, coordinates, field_parser
from .results import ImportResult, Progress, RowError
from .steps import Step, duplicates, read_or_fail, run_steps
from .table import Row, Source

AREA_COLUMNS: tuple[str, ...] = ("コード", "名称", "名称_カナ", "階層", "親コード", "緯度", "経度")
AREA_REQUIRED_COLUMNS: tuple[str, ...] = ("コード", "名称", "階層", "親コード")


@dataclass
class AreaImportResult(ImportResult):
    subject: ClassVar[str] = "地域"
    columns: ClassVar[tuple[str, ...]] = AREA_COLUMNS


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
    table = read_or_fail(source, AREA_COLUMNS, AREA_REQUIRED_COLUMNS, result)
    if table is None:
        return result
    existing = {area.code: area for area in Area.objects.all()}
    rows, errors = [], []
    for row in table.rows:
        parsed, row_errors = _parse_area_row(row)
        errors += row_errors
        rows.append(parsed)
    errors += duplicates(rows, "code", "コード")
    errors += _check_area_tree(rows, existing)
    if errors:
        result.fail(errors)
        return result
    parent_codes = {area.pk: code for code, area in existing.items()}
    steps = [
        _area_step(row, existing.get(row.code), parent_codes)
        for row in sorted(rows, key=_tree_order)
    ]
    run_steps(steps, result, {v: k for k, v in AREA_COLUMN_FIELDS.items()}, progress)
    return result


def _parse_area_row(row: Row) -> tuple[_AreaRow, list[RowError]]:
    cells = Cells(row)
    code = cells.take("コード", field_parser(Area, "code"), required=True)
    values = {
        "name": cells.take("名称", field_parser(Area, "name"), required=True),
        "tier": cells.take("階層", choice_parser(Tier, TIER_ALIASES), empty=None, required=True),
        "name_kana": cells.take("名称_カナ", field_parser(Area, "name_kana")),
        **coordinates(cells),
    }
    values = {name: value for name, value in values.items() if value is not MISSING}
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


def _area_step(row: _AreaRow, area: Area | None, parent_codes: dict[int, str]) -> Step:
    if area is None:
        return Step(row.line, "created", lambda: _save_area(Area(code=row.code), row))
    unchanged = all(getattr(area, name) == value for name, value in row.values.items())
    if unchanged and parent_codes.get(area.parent_id, "") == row.parent_code:
        return Step(row.line, "unchanged")
    return Step(row.line, "updated", lambda: _save_area(area, row))


def _save_area(area: Area, row: _AreaRow) -> None:
    for name, value in row.values.items():
        setattr(area, name, value)
    # Fetched now, not earlier: an ancestor saved before this row may have moved it (new path).
    area.parent = Area.objects.get(code=row.parent_code) if row.parent_code else None
    area.full_clean(exclude=["path"], validate_unique=False)
    area.save()
