from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchQueryLog, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "resubmit"
    menu_label = _("同義語（検索）")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["__str__", "note"]
    search_fields = ["words", "note"]


class SearchQueryLogViewSet(ModelViewSet):
    """What residents searched for: staff look for searches that found nothing."""

    model = SearchQueryLog
    icon = "search"
    menu_label = _("検索の記録")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["query", "filters", "result_count", "source", "searched_on"]
    list_filter = ["source", "searched_on"]
    search_fields = ["query"]
    form_fields = ["query", "filters", "result_count", "source"]
    inspect_view_enabled = True


register_snippet(SynonymViewSet)


@hooks.register("register_admin_viewset")
def register_search_query_log():
    return SearchQueryLogViewSet("search_query_log")
