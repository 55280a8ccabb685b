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

from django.core.cache import cache
from django.db import Error as DatabaseError
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
        return services.make_draft(submission_id)
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
