"""GET /api/v1/notices/: the site-wide notices showing now (緊急 first)."""

from __future__ import annotations

from django.http import JsonResponse

from search.api import JSON_OPTIONS, api_view

from .selectors import active_notices


def notice_record(notice, request) -> dict:
    link = notice.link
    return {
        "id": notice.pk,
        "level": notice.level,
        "level_label": str(notice.get_level_display()),
        "title": notice.title,
        "message": notice.message,
        "url": request.build_absolute_uri(link) if link.startswith("/") else (link or None),
        "starts_at": notice.starts_at.isoformat(),
        "ends_at": notice.ends_at.isoformat() if notice.ends_at else None,
        "updated_at": notice.updated_at.isoformat(),
    }


@api_view
def notices_api(request):
    notices = [notice_record(n, request) for n in active_notices()]
    return JsonResponse({"count": len(notices), "results": notices}, json_dumps_params=JSON_OPTIONS)
