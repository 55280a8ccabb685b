"""Staff act on searches that found little: add a synonym group, or mark the search handled."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from listings.models import split_keywords
from search.models import SearchQueryLog, Synonym

from ..models import HandledQuery


def mark_handled(key: str, user, synonym: Synonym | None = None) -> HandledQuery:
    last = SearchQueryLog.objects.aggregate(last=Max("id"))["last"] or 0
    handled, _ = HandledQuery.objects.update_or_create(
        query=key[:200],
        defaults={
            "handled_at": timezone.now(),
            "handled_by": user,
            "synonym": synonym,
            "last_log_id": last,
        },
    )
    return handled


def add_synonym_group(key: str, shown: str, words: str, user) -> Synonym:
    """A synonym group of the search as residents typed it and the words staff give; the search
    is then handled. ``words`` must name at least one other word (ValueError otherwise)."""
    others = [word for word in split_keywords(words) if word != shown]
    if not others:
        raise ValueError("同じ意味の言葉を1つ以上入れてください。")
    synonym = Synonym.objects.create(
        words="、".join(dict.fromkeys([shown, *others])),
        note=f"見つからなかった検索「{shown}」から"[:200],
    )
    mark_handled(key, user, synonym)
    return synonym
