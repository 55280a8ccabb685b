from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CrisisCategory, CrisisLine, FallbackWindow, Trouble, WindowProfile


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


class TroubleViewSet(SnippetViewSet):
    model = Trouble
    icon = "list-ul"
    menu_label = _("困りごと")
    list_display = ["name", "group", "sort_order"]
    list_filter = ["group"]
    search_fields = ["name", "summary", "triggers"]


class WindowProfileViewSet(SnippetViewSet):
    model = WindowProfile
    icon = "link"
    menu_label = _("窓口の相談しやすさ・つなぎ先")
    list_display = ["__str__", "languages"]


class ConsultViewSetGroup(SnippetViewSetGroup):
    items = (
        TroubleViewSet,
        WindowProfileViewSet,
        FallbackWindowViewSet,
        CrisisCategoryViewSet,
        CrisisLineViewSet,
    )
    menu_icon = "help"
    menu_label = _("相談につなぐ")
    menu_order = 215


register_snippet(ConsultViewSetGroup)
