"""Staff views of the submissions queue (registered by ``wagtail_hooks``; wiring only)."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from . import forms, proposal, recovery, selectors, services
from .models import Submission, SubmissionPhoto

policy = ModelPermissionPolicy(Submission)


def _require(request: HttpRequest, action: str) -> None:
    if not policy.user_has_permission(request.user, action):
        raise PermissionDenied


def _inspect(submission: Submission) -> HttpResponse:
    return redirect("community_submissions:inspect", submission.pk)


def no_add(request: HttpRequest) -> HttpResponse:
    # Submissions come only from the public form.
    return redirect("community_submissions:index")


def edit_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("community_submissions:inspect", pk)


class SubmissionIndexView(IndexView):
    """The queue: newest first, with status, kind and mail problems."""

    default_ordering = "-created_at"

    def get_base_queryset(self):
        return selectors.queue()

    def get(self, request, *args, **kwargs):
        if not selectors.moderator_addresses():
            messages.warning(
                request,
                _(
                    "投稿の通知メールの宛先がありません。グループ「%(group)s」のユーザーに"
                    "メールアドレスを登録してください。"
                )
                % {"group": settings.SUBMISSION_MODERATOR_GROUP},
            )
        return super().get(request, *args, **kwargs)

    def get_edit_url(self, instance):
        # Rows open the review page; the proposal itself is edited on the draft page.
        return None


class SubmissionInspectView(InspectView):
    """One submission: the proposal, what changes against the live page, the private contact,
    the thread, the mail, and the staff actions (message, decline, resend, redo the draft)."""

    template_name = "submissions/admin/inspect.html"

    def get_edit_url(self):
        return None

    def get_page_title(self):
        return _("投稿の確認")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        page = submission.page
        context.update(
            {
                "submission": submission,
                "status_help": selectors.STATUS_HELP.get(submission.status, ""),
                "rows": proposal.display_rows(submission.data),
                "changes": selectors.proposed_changes(submission),
                "photos": list(submission.photos.all()),
                "thread": list(submission.messages.select_related("user")),
                "mails": list(submission.emails.all()),
                "has_failed_mail": selectors.failed_emails(submission).exists(),
                "waiting_for_retry": recovery.is_waiting_for_retry(submission),
                "can_change": policy.user_has_permission(self.request.user, "change"),
                "message_form": forms.StaffMessageForm(),
                "decline_form": forms.DeclineForm(),
                "page": page,
                "links": _page_links(submission),
            }
        )
        return context


def _page_links(submission: Submission) -> list[tuple[str, str]]:
    """Where staff review the draft in Wagtail itself: the editor (承認 / 変更をリクエスト),
    the comparison with the live page, preview and histories."""
    page_id = submission.page_id
    if page_id is None:
        return []

    def url(name: str, *args) -> str:
        return reverse(f"wagtailadmin_pages:{name}", args=[page_id, *args])

    links = [(_("下書きを開く（編集・承認・変更をリクエスト）"), url("edit"))]
    if submission.revision_id:
        if submission.kind == Submission.Kind.CHANGE:
            links.append((_("公開中の内容と比べる"), url("revisions_compare", "live", "latest")))
        links.append((_("下書きをプレビュー"), url("view_draft")))
    links.append((_("ワークフローの履歴"), url("workflow_history")))
    links.append((_("ページの履歴"), url("history")))
    return links


@require_POST
def staff_message(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "change")
    submission = get_object_or_404(Submission, pk=pk)
    form = forms.StaffMessageForm(request.POST)
    if form.is_valid():
        services.send_staff_message(submission, request.user, form.cleaned_data["body"])
        messages.success(request, _("投稿者にメッセージを送りました。"))
    else:
        messages.error(request, _("メッセージを入力してください。"))
    return _inspect(submission)


@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "change")
    submission = get_object_or_404(Submission, pk=pk)
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("見送る理由を入力してください（投稿者に送られます）。"))
    elif not submission.is_active:
        messages.warning(request, _("この投稿はすでに終わっています。"))
    else:
        services.decline(submission, request.user, form.cleaned_data["body"])
        messages.success(request, _("掲載を見送り、投稿者に理由を送りました。"))
    return _inspect(submission)


@require_POST
def resend_mail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "change")
    submission = get_object_or_404(Submission, pk=pk)
    sent, failed = services.retry_failed_mail(selectors.failed_emails(submission))
    if failed:
        messages.error(request, _("%(n)s通のメールをまだ送れません。") % {"n": failed})
    else:
        messages.success(request, _("%(n)s通のメールを送りました。") % {"n": sent})
    return _inspect(submission)


@require_POST
def redo_draft(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "change")
    submission = get_object_or_404(Submission, pk=pk)
    recovery.retry(submission.pk)
    submission.refresh_from_db()
    if submission.processing_error:
        error = submission.processing_error
        messages.error(request, _("下書きを作れませんでした：%(e)s") % {"e": error})
    elif recovery.is_waiting_for_retry(submission):
        messages.error(
            request, _("下書きをまだ作れません。少したってから、もう一度試してください。")
        )
    else:
        messages.success(request, _("下書きを作り直しました。"))
    return _inspect(submission)


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted photo, for staff only (the files are not under MEDIA_URL)."""
    _require(request, "view")
    item = get_object_or_404(SubmissionPhoto, pk=pk)
    content_type = mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
