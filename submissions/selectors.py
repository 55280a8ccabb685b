"""Reads for the submission pages, the admin queue and the mail: no writes here."""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Area, ListingPage
from listings.vocabulary import Tier

from . import proposal
from .models import Submission, SubmissionEmail, SubmissionLink
from .tokens import MAX_TOKEN_LENGTH, hash_token

LINK_OK, LINK_INVALID, LINK_EXPIRED = "ok", "invalid", "expired"


# --- the form ----------------------------------------------------------------------------------


def area_choices() -> list[tuple[str, Any]]:
    """Areas for a select: the city first, then one group per 圏域 with its districts inside.

    Labels say the whole way down (「みどり小地区 › みどり町1丁目」) so a screen reader user
    hears where each one is.
    """
    areas = list(Area.objects.order_by("path").only("code", "name", "tier", "path", "parent_id"))
    by_code = {area.code: area for area in areas}
    choices: list[tuple[str, Any]] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    group_names: dict[str, str] = {}
    for area in areas:
        codes = area.ancestor_codes
        if area.tier == Tier.CITY:
            choices.append((area.code, f"{area.name}（市全域・わからない）"))
            continue
        top = codes[1] if len(codes) > 1 else area.code
        group_names.setdefault(top, by_code[top].name if top in by_code else top)
        below = [by_code[c].name for c in codes[2:] if c in by_code]
        label = " › ".join(below) if below else f"{area.name}（全体）"
        groups.setdefault(top, []).append((area.code, label))
    choices += [(group_names[top], options) for top, options in groups.items()]
    return choices


def live_listing(page_id: int) -> ListingPage | None:
    """The published listing a change is suggested for (None when not public)."""
    return (
        ListingPage.objects.live()
        .public()
        .select_related("location_area")
        .prefetch_related("age_groups", "tagged_items__tag", "schedule_rules")
        .filter(pk=page_id)
        .first()
    )


def listing_proposal(page: ListingPage) -> dict[str, Any]:
    return proposal.from_listing(page)


# --- the status link ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCheck:
    state: str
    submission: Submission | None = None
    expires_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.state == LINK_OK


def check_link(reference: str, token: str) -> LinkCheck:
    """The submission a status link opens, or why it does not (wrong, or expired).

    The token must belong to the submission named in the link: a token of one submission never
    opens another.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkCheck(LINK_INVALID)
    link = (
        SubmissionLink.objects.select_related("submission")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not hmac.compare_digest(link.submission.reference, reference or ""):
        return LinkCheck(LINK_INVALID)
    if link.expires_at <= timezone.now():
        return LinkCheck(LINK_EXPIRED)
    return LinkCheck(LINK_OK, link.submission, link.expires_at)


STATUS_HELP = {
    Submission.Status.RECEIVED: _("内容を受け付けました。事務局で確認の準備をしています。"),
    Submission.Status.IN_REVIEW: _(
        "事務局で内容を確認しています。掲載まで数日かかることがあります。"
    ),
    Submission.Status.NEEDS_CHANGES: _(
        "事務局から修正のお願いがあります。下のメッセージを読んで、"
        "「内容を修正して送る」か「返信する」から答えてください。"
    ),
    Submission.Status.APPROVED: _("確認が終わり、ホームページに掲載しました。"),
    Submission.Status.REJECTED: _("今回は掲載を見送りました。理由は下のメッセージをご覧ください。"),
}


@dataclass
class StatusContext:
    submission: Submission
    status_label: str
    status_help: str
    rows: list[proposal.Row]
    messages: list[Any]
    can_update: bool
    can_reply: bool
    public_url: str = ""
    target_title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def can_reply(submission: Submission) -> bool:
    # Once published the conversation is over; a new change goes through the listing's link.
    return submission.status != Submission.Status.APPROVED


def status_context(submission: Submission) -> StatusContext:
    """What the submitter sees: status, the thread and what they sent (nothing personal)."""
    page = submission.page
    public_url = ""
    if submission.status == Submission.Status.APPROVED and page is not None and page.live:
        public_url = page.get_url() or ""
    return StatusContext(
        submission=submission,
        status_label=str(submission.get_status_display()),
        status_help=str(STATUS_HELP.get(submission.status, "")),
        rows=proposal.display_rows(submission.data),
        messages=list(submission.messages.all()),
        can_update=submission.is_active,
        can_reply=can_reply(submission),
        public_url=public_url,
        target_title=submission.target.title if submission.target_id else "",
    )


# --- admin -------------------------------------------------------------------------------------


def queue() -> QuerySet[Submission]:
    """Submissions for the admin list, newest first, with their mail troubles counted."""
    return Submission.objects.select_related("target", "page").annotate(
        failed_mail_count=Count("emails", filter=Q(emails__status=SubmissionEmail.Status.FAILED))
    )


def open_count() -> int:
    return Submission.objects.filter(status__in=Submission.ACTIVE_STATUSES).count()


def proposed_changes(submission: Submission) -> list[proposal.Change]:
    """For a suggested change: each field the group changed, with what is live now."""
    if submission.target_id is None:
        return []
    live = ListingPage.objects.filter(pk=submission.target_id).first()
    if live is None:
        return []
    fields = proposal.changed_fields(submission.baseline, submission.data)
    return proposal.changes(proposal.from_listing(live), submission.data, fields)


def failed_emails(submission: Submission | None = None) -> QuerySet[SubmissionEmail]:
    emails = SubmissionEmail.objects.filter(status=SubmissionEmail.Status.FAILED)
    if submission is not None:
        emails = emails.filter(submission=submission)
    return emails.select_related("submission")


def retryable_emails(stuck_after_minutes: int = 10) -> QuerySet[SubmissionEmail]:
    """Failed mail, and pending mail older than a few minutes (the process died before sending)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=stuck_after_minutes)
    return SubmissionEmail.objects.filter(
        Q(status=SubmissionEmail.Status.FAILED)
        | Q(status=SubmissionEmail.Status.PENDING, created_at__lt=cutoff)
    ).order_by("created_at", "pk")


def moderator_addresses() -> list[str]:
    """Where moderator notices go: the moderators group's active users, plus any extra addresses
    from SUBMISSION_NOTIFY_EMAILS."""
    group = getattr(settings, "SUBMISSION_MODERATOR_GROUP", "Moderators")
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=group)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    extra = getattr(settings, "SUBMISSION_NOTIFY_EMAILS", []) or []
    return list(dict.fromkeys([*users, *extra]))


def active_submissions_for_page(page_id: int) -> QuerySet[Submission]:
    return Submission.objects.filter(
        page_id=page_id,
        status__in=(Submission.Status.IN_REVIEW, Submission.Status.NEEDS_CHANGES),
    )


def has_open_submissions(page_id: int) -> bool:
    """Whether any submission is in review on this listing or waiting to be drafted on it."""
    return Submission.objects.filter(
        Q(
            page_id=page_id,
            status__in=(Submission.Status.IN_REVIEW, Submission.Status.NEEDS_CHANGES),
        )
        | Q(target_id=page_id, status=Submission.Status.RECEIVED, revision__isnull=True)
    ).exists()


def waiting_submissions_for(page_id: int) -> QuerySet[Submission]:
    """Suggested changes stored but not yet drafted because the listing was already in review."""
    return Submission.objects.filter(
        target_id=page_id, status=Submission.Status.RECEIVED, revision__isnull=True
    ).order_by("created_at", "pk")
