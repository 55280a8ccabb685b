"""The staff-edited synonym list as an analysis table, cached per process and version."""

from __future__ import annotations

import threading

from django.core.cache import cache

from .analysis import SynonymTable

VERSION_KEY = "search:synonyms:version"
# (version, table), replaced as one object so a thread never pairs one version's number with
# another version's table; the lock makes the threads of a process build each version once.
_local: tuple[int | None, SynonymTable | None] = (None, None)
_build_lock = threading.Lock()


def current_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def synonym_table() -> SynonymTable:
    """The table for analysis; rebuilt when any process changed the synonyms."""
    global _local
    version = current_version()
    built_for, table = _local
    if built_for == version and table is not None:
        return table
    with _build_lock:
        built_for, table = _local
        if built_for != version or table is None:
            table = _build()
            _local = (version, table)
    return table


def _build() -> SynonymTable:
    from .models import Synonym

    return SynonymTable.build((s.pk, s.word_list) for s in Synonym.objects.all())
