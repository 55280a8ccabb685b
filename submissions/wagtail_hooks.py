"""Admin: the submissions queue (a ModelViewSet) and the audit-log actions it records.

Approving and 「変更をリクエスト」 happen in Wagtail's own workflow UI on the draft page (the
dashboard's 「あなたのレビューの待機中」 panel and Reports → Workflows list them too); this
queue adds what Wagtail does not know: the private contact, the thread, the mail state and
「見送る」.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from . import admin_views, panels, recovery
from .models import Submission


class MailColumn(Column):
    """「送信失敗 n通」 when any mail for the submission failed (annotated by the queue)."""

    def get_value(self, instance):
        failed = getattr(instance, "failed_mail_count", 0)
        return _("送信失敗 %(n)s通") % {"n": failed} if failed else "—"


class DraftColumn(Column):
    """「再試行待ち」 while the draft of a stored submission is still to be made (recovery)."""

    def get_value(self, instance):
        return _("再試行待ち") if recovery.is_waiting_for_retry(instance) else "—"


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "mail"
    menu_label = _("地域からの投稿")
    menu_order = 205
    add_to_admin_menu = True
    url_prefix = "submissions"
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = admin_views.SubmissionIndexView
    inspect_view_class = admin_views.SubmissionInspectView
    list_filter = ["status", "kind"]
    list_per_page = 50
    list_display = [
        "reference",  # the first column links to the review page
        Column("title", label=_("名称")),
        StatusTagColumn(
            "get_status_display",
            label=_("状況"),
            primary=lambda submission: submission.is_active,
        ),
        Column("get_kind_display", label=_("種類")),
        MailColumn("mail", label=_("メール")),
        DraftColumn("draft", label=_("下書き")),
        DateColumn("created_at", label=_("受付日時")),
    ]

    def get_common_view_kwargs(self, **kwargs):
        # Staff never create or edit a submission here: the proposal is edited on its draft page.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
        }

    @property
    def add_view(self):
        return admin_views.no_add

    @property
    def edit_view(self):
        return admin_views.edit_redirect

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("message/<int:pk>/", admin_views.staff_message, name="message"),
            path("decline/<int:pk>/", admin_views.decline, name="decline"),
            path("resend/<int:pk>/", admin_views.resend_mail, name="resend_mail"),
            path("redo/<int:pk>/", admin_views.redo_draft, name="redo_draft"),
            path("photo/<int:pk>/", admin_views.photo, name="photo"),
        ]


submission_viewset = SubmissionViewSet("community_submissions")


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return submission_viewset


@hooks.register("construct_homepage_panels")
def warn_when_no_moderator_receives(request, panel_list):
    panel = panels.recipients_panel(request)
    if panel is not None:
        panel_list.append(panel)


class _MessageFormatter(LogFormatter):
    """Adds the message staff sent (kept in the log entry's data) to the history line."""

    def format_message(self, log_entry):
        text = (log_entry.data or {}).get("message", "")
        return f"{self.message}：「{text}」" if text else self.message


class _ErrorFormatter(LogFormatter):
    def format_message(self, log_entry):
        error = (log_entry.data or {}).get("error", "")
        return f"{self.message}（{error}）" if error else self.message


def _formatter(label, message, base=LogFormatter):
    return type("_SubmissionLogFormatter", (base,), {"label": label, "message": message})


@hooks.register("register_log_actions")
def register_submission_log_actions(actions):
    simple = {
        "submissions.receive": (_("投稿の受付"), _("投稿を受け付けました")),
        "submissions.draft": (_("下書きの作成"), _("下書きを作り、確認のワークフローに入れました")),
        "submissions.wait": (
            _("確認待ち"),
            _("掲載ページが別の確認中のため、終わるまで下書きを待っています"),
        ),
        "submissions.update": (_("投稿者の更新"), _("投稿者が内容を修正して送りました")),
        "submissions.reply": (_("投稿者の返信"), _("投稿者から返信がありました")),
        "submissions.approve": (_("承認・公開"), _("承認され、公開されました")),
    }
    for action, (label, message) in simple.items():
        actions.register_action(action)(_formatter(label, message))
    with_message = {
        "submissions.message": (_("事務局からの連絡"), _("投稿者にメッセージを送りました")),
        "submissions.request_changes": (_("変更の依頼"), _("投稿者に修正をお願いしました")),
        "submissions.reject": (_("見送り"), _("掲載を見送り、理由を投稿者に送りました")),
    }
    for action, (label, message) in with_message.items():
        actions.register_action(action)(_formatter(label, message, _MessageFormatter))
    with_error = {
        "submissions.mail_failed": (_("メール送信の失敗"), _("メールを送れませんでした")),
        "submissions.process_failed": (_("下書き作成の失敗"), _("下書きを作れませんでした")),
    }
    for action, (label, message) in with_error.items():
        actions.register_action(action)(_formatter(label, message, _ErrorFormatter))
