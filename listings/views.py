from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Area


def area_index(request):
    return render(request, "pages/area_index.html", {"areas": selectors.area_tree()})


def area_detail(request, code: str):
    area = get_object_or_404(Area, code=code)
    return render(request, "pages/area_page.html", selectors.area_detail_context(area))


# --- HSDS 3 API (docs/hsds.md): /api/hsds/services and /api/hsds/services/{id} ---------------

HSDS_PER_PAGE = 50
HSDS_MAX_PER_PAGE = 100


def _hsds_error(parameter: str, message: str, status: int = 400):
    from django.http import JsonResponse

    body = {"error": {"parameter": parameter, "message": message}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    value = request.GET.get(name, "")
    if value == "":
        return default
    if not value.isdigit() or int(value) < 1 or (maximum and int(value) > maximum):
        limit = f"1〜{maximum}" if maximum else "1以上"
        raise ValueError(f"{name} は{limit}の整数で指定してください。")
    return int(value)


def hsds_services(request):
    """A page of live listings as HSDS services (``page``, ``per_page`` as in HSDS's API)."""
    from django.http import JsonResponse

    from . import hsds

    if request.method not in ("GET", "HEAD"):
        return _hsds_error("method", "GET で取得してください。", 405)
    try:
        number = _positive_int(request, "page", 1)
        per_page = _positive_int(request, "per_page", HSDS_PER_PAGE, HSDS_MAX_PER_PAGE)
    except ValueError as exc:
        name = "per_page" if str(exc).startswith("per_page") else "page"
        return _hsds_error(name, str(exc))
    listings = hsds.listings_for_hsds()
    total = listings.count()
    chunk = listings[(number - 1) * per_page : number * per_page]
    base = request.build_absolute_uri("/").rstrip("/")
    data = hsds.service_page(chunk, base, page_number=number, total=total, page_size=per_page)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def hsds_service(request, service_id: str):
    """One live listing as an HSDS service, by its HSDS id (a UUID)."""
    from django.http import JsonResponse

    from . import hsds

    if request.method not in ("GET", "HEAD"):
        return _hsds_error("method", "GET で取得してください。", 405)
    page = hsds.listing_for_service_id(service_id)
    if page is None:
        return _hsds_error("id", "このIDのサービスはありません。", 404)
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(hsds.service(page, base), json_dumps_params={"ensure_ascii": False})
