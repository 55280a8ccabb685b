"""When and how every engine relaxes a query (issue 13, class 6), in one place.

Nothing, or next to nothing, has every word (「夫の暴力」 where the listing says 配偶者の暴力;
「狛江 学習支援」 where one listing of 狛江 says 宿題): after the full matches, the engine shows
what has all but one word, then all but two …, and says which were set aside. A place is never
set aside (the engines keep place groups required), an answer that is the whole index is no
answer, and one typed word (「子ども食堂」) is never filled up with listings matching part of it.
How partial matches are ordered (full matches first, then what misses the least rare words) is
each engine's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .analysis import AnalyzedQuery, QueryGroup
from .contract import SearchParams, SearchResult

# Fewer full matches than this, for several typed words, and the partial matches follow them.
FEW_RESULTS = 3


def relax(
    result: SearchResult,
    analyzed: AnalyzedQuery,
    params: SearchParams,
    run: Callable[[int], SearchResult],
    index_size: int,
) -> tuple[SearchResult, int]:
    """(the answer, the slack it used: 0 when not relaxed). ``run(slack)`` searches with all
    but ``slack`` of the required non-place words."""
    required = analyzed.required_groups
    droppable = sum(1 for g in required if not g.place)
    typed_words = len({g.chunk for g in required})
    few = result.count == 0 or (result.count < FEW_RESULTS and typed_words >= 2)
    if not few or len(required) < 2 or params.has_filters:
        return result, 0
    exact_count, used = result.count, 0
    for slack in range(1, droppable + 1):
        if len(required) - slack < 1:
            break
        relaxed = run(slack)
        if relaxed.count >= index_size:
            break
        if relaxed.count > result.count:
            relaxed.relaxed = True
            relaxed.exact_count = exact_count
            relaxed.understood = result.understood
            result, used = relaxed, slack
        if result.count >= FEW_RESULTS:
            break
    return result, used


def set_aside_names(groups: Sequence[QueryGroup], missed: Sequence[bool]) -> tuple[str, ...]:
    """The words a partial match does without, as the resident typed them: the whole word
    (``chunk``) when all of its groups are missed (「学習支援」, read as 学習 + 支援), else the
    missed group's own text (「障害のある子」 sets aside 子, not the whole of what was typed).
    ``missed[i]``: whether ``groups[i]`` (a required, non-place group) is missed."""
    missed_of_chunk: dict[str, list[bool]] = {}
    for group, is_missed in zip(groups, missed, strict=True):
        missed_of_chunk.setdefault(group.chunk, []).append(is_missed)
    names = []
    for group, is_missed in zip(groups, missed, strict=True):
        if not is_missed:
            continue
        whole = all(missed_of_chunk[group.chunk])
        names.append((group.chunk or group.text) if whole else group.text)
    return tuple(dict.fromkeys(names))
