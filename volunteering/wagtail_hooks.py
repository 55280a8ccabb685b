"""Opportunities are snippets (the 「地域ページ担当」 group keeps them); inquiries and the
matching view are for the 「参加の問い合わせ受付」 group (view permission on inquiries)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import selectors
from .models import VolunteerInquiry, VolunteerOpportunity

VIEW_INQUIRIES = "volunteering.view_volunteerinquiry"


class OpportunityViewSet(SnippetViewSet):
    model = VolunteerOpportunity
    icon = "group"
    menu_label = _("ボランティア・参加の機会")
    menu_order = 216
    add_to_admin_menu = True
    list_display = ["title", "area", "network", "coordinator", "is_open"]
    list_filter = ["is_open", "network"]
    search_fields = ["title", "role"]


register_snippet(OpportunityViewSet)


class InquiryViewSet(ModelViewSet):
    model = VolunteerInquiry
    icon = "mail"
    menu_label = _("参加の問い合わせ")
    menu_order = 217
    add_to_admin_menu = True
    url_namespace = "volunteer_inquiries"
    url_prefix = "volunteer-inquiries"
    list_display = ["reference", "opportunity", "name", "status", "created_at"]
    list_filter = ["status", "opportunity"]
    search_fields = ["reference", "name"]
    copy_view_enabled = False
    panels = [
        HelpPanel(template="volunteering/admin_inquiry.html", heading=_("届いた内容")),
        FieldPanel("status"),
        FieldPanel("staff_note"),
    ]


inquiry_viewset = InquiryViewSet("volunteer_inquiries")


@hooks.register("register_admin_viewset")
def register_inquiry_viewset():
    return inquiry_viewset


def matching_view(request):
    if not request.user.has_perm(VIEW_INQUIRIES):
        raise PermissionDenied
    return render(
        request,
        "volunteering/matching.html",
        {"opportunities": selectors.matching(), "header_title": _("参加のマッチング")},
    )


@hooks.register("register_admin_urls")
def register_matching_url():
    return [path("volunteer-matching/", matching_view, name="volunteer_matching")]


class MatchingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_INQUIRIES)


@hooks.register("register_admin_menu_item")
def register_matching_menu_item():
    return MatchingMenuItem(
        _("参加のマッチング"), reverse("volunteer_matching"), icon_name="list-ul", order=218
    )
