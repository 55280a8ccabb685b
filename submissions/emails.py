"""The e-mails about a submission: rendering (templates/emails/submissions/) and one sending.

Bodies are rendered when the mail is queued and stored in ``SubmissionEmail``; a body that needs
the private status link carries ``STATUS_LINK`` instead, replaced by a fresh link each time the
mail is sent (so no raw token is ever stored).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

STATUS_LINK = "[[status-link]]"

# Purpose → whether the mail goes to the submitter (and carries the status link).
TO_SUBMITTER = {
    "confirmation": True,
    "needs_changes": True,
    "staff_message": True,
    "approved": True,
    "rejected": True,
    "moderators_new": False,
    "moderators_update": False,
    "moderators_reply": False,
}


def render(purpose: str, context: dict[str, Any]) -> tuple[str, str]:
    context = {
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "居場所ポータル"),
        "status_link": STATUS_LINK,
        **context,
    }
    subject = render_to_string(f"emails/submissions/{purpose}_subject.txt", context)
    body = render_to_string(f"emails/submissions/{purpose}.txt", context)
    # A subject is one line (a newline in it would break the header).
    return " ".join(subject.split())[:255], body.strip() + "\n"


def send(subject: str, body: str, recipients: list[str]) -> None:
    """Send one message now; raises whatever the mail backend raises."""
    timeout = getattr(settings, "SUBMISSION_MAIL_TIMEOUT", 10)
    # Every backend takes **kwargs; the SMTP one uses the timeout so a dead server cannot hang
    # the request that triggered the mail.
    connection = get_connection(fail_silently=False, timeout=timeout)
    message = EmailMessage(
        subject,
        body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        connection=connection,
    )
    message.send(fail_silently=False)
