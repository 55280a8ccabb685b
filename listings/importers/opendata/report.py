"""The import report for open-data files: per city and in total (docs/data.md, 「取り込みの報告」).

Every row of the file is accounted for: it became a listing (created, updated or unchanged),
was a duplicate of another row or listing, or was skipped with a reason. Rows that became
listings are also counted by how their schedule was read and whether they have coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..results import RowError

UNKNOWN_CITY = ""
UNKNOWN_CITY_NAME = "市区町村不明"


@dataclass(frozen=True)
class RowNote:
    line: int
    message: str

    def __str__(self) -> str:
        return f"行 {self.line}: {self.message}"


@dataclass
class CityReport:
    code: str
    name: str
    area_created: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[RowNote] = field(default_factory=list)
    skipped: list[RowNote] = field(default_factory=list)
    schedules_parsed: int = 0
    schedules_weekday: int = 0  # weekday known, dates to confirm (tentative rules)
    schedules_text: int = 0
    schedules_none: int = 0
    without_coordinates: int = 0
    notes: list[RowNote] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    @property
    def imported(self) -> int:
        """Rows that are a listing after this import (created, updated or unchanged)."""
        return self.created + self.updated + self.unchanged

    @property
    def accounted(self) -> int:
        return self.imported + len(self.duplicates) + len(self.skipped)

    def counts(self) -> str:
        return (
            f"読込 {self.rows}、新規 {self.created}、更新 {self.updated}、"
            f"変更なし {self.unchanged}、重複 {len(self.duplicates)}、除外 {len(self.skipped)}／"
            f"開催日時 構造化 {self.schedules_parsed}・曜日のみ（日程要確認） "
            f"{self.schedules_weekday}・文字のみ {self.schedules_text}・"
            f"記載なし {self.schedules_none}／座標なし {self.without_coordinates}"
        )


@dataclass
class OpenDataImportResult:
    """What an open-data import did (or would do, with ``dry_run``)."""

    format_label: str
    dry_run: bool = False
    cities: dict[str, CityReport] = field(default_factory=dict)
    # Problems with the file as a whole (not this layout, unreadable) or a failed write:
    # nothing was imported.
    errors: list[RowError] = field(default_factory=list)
    # Remarks about the whole file (e.g. no attribution columns).
    warnings: list[str] = field(default_factory=list)
    # Totals of written listings, kept by ``listings.importers.steps.run_steps``.
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Every row's step (``listings.importers.steps.Outcome``), kept by ``run_steps``.
    outcomes: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(set(errors), key=lambda e: (e.line, e.column, e.message))
        self.created = self.updated = self.unchanged = 0
        self.outcomes = []
        for city in self.cities.values():
            city.created = city.updated = city.unchanged = 0

    def city(self, code: str, name: str) -> CityReport:
        if code not in self.cities:
            self.cities[code] = CityReport(code, name or UNKNOWN_CITY_NAME)
        return self.cities[code]

    def ordered_cities(self) -> list[CityReport]:
        # By code; rows whose city is unknown last.
        return sorted(self.cities.values(), key=lambda c: (c.code == UNKNOWN_CITY, c.code))

    def total(self) -> CityReport:
        total = CityReport("", "合計")
        for city in self.cities.values():
            for name in (
                "rows",
                "created",
                "updated",
                "unchanged",
                "schedules_parsed",
                "schedules_weekday",
                "schedules_text",
                "schedules_none",
                "without_coordinates",
            ):
                setattr(total, name, getattr(total, name) + getattr(city, name))
            total.duplicates += city.duplicates
            total.skipped += city.skipped
            total.notes += city.notes
        return total

    @property
    def title(self) -> str:
        return f"{self.format_label}の取り込み" + ("（試行・書き込みなし）" if self.dry_run else "")

    def summary(self) -> str:
        if self.errors:
            return (
                f"{self.title}: エラーが {len(self.errors)}件あるため、何も取り込みませんでした。"
            )
        total = self.total()
        verb = "になります" if self.dry_run else ""
        return (
            f"{self.title}: {total.rows}行のうち、新規 {total.created}件、更新 {total.updated}件、"
            f"変更なし {total.unchanged}件、重複 {len(total.duplicates)}件、"
            f"除外 {len(total.skipped)}件{verb}（{len(self.cities)}市区町村）。"
        )

    def report_lines(self) -> list[str]:
        """The full report: a line per city with its row notes, then the totals."""
        lines = [self.title, *(f"注意: {w}" for w in self.warnings)]
        for city in self.ordered_cities():
            created = "（地域を新規作成）" if city.area_created else ""
            lines.append(f"■ {city.label}{created}: {city.counts()}")
            notes = [
                *(RowNote(n.line, f"除外: {n.message}") for n in city.skipped),
                *(RowNote(n.line, f"重複: {n.message}") for n in city.duplicates),
                *city.notes,
            ]
            lines += [f"  {note}" for note in sorted(notes, key=lambda n: n.line)]
        lines.append(f"■ 合計（{len(self.cities)}市区町村）: {self.total().counts()}")
        return lines
