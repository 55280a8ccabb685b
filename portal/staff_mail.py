"""One notice mailed to staff about a stored record, its outcome kept on the record.

Concerns and volunteer inquiries (and anything stored first, mailed after the commit) carry
``notified_at`` and ``notify_error``: staff see in the admin whether the coordinator was told.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

NO_RECIPIENT = "通知先がありません（コーディネーターの通知先メールアドレスを設定）"


def site_name() -> str:
    return getattr(settings, "WAGTAIL_SITE_NAME", "居場所ポータル")


def mail_and_record(
    record: models.Model, to: list[str], template: str, context: dict[str, object]
) -> bool:
    """Mail ``{template}_subject.txt`` / ``{template}.txt`` to ``to`` and record the outcome on
    ``record`` (``notified_at`` or ``notify_error``). Never raises; True when sent."""
    if not to:
        record.notify_error = NO_RECIPIENT
        record.save(update_fields=["notify_error"])
        return False
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject[:255], body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    except Exception as exc:
        logger.warning("%s mail %s failed: %s", record._meta.label, record.pk, exc)
        record.notify_error = f"{type(exc).__name__}: {exc}"[:300]
        record.save(update_fields=["notify_error"])
        return False
    record.notified_at = timezone.now()
    record.notify_error = ""
    record.save(update_fields=["notified_at", "notify_error"])
    return True
