"""Saving a listing: a new page or a new revision, then published or put in moderation.

Every writer of listings ends here: the importers and the demo publish (``Then.PUBLISH``), the
community submissions put their draft in Wagtail's moderation workflow (``Then.REVIEW``).
Values are set on the page first with ``values.apply`` (or ``new_listing`` for a new page).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wagtail.log_actions import log
from wagtail.models import Revision, WorkflowState
from wagtail.signal_handlers import disable_reference_index_auto_update

from ..models import ListingIndexPage, ListingPage
from .values import ListingValues, References, apply


class Then(StrEnum):
    """What follows saving the revision."""

    # Publish it (an existing page only while it is live: a page staff took offline gets a
    # draft). Imports and the demo.
    PUBLISH = "publish"
    # Start the page's moderation workflow, or resume it when changes were requested; the page
    # stays as it is until a moderator approves. Community submissions.
    REVIEW = "review"


@dataclass(frozen=True)
class Saved:
    revision: Revision
    # The moderation workflow the revision is in (REVIEW), None when none applies.
    workflow_state: WorkflowState | None = None


def new_listing(
    values: ListingValues,
    *,
    slug: str,
    external_id: str,
    owner: Any = None,
    references: References | None = None,
) -> ListingPage:
    """An unsaved, unpublished listing holding ``values`` (``save_listing`` adds it)."""
    page = ListingPage(slug=slug, external_id=external_id, live=False, owner=owner)
    apply(page, values, references=references)
    return page


def save_listing(
    page: ListingPage,
    *,
    then: Then,
    user: Any = None,
    parent: ListingIndexPage | None = None,
) -> Saved:
    """Save ``page`` as a new revision by ``user`` (adding it under ``parent`` first when it
    is new), then publish it or put it in review (see ``Then``)."""
    if then is Then.PUBLISH:
        return Saved(_publish(page, user, parent))
    return _review(page, user, parent)


def _publish(page: ListingPage, user: Any, parent: ListingIndexPage | None) -> Revision:
    if parent is None:
        revision = page.save_revision(user=user)
        if page.live:
            revision.publish(user=user)
        return revision
    with disable_reference_index_auto_update():
        # Saved three times in all; the last (publish) indexes the page's references.
        parent.add_child(instance=page)
        revision = page.save_revision(user=user)
    revision.publish(user=user)
    return revision


def _review(page: ListingPage, user: Any, parent: ListingIndexPage | None) -> Saved:
    if parent is not None:
        parent.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=user)
    # Logged here: nobody publishes this revision yet (a publish logs itself).
    revision = page.save_revision(user=user, log_action=True)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        # Like an editor's 「再提出」: the same workflow continues from the rejected task.
        state.resume(user)
    elif state is None and (workflow := page.get_workflow()) is not None:
        state = workflow.start(page, user)
    return Saved(revision, state)
