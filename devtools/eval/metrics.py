"""Ranking metrics of ``make eval``: pure functions over a ranked list and a relevant set.

``ranked`` is the engine's answer, best first; ``relevant`` the labelled set (order ignored).
Every metric is in [0, 1]; none is defined for an empty relevant set (nonsense queries are
counted apart, by whether they return anything).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence


def _check(relevant: Collection[str]) -> None:
    if not relevant:
        raise ValueError("metric undefined for an empty relevant set")


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Share of the relevant listings found in the top ``k``, out of what ``k`` can hold.

    The denominator is ``min(|relevant|, k)`` (capped recall): a query with 18 relevant
    listings scores 1.0 when its first 10 results are all relevant, as a perfect engine's
    would. For ``|relevant| <= k`` this is the textbook ``|relevant ∩ top k| / |relevant|``.
    """
    _check(relevant)
    found = len(set(ranked[:k]) & set(relevant))
    return found / min(len(relevant), k)


def plain_recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int = 10) -> float:
    """Textbook recall@k: ``|relevant ∩ top k| / |relevant|`` (below 1 whenever |relevant| > k)."""
    _check(relevant)
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def r_precision(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """Precision at R = |relevant|: how many of the first R results are relevant, over R."""
    _check(relevant)
    r = len(relevant)
    return len(set(ranked[:r]) & set(relevant)) / r


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """1 / rank of the first relevant result, 0 when none is returned."""
    _check(relevant)
    wanted = set(relevant)
    for rank, item in enumerate(ranked, start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
