from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site itself: settings, serving (health, cache, security headers), staff login."""

    name = "portal"
    verbose_name = _("サイトの運用")

    def ready(self):
        from . import content_signals

        content_signals.connect()
