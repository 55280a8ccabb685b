"""When a write fails, nothing a group sent is lost (docs/submissions.md, "Under load").

* Storing fails (the database is busy or gone, the disk is full): the view catches
  ``STORE_ERRORS`` and sends the form back with everything typed (503 with Retry-After).
* Making the draft after the commit fails, or the process dies first: the submission was marked
  (``draft_due_at``) in the transaction that stored it, and the mark goes only once the draft
  is made (or is waiting its turn behind another review). A marked submission is retried on the
  submitter's next visit to the status page and by ``manage.py retry_submission_drafts``
  (cron), and shows as 再試行待ち in the admin queue.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import services
from .models import Submission

logger = logging.getLogger(__name__)

STORE_ERRORS = (DatabaseError, OSError)
STORE_RETRY_SECONDS = 30
# The cron retry leaves fresh ones to the request that stored them, and stops after a day
# (a draft that still fails needs staff: the error is on the review page).
STUCK_AFTER = datetime.timedelta(minutes=10)
GIVE_UP_AFTER = datetime.timedelta(days=1)
# One retry per submission at a time, and at most one a minute from status-page visits.
VISIT_RETRY_SECONDS = 60


def mark_due(submission: Submission) -> None:
    """In the storing transaction: the draft is due; it is made after the commit."""
    submission.draft_due_at = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(draft_due_at=submission.draft_due_at)
    transaction.on_commit(partial(make_draft, submission.pk), robust=True)


def make_draft(submission_id: int) -> bool:
    """Make (or bring up to date) the draft; clear the mark only if that worked (True).

    ``services.sync_draft`` records a failure on the submission, and raises only when even that
    could not be written; either way the mark stays and the draft is retried.
    """
    started = timezone.now()
    services.sync_draft(submission_id)
    made = Submission.objects.filter(pk=submission_id, processing_error="")
    # Only a mark set before this attempt goes: an update stored meanwhile keeps its own.
    made.filter(draft_due_at__lte=started).update(draft_due_at=None)
    return made.exists()


def due(stuck_after: datetime.timedelta = STUCK_AFTER) -> QuerySet[Submission]:
    """Active submissions still waiting for their draft after ``stuck_after``."""
    now = timezone.now()
    return Submission.objects.filter(
        status__in=Submission.ACTIVE_STATUSES,
        draft_due_at__lte=now - stuck_after,
        draft_due_at__gte=now - GIVE_UP_AFTER,
    ).order_by("draft_due_at", "pk")


def is_waiting_for_retry(submission: Submission) -> bool:
    return submission.is_active and submission.draft_due_at is not None


def retry(submission_id: int) -> bool:
    """One retry, never raising (a status page or a cron run must go on)."""
    try:
        return make_draft(submission_id)
    except Exception:
        logger.exception("submission %s: retrying the draft failed", submission_id)
        return False


def retry_on_visit(submission: Submission) -> None:
    """The submitter is back on the status page: a draft still due is retried now."""
    if not is_waiting_for_retry(submission):
        return
    if not cache.add(f"submissions:redraft:{submission.pk}", 1, timeout=VISIT_RETRY_SECONDS):
        return
    if retry(submission.pk):
        submission.refresh_from_db()
