from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "concerns"
    verbose_name = _("気になる人・困りごとの連絡")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import Concern
        from .permissions import ConcernPermissionPolicy

        register_permission_policy(Concern, ConcernPermissionPolicy(Concern), exact_class=True)
