"""Public pages of the concern form (wiring only)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from submissions import ratelimit

from . import selectors, services
from .forms import ConcernForm

FORM_TEMPLATE = "pages/concerns/form.html"


def _private(response: HttpResponse, referrer: str = "same-origin") -> HttpResponse:
    # No page here is cached or indexed. The status page's URL is its key: it sends no Referer
    # at all. (The form keeps same-origin: with no-referrer the browser's POST would carry
    # "Origin: null", which the CSRF check refuses.)
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def _render(request, template: str, context: dict | None = None, status: int = 200, referrer=None):
    context = {
        "keep_closed": selectors.keep_closed_days(),
        "keep_max": selectors.keep_max_days(),
        **(context or {}),
    }
    response = render(request, template, context, status=status)
    return _private(response, referrer or "same-origin")


@never_cache
@require_http_methods(["GET", "POST"])
def concern_new(request):
    if request.method == "GET":
        initial = {}
        code = request.GET.get("area", "")
        if code and selectors.area_choices().filter(code=code).exists():
            initial["area"] = code
        return _render(request, FORM_TEMPLATE, {"form": ConcernForm(initial=initial)})
    form = ConcernForm(request.POST)
    slot = ratelimit.take(request)
    if not slot.allowed:
        response = _render(request, FORM_TEMPLATE, {"form": form, "rate_limited": True}, 429)
        response["Retry-After"] = str(max(1, slot.retry_after))
        return response
    if not form.is_valid():
        ratelimit.give_back(slot)
        status = 400 if form.has_error("hp_check", code="honeypot") else 200
        return _render(request, FORM_TEMPLATE, {"form": form}, status)
    data = form.cleaned_data
    concern, token = services.create_concern(
        category=data["category"],
        what=data["what"],
        where_hint=data["where_hint"],
        callback=data["callback"],
        area=data["area"],
    )
    context = {"concern": concern, "reference": concern.reference, "token": token}
    return _render(request, "pages/concerns/received.html", context)


@never_cache
def concern_status(request, reference: str, token: str):
    concern = selectors.by_link(reference, token)
    if concern is None:
        return _render(
            request, "pages/concerns/link_invalid.html", status=404, referrer="no-referrer"
        )
    return _render(
        request, "pages/concerns/status.html", {"concern": concern}, referrer="no-referrer"
    )
