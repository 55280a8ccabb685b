"""A saved or deleted notice shows (or goes) at once: the active-notice cache is cleared."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SiteNotice
from .selectors import forget_notices


@receiver(post_save, sender=SiteNotice)
@receiver(post_delete, sender=SiteNotice)
def notice_changed(sender, **kwargs) -> None:
    forget_notices()
