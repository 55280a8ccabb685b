"""The staff desk in the admin: its URLs, the 「運用」 menu and its permissions.

Each menu item shows only to users with its permission; superusers have them all, others get
them through a group (設定 → グループ → 「運用（職員）」 の権限).
"""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from listings.models import ListingPage

from . import panels, selectors, urls


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_staffdesk_urls():
    return [path("staff/", include((urls.urlpatterns, "staffdesk"), namespace="staffdesk"))]


@hooks.register("register_staffdesk_menu_item")
def import_menu_item():
    return PermittedMenuItem(
        _("CSVの取り込み"),
        reverse("staffdesk:imports"),
        icon_name="upload",
        order=100,
        permission="staffdesk.import_listings",
    )


@hooks.register("register_staffdesk_menu_item")
def export_menu_item():
    return PermittedMenuItem(
        _("CSVの書き出し"),
        reverse("staffdesk:export"),
        icon_name="download",
        order=110,
        permission="staffdesk.export_listings",
    )


@hooks.register("register_staffdesk_menu_item")
def verification_menu_item():
    return PermittedMenuItem(
        _("確認が古い掲載"),
        reverse("staffdesk:verification"),
        icon_name="date",
        order=200,
        permission="staffdesk.chase_verification",
    )


@hooks.register("register_staffdesk_menu_item")
def unmet_needs_menu_item():
    return PermittedMenuItem(
        _("見つからなかった検索"),
        reverse("staffdesk:unmet_needs"),
        icon_name="search",
        order=300,
        permission="staffdesk.review_searches",
    )


@hooks.register("register_staffdesk_menu_item")
def coverage_menu_item():
    return PermittedMenuItem(
        _("地域ごとの掲載数"),
        reverse("staffdesk:coverage"),
        icon_name="table",
        order=400,
        permission="staffdesk.view_coverage",
    )


@hooks.register("after_create_page")
def warn_about_likely_duplicates(request, page):
    """A new listing named like another one in the same area: say so, with links to compare
    (a warning only: two groups may share a name)."""
    specific = page.specific
    if not isinstance(specific, ListingPage):
        return
    similar = selectors.similar_listings(specific)
    if not similar:
        return
    links = format_html_join(
        "、",
        '<a href="{}">{}</a>',
        ((reverse("wagtailadmin_pages:edit", args=[other.pk]), other.title) for other in similar),
    )
    messages.warning(
        request,
        format_html(
            "{} {}",
            _("同じ地域に同じ名前の掲載があります。重複していないか確かめてください："),
            links,
        ),
    )


@hooks.register("construct_homepage_panels")
def verification_panel(request, panel_list):
    if request.user.has_perm("staffdesk.chase_verification"):
        panel_list.append(panels.VerificationPanel())


@hooks.register("register_log_actions")
def register_staffdesk_log_actions(actions):
    actions.register_action(
        "staffdesk.verified", _("内容の確認"), _("連絡先が「この内容のままで正しい」と確認しました")
    )


@hooks.register("register_admin_menu_item")
def staffdesk_menu():
    return SubmenuMenuItem(
        _("運用"),
        Menu(register_hook_name="register_staffdesk_menu_item"),
        icon_name="clipboard-list",
        name="staffdesk",
        order=210,
    )


@hooks.register("register_permissions")
def staffdesk_permissions():
    return Permission.objects.filter(
        content_type__app_label="staffdesk",
        codename__in=[
            "import_listings",
            "export_listings",
            "chase_verification",
            "review_searches",
            "view_coverage",
        ],
    )
