"""The concerns in the admin: only for users with the view permission (the 「気になる人の連絡
受付」 group); text and callback are shown read-only, staff change the status and their note."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Concern


class ConcernViewSet(ModelViewSet):
    model = Concern
    icon = "warning"
    menu_label = _("気になる人の連絡")
    menu_order = 220
    add_to_admin_menu = True
    url_namespace = "concerns"
    url_prefix = "concerns"
    list_display = ["reference", "category", "area", "coordinator", "status", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["reference"]
    inspect_view_enabled = True
    inspect_view_fields = ["reference", "category", "area", "status", "created_at", "closed_at"]
    copy_view_enabled = False
    panels = [
        HelpPanel(
            template="concerns/admin_concern_text.html",
            heading=_("届いた内容"),
        ),
        FieldPanel("status"),
        FieldPanel("staff_note"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels).bind_to_model(self.model)


concern_viewset = ConcernViewSet("concerns")


@hooks.register("register_admin_viewset")
def register_concern_viewset():
    return concern_viewset
