"""Writing inquiries: store first, mail the named coordinator after the commit."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from submissions.tokens import new_reference

from . import selectors
from .models import VolunteerInquiry, VolunteerOpportunity

logger = logging.getLogger(__name__)


def _unique_reference() -> str:
    for _attempt in range(20):
        reference = new_reference()
        if not VolunteerInquiry.objects.filter(reference=reference).exists():
            return reference
    raise IntegrityError("no free inquiry reference")  # pragma: no cover - 31^8 codes


@transaction.atomic
def create_inquiry(
    opportunity: VolunteerOpportunity, *, name: str, contact: str, message: str
) -> VolunteerInquiry:
    inquiry = VolunteerInquiry.objects.create(
        reference=_unique_reference(),
        opportunity=opportunity,
        name=name,
        contact=contact,
        message=message,
    )
    transaction.on_commit(partial(notify, inquiry.pk), robust=True)
    return inquiry


def purge(*, dry_run: bool = False) -> int:
    """Delete inquiries past their retention period; returns how many (would be) deleted."""
    due = selectors.expired_inquiries()
    count = due.count()
    if not dry_run and count:
        due.delete()
    return count


def recipients(inquiry: VolunteerInquiry) -> list[str]:
    coordinator = inquiry.opportunity.coordinator
    if coordinator is not None and coordinator.notify_email:
        return [coordinator.notify_email]
    fallback = getattr(settings, "CONCERN_FALLBACK_EMAIL", "")
    return [fallback] if fallback else []


def notify(inquiry_id: int) -> bool:
    """Mail the coordinator (the name and contact stay in the admin). Never raises."""
    inquiry = VolunteerInquiry.objects.select_related("opportunity__coordinator").get(pk=inquiry_id)
    to = recipients(inquiry)
    if not to:
        inquiry.notify_error = "通知先がありません（コーディネーターの通知先メールアドレスを設定）"
        inquiry.save(update_fields=["notify_error"])
        return False
    context = {
        "inquiry": inquiry,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("volunteer_inquiries:edit", args=[inquiry.pk]),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "居場所ポータル"),
    }
    subject = " ".join(render_to_string("emails/volunteering/new_subject.txt", context).split())
    body = render_to_string("emails/volunteering/new.txt", context)
    try:
        send_mail(subject[:255], body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    except Exception as exc:
        logger.warning("inquiry mail %s failed: %s", inquiry.pk, exc)
        inquiry.notify_error = f"{type(exc).__name__}: {exc}"[:300]
        inquiry.save(update_fields=["notify_error"])
        return False
    inquiry.notified_at = timezone.now()
    inquiry.notify_error = ""
    inquiry.save(update_fields=["notified_at", "notify_error"])
    return True
