from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Area


class AreaSearchForm(BaseFilterForm):
    """The area chooser's search: name, kana or code, in the database (areas are not in the
    search index; a city has a few hundred)."""

    q = forms.CharField(
        label=_("地域名・よみ・コードで探す"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("例：みどり")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(name__icontains=query) | Q(name_kana__icontains=query) | Q(code__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects.order_by("path")


class AreaChooseView(ChooseView):
    filter_form_class = AreaSearchForm


class AreaChooseResultsView(ChooseResultsView):
    filter_form_class = AreaSearchForm


class AreaChooserViewSet(SnippetChooserViewSet):
    choose_view_class = AreaChooseView
    choose_results_view_class = AreaChooseResultsView


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
    chooser_viewset_class = AreaChooserViewSet


register_snippet(AreaViewSet)
