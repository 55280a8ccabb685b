"""Query understanding for the Elasticsearch engine: the counts the embedded engine reads from
its in-memory postings, asked of the cluster before the search.

The embedded engine (``search.embedded``) resolves place words, weighs each query word by its
rarity, adds a bonus for listings whose facts say a query word and finds a station's centre,
all from posting lists it holds. Elasticsearch gets the same numbers from size-0 requests:

1. ``known_body``: one ``filters`` aggregation, one filter per candidate place term of every
   word (``search.places.query_keys``); a bucket with documents is a term the index knows.
   ``search.places.resolve`` is then run unchanged with ``KnownTerms`` as its ``known``.
2. ``station_body`` (only for a station typed as one, 「大井町駅」): whether the town has
   listings, and the median latitude/longitude (``percentiles`` 50) of its listings, or of
   every town containing the name when it has none.
3. ``counts_body``: one ``filters`` aggregation with, per query group, the clause that
   satisfies it (``queries.group_query``, station rule included) and, per fact candidate,
   any of its fact keys; with the index size (``track_total_hits``) these give each group's
   and each fact's ``search.embedded.idf``.

Everything here is pure: request bodies in, answers parsed out (tested offline in
tests/search/test_es_understanding.py). ``search.es.engine`` sends them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from elasticsearch.dsl import Q

from ..analysis import AnalyzedQuery, QueryGroup
from ..embedded import FACT_BONUS, MAX_GROUPS, idf
from ..facts import fact_keys, query_fact_candidates
from ..places import query_keys
from ..relaxation import set_aside_names
from . import queries
from .queries import Station, Understanding

PRESENT = "present"
MEDIAN = {
    "lat": {"percentiles": {"field": "latitude", "percents": [50]}},
    "lng": {"percentiles": {"field": "longitude", "percents": [50]}},
}


def presence_body(filters: Sequence[Q]) -> dict[str, Any]:
    """A size-0 request over the whole index: its size, and how many documents each filter
    matches (an anonymous ``filters`` aggregation: buckets come back in the same order)."""
    body: dict[str, Any] = {"size": 0, "track_total_hits": True, "query": {"match_all": {}}}
    if filters:
        body["aggs"] = {PRESENT: {"filters": {"filters": [f.to_dict() for f in filters]}}}
    return body


def presence_counts(response: Mapping[str, Any]) -> tuple[int, list[int]]:
    """(index size, documents per filter) from ``presence_body``'s answer."""
    size = queries.total_from_response(response)
    found = response.get("aggregations", {}).get(PRESENT, {}).get("buckets", [])
    if isinstance(found, Mapping):  # keyed form, should a proxy rewrite it: keep the order
        found = list(found.values())
    return size, [int(bucket["doc_count"]) for bucket in found]


# ---------------------------------------------------------------------------- places
def place_candidates(analyzed: AnalyzedQuery) -> list[str]:
    """Every term ``search.places.resolve`` may ask about, for every word of the query (the
    same words, the same ``query_keys``), in order and once."""
    chunks = list(dict.fromkeys(g.chunk for g in analyzed.groups if g.chunk))
    return list(
        dict.fromkeys(term for chunk in chunks for keys in query_keys(chunk) for term in keys)
    )


def known_body(terms: Sequence[str]) -> dict[str, Any]:
    return presence_body([queries.feature(term) for term in terms])


class KnownTerms:
    """``known`` for ``search.places.resolve``: answers from one ``known_body`` request."""

    def __init__(self, terms: Sequence[str], counts: Sequence[int]):
        if len(terms) != len(counts):
            raise ValueError(f"{len(counts)} buckets for {len(terms)} terms")
        self.asked = set(terms)
        self.present = {term for term, count in zip(terms, counts, strict=True) if count > 0}

    def __call__(self, terms: Iterable[str]) -> set[str]:
        terms = set(terms)
        missing = terms - self.asked
        if missing:
            # place_candidates and resolve disagree: a bug, not an unknown place.
            raise LookupError(f"not asked of the cluster: {sorted(missing)[:5]}")
        return terms & self.present


# ---------------------------------------------------------------------------- stations
def station_groups(analyzed: AnalyzedQuery) -> dict[int, QueryGroup]:
    """The station groups (「大井町駅」 resolved to its town), by position."""
    return {i: g for i, g in enumerate(analyzed.groups[:MAX_GROUPS]) if g.station}


def station_body(groups: Mapping[int, QueryGroup]) -> dict[str, Any]:
    """Per station group: its own town's listings (``t:<town>``) and every town containing the
    name (the group's terms), each with the median latitude and longitude."""
    aggs: dict[str, Any] = {}
    for i, group in groups.items():
        aggs[f"own{i}"] = {
            "filter": queries.feature(f"t:{group.station}").to_dict(),
            "aggs": MEDIAN,
        }
        aggs[f"towns{i}"] = {"filter": queries.any_of(group.terms).to_dict(), "aggs": MEDIAN}
    return {"size": 0, "query": {"match_all": {}}, "aggs": aggs}


def _median(agg: Mapping[str, Any] | None) -> float | None:
    values = (agg or {}).get("values") or {}
    if isinstance(values, list):  # keyed: false
        values = {str(v.get("key")): v.get("value") for v in values}
    for value in values.values():
        return None if value is None else float(value)
    return None


def stations_from_response(
    response: Mapping[str, Any], indices: Iterable[int]
) -> dict[int, Station]:
    """As ``EmbeddedEngine._near_station``: the centre is taken from the town's own listings,
    or, when it has none, from every town containing the name; no coordinates, no centre.

    The median is Elasticsearch's ``percentiles`` (t-digest): exact for small sets in
    practice, approximate in general — numpy's median averages the two middle values."""
    aggs = response.get("aggregations", {})
    stations = {}
    for i in indices:
        own = aggs.get(f"own{i}", {})
        has_own = int(own.get("doc_count", 0)) > 0
        base = own if has_own else aggs.get(f"towns{i}", {})
        lat, lng = _median(base.get("lat")), _median(base.get("lng"))
        centre = (lat, lng) if lat is not None and lng is not None else None
        stations[i] = Station(own=has_own, centre=centre)
    return stations


# ---------------------------------------------------------------------------- rarity and facts
def fact_candidates(analyzed: AnalyzedQuery, synonyms) -> list[tuple[str, ...]]:
    """The fact keys of each query word and adjacent pair (as ``EmbeddedEngine._facts``)."""
    chunks = list(dict.fromkeys(g.chunk or g.text for g in analyzed.groups if not g.place))
    found = []
    for candidate in query_fact_candidates(chunks):
        keys = tuple(sorted(fact_keys(candidate, synonyms)))
        if keys:
            found.append(keys)
    return found


def counts_body(
    analyzed: AnalyzedQuery,
    facts: Sequence[tuple[str, ...]],
    stations: Mapping[int, Station],
) -> dict[str, Any]:
    """How many listings satisfy each group (first MAX_GROUPS), then each fact candidate."""
    groups = list(analyzed.groups)[:MAX_GROUPS]
    filters = [queries.group_query(g, station=stations.get(i)) for i, g in enumerate(groups)]
    filters += [queries.any_of(keys) for keys in facts]
    return presence_body(filters)


def understanding_from_counts(
    size: int,
    counts: Sequence[int],
    analyzed: AnalyzedQuery,
    facts: Sequence[tuple[str, ...]],
    stations: Mapping[int, Station],
) -> Understanding:
    groups = min(len(analyzed.groups), MAX_GROUPS)
    if len(counts) != groups + len(facts):
        raise ValueError(f"{len(counts)} buckets for {groups} groups and {len(facts)} facts")
    group_idf = tuple(idf(c, size) for c in counts[:groups])
    bonuses = tuple(
        (keys, FACT_BONUS * idf(c, size))
        for keys, c in zip(facts, counts[groups:], strict=True)
        if c > 0
    )
    return Understanding(size=size, group_idf=group_idf, facts=bonuses, stations=dict(stations))


# ---------------------------------------------------------------------------- relaxed hits
def matched_names(raw_hit: Mapping[str, Any]) -> set[str]:
    """The named queries a hit matched (a list, or a name → score map when the request asks
    for named-query scores)."""
    return set(raw_hit.get("matched_queries") or ())


def missed_groups(raw_hit: Mapping[str, Any], analyzed: AnalyzedQuery) -> list[int]:
    """Positions of the required, non-place groups the hit does not satisfy."""
    names = matched_names(raw_hit)
    return [
        i
        for i, g in enumerate(analyzed.groups[:MAX_GROUPS])
        if g.required and not g.place and queries.group_name(i) not in names
    ]


def set_aside_words(missed: Iterable[int], analyzed: AnalyzedQuery) -> tuple[str, ...]:
    """The words of those groups (positions in the first MAX_GROUPS), named as
    ``EmbeddedEngine._run`` names them (``search.relaxation.set_aside_names``): the word as
    typed when all of its groups are missed, else the group's own text (「障害のある子」 sets
    aside 「子」)."""
    missed = set(missed)
    named = [
        (i, g) for i, g in enumerate(analyzed.groups[:MAX_GROUPS]) if g.required and not g.place
    ]
    return set_aside_names([g for _i, g in named], [i in missed for i, _g in named])
