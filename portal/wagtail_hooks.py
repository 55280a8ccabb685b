from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def lockout_urls():
    return [
        path("login-lockouts/", admin_views.lockouts, name="login_lockouts"),
        path("login-lockouts/<int:pk>/unlock/", admin_views.unlock, name="login_lockout_unlock"),
    ]


class UnlockerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("axes.delete_accessattempt")


@hooks.register("register_settings_menu_item")
def lockout_menu_item():
    return UnlockerMenuItem(
        _("ログインの制限"), reverse("login_lockouts"), icon_name="lock", order=900
    )
