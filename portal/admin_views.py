"""Staff unlock login lockouts (django-axes) in the Wagtail admin: 設定 → ログインの制限."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def _require_unlocker(request: HttpRequest) -> None:
    if not request.user.has_perm("axes.delete_accessattempt"):
        raise PermissionDenied


def lockouts(request: HttpRequest) -> HttpResponse:
    _require_unlocker(request)
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    return TemplateResponse(request, "portal/admin/login_lockouts.html", {"attempts": attempts})


@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unlocker(request)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    attempt.delete()
    messages.success(
        request,
        _("「%(username)s」（%(ip)s）のログインの制限を解除しました。")
        % {"username": attempt.username, "ip": attempt.ip_address},
    )
    return redirect("login_lockouts")
