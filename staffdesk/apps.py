from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffdeskConfig(AppConfig):
    """The staff's desk in the admin: CSV import jobs with a preview, and CSV export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staffdesk"
    verbose_name = _("運用（職員）")
