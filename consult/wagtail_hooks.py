from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CrisisCategory, CrisisLine, FallbackWindow


class CrisisLineViewSet(SnippetViewSet):
    model = CrisisLine
    icon = "mobile-alt"
    menu_label = _("緊急の相談電話")
    list_display = ["name", "number", "hours", "checked_on", "sort_order"]
    search_fields = ["name", "number", "description"]


class CrisisCategoryViewSet(SnippetViewSet):
    model = CrisisCategory
    icon = "warning"
    menu_label = _("緊急の相談の種類")
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "triggers"]


class FallbackWindowViewSet(SnippetViewSet):
    model = FallbackWindow
    icon = "pick"
    menu_label = _("行き止まりにしない窓口")
    list_display = ["__str__", "role", "sort_order"]


class ConsultViewSetGroup(SnippetViewSetGroup):
    items = (CrisisCategoryViewSet, CrisisLineViewSet, FallbackWindowViewSet)
    menu_icon = "help"
    menu_label = _("相談につなぐ")
    menu_order = 215


register_snippet(ConsultViewSetGroup)
