from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "volunteering"
    verbose_name = _("ボランティア・参加支援")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import VolunteerInquiry
        from .permissions import InquiryPermissionPolicy

        register_permission_policy(
            VolunteerInquiry, InquiryPermissionPolicy(VolunteerInquiry), exact_class=True
        )
