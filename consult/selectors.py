"""Reads for the consult app: the crisis categories with their lines (cached; staff saves
clear the cache through ``consult.signals``)."""

from __future__ import annotations

from django.core.cache import cache

from .crisis import CrisisCategoryView, CrisisLineView, CrisisMatch, match
from .models import CrisisCategory

CRISIS_CACHE_KEY = "consult:crisis:categories:v1"


def crisis_categories() -> list[CrisisCategoryView]:
    found = cache.get(CRISIS_CACHE_KEY)
    if found is None:
        found = [
            CrisisCategoryView(
                code=c.code,
                name=c.name,
                message=c.message,
                triggers=tuple(c.trigger_list),
                lines=tuple(
                    CrisisLineView(
                        name=line.name,
                        number=line.number,
                        tel=line.tel,
                        hours=line.hours,
                        description=line.description,
                        url=line.url,
                        sort_order=line.sort_order,
                    )
                    for line in c.lines.all()
                ),
                local_window_note=c.local_window_note,
            )
            for c in CrisisCategory.objects.prefetch_related("lines")
        ]
        cache.set(CRISIS_CACHE_KEY, found, timeout=None)
    return found


def forget_crisis_categories() -> None:
    cache.delete(CRISIS_CACHE_KEY)


def crisis_for(text: str) -> CrisisMatch:
    """The crisis block for what a resident typed (empty when nothing signals danger)."""
    if not text or not text.strip():
        return CrisisMatch()
    return match(text, crisis_categories())
