from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Area


def area_index(request):
    return render(request, "pages/area_index.html", {"areas": selectors.area_tree()})


def area_detail(request, code: str):
    area = get_object_or_404(Area, code=code)
    return render(request, "pages/area_page.html", selectors.area_detail_context(area))
