"""Admin forms for listing pages."""

from __future__ import annotations

from django.apps import apps
from wagtail.admin.forms.pages import CopyForm


class ListingCopyForm(CopyForm):
    """The admin's copy form, without "alias" when the pages copied include listings.

    A copy of a listing is a new listing with its own import ID; an alias would publish the
    same listing twice under one ID (which must be unique), so Wagtail could not save it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # By name: the listing models name this form as their copy_form_class.
        listing_page = apps.get_model("listings", "ListingPage")
        if listing_page.objects.descendant_of(self.page, inclusive=True).exists():
            self.fields.pop("alias", None)
