from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from listings.models import Area

from . import selectors
from .models import Network

MAX_QUERY = 100


def find_area(request):
    text = request.GET.get("q", "").strip()
    error = ""
    matches = []
    if len(text) > MAX_QUERY:
        error = _("「町名・住所・学校名」は%(n)d文字以内で入力してください。") % {"n": MAX_QUERY}
        status = 400
    else:
        matches = selectors.find_areas(text) if text else []
        status = 200
    return render(
        request,
        "pages/find_area.html",
        {"query": text[:MAX_QUERY], "matches": matches, "error": error, "searched": bool(text)},
        status=status,
    )


def network_index(request):
    return render(
        request,
        "pages/network_index.html",
        {"pillars": selectors.pillars(), "tiers": selectors.tier_meanings()},
    )


def network_detail(request, code: str):
    network = get_object_or_404(Network, code=code)
    area_code = request.GET.get("area", "")
    area = Area.objects.filter(code=area_code).first() if area_code else None
    error = _("「地域」: 「%(code)s」という地域はありません。") % {"code": area_code[:40]}
    return render(
        request,
        "pages/network_page.html",
        {
            "network": network,
            "area": area,
            "members": selectors.network_members(network, area),
            "area_choices": Area.objects.exclude(tier="neighbourhood"),
            "error": error if area_code and area is None else "",
        },
        status=400 if area_code and area is None else 200,
    )
