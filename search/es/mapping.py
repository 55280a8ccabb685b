"""The Elasticsearch index: settings, analysis, mapping, and what one listing looks like in it.

Japanese is analysed in Python (``search.analysis``, Sudachi), exactly as for the embedded
engine, and the index stores that output: the ``postings`` of
``search.documents.build_document`` (term → weight) become one ``rank_features`` field, a
sparse map from each term (``n:子供``, ``y:こども``, ``g:12``, ``b:こど``…) to its weight. A
``rank_feature`` query with a linear function scores ``weight × boost``: the embedded engine's
``posting weight × evidence weight``, whatever formula build_document uses for the weight.
Weights are stored ×10 so the usual ones (multiples of 0.1 up to 51.1) are exact in the
field's 9 significant bits.

Only built-in analysis is used (``cjk_width``, ``lowercase``, ``cjk_bigram``), so a stock
Elasticsearch 8.x/9.x cluster works. The ``text`` fields are for people (ad-hoc queries, Kibana,
highlighting), never for ranking; when every node reports the ``analysis-kuromoji`` plugin they
get a ``.ja`` sub-field analysed by kuromoji as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Double,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Mapping,
    RankFeatures,
    Short,
    Text,
    analyzer,
)

from ..documents import IndexedDocument

POSTINGS_FIELD = "postings"
# Stored weight = posting weight × WEIGHT_SCALE; queries boost by evidence weight / scale.
WEIGHT_SCALE = 10.0
# rank_features cannot have dots in feature names: "." becomes ONE DOT LEADER, which NFKC
# (search.analysis.normalize) never leaves in a term.
DOT = "."
DOT_STANDIN = "\u2024"
# Human-readable text (not used for ranking), by IndexedDocument.texts key.
TEXT_FIELDS: dict[str, str] = {
    "title": "name",
    "name_kana": "name_kana",
    "labels": "keywords",
    "organiser": "organiser",
    "area": "area_names",
    "address": "address",
    "description": "description",
    "details": "details",
}
# Text fields that get a kuromoji sub-field when the plugin is installed.
KUROMOJI_FIELDS = ("name", "keywords", "description")
# What a search reads back from each hit.
SOURCE_FIELDS = ["listing_id", "location", "location_path", "closed_on_holidays"]
MAX_TERM_CHARS = 100  # as the embedded index (SearchPosting.term)
MAX_FACET_CHARS = 100  # as the embedded index (SearchFacet.value)
MAX_RESULT_WINDOW = 10_000

JA_TEXT = analyzer(
    "ja_text",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", "cjk_bigram"],
)
JA_KUROMOJI = analyzer(
    "ja_kuromoji",
    tokenizer="kuromoji_tokenizer",
    filter=[
        "kuromoji_baseform",
        "kuromoji_part_of_speech",
        "cjk_width",
        "ja_stop",
        "kuromoji_stemmer",
        "lowercase",
    ],
)
KUROMOJI_PLUGIN = "analysis-kuromoji"


def build_mapping(*, kuromoji: bool = False) -> Mapping:
    m = Mapping()
    m.meta("dynamic", "strict")
    m.field("listing_id", Integer())
    m.field("kind", Keyword())
    m.field("title_key", Keyword())  # normalised title: exact-title bonus and tie-break sort
    # Filters and facets (values exactly as the embedded engine's SearchFacet rows).
    m.field("ages", Keyword())  # 「どなたでも」 expanded to every age group
    m.field("topics", Keyword())
    m.field("location_path", Keyword())
    m.field("area_codes", Keyword())  # the location area and its ancestors
    # Location ancestors at or below the service area's depth (for the area facet rule).
    m.field("area_covered", Keyword())
    m.field("service_area", Keyword())
    m.field("service_depth", Short())
    m.field("location", GeoPoint())
    # The same point as numbers: a station's centre is the median of its town's listings
    # (percentiles aggregations work on numeric fields, not on geo_point).
    m.field("latitude", Double())
    m.field("longitude", Double())
    # open_on: weekly weekdays, monthly "weekday:week" (week -1 = last), days of month, dates.
    m.field("open_weekly", Short())
    m.field("open_monthly", Keyword())
    m.field("open_monthdays", Short())
    m.field("open_dates", Date(format="yyyy-MM-dd"))
    m.field("closed_on_holidays", Boolean())
    # Analysed terms (search.analysis) → weight × WEIGHT_SCALE.
    m.field(POSTINGS_FIELD, RankFeatures())
    for field in TEXT_FIELDS.values():
        if kuromoji and field in KUROMOJI_FIELDS:
            m.field(field, Text(analyzer=JA_TEXT, fields={"ja": Text(analyzer=JA_KUROMOJI)}))
        else:
            m.field(field, Text(analyzer=JA_TEXT))
    return m


def index_settings(*, bulk_loading: bool = False) -> dict[str, Any]:
    """One primary shard (exact facet counts, a few hundred thousand small documents fit
    easily), one replica as soon as a second node exists; no refresh while bulk loading."""
    return {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "refresh_interval": "-1" if bulk_loading else "1s",
        "max_result_window": MAX_RESULT_WINDOW,
    }


def index_body(*, kuromoji: bool = False, bulk_loading: bool = False) -> dict[str, Any]:
    """``{"settings": …, "mappings": …}`` for ``indices.create``."""
    index = Index("listings")
    index.settings(**index_settings(bulk_loading=bulk_loading))
    index.mapping(build_mapping(kuromoji=kuromoji))
    return index.to_dict()


def feature_name(term: str) -> str:
    """The rank_features key of an analysed term (also used to query it)."""
    return term[:MAX_TERM_CHARS].replace(DOT, DOT_STANDIN)


def feature_value(weight: float) -> float:
    return round(weight * WEIGHT_SCALE, 6)


def schedule_fields(rules: Iterable[Any]) -> dict[str, list]:
    """open_on fields from ScheduleRule-like objects (frequency, weekday, week_of_month,
    day_of_month, date)."""
    weekly: set[int] = set()
    monthly: set[str] = set()
    monthdays: set[int] = set()
    dates: set[str] = set()
    for rule in rules:
        if rule.frequency == "weekly" and rule.weekday is not None:
            weekly.add(rule.weekday)
        elif (
            rule.frequency == "monthly"
            and rule.weekday is not None
            and rule.week_of_month is not None
        ):
            monthly.add(f"{rule.weekday}:{rule.week_of_month}")
        elif rule.frequency == "monthday" and rule.day_of_month is not None:
            monthdays.add(rule.day_of_month)
        elif rule.frequency == "date" and rule.date is not None:
            dates.add(rule.date.isoformat())
    return {
        "open_weekly": sorted(weekly),
        "open_monthly": sorted(monthly),
        "open_monthdays": sorted(monthdays),
        "open_dates": sorted(dates),
    }


def to_source(doc: IndexedDocument, rules: Iterable[Any] = ()) -> dict[str, Any]:
    """The Elasticsearch document of one listing: the same analysed output as the embedded
    index (``IndexedDocument``) plus its schedule rules."""
    facets: dict[str, list[str]] = {"kind": [], "age": [], "topic": [], "area": [], "svc": []}
    covered: list[str] = []
    for facet, value, depth, service_depth in doc.facets:
        facets.setdefault(facet, []).append(value[:MAX_FACET_CHARS])
        if facet == "area" and service_depth <= depth:
            covered.append(value[:MAX_FACET_CHARS])
    source: dict[str, Any] = {
        "listing_id": doc.listing_id,
        "kind": doc.kind,
        "title_key": doc.title_key,
        "ages": facets["age"],
        "topics": facets["topic"],
        "location_path": doc.location_path,
        "area_codes": facets["area"],
        "area_covered": covered,
        "service_area": doc.service_area_code or None,
        "service_depth": doc.service_depth,
        "location": (
            {"lat": doc.latitude, "lon": doc.longitude}
            if doc.latitude is not None and doc.longitude is not None
            else None
        ),
        "latitude": doc.latitude if doc.longitude is not None else None,
        "longitude": doc.longitude if doc.latitude is not None else None,
        "closed_on_holidays": doc.closed_on_holidays,
        **schedule_fields(rules),
    }
    source[POSTINGS_FIELD] = {
        feature_name(term): feature_value(weight)
        for term, weight in sorted(doc.postings.items())
        if len(term) <= MAX_TERM_CHARS and weight > 0
    }
    for key, field in TEXT_FIELDS.items():
        source[field] = doc.texts.get(key, "")
    return source
