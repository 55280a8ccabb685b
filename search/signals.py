"""Keep the index in step with the database: publish, unpublish, move, delete, area and
synonym edits. The embedded engine writes inside the same transaction as the change, so the
index and the pages commit or roll back together."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from listings.models import Area, ListingPage

from . import indexing
from .engine import get_engine
from .models import SearchPosting, Synonym
from .synonyms import bump_version


def listing_published(sender, instance, **kwargs):
    get_engine().index_listings([instance.pk])


def listing_unpublished(sender, instance, **kwargs):
    get_engine().remove_listings([instance.pk])


def listing_deleted(sender, instance, **kwargs):
    get_engine().remove_listings([instance.pk])


def page_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, ListingPage):
        get_engine().index_listings([instance.pk])


def area_saved(sender, instance, created, **kwargs):
    if not created:
        # Area names are searchable and paths drive the area filter.
        get_engine().index_listings(indexing.listings_in_area(instance))


def synonym_changed(sender, instance, **kwargs):
    bump_version()
    had_group = SearchPosting.objects.filter(term=f"g:{instance.pk}").values_list(
        "document_id", flat=True
    )
    affected = set(had_group) | set(indexing.listings_mentioning(instance.word_list))
    get_engine().index_listings(affected)


def connect():
    page_published.connect(listing_published, sender=ListingPage, dispatch_uid="search_pub")
    page_unpublished.connect(listing_unpublished, sender=ListingPage, dispatch_uid="search_unpub")
    post_delete.connect(listing_deleted, sender=ListingPage, dispatch_uid="search_delete")
    post_page_move.connect(page_moved, dispatch_uid="search_move")
    post_save.connect(area_saved, sender=Area, dispatch_uid="search_area")
    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid="search_syn_save")
    post_delete.connect(synonym_changed, sender=Synonym, dispatch_uid="search_syn_delete")
