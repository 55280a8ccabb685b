"""Keep the index in step with the database: publish, unpublish, move, delete, area and
synonym edits. The embedded engine writes inside the same transaction as the change, so the
index and the pages commit or roll back together."""

import json

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from listings.models import Area, ListingIndexPage, ListingPage

from . import indexing
from .engines import get_engine
from .models import SearchDocument, Synonym
from .synonyms import bump_version


def listing_published(sender, instance, **kwargs):
    get_engine().index_listings([instance.pk])


def listing_unpublished(sender, instance, **kwargs):
    get_engine().remove_listings([instance.pk])


def listing_deleted(sender, instance, **kwargs):
    get_engine().remove_listings([instance.pk])


def listings_below(page) -> list[int]:
    return list(
        ListingPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def page_moved(sender, instance, **kwargs):
    # The listings' URLs (kept in their display records) change with any page above them.
    ids = listings_below(instance)
    if ids:
        get_engine().index_listings(ids)


def index_page_published(sender, instance, **kwargs):
    # A new slug changes every listing URL below it (kept in their display records): compare
    # one listing's stored URL with its URL now, and re-index them all when it moved.
    ids = listings_below(instance)
    if not ids:
        return
    stored = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "display").first()
    if stored is not None and stored[1]:
        current = ListingPage.objects.get(pk=stored[0]).url
        if json.loads(stored[1]).get("url") == current:
            return
    get_engine().index_listings(ids)


def area_saved(sender, instance, created, **kwargs):
    if created:
        # No listing is in it yet, but area counts and filters read the area tree.
        indexing.touch()
    else:
        # Area names are searchable and paths drive the area filter.
        get_engine().index_listings(indexing.listings_in_area(instance))


def area_deleted(sender, instance, **kwargs):
    indexing.touch()


def synonym_changed(sender, instance, **kwargs):
    bump_version()
    had_group = indexing.listings_with_terms([f"g:{instance.pk}"])
    affected = had_group | set(indexing.listings_mentioning(instance.word_list))
    get_engine().index_listings(affected)


def connect():
    page_published.connect(listing_published, sender=ListingPage, dispatch_uid="search_pub")
    page_unpublished.connect(listing_unpublished, sender=ListingPage, dispatch_uid="search_unpub")
    post_delete.connect(listing_deleted, sender=ListingPage, dispatch_uid="search_delete")
    post_page_move.connect(page_moved, dispatch_uid="search_move")
    page_published.connect(
        index_page_published, sender=ListingIndexPage, dispatch_uid="search_index_pub"
    )
    post_save.connect(area_saved, sender=Area, dispatch_uid="search_area")
    post_delete.connect(area_deleted, sender=Area, dispatch_uid="search_area_delete")
    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid="search_syn_save")
    post_delete.connect(synonym_changed, sender=Synonym, dispatch_uid="search_syn_delete")
