"""Writing inquiries: store first, mail the named coordinator after the commit."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.staff_mail import mail_and_record, site_name
from submissions.tokens import new_reference

from . import selectors
from .models import VolunteerInquiry, VolunteerOpportunity


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
    context = {
        "inquiry": inquiry,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("volunteer_inquiries:edit", args=[inquiry.pk]),
        "site_name": site_name(),
    }
    return mail_and_record(inquiry, recipients(inquiry), "emails/volunteering/new", context)
