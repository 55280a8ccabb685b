"""Public volunteering pages (wiring only)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from community.selectors import networks
from listings.models import Area
from submissions import ratelimit

from . import selectors, services
from .forms import InquiryForm
from .models import VolunteerOpportunity


def opportunity_index(request):
    q = request.GET.get("q", "").strip()[:100]
    code = request.GET.get("area", "")
    network = request.GET.get("network", "")
    area = Area.objects.filter(code=code).first() if code else None
    errors = {}
    if code and area is None:
        errors["area"] = _("「地域」: 「%(code)s」という地域はありません。") % {"code": code[:40]}
    all_networks = list(networks())
    if network and network not in {n.code for n in all_networks}:
        errors["network"] = _("ネットワーク「%(codes)s」はありません。") % {"codes": network[:40]}
    context = {
        "opportunities": []
        if errors
        else selectors.open_opportunities(q=q, area=area, network=network),
        "q": q,
        "area": area,
        "network": network,
        "errors": errors,
        "area_choices": Area.objects.exclude(tier="neighbourhood"),
        "networks": all_networks,
    }
    return render(request, "pages/volunteering/index.html", context, status=400 if errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def opportunity_detail(request, pk: int):
    opportunity = get_object_or_404(
        VolunteerOpportunity.objects.select_related("area", "network", "coordinator__window"),
        pk=pk,
        is_open=True,
    )
    template = "pages/volunteering/detail.html"
    if request.method == "GET":
        return render(request, template, {"opportunity": opportunity, "form": InquiryForm()})
    form = InquiryForm(request.POST)
    slot = ratelimit.take(request)
    if not slot.allowed:
        response = render(
            request,
            template,
            {"opportunity": opportunity, "form": form, "rate_limited": True},
            status=429,
        )
        response["Retry-After"] = str(max(1, slot.retry_after))
        return response
    if not form.is_valid():
        ratelimit.give_back(slot)
        status = 400 if form.has_error("hp_check", code="honeypot") else 200
        return render(request, template, {"opportunity": opportunity, "form": form}, status=status)
    data = form.cleaned_data
    inquiry = services.create_inquiry(
        opportunity, name=data["name"], contact=data["contact"], message=data["message"]
    )
    response = render(
        request,
        "pages/volunteering/received.html",
        {"opportunity": opportunity, "inquiry": inquiry},
    )
    response["Cache-Control"] = "no-store, private"
    return response
