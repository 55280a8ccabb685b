from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
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


class ReadOnlyLogPolicy(ModelPermissionPolicy):
    """The search log is what residents did: staff (superusers too) may read it, never add,
    edit or delete a row (the retention period removes old rows: purge_search_log)."""

    WRITES = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITES and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [action for action in actions if action not in self.WRITES]
        if not readable:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(readable)


register_permission_policy(SearchQueryLog, ReadOnlyLogPolicy(SearchQueryLog))


class SearchQueryLogViewSet(ModelViewSet):
    """What residents searched for, read-only (the grouped view of searches that found little
    is 運用 → 見つからなかった検索, staffdesk)."""

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
    copy_view_enabled = False


register_snippet(SynonymViewSet)


@hooks.register("register_admin_viewset")
def register_search_query_log():
    return SearchQueryLogViewSet("search_query_log")
