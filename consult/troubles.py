"""Which troubles does what a resident typed describe, and which windows fit them?

The trouble list and its trigger words are staff-edited (``consult.models.Trouble``); matching
is the crisis lines' (``consult.crisis``: lemmas, readings, kana/width variants, ＋ and ／).
A trouble matched by more of its trigger words, and by longer ones, comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from search.analysis import normalize

from .crisis import analyse, trigger_matches, variants


@dataclass(frozen=True)
class TroubleView:
    slug: str
    name: str
    group: str
    triggers: tuple[str, ...]
    window_ids: tuple[int, ...]  # listing ids, staff's order
    sort_order: int = 100


@dataclass(frozen=True)
class TroubleMatch:
    trouble: TroubleView
    score: float


def _weight(trigger: str) -> float:
    parts = [p for p in normalize(trigger).split("+") if p.strip()]
    return len(parts) + min(len(trigger), 12) / 12


def match(text: str, troubles: Iterable[TroubleView]) -> list[TroubleMatch]:
    """The troubles ``text`` describes, best first."""
    if not text or not text.strip():
        return []
    forms = [analyse(v) for v in variants(text) if v]
    found = []
    for trouble in troubles:
        weights = [_weight(t) for t in trouble.triggers if trigger_matches(t, forms)]
        if weights:
            found.append(TroubleMatch(trouble, sum(weights) + max(weights)))
    found.sort(key=lambda m: (-m.score, m.trouble.sort_order, m.trouble.name))
    return found


def ordered_window_ids(matches: Iterable[TroubleMatch]) -> list[int]:
    """The windows of the matched troubles, the best trouble's first, each once."""
    ids: dict[int, None] = {}
    for found in matches:
        for window_id in found.trouble.window_ids:
            ids.setdefault(window_id, None)
    return list(ids)
