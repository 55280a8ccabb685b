"""The dashboard's warning when no one would receive the moderators' notices.

The notices about new submissions, corrections and replies (``services.queue_email`` with the
``moderators_*`` purposes) go to ``selectors.moderator_addresses()``: the active users with an
e-mail address in the SUBMISSION_MODERATOR_GROUP group plus SUBMISSION_NOTIFY_EMAILS. When that
is empty the mail is stored as 「宛先なし」 and staff never hear of a submission; this panel says
so on the dashboard of everyone who may manage users or submissions, and how to fix it.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.admin.ui.components import Component

from . import selectors


class ModeratorRecipientsPanel(Component):
    name = "moderator_recipients"
    template_name = "submissions/admin/recipients_panel.html"
    order = 50  # above Wagtail's own panels: it is a warning

    def __init__(self, addresses: list[str]):
        self.addresses = addresses

    def get_context_data(self, parent_context=None):
        return {
            "addresses": self.addresses,
            "group": getattr(settings, "SUBMISSION_MODERATOR_GROUP", "Moderators"),
        }


def recipients_panel(request) -> ModeratorRecipientsPanel | None:
    """The warning panel, or None when someone would receive the notices or the user cannot
    act on it (only those who may view submissions or change users see it)."""
    user = request.user
    if not (user.has_perm("submissions.view_submission") or user.has_perm("auth.change_user")):
        return None
    addresses = selectors.moderator_addresses()
    return None if addresses else ModeratorRecipientsPanel(addresses)
