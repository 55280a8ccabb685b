"""Elasticsearch request bodies from ``SearchParams`` + ``AnalyzedQuery``, and answers back.

Pure functions (no cluster needed, tested offline in tests/search/test_es_offline.py). They
reproduce the embedded engine (``search.embedded``) clause by clause:

* every query **group** (one word the resident typed, with its alternative terms) is a
  ``dis_max`` of ``rank_feature`` queries on ``postings``, one per term, each scoring
  ``posting weight × evidence weight``: the group scores its best matching term;
* a kana group may instead be satisfied by **all** of its reading bigrams, scoring
  ``heaviest bigram × 0.5``, and only when none of its terms matched;
* required groups go in ``bool.must`` (or, relaxed, "all but one" of them), optional ones in
  ``bool.should``; an exact title adds 50;
* distance and date filters are ``bool.filter`` clauses; the facet filters (kind, age, topic,
  area) are a ``post_filter``, so that each facet with a selection can be counted without its
  own filter (``filter`` aggregations), as the embedded engine does; the area facet is
  finished in Python with the area tree (``area_facet_counts``).
"""

from __future__ import annotations

import datetime
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jpholiday
from elasticsearch.dsl import Q, Search

from listings import schedules

from ..analysis import AnalyzedQuery, QueryGroup, normalize
from ..contract import (
    MATCH_LOCATED,
    MATCH_SERVES,
    SORT_DISTANCE,
    Hit,
    SearchParams,
    haversine_m,
)
from ..embedded import (
    EXACT_TITLE_BONUS,
    MAX_GROUPS,
    NEAR_STATION_M,
    NEAR_STATION_WEIGHT,
    PARTS_WEIGHT,
    READING_RUN_WEIGHT,
    TERM_WEIGHTS,
)
from .mapping import POSTINGS_FIELD, SOURCE_FIELDS, WEIGHT_SCALE, feature_name

DEFAULT_TERM_WEIGHT = 0.5  # as the embedded engine, for a prefix it does not know
FACET_SIZES = {"kind": 50, "age": 50, "topic": 1_000}
AREA_FACET_SIZE = 10_000
FACETS = ("kind", "age", "topic", "area")


@dataclass(frozen=True)
class AreaPath:
    """A requested area: its code, materialised path and ancestor codes (itself included)."""

    code: str
    path: str
    ancestors: tuple[str, ...]


def _boost(value: float) -> float:
    return round(value, 6)


# ---------------------------------------------------------------------------- text
def evidence_weight(term: str) -> float:
    return TERM_WEIGHTS.get(term.split(":", 1)[0], DEFAULT_TERM_WEIGHT)


def feature(term: str, weight: float | None = None) -> Q:
    """Documents holding ``term``; scoring ``posting weight × weight`` when weight is given."""
    field = f"{POSTINGS_FIELD}.{feature_name(term)}"
    if weight is None:
        # Linear even where the score is unused: the default (saturation) function would make
        # the cluster compute a pivot from index statistics.
        return Q("rank_feature", field=field, linear={})
    return Q("rank_feature", field=field, linear={}, boost=_boost(weight / WEIGHT_SCALE))


def terms_match(terms: Iterable[str], **extra: Any) -> Q:
    """The best ``posting weight × evidence weight`` among the matching terms."""
    unique = sorted({t[:100] for t in terms})
    return Q("dis_max", queries=[feature(t, evidence_weight(t)) for t in unique], **extra)


def any_of(terms: Iterable[str]) -> Q:
    """Documents holding at least one of ``terms`` (no score of its own)."""
    return Q("bool", should=[feature(t) for t in sorted(terms)], minimum_should_match=1)


def parts_match(group: QueryGroup) -> Q:
    """Every part of a compound present (保護者同伴 ← 「同伴の保護者」) and none of the group's
    terms: the *mean* of the parts' best weights × PARTS_WEIGHT. The embedded engine takes the
    weakest part; Elasticsearch has no minimum of sub-scores, and the mean (each part's
    dis_max boosted by 1/number of parts, summed by the bool) lies between that minimum and
    the strongest part."""
    share = 1.0 / len(group.parts)
    terms = sorted({t[:100] for t in group.terms})
    return Q(
        "bool",
        must=[
            Q(
                "dis_max",
                queries=[feature(t, evidence_weight(t)) for t in sorted({p[:100] for p in part})],
                boost=_boost(share),
            )
            for part in group.parts
        ],
        must_not=[feature(term) for term in terms],
        boost=PARTS_WEIGHT,
    )


def _all_parts(group: QueryGroup) -> Q:
    return Q("bool", filter=[any_of({p[:100] for p in part}) for part in group.parts])


def reading_run_match(group: QueryGroup) -> Q:
    """All bigrams of the kana chunk present and none of the group's terms (nor all of its
    parts), scoring the heaviest bigram posting × READING_RUN_WEIGHT."""
    grams = sorted(f"b:{g}" for g in group.reading_run)
    terms = sorted({t[:100] for t in group.terms})
    must_not = [feature(term) for term in terms]
    if group.parts:
        must_not.append(_all_parts(group))
    return Q(
        "bool",
        filter=[feature(gram) for gram in grams],
        must_not=must_not,
        must=[Q("dis_max", queries=[feature(gram, READING_RUN_WEIGHT) for gram in grams])],
    )


@dataclass(frozen=True)
class Station:
    """What the cluster said about a station group's town (``search.es.understanding``):
    whether the town itself has listings, and the median point of the listings the centre is
    taken from (None: none of them has coordinates)."""

    own: bool
    centre: tuple[float, float] | None


def station_match(group: QueryGroup, station: Station, **extra: Any) -> Q:
    """A station typed as one (「大井町駅」), as ``EmbeddedEngine._near_station``: listings of
    the town it is named after (``t:``), those within NEAR_STATION_M of the centre, and names
    carrying the word (the group's ``s:``/``n:`` terms); when the town has no listing, every
    town containing the name (the group's terms) and those near. Scored by the best of the
    group's terms, or NEAR_STATION_WEIGHT when none of them is present (exact: the two are
    made exclusive with must_not). Without a centre, the group's terms alone."""
    if station.centre is None:
        return terms_match(group.terms, **extra)
    near = near_filter(station.centre, NEAR_STATION_M)
    if station.own:
        named = sorted(t[:100] for t in group.terms if t.startswith(("s:", "n:")))
        satisfied = [feature(f"t:{group.station}"), near, *[feature(t) for t in named]]
    else:
        satisfied = [any_of({t[:100] for t in group.terms}), near]
    terms = sorted({t[:100] for t in group.terms})
    return Q(
        "bool",
        filter=[Q("bool", should=satisfied, minimum_should_match=1)],
        should=[
            terms_match(group.terms),
            Q(
                "constant_score",
                filter=Q("bool", must_not=[feature(t) for t in terms]),
                boost=NEAR_STATION_WEIGHT,
            ),
        ],
        **extra,
    )


def group_query(
    group: QueryGroup,
    *,
    boost: float | None = None,
    name: str | None = None,
    station: Station | None = None,
) -> Q:
    """One query group: its best term; or every part of a compound; or, for a kana chunk, all
    its reading bigrams; or, for a station, the station rule. The alternatives exclude each
    other (must_not), so the bool's sum is whichever matched. ``boost``: the group's rarity
    (``idf``), multiplying its score as in the embedded engine; ``name``: the named query that
    tells in a hit's ``matched_queries`` that it satisfied the group."""
    extra: dict[str, Any] = {}
    if boost is not None and boost != 1.0:
        extra["boost"] = _boost(boost)
    if name:
        extra["_name"] = name
    if group.station and station is not None:
        return station_match(group, station, **extra)
    if not group.parts and not group.reading_run:
        return terms_match(group.terms, **extra)
    alternatives = [terms_match(group.terms)]
    if group.parts:
        alternatives.append(parts_match(group))
    if group.reading_run:
        alternatives.append(reading_run_match(group))
    return Q("bool", should=alternatives, minimum_should_match=1, **extra)


@dataclass(frozen=True)
class Understanding:
    """What the cluster said about the query before the search (``search.es.understanding``):
    the index size, each group's rarity (by position among the first MAX_GROUPS groups), the
    fact bonuses (fact keys, FACT_BONUS × the fact's rarity) and the station groups' towns.
    The default (no counts) weighs every group 1 and adds no fact bonus."""

    size: int = 0
    group_idf: tuple[float, ...] = ()
    facts: tuple[tuple[tuple[str, ...], float], ...] = ()
    stations: Mapping[int, Station] = field(default_factory=dict)

    def idf(self, index: int) -> float:
        return self.group_idf[index] if index < len(self.group_idf) else 1.0


# A relaxed search puts first the listings that miss the least, as the embedded engine: what a
# listing misses is weighed by each word's rarity (``missed_key``). Each required word a
# listing has adds ``matched_word_bonus(idf)`` = MATCHED_WORD_BONUS × the word's idf, so a
# hit's score is its text score + MATCHED_WORD_BONUS × (Σ idf of all words − its key): the
# smaller the key, the higher the score. The engine takes the same amounts off when it reads
# the hits (``relaxed_bonus``).
#
# The scale: two listings whose keys differ by Δ are ordered by key when
# MATCHED_WORD_BONUS × Δ exceeds the difference of their text scores. A word scores posting
# weight (≤ ~50) × evidence (≤ 1) × rarity (≤ ~13 at 100,000 listings), so at 10,000 a key
# difference of 0.1 (missing a word of count n rather than one of count 1.1 n) already
# outweighs ~1,000 of text score; keys closer than that (words of nearly the same count) may
# be ordered by text score instead — the embedded engine compares them exactly. Listings
# missing the same words get exactly the same bonus, so they are ordered by text score as in
# the embedded engine. Lucene scores are float32 (24 bits): a hit's total is about 10,000 ×
# Σ idf (≈ 30,000–300,000 for 2–5 words), whose float32 spacing is 0.002–0.03, so the
# de-bonused score keeps about two decimals. Each bonus is rounded to a float32 value, so the
# cluster adds exactly the amount the engine subtracts (only the float32 sum rounds).
MATCHED_WORD_BONUS = 10_000.0


def matched_word_bonus(rarity: float) -> float:
    """The relaxed-order bonus of a word of this idf, as a float32 value (what Lucene keeps of
    a boost), so that taking it off again is exact."""
    return float(struct.unpack("f", struct.pack("f", MATCHED_WORD_BONUS * rarity))[0])


def missed_key(missed: Iterable[int], understanding: Understanding) -> float:
    """As ``EmbeddedEngine._run``: the sum of the idf of the words a listing misses, rounded to
    6 places (relaxed order: smallest first)."""
    return round(sum(understanding.idf(i) for i in missed), 6)


def relaxed_bonus(matched: Iterable[int], understanding: Understanding) -> float:
    """What the bonuses of the words a hit has added to its score."""
    return sum(matched_word_bonus(understanding.idf(i)) for i in matched)


def group_name(index: int) -> str:
    """The named query of a required, non-place group (see ``group_query``)."""
    return f"g{index}"


def text_clauses(
    analyzed: AnalyzedQuery,
    q: str,
    slack: int = 0,
    understanding: Understanding | None = None,
) -> tuple[list[Q], list[Q]]:
    """(must, should), as ``EmbeddedEngine._text``: the place groups and the required groups
    (all of them, or all but ``slack`` — a place is never set aside), then the optional
    groups, the exact-title bonus, the fact bonuses and, relaxed, ``matched_word_bonus`` (×
    the word's idf) per required word a listing has. Every group is boosted by its rarity."""
    if analyzed.is_empty:
        return [], []
    understanding = understanding or Understanding()
    groups = list(analyzed.groups)[:MAX_GROUPS]

    def clause(i: int, group: QueryGroup, name: str | None = None) -> Q:
        return group_query(
            group,
            boost=understanding.idf(i),
            name=name,
            station=understanding.stations.get(i),
        )

    must = [clause(i, g) for i, g in enumerate(groups) if g.required and g.place]
    words = [(i, g) for i, g in enumerate(groups) if g.required and not g.place]
    named = [clause(i, g, group_name(i)) for i, g in words]
    should = [clause(i, g) for i, g in enumerate(groups) if not g.required]
    needed = len(words) - slack
    if not slack:
        must += named
    elif needed >= 1:
        must.append(Q("bool", should=named, minimum_should_match=needed))
    elif must:
        should += named  # only the places are required: the words still score
    else:
        must.append(Q("bool", should=named, minimum_should_match=1))
    should.append(
        Q(
            "constant_score",
            filter=Q("term", title_key=normalize(q)[:255]),
            boost=EXACT_TITLE_BONUS,
        )
    )
    for keys, bonus in understanding.facts:
        should.append(Q("constant_score", filter=any_of(keys), boost=_boost(bonus)))
    if slack:
        for i, group in words:
            should.append(
                Q(
                    "constant_score",
                    filter=group_query(group, station=understanding.stations.get(i)),
                    boost=matched_word_bonus(understanding.idf(i)),
                )
            )
    return must, should


# ---------------------------------------------------------------------------- filters
def area_filter(area_paths: list[AreaPath]) -> Q:
    """DESIGN.md §3: located in one of the areas (or below), or serving one of them (the
    service area is the area or one of its ancestors)."""
    located = sorted({a.code for a in area_paths})
    serving = sorted({code for a in area_paths for code in a.ancestors})
    return Q(
        "bool",
        should=[Q("terms", area_codes=located), Q("terms", service_area=serving)],
        minimum_should_match=1,
    )


def near_filter(near: tuple[float, float], radius: float) -> Q:
    return Q(
        "geo_distance",
        distance=f"{float(radius)}m",
        location={"lat": near[0], "lon": near[1]},
    )


def open_on_filters(day: datetime.date) -> list[Q]:
    """Weekly on the weekday, monthly on (weekday, 第n or 最終), monthday, or the date; on a
    public holiday not the listings closed on holidays."""
    weekday = day.weekday()
    monthly = [f"{weekday}:{schedules.week_of_month(day)}"]
    if schedules.is_last_of_month(day):
        monthly.append(f"{weekday}:{schedules.LAST_WEEK}")
    clauses = [
        Q(
            "bool",
            should=[
                Q("term", open_weekly=weekday),
                Q("terms", open_monthly=monthly),
                Q("term", open_monthdays=day.day),
                Q("term", open_dates=day.isoformat()),
            ],
            minimum_should_match=1,
        )
    ]
    if jpholiday.is_holiday(day):
        clauses.append(Q("term", closed_on_holidays=False))
    return clauses


def facet_filters(params: SearchParams, area_paths: list[AreaPath]) -> dict[str, Q]:
    """The selected facets' filters, by facet (values OR within, facets AND across)."""
    filters: dict[str, Q] = {}
    if params.kinds:
        filters["kind"] = Q("terms", kind=list(params.kinds))
    if params.ages:
        filters["age"] = Q("terms", ages=list(params.ages))
    if params.topics:
        filters["topic"] = Q("terms", topics=[t[:100] for t in params.topics])
    if area_paths:
        filters["area"] = area_filter(area_paths)
    return filters


def other_filters(params: SearchParams) -> list[Q]:
    """Distance, date, network and access: they narrow the facet counts too."""
    clauses: list[Q] = []
    if params.near and params.radius is not None:
        clauses.append(near_filter(params.near, params.radius))
    if params.open_on:
        clauses.extend(open_on_filters(params.open_on))
    if params.network_listing_ids is not None:
        clauses.append(Q("terms", listing_id=sorted(params.network_listing_ids)))
    if params.access_listing_ids is not None:
        clauses.append(Q("terms", listing_id=sorted(params.access_listing_ids)))
    return clauses


# ---------------------------------------------------------------------------- body
def sort_clause(params: SearchParams, sort: str) -> list[dict[str, Any]]:
    if sort == SORT_DISTANCE and params.near:
        lat, lng = params.near
        return [
            {
                "_geo_distance": {
                    "location": {"lat": lat, "lon": lng},
                    "order": "asc",
                    "unit": "m",
                    "distance_type": "arc",
                }
            },
            {"_score": {"order": "desc"}},
            {"listing_id": {"order": "asc"}},
        ]
    return [
        {"_score": {"order": "desc"}},
        {"title_key": {"order": "asc"}},
        {"listing_id": {"order": "asc"}},
    ]


def facet_aggregations(facets: tuple[str, ...] = FACETS) -> dict[str, dict[str, Any]]:
    """``terms`` aggregations of these facets (area: location ancestry, the ancestors at or
    below the service depth, and the service area, for ``area_facet_counts``)."""
    aggs: dict[str, dict[str, Any]] = {}
    for name in facets:
        if name == "kind":
            aggs["kind"] = {"terms": {"field": "kind", "size": FACET_SIZES["kind"]}}
        elif name == "age":
            aggs["age"] = {"terms": {"field": "ages", "size": FACET_SIZES["age"]}}
        elif name == "topic":
            aggs["topic"] = {"terms": {"field": "topics", "size": FACET_SIZES["topic"]}}
        elif name == "area":
            aggs["area"] = {"terms": {"field": "area_codes", "size": AREA_FACET_SIZE}}
            aggs["area_covered"] = {"terms": {"field": "area_covered", "size": AREA_FACET_SIZE}}
            aggs["svc"] = {"terms": {"field": "service_area", "size": AREA_FACET_SIZE}}
    return aggs


def _all_of(clauses: list[Q]) -> dict[str, Any]:
    return Q("bool", filter=clauses).to_dict() if clauses else {"match_all": {}}


def aggregations(selected: dict[str, Q]) -> dict[str, dict[str, Any]]:
    """``facets``: every facet under all the facet filters; ``without_<facet>``: a facet with
    a selection, under the other facets' filters only (what choosing another value too
    would give)."""
    aggs = {
        "facets": {
            "filter": _all_of(list(selected.values())),
            "aggs": facet_aggregations(),
        }
    }
    for name in FACETS:
        if name in selected:
            others = [clause for other, clause in selected.items() if other != name]
            aggs[f"without_{name}"] = {
                "filter": _all_of(others),
                "aggs": facet_aggregations((name,)),
            }
    return aggs


def build_query(
    params: SearchParams,
    analyzed: AnalyzedQuery,
    slack: int = 0,
    understanding: Understanding | None = None,
) -> Q:
    must, should = text_clauses(analyzed, params.q, slack, understanding)
    filters = other_filters(params)
    if not must:
        # No text: every listing passing the filters, score 0 (as the embedded engine).
        return Q("bool", filter=filters or [Q("match_all")])
    return Q("bool", must=must, should=should, filter=filters)


def search_body(
    params: SearchParams,
    analyzed: AnalyzedQuery,
    area_paths: list[AreaPath],
    sort: str,
    *,
    size: int,
    offset: int,
    slack: int = 0,
    understanding: Understanding | None = None,
    facets: bool = True,
) -> dict[str, Any]:
    """The search request; ``facets=False`` leaves the facet aggregations out (a request
    that only reads one hit)."""
    selected = facet_filters(params, area_paths)
    search = (
        Search()
        .query(build_query(params, analyzed, slack, understanding))
        .sort(*sort_clause(params, sort))
        .source(SOURCE_FIELDS)
        .extra(track_total_hits=True, track_scores=True, size=size, **{"from": offset})
    )
    body = search.to_dict()
    if selected:
        body["post_filter"] = _all_of(list(selected.values()))
    if facets:
        body["aggs"] = aggregations(selected)
    return body


def page_window(offset: int, page_size: int, max_window: int) -> tuple[int, int]:
    """(from, size) within the index's result window; past it, no hits (counts still come)."""
    if offset >= max_window:
        return 0, 0
    return offset, max(0, min(page_size, max_window - offset))


# ---------------------------------------------------------------------------- answers
def hits_from_response(
    response: Mapping[str, Any], params: SearchParams, area_paths: list[AreaPath]
) -> list[Hit]:
    hits = []
    for raw in response["hits"]["hits"]:
        source = raw.get("_source") or {}
        listing_id = int(source.get("listing_id", raw.get("_id")))
        hit = Hit(listing_id=listing_id, score=float(raw.get("_score") or 0.0))
        location = source.get("location")
        if params.near and location:
            hit.distance_m = round(
                haversine_m(params.near[0], params.near[1], location["lat"], location["lon"]), 1
            )
        if area_paths:
            path = source.get("location_path") or ""
            located = any(path.startswith(a.path) for a in area_paths)
            hit.area_match = MATCH_LOCATED if located else MATCH_SERVES
        hits.append(hit)
    return hits


def total_from_response(response: Mapping[str, Any]) -> int:
    total = response["hits"]["total"]
    return int(total["value"] if isinstance(total, Mapping) else total)


def buckets(aggs: Mapping[str, Any], name: str) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])}


def area_facet_counts(
    located: Mapping[str, int],
    covered: Mapping[str, int],
    served: Mapping[str, int],
    areas: Iterable[tuple[str, Iterable[str]]],
) -> dict[str, int]:
    """Area X counts the listings located in it plus those whose service area holds X (X or
    an ancestor), each once: a listing located in X whose service area is at X's depth or
    above is counted by the second term, so it is taken out of the first. ``areas`` is
    (code, ancestor codes incl. itself) for every area of the tree."""
    counts: dict[str, int] = {}
    for code, ancestors in areas:
        total = located.get(code, 0) - covered.get(code, 0)
        total += sum(served.get(a, 0) for a in ancestors)
        if total:
            counts[code] = total
    return counts


def facets_from_aggregations(
    aggs: Mapping[str, Any], areas: Iterable[tuple[str, Iterable[str]]] | None
) -> dict[str, dict[str, int]]:
    """Facet counts from ``aggregations()``'s answer. ``areas`` (code, ancestor codes) is
    iterated only when some listing has an area (pass a lazy iterable)."""
    facets = _facets(aggs.get("facets", {}), areas)
    for name in FACETS:
        without = aggs.get(f"without_{name}")
        if without is not None:
            facets[name] = _facets(without, areas)[name]
    return facets


def _facets(
    aggs: Mapping[str, Any], areas: Iterable[tuple[str, Iterable[str]]] | None
) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {
        "kind": buckets(aggs, "kind"),
        "age": buckets(aggs, "age"),
        "topic": buckets(aggs, "topic"),
        "area": {},
    }
    located, served = buckets(aggs, "area"), buckets(aggs, "svc")
    if (located or served) and areas is not None:
        facets["area"] = area_facet_counts(located, buckets(aggs, "area_covered"), served, areas)
    return facets
