"""The write side of a listing, once for every writer (docs/architecture.md, 「The write side」).

Staff edit listings in the Wagtail admin; everything else that writes one (the importers, the
demo, community submissions) goes through here:

- ``values``: ``ListingValues`` (every editable field as plain values), ``values_of(page)``,
  ``diff`` (which fields changed) and ``apply`` (set values on a page object);
- ``services``: ``new_listing`` and ``save_listing``, which saves a revision and publishes it
  or puts it in the moderation workflow;
- ``text``: the description's plain text ↔ rich text.
"""

from .services import Saved, Then, new_listing, save_listing
from .values import FIELD_NAMES, ListingValues, References, apply, comparable, diff, values_of

__all__ = [
    "FIELD_NAMES",
    "ListingValues",
    "References",
    "Saved",
    "Then",
    "apply",
    "comparable",
    "diff",
    "new_listing",
    "save_listing",
    "values_of",
]
