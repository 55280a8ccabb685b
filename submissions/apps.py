from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"
    verbose_name = "地域からの投稿"

    def ready(self):
        from . import signals

        signals.connect()
