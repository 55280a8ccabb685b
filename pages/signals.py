"""Every site has its SiteIdentity row from the start.

Wagtail creates a site setting's row the first time a page reads it (``for_site`` →
``get_or_create``). Two requests reading it at once on a new site (the admin page and its
editing-session ping) both insert; on SQLite the loser's retry fails inside its broken
transaction and the page answers 500. Creating the row with the site removes the race.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from wagtail.models import Site


def site_saved(sender, instance: Site, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from .models import SiteIdentity

        SiteIdentity.objects.get_or_create(site=instance)


def connect() -> None:
    post_save.connect(site_saved, sender=Site, dispatch_uid="pages.site_identity_row")
