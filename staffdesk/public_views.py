"""The page a listing's contact opens from the verification mail (no login: the signed link is
the key). GET shows the listing and one button; only the POST changes anything."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .services import verification
from .services.verification import LinkExpired, LinkInvalid


def _invalid(request, state: str):
    status = 410 if state == "expired" else 400
    return render(request, "staffdesk/verify_invalid.html", {"state": state}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    try:
        ask = verification.request_for_token(token)
    except LinkExpired:
        return _invalid(request, "expired")
    except LinkInvalid:
        return _invalid(request, "invalid")
    listing = ask.listing
    if request.method == "POST":
        if request.POST.get("answer") != "correct":
            return render(
                request,
                "staffdesk/verify.html",
                {"listing": listing, "token": token, "error": True},
                status=400,
            )
        listing = verification.confirm(ask)
        return render(request, "staffdesk/verify.html", {"listing": listing, "done": True})
    return render(request, "staffdesk/verify.html", {"listing": listing, "token": token})


@require_http_methods(["GET"])
def correct(request, token: str):
    """「直すところがある」: noted, then the correction form, prefilled with the listing."""
    try:
        ask = verification.request_for_token(token)
    except LinkExpired:
        return _invalid(request, "expired")
    except LinkInvalid:
        return _invalid(request, "invalid")
    verification.open_correction(ask)
    return redirect(reverse("submissions:change", args=[ask.listing_id]))
