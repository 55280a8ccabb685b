"""Which writes change what residents see: each bumps the content generation
(``portal.response_cache.bump_generation``), so cached responses are never served past them.

A generic hook rather than a list to keep up to date: page publish, unpublish, move and delete
(Wagtail's signals), and ``post_save``/``post_delete``/``m2m_changed`` of every model of the
content apps (``CONTENT_APPS``), every snippet and every site setting, wherever they live. Writes
that do not change a page (the search query log, revisions, audit logs, renditions, sessions,
login attempts, submissions before they become pages) are left out (``IGNORED_MODELS`` and
apps not listed), so that serving a page never invalidates the cache.

The bump happens at once and again when the transaction commits: a request that rendered
between the two (seeing the old rows) cannot keep its stale response under the new generation.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .response_cache import bump_generation

CONTENT_APPS = {
    "listings",
    "pages",
    "search",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "taggit",
}
IGNORED_MODELS = {
    "search.searchquerylog",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.uploadedfile",
    "wagtailimages.rendition",
}


def content_changed(sender=None, **kwargs) -> None:
    bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_generation)


def is_content_model(model) -> bool:
    label = model._meta.label_lower
    if label in IGNORED_MODELS or model._meta.abstract:
        return False
    if model._meta.app_label in CONTENT_APPS:
        return True
    from wagtail.snippets.models import get_snippet_models

    if model in get_snippet_models():
        return True
    if apps.is_installed("wagtail.contrib.settings"):
        from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

        return issubclass(model, BaseSiteSetting | BaseGenericSetting)
    return False


def is_default_settings_row(model, created: bool) -> bool:
    """Wagtail creates a site setting's row, with its defaults, the first time a page reads it
    (``for_site``): that shows nothing new, and must not empty the cache on a resident's request."""
    if not created or not apps.is_installed("wagtail.contrib.settings"):
        return False
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return issubclass(model, BaseSiteSetting | BaseGenericSetting)


def _model_written(sender, **kwargs) -> None:
    if is_content_model(sender) and not is_default_settings_row(
        sender, kwargs.get("created", False)
    ):
        content_changed()


def connect() -> None:
    page_published.connect(content_changed, dispatch_uid="response_cache_publish")
    page_unpublished.connect(content_changed, dispatch_uid="response_cache_unpublish")
    post_page_move.connect(content_changed, dispatch_uid="response_cache_move")
    post_save.connect(_model_written, dispatch_uid="response_cache_save")
    post_delete.connect(_model_written, dispatch_uid="response_cache_delete")
    m2m_changed.connect(_model_written, dispatch_uid="response_cache_m2m")
