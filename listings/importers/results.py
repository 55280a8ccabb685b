"""What an import did: counts, every bad row by line and column, and progress on the way.

``ImportResult`` is all-or-nothing: with any error nothing was written and the counts are zero.
Each format's result adds its subject and columns (the order errors are reported in); the
open-data result (``opendata.report``) adds a per-city report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

Progress = Callable[[int, int], None]


class Report(Protocol):
    """What every import's result tells (the commands print it)."""

    errors: list[RowError]

    @property
    def ok(self) -> bool: ...

    def summary(self) -> str: ...

    def report_lines(self) -> list[str]: ...


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
    # Every row's step (``steps.Outcome``), kept by ``steps.run_steps`` for previews.
    outcomes: list = field(default_factory=list)

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

    def report_lines(self) -> list[str]:
        """Lines to print before the summary (none: the summary says it all)."""
        return []

    def fail(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(set(errors), key=self._error_order)
        self.created = self.updated = self.unchanged = 0
        self.outcomes = []

    def _error_order(self, error: RowError) -> tuple[int, int, str]:
        # By line, then in the file's column order (whole-row problems first).
        position = self.columns.index(error.column) if error.column in self.columns else -1
        return error.line, position, error.message


def progress_printer(write: Callable[[str], None], every: int = 50) -> Progress:
    """A ``progress`` callback printing 「  100/798 行…」 every ``every`` rows and at the end."""

    def report(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            write(f"  {done}/{total} 行…")

    return report
