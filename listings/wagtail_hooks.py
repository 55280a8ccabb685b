from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Area


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    menu_label = _("地域")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "code", "tier", "parent"]
    list_filter = ["tier"]
    search_fields = ["name", "name_kana", "code"]
    ordering = ["path"]


register_snippet(AreaViewSet)
