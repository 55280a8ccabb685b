"""The staff-edited synonym list as an analysis table, cached per process and version."""

from __future__ import annotations

from django.core.cache import cache

from .analysis import SynonymTable

VERSION_KEY = "search:synonyms:version"
_local: dict[str, object] = {"version": None, "table": None}


def current_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def synonym_table() -> SynonymTable:
    """The table for analysis; rebuilt when any process changed the synonyms."""
    from .models import Synonym

    version = current_version()
    if _local["version"] != version or _local["table"] is None:
        groups = [(s.pk, s.word_list) for s in Synonym.objects.all()]
        _local["table"] = SynonymTable.build(groups)
        _local["version"] = version
    return _local["table"]  # type: ignore[return-value]
