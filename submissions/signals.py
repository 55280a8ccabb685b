"""Follow staff's decisions made in Wagtail's own admin (publish, workflow) onto submissions."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from wagtail.models import Page, WorkflowState
from wagtail.signals import (
    page_published,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
)

from listings.models import ListingPage

from . import services
from .models import SubmissionPhoto


def listing_published(sender, instance, revision=None, **kwargs):
    services.on_published(instance, revision)


def _page_id(workflow_state: WorkflowState) -> int | None:
    # Workflows also run on snippets, whose ids could collide with page ids.
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return None
    try:
        return int(workflow_state.object_id)
    except (TypeError, ValueError):
        return None


def workflow_was_rejected(sender, instance, user=None, **kwargs):
    if (page_id := _page_id(instance)) is not None:
        services.on_changes_requested(page_id, instance, user)


def workflow_was_approved(sender, instance, user=None, **kwargs):
    if (page_id := _page_id(instance)) is not None:
        services.on_workflow_approved(page_id, user)


def workflow_was_cancelled(sender, instance, user=None, **kwargs):
    if (page_id := _page_id(instance)) is not None:
        services.on_workflow_ended(page_id)


def photo_deleted(sender, instance, **kwargs):
    services.delete_photo_file(instance)


def connect():
    page_published.connect(listing_published, sender=ListingPage, dispatch_uid="submissions_pub")
    workflow_rejected.connect(
        workflow_was_rejected, sender=WorkflowState, dispatch_uid="submissions_wf_rejected"
    )
    workflow_approved.connect(
        workflow_was_approved, sender=WorkflowState, dispatch_uid="submissions_wf_approved"
    )
    workflow_cancelled.connect(
        workflow_was_cancelled, sender=WorkflowState, dispatch_uid="submissions_wf_cancelled"
    )
    post_delete.connect(photo_deleted, sender=SubmissionPhoto, dispatch_uid="submissions_photo")
