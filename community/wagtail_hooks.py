from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AreaLookup, AreaNotice, Coordinator, Network


class AreaNoticeViewSet(SnippetViewSet):
    model = AreaNotice
    icon = "info-circle"
    menu_label = _("地域のお知らせ")
    list_display = ["title", "area", "shown_from", "shown_until"]
    list_filter = ["area__tier"]
    search_fields = ["title"]


class CoordinatorViewSet(SnippetViewSet):
    model = Coordinator
    icon = "user"
    menu_label = _("コーディネーター")
    list_display = ["name", "role", "area", "window"]
    search_fields = ["name", "role"]


class AreaLookupViewSet(SnippetViewSet):
    model = AreaLookup
    icon = "search"
    menu_label = _("地域の検索語")
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "name_kana"]


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("ネットワーク")
    list_display = ["name", "pillar", "tier", "sort_order"]
    list_filter = ["pillar"]
    search_fields = ["name", "summary"]


class CommunityGroup(SnippetViewSetGroup):
    items = (AreaNoticeViewSet, CoordinatorViewSet, AreaLookupViewSet, NetworkViewSet)
    menu_icon = "site"
    menu_label = _("地域とネットワーク")
    menu_order = 215


register_snippet(CommunityGroup)
