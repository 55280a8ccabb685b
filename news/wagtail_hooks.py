from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsCategory, SiteNotice


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("対象・目的の分類")
    list_display = ["name", "slug", "sort_order"]


class SiteNoticeViewSet(SnippetViewSet):
    model = SiteNotice
    icon = "warning"
    menu_label = _("サイト全体のお知らせ")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "level", "starts_at", "ends_at"]
    list_filter = ["level"]


register_snippet(NewsCategoryViewSet)
register_snippet(SiteNoticeViewSet)
