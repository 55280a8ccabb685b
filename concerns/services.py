"""Writing concerns: store first, tell the coordinator after the commit, purge when due."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from listings.models import Area
from portal.staff_mail import mail_and_record, site_name
from submissions.tokens import hash_token, new_reference, new_token

from . import selectors
from .models import Concern


def _unique_reference() -> str:
    for _attempt in range(20):
        reference = new_reference()
        if not Concern.objects.filter(reference=reference).exists():
            return reference
    raise IntegrityError("no free concern reference")  # pragma: no cover - 31^8 codes


@transaction.atomic
def create_concern(
    *, category: str, what: str, where_hint: str, callback: str, area: Area | None
) -> tuple[Concern, str]:
    """Store a concern; returns it and the raw status-link token (stored only as a hash)."""
    token = new_token()
    concern = Concern.objects.create(
        reference=_unique_reference(),
        token_hash=hash_token(token),
        area=area,
        coordinator=selectors.route(area),
        category=category,
        what=what,
        where_hint=where_hint,
        callback=callback,
    )
    # robust: a mail failure after the commit is recorded, never an error page (it is stored).
    transaction.on_commit(partial(notify, concern.pk), robust=True)
    return concern, token


def recipients(concern: Concern) -> list[str]:
    if concern.coordinator_id and concern.coordinator.notify_email:
        return [concern.coordinator.notify_email]
    fallback = getattr(settings, "CONCERN_FALLBACK_EMAIL", "")
    return [fallback] if fallback else []


def notify(concern_id: int) -> bool:
    """Tell the coordinator a concern arrived: reference, area, kind and the admin link only —
    the text stays in the admin, behind the permission. Never raises."""
    concern = Concern.objects.select_related("area", "coordinator").get(pk=concern_id)
    admin_path = reverse("concerns:edit", args=[concern.pk])
    context = {
        "concern": concern,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + admin_path,
        "site_name": site_name(),
    }
    return mail_and_record(concern, recipients(concern), "emails/concerns/new", context)


def purge(*, dry_run: bool = False) -> int:
    """Delete concerns past their retention period; returns how many (would be) deleted."""
    due = selectors.expired()
    count = due.count()
    if not dry_run and count:
        due.delete()
    return count
