"""Import jobs: upload → dry-run preview → confirm → the real import, in the background.

No task queue: a job is a database row, and whatever runs it first *claims* it with one
conditional UPDATE (so two processes never run the same phase of a job). Who runs it
(setting ``IMPORT_JOBS_RUNNER``):

- ``"thread"`` (default): a thread started when the request that made or confirmed the job has
  committed. Works under gunicorn's workers: the thread lives in the worker that took the
  request, it is not a daemon (a graceful restart lets it finish), and the claim is in the
  database, shared by all workers. A worker killed mid-import rolls the import back (it is one
  transaction) and leaves the claim, which goes stale after ``IMPORT_JOB_STALE_MINUTES``.
- ``"command"``: nothing in the web process; ``manage.py run_import_jobs`` (cron or a systemd
  timer, ``--loop`` to keep polling) runs every job that is waiting. It also picks up jobs whose
  thread died (stale claims), so a site using threads may still schedule it as a safety net.
- ``"inline"``: run in the request after the commit (tests, tiny sites).

Progress is kept in the cache (the import writes inside one transaction, so a progress column
would not be visible to other connections until the end): shared between workers when
``REDIS_URL`` is set, per process otherwise (the page then shows the phase without the count).
"""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from listings.importers.registry import import_listing_file
from listings.models import ListingPage

from ..models import ImportJob

logger = logging.getLogger(__name__)

# Rows a preview or report keeps for "new" and "changed" (the counts are always complete).
MAX_ROWS_KEPT = 3000
RUNNABLE = (ImportJob.Status.PREVIEWING, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def progress_key(pk: int) -> str:
    return f"staffdesk:import-job:{pk}:progress"


def create_job(*, file_name: str, data: bytes, format: str, user: Any) -> ImportJob:
    """Store an uploaded file; its dry run starts after the commit."""
    job = ImportJob.objects.create(
        file_name=file_name[:255],
        data=data,
        format=format,
        created_by=user if getattr(user, "pk", None) else None,
    )
    _start_after_commit(job.pk)
    return job


def confirm_job(job: ImportJob) -> bool:
    """Queue the real import of a previewed file without errors; False when it cannot be."""
    if not (job.status == ImportJob.Status.PREVIEWED and job.preview.get("ok")):
        return False
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.QUEUED, confirmed_at=timezone.now(), claimed_at=None
    )
    if queued:
        _start_after_commit(job.pk)
    return bool(queued)


def cancel_job(job: ImportJob) -> bool:
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
            status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
        )
    )


def _start_after_commit(pk: int) -> None:
    transaction.on_commit(lambda: start(pk))


def start(pk: int) -> None:
    runner = getattr(settings, "IMPORT_JOBS_RUNNER", "thread")
    if runner == "inline":
        run_job(pk)
    elif runner == "thread":
        # Not a daemon: a worker's graceful shutdown waits for the import to finish.
        threading.Thread(target=_run_in_thread, args=(pk,), name=f"import-job-{pk}").start()
    # "command": left for manage.py run_import_jobs.


def _run_in_thread(pk: int) -> None:
    try:
        run_job(pk)
    except Exception:  # pragma: no cover - run_job records its own failures
        logger.exception("import job %s failed in its thread", pk)
    finally:
        connections.close_all()  # this thread's own connections


def stale_before() -> datetime.datetime:
    minutes = getattr(settings, "IMPORT_JOB_STALE_MINUTES", 180)
    return timezone.now() - datetime.timedelta(minutes=minutes)


def claim(pk: int) -> bool:
    """Take a waiting job (or one whose runner died) for this process: one conditional UPDATE."""
    return (
        ImportJob.objects.filter(pk=pk, status__in=RUNNABLE)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before()))
        .update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
        == 1
    )


def run_job(pk: int) -> ImportJob | None:
    """Run the job's next phase (the preview, or the real import); None if someone else has it."""
    if not claim(pk):
        return None
    job = ImportJob.objects.get(pk=pk)
    dry_run = job.status == ImportJob.Status.PREVIEWING
    if not dry_run:
        job.status = ImportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    try:
        result = import_listing_file(
            bytes(job.data),
            format=job.format or None,
            dry_run=dry_run,
            progress=_progress_writer(pk, dry_run),
        )
        summary = summarise(result)
    except Exception as exc:  # a bug, or the database went away: say so on the job's page
        logger.exception("import job %s failed", pk)
        summary = {
            "ok": False,
            "summary": "取り込み中に予期しないエラーが起きました。何も取り込んでいません。",
            "lines": [],
            "errors": [{"line": 0, "column": "", "message": f"{type(exc).__name__}: {exc}"}],
            "counts": {"created": 0, "updated": 0, "unchanged": 0},
            "rows": [],
        }
    if dry_run:
        job.preview = summary
        job.status = ImportJob.Status.PREVIEWED
    else:
        job.report = summary
        job.status = ImportJob.Status.DONE if summary["ok"] else ImportJob.Status.FAILED
        job.finished_at = timezone.now()
    job.claimed_at = None
    # Never over a finished import: if a runner taken for dead was only slow, the second run
    # fails on the listings the first one made (IDs are unique); the first one's DONE stands.
    ImportJob.objects.filter(pk=pk).exclude(status=ImportJob.Status.DONE).update(
        preview=job.preview,
        report=job.report,
        status=job.status,
        finished_at=job.finished_at,
        claimed_at=None,
    )
    cache.delete(progress_key(pk))
    job.refresh_from_db()
    return job


def _progress_writer(pk: int, dry_run: bool):
    key = progress_key(pk)

    def write(done: int, total: int) -> None:
        if done == total or done % max(1, total // 50) == 0:
            cache.set(key, {"done": done, "total": total, "dry_run": dry_run}, 3600)

    return write


def field_label(name: str) -> str:
    try:
        return str(ListingPage._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def summarise(result: Any) -> dict[str, Any]:
    """An import's result as JSON for the job's page: counts, errors, and new/changed rows."""
    rows = [
        {
            "line": outcome.line,
            "action": outcome.action,
            "label": outcome.label,
            "changes": [
                [field_label(name), before, after] for name, before, after in outcome.changes
            ],
        }
        for outcome in getattr(result, "outcomes", [])
        if outcome.action != "unchanged"
    ]
    return {
        "ok": result.ok,
        "summary": result.summary(),
        "lines": list(result.report_lines()),
        "errors": [
            {"line": error.line, "column": error.column, "message": error.message}
            for error in result.errors
        ],
        "counts": {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        "rows": rows[:MAX_ROWS_KEPT],
        "rows_cut": max(0, len(rows) - MAX_ROWS_KEPT),
    }
