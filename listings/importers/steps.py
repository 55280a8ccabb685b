"""The all-or-nothing run: every row's step is counted, then written in one transaction.

An importer first reads and checks every row, then turns each into a ``Step`` (created,
updated or unchanged, with what to write). ``run_steps`` counts them, writes them inside one
transaction (not at all for a dry run) and reports progress; a write that still fails
validation rolls everything back and is reported against its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from .results import Progress, RowError
from .table import Table, TableError, read_table


class Result(Protocol):
    """What ``run_steps`` needs of an import's result."""

    dry_run: bool
    created: int
    updated: int
    unchanged: int

    def fail(self, errors: list[RowError]) -> None: ...


def read_or_fail(
    source: Any, columns: tuple[str, ...], required: tuple[str, ...], result: Result
) -> Table | None:
    """The file's rows, or None with the reason recorded on line 1 of ``result``."""
    try:
        return read_table(source, columns, required, spreadsheet_guard=True)
    except TableError as exc:
        result.fail([RowError(1, exc.column, exc.message)])
        return None


@dataclass
class Step:
    """What importing one row does; ``write`` is None when the row changes nothing."""

    line: int
    action: str  # "created" | "updated" | "unchanged"
    write: Callable[[], None] | None = None
    # For a preview: what the row is (its ID and name) and, for an update, each changed field
    # as (field name, before, after) in display text.
    label: str = ""
    changes: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One row's step as a result keeps it (``Result.outcomes``), for a preview or a report."""

    line: int
    action: str
    label: str
    changes: tuple[tuple[str, str, str], ...] = ()


class _WriteFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def run_steps(
    steps: list[Step],
    result: Result,
    columns_by_field: dict[str, str],
    progress: Progress | None,
) -> None:
    outcomes = getattr(result, "outcomes", None)
    for step in steps:
        setattr(result, step.action, getattr(result, step.action) + 1)
        if outcomes is not None:
            outcomes.append(Outcome(step.line, step.action, step.label, step.changes))
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


def _write_step(step: Step, columns_by_field: dict[str, str]) -> None:
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


def duplicates(rows: list[Any], key: str, column: str) -> list[RowError]:
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
