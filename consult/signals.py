"""Staff edits to crisis lines and categories show at once: every save clears the cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import CrisisCategory, CrisisLine, Trouble, TroubleWindow
from .selectors import forget_crisis_categories


@receiver(post_save, sender=CrisisLine)
@receiver(post_delete, sender=CrisisLine)
@receiver(post_save, sender=CrisisCategory)
@receiver(post_delete, sender=CrisisCategory)
@receiver(m2m_changed, sender=CrisisCategory.lines.through)
@receiver(post_save, sender=Trouble)
@receiver(post_delete, sender=Trouble)
@receiver(post_save, sender=TroubleWindow)
@receiver(post_delete, sender=TroubleWindow)
def _forget(**kwargs):
    forget_crisis_categories()
