"""Reading aids that work without JavaScript: text size and furigana (ruby) mode.

A tiny form in the header posts here; the choice is kept in a cookie (a display preference, no
personal data) and the resident goes back to the page they were on. Templates read it through
``pages.context_processors.reading_aids``.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

TEXT_SIZES = ("normal", "large", "xlarge")
SIZE_COOKIE = "text_size"
RUBY_COOKIE = "ruby"
COOKIE_AGE = 365 * 24 * 60 * 60


def text_size(request) -> str:
    value = request.COOKIES.get(SIZE_COOKIE, "normal")
    return value if value in TEXT_SIZES else "normal"


def ruby_on(request) -> bool:
    return request.COOKIES.get(RUBY_COOKIE) == "on"


def yasashii_requested(request) -> bool:
    """The やさしい日本語 version asked for with ``?yasashii=1`` (a plain link: no JavaScript,
    no cookie; the page shows it only where staff wrote one)."""
    return request.GET.get("yasashii") == "1"


@require_POST
def set_reading_aids(request):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    options = {"max_age": COOKIE_AGE, "samesite": "Lax", "secure": request.is_secure()}
    size = request.POST.get("size")
    if size in TEXT_SIZES:
        response.set_cookie(SIZE_COOKIE, size, **options)
    ruby = request.POST.get("ruby")
    if ruby in ("on", "off"):
        response.set_cookie(RUBY_COOKIE, ruby, **options)
    return response
