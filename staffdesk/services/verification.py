"""The verification loop: ask each listing's contact whether it is still correct.

``send_requests`` mails every address whose listings were not confirmed for
``VERIFICATION_STALE_MONTHS`` (one mail an address, one signed link a listing); the link opens a
page where one button confirms (the 最終確認日 becomes today, through ``listings.editing``, and
the page's history says so) or a link opens the correction form prefilled. A GET never changes
anything: mail scanners open links before people do.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from listings.editing import Then, apply, save_listing, values_of
from listings.models import ListingPage
from submissions.emails import send

from ..models import VerificationRequest

logger = logging.getLogger(__name__)
SALT = "staffdesk.verification"


def link_days() -> int:
    return getattr(settings, "VERIFICATION_LINK_DAYS", 60)


def token_for(request: VerificationRequest) -> str:
    return signing.dumps(request.pk, salt=SALT)


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def request_for_token(token: str) -> VerificationRequest:
    try:
        pk = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=link_days()))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    try:
        return VerificationRequest.objects.select_related("listing").get(pk=pk)
    except VerificationRequest.DoesNotExist as exc:
        raise LinkInvalid from exc


@dataclass
class SendSummary:
    addresses: int = 0
    listings: int = 0
    failed: list[str] = field(default_factory=list)
    without_address: int = 0

    def __str__(self) -> str:
        return (
            f"確認の依頼: {self.addresses}件の宛先に、{self.listings}件の掲載について送りました"
            f"（送信失敗 {len(self.failed)}件、"
            f"メールアドレスのない掲載 {self.without_address}件）。"
        )


def send_requests(
    listings: list[ListingPage], *, base_url: str, dry_run: bool = False, progress=None
) -> SendSummary:
    """Mail each address its listings' links; every listing gets a ``VerificationRequest``."""
    summary = SendSummary()
    by_address: dict[str, list[ListingPage]] = defaultdict(list)
    for listing in listings:
        if listing.email:
            by_address[listing.email.strip().lower()].append(listing)
        else:
            summary.without_address += 1
    for done, (address, pages) in enumerate(sorted(by_address.items()), 1):
        summary.addresses += 1
        summary.listings += len(pages)
        if not dry_run and not _send_one(address, pages, base_url):
            summary.failed.append(address)
        if progress:
            progress(done, len(by_address))
    return summary


def _send_one(address: str, pages: list[ListingPage], base_url: str) -> bool:
    now = timezone.now()
    with transaction.atomic():
        requests = [
            VerificationRequest.objects.create(
                listing=page, email=address, status=VerificationRequest.Status.SENT, sent_at=now
            )
            for page in pages
        ]
    items = [
        {
            "listing": request.listing,
            "url": base_url.rstrip("/")
            + reverse("verification:confirm", args=[token_for(request)]),
        }
        for request in requests
    ]
    context = {
        "items": items,
        "days": link_days(),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "居場所ポータル"),
    }
    subject = " ".join(render_to_string("staffdesk/emails/verify_subject.txt", context).split())
    body = render_to_string("staffdesk/emails/verify.txt", context).strip() + "\n"
    try:
        send(subject, body, [address])
    except Exception as exc:  # any backend error: kept for staff to see
        logger.warning("verification mail to %s failed: %s", address, exc)
        VerificationRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            status=VerificationRequest.Status.FAILED, error=str(exc)[:500]
        )
        return False
    return True


def confirm(request: VerificationRequest) -> ListingPage:
    """The contact says the listing is still correct: 最終確認日 becomes today (logged)."""
    today = timezone.localdate()
    page = ListingPage.objects.get(pk=request.listing_id)
    if page.live and not page.has_unpublished_changes:
        values = dataclasses.replace(values_of(page), last_verified=today)
        apply(page, values, ["last_verified"])
        save_listing(page, then=Then.PUBLISH)
    else:
        # A draft or a review is pending: publishing would publish it too; set only the date.
        ListingPage.objects.filter(pk=page.pk).update(last_verified=today)
    log(
        instance=page,
        action="staffdesk.verified",
        data={"email": request.email, "request": request.pk},
    )
    VerificationRequest.objects.filter(listing=page, answered_at__isnull=True).update(
        status=VerificationRequest.Status.CONFIRMED, answered_at=timezone.now()
    )
    return page


def open_correction(request: VerificationRequest) -> None:
    if request.answered_at is None:
        VerificationRequest.objects.filter(pk=request.pk).update(
            status=VerificationRequest.Status.CORRECTING, answered_at=timezone.now()
        )
