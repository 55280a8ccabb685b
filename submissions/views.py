"""Public pages of the submission flow (wiring only: forms, selectors, services)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import forms, images, ratelimit, recovery, selectors, services
from .models import Submission

logger = logging.getLogger(__name__)

FORM_TEMPLATE = "pages/submissions/form.html"
STATUS_TEMPLATE = "pages/submissions/status.html"
INVALID_TEMPLATE = "pages/submissions/link_invalid.html"


def _private(response: HttpResponse) -> HttpResponse:
    # The URL of a status page is its key: never send it on as a Referer, never cache or index.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def _form_response(
    request: HttpRequest, form: forms.SubmissionForm, status: int = 200, **context: Any
) -> HttpResponse:
    context = {
        "form": form,
        "mode": form.mode,
        "rate": ratelimit.current_rate(),
        "max_upload_mb": f"{images.max_upload_bytes() / 1024 / 1024:g}",
        **context,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def _retry_later(response: HttpResponse, seconds: int) -> HttpResponse:
    response["Retry-After"] = str(max(1, seconds))
    return response


def _handle_post(request: HttpRequest, form: forms.SubmissionForm, store, **context: Any):
    """Shared POST path: rate limit, validation (honeypot included; photos are decoded only
    for an otherwise valid post), then ``store(form)``. The typed input always comes back."""
    slot = ratelimit.take(request)
    if not slot.allowed:
        form.show_without_checking()
        response = _form_response(
            request, form, status=429, rate_limited=True, wait_minutes=_minutes(slot), **context
        )
        return _retry_later(response, slot.retry_after)
    if not form.is_valid():
        if not form.photos_were_chosen:
            ratelimit.give_back(slot)  # correcting a typo is free; photos cost work to check
        status = 400 if form.caught_by_honeypot else 200
        return _form_response(request, form, status=status, **context)
    try:
        return store(form)
    except recovery.STORE_ERRORS:
        ratelimit.give_back(slot)
        logger.exception("a submission could not be stored; the form went back to the sender")
        form.show_without_checking()
        response = _form_response(request, form, status=503, not_stored=True, **context)
        return _retry_later(response, recovery.STORE_RETRY_SECONDS)


def _minutes(slot: ratelimit.Slot) -> int:
    return max(1, -(-slot.retry_after // 60))


@never_cache
@require_http_methods(["GET", "POST"])
def submit_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_response(request, forms.SubmissionForm(mode=forms.NEW))
    form = forms.SubmissionForm(request.POST, request.FILES, mode=forms.NEW)

    def store(form: forms.SubmissionForm) -> HttpResponse:
        submission, token = services.create_submission(
            data=form.proposal(),
            submitter=form.submitter(),
            photos=form.clean_photos,
            note=form.cleaned_data.get("note_to_staff", ""),
        )
        return _to_status(submission, token, "new")

    return _handle_post(request, form, store)


@never_cache
@require_http_methods(["GET", "POST"])
def submit_change(request: HttpRequest, page_id: int) -> HttpResponse:
    listing = selectors.live_listing(page_id)
    if listing is None:
        raise Http404
    initial, rows = forms.initial_from_proposal(selectors.listing_proposal(listing))
    if request.method == "GET":
        form = forms.SubmissionForm(initial=initial, mode=forms.CHANGE, schedule_initial=rows)
        return _form_response(request, form, listing=listing)
    form = forms.SubmissionForm(
        request.POST, request.FILES, initial=initial, mode=forms.CHANGE, schedule_initial=rows
    )

    def store(form: forms.SubmissionForm) -> HttpResponse:
        submission, token = services.create_submission(
            data=form.proposal(),
            submitter=form.submitter(),
            photos=form.clean_photos,
            note=form.cleaned_data.get("note_to_staff", ""),
            target=listing,
        )
        return _to_status(submission, token, "new")

    return _handle_post(request, form, store, listing=listing)


def _to_status(submission: Submission, token: str, sent: str) -> HttpResponse:
    url = reverse("submissions:status", args=[submission.reference, token])
    return _private(redirect(f"{url}?sent={sent}"))


def _link_or_error(
    request: HttpRequest, reference: str, token: str
) -> tuple[selectors.LinkCheck, HttpResponse | None]:
    """The checked link, or the friendly page for a wrong (404) or expired (410) one."""
    check = selectors.check_link(reference, token)
    if check.ok:
        return check, None
    status = 410 if check.state == selectors.LINK_EXPIRED else 404
    response = render(request, INVALID_TEMPLATE, {"state": check.state}, status=status)
    return check, _private(response)


@never_cache
@require_http_methods(["GET"])
def status(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    link, error = _link_or_error(request, reference, token)
    if error:
        return error
    recovery.retry_on_visit(link.submission)
    return _status_response(request, link, token, forms.ReplyForm())


def _status_response(
    request: HttpRequest,
    link: selectors.LinkCheck,
    token: str,
    reply_form: forms.ReplyForm,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    submission = link.submission
    context = {
        "status": selectors.status_context(submission),
        "reply_form": reply_form,
        "token": token,
        "status_url": request.build_absolute_uri(
            reverse("submissions:status", args=[submission.reference, token])
        ),
        "sent": request.GET.get("sent", ""),
        "expires_at": link.expires_at,
        **context,
    }
    return _private(render(request, STATUS_TEMPLATE, context, status=status))


@never_cache
@require_POST
def reply(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    link, error = _link_or_error(request, reference, token)
    if error:
        return error
    submission = link.submission
    if not selectors.can_reply(submission):
        return _private(redirect("submissions:status", submission.reference, token))
    form = forms.ReplyForm(request.POST)
    slot = ratelimit.take(request)
    if not slot.allowed:
        response = _status_response(request, link, token, form, status=429, rate_limited=True)
        return _retry_later(response, slot.retry_after)
    if not form.is_valid():
        ratelimit.give_back(slot)
        return _status_response(request, link, token, form)
    try:
        services.add_reply(submission, form.cleaned_data["body"])
    except recovery.STORE_ERRORS:
        ratelimit.give_back(slot)
        logger.exception("a reply could not be stored; the form went back to the sender")
        response = _status_response(request, link, token, form, status=503, not_stored=True)
        return _retry_later(response, recovery.STORE_RETRY_SECONDS)
    return _to_status(submission, token, "reply")


@never_cache
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    link, error = _link_or_error(request, reference, token)
    if error:
        return error
    submission = link.submission
    context = {"submission": submission, "token": token}
    if not submission.is_active:
        return _private(redirect("submissions:status", submission.reference, token))
    initial, rows = forms.initial_from_proposal(submission.data)
    if request.method == "GET":
        form = forms.SubmissionForm(initial=initial, mode=forms.UPDATE, schedule_initial=rows)
        return _private(_form_response(request, form, **context))
    form = forms.SubmissionForm(
        request.POST, request.FILES, initial=initial, mode=forms.UPDATE, schedule_initial=rows
    )

    def store(form: forms.SubmissionForm) -> HttpResponse:
        services.update_submission(
            submission,
            data=form.proposal(),
            photos=form.clean_photos,
            note=form.cleaned_data.get("note_to_staff", ""),
        )
        return _to_status(submission, token, "update")

    return _private(_handle_post(request, form, store, **context))
