"""Public JSON API (DESIGN.md §5, contract): /api/v1/listings/, /api/v1/areas/, OpenAPI."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from consult.models import Access
from consult.selectors import crisis_for
from listings.models import Area
from listings.vocabulary import Age, Kind
from portal.response_cache import cache_anonymous_get

from .display import serialize_record
from .openapi import openapi_document
from .params import InvalidParams, parse_search_params
from .querylog import record_query, replay
from .selectors import ResultItem, search_records

JSON_OPTIONS = {"ensure_ascii": False}
ALLOWED_METHODS = ("GET", "HEAD")
logger = logging.getLogger(__name__)


def problem(error: str, message: str, status: int) -> JsonResponse:
    """The API's error shape for anything but a bad parameter (OpenAPI ``Problem``)."""
    return JsonResponse(
        {"error": error, "message": message}, status=status, json_dumps_params=JSON_OPTIONS
    )


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only (others: a JSON 405 with Allow), and a JSON 500 for any failure.

    CSRF does not apply: nothing here changes state, and without the exemption a POST would
    get the CSRF failure's 403 instead of the 405 the API documents.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = problem(
                "method_not_allowed",
                _("%(method)s は使えません。GET で取得してください。") % {"method": request.method},
                405,
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except Exception:
            # Logged with the traceback (Django's own 500 logging never sees a handled error);
            # the client gets the documented shape and no internals.
            logger.exception("API error: %s %s", request.method, request.get_full_path())
            return problem(
                "server_error", _("サーバーでエラーが起きました。時間をおいて試してください。"), 500
            )

    return wrapper


def error_response(errors, status=400) -> JsonResponse:
    return JsonResponse(
        {
            "error": "invalid_parameter",
            "parameter": errors[0].parameter,
            "message": errors[0].message,
            "errors": [e.as_dict() for e in errors],
        },
        status=status,
        json_dumps_params=JSON_OPTIONS,
    )


def serialize_item(item: ResultItem, request) -> dict:
    page, hit = item.listing, item.hit
    area = page.location_area
    next_dates = page.next_dates(3)
    return {
        "id": page.pk,
        "external_id": page.external_id,
        "title": page.title,
        "name_kana": page.name_kana,
        "kind": page.kind,
        "kind_label": str(Kind(page.kind).label),
        "url": request.build_absolute_uri(page.url) if page.url else None,
        "area": {"code": area.code, "name": area.name, "tier": area.tier} if area else None,
        "service_area": page.service_area.code if page.service_area else None,
        "area_match": hit.area_match,
        "distance_m": hit.distance_m,
        # With open_on: "sure" (its schedule says open that day) or "maybe" (that weekday is
        # one of its days, dates to confirm with the group: 要確認); otherwise null.
        "open_on_match": hit.open_on_match,
        "score": round(hit.score, 3),
        "ages": [a.code for a in page.age_groups.all()],
        "topics": [t.tag.name for t in page.tagged_items.all()],
        "address": page.address,
        "latitude": page.latitude,
        "longitude": page.longitude,
        "next_dates": [
            {
                "date": o.date.isoformat(),
                "start": o.start_time.strftime("%H:%M") if o.start_time else None,
                "end": o.end_time.strftime("%H:%M") if o.end_time else None,
            }
            for o in next_dates
        ],
        "last_verified": page.last_verified.isoformat() if page.last_verified else None,
        # CC BY: open data carries its credit wherever it is shown.
        "source": {
            "municipality": page.source_municipality,
            "dataset": page.source_dataset,
            "license": page.source_license,
            "url": page.source_url,
            "date": page.source_date.isoformat() if page.source_date else None,
        }
        if page.source_dataset or page.source_municipality
        else None,
    }


@api_view
@cache_anonymous_get(on_hit=replay)
def listings_api(request):
    try:
        params = parse_search_params(request.GET, strict=True)
    except InvalidParams as invalid:
        return error_response(invalid.errors)
    result, items = search_records(params)
    logged = record_query(params, result.count, "api")
    today = timezone.localdate()
    crisis = crisis_for(params.q)
    response = JsonResponse(
        {
            # Danger to life or violence in q: the lines to show above the results, or null.
            "crisis": crisis.as_dict() if crisis else None,
            "count": result.count,
            "page": params.page,
            "page_size": params.page_size,
            "results": [
                serialize_record(record, hit, request, today)
                if record is not None
                else serialize_item(item, request)
                for hit, record, item in items
            ],
            "facets": result.facets,
            "relaxed": result.relaxed,
            "set_aside": list(result.set_aside),
            "exact_count": result.exact_count if result.relaxed else None,
            "understood": list(result.understood),
            "engine": result.engine,
        },
        json_dumps_params=JSON_OPTIONS,
    )
    response.cache_meta = logged  # logged again when served from the response cache
    return response


@api_view
def areas_api(request):
    areas = [
        {
            "code": a.code,
            "name": a.name,
            "name_kana": a.name_kana,
            "tier": a.tier,
            "parent": a.parent.code if a.parent else None,
            "latitude": a.latitude,
            "longitude": a.longitude,
        }
        for a in Area.objects.select_related("parent")
    ]
    return JsonResponse({"count": len(areas), "results": areas}, json_dumps_params=JSON_OPTIONS)


@api_view
def openapi(request):
    return JsonResponse(
        openapi_document(kinds=Kind.values, ages=Age.values, access=Access.values),
        json_dumps_params=JSON_OPTIONS,
    )
