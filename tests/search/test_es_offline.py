"""The Elasticsearch engine without a cluster: mapping, analysis settings, documents, the
request bodies for every filter combination, answers back, index lifecycle bodies, settings.

Nothing here talks to Elasticsearch: these are the pure pieces the cluster would receive or
return. The behaviour against a real cluster is tests/search/test_engine_contract.py.
"""

import datetime
import itertools
import json
import struct
from collections import Counter

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from elastic_transport import ApiResponseMeta, ConnectionError, HttpHeaders, NodeConfig

from listings.vocabulary import Kind, Tier
from search import documents
from search.analysis import AnalyzedQuery, QueryGroup, analyze_query
from search.contract import SearchParams
from search.documents import IndexedDocument
from search.embedded import EmbeddedEngine
from search.engines import get_engine, reset_engines
from search.es import lifecycle, mapping, queries
from search.es.breaker import EngineUnavailable
from search.es.engine import ElasticsearchEngine, is_outage
from search.fallback import FallbackEngine
from search.memory import AreaTable, build_snapshot
from search.synonyms import synonym_table
from tests.factories import make_listing, monthly, on_date, weekly

STATION = (35.7250, 139.5500)


def rank_feature(term, boost=None):
    body = {"field": f"postings.{term}", "linear": {}}
    if boost is not None:
        body["boost"] = boost
    return {"rank_feature": body}


# ------------------------------------------------------------------------------ mapping
class TestMapping:
    def test_settings(self):
        settings = mapping.index_body()["settings"]
        assert settings == {
            "number_of_shards": 1,
            "auto_expand_replicas": "0-1",
            "refresh_interval": "1s",
            "max_result_window": 10_000,
            "analysis": {
                "analyzer": {
                    "ja_text": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                    }
                }
            },
        }

    def test_bulk_loading_turns_refresh_off(self):
        assert mapping.index_body(bulk_loading=True)["settings"]["refresh_interval"] == "-1"

    def test_only_built_in_analysis_without_kuromoji(self):
        body = mapping.index_body()
        text = json.dumps(body)
        assert "kuromoji" not in text
        analysis = body["settings"]["analysis"]
        assert set(analysis) == {"analyzer"}  # no custom tokenizers, filters or char filters
        used = {f for a in analysis["analyzer"].values() for f in a["filter"]}
        assert used <= {"cjk_width", "lowercase", "cjk_bigram"}
        assert {a["tokenizer"] for a in analysis["analyzer"].values()} == {"standard"}

    def test_mapping_fields(self):
        mappings = mapping.index_body()["mappings"]
        assert mappings["dynamic"] == "strict"
        types = {name: spec["type"] for name, spec in mappings["properties"].items()}
        assert types == {
            "listing_id": "integer",
            "kind": "keyword",
            "title_key": "keyword",
            "ages": "keyword",
            "topics": "keyword",
            "location_path": "keyword",
            "area_codes": "keyword",
            "area_covered": "keyword",
            "service_area": "keyword",
            "service_depth": "short",
            "location": "geo_point",
            "latitude": "double",
            "longitude": "double",
            "open_weekly": "short",
            "open_monthly": "keyword",
            "open_monthdays": "short",
            "open_dates": "date",
            "closed_on_holidays": "boolean",
            "postings": "rank_features",
            "name": "text",
            "name_kana": "text",
            "keywords": "text",
            "organiser": "text",
            "area_names": "text",
            "address": "text",
            "description": "text",
            "details": "text",
        }
        properties = mappings["properties"]
        assert properties["open_dates"]["format"] == "yyyy-MM-dd"
        for field in mapping.TEXT_FIELDS.values():
            assert properties[field] == {"type": "text", "analyzer": "ja_text"}

    def test_kuromoji_sub_fields_when_the_cluster_has_the_plugin(self):
        body = mapping.index_body(kuromoji=True)
        analyzers = body["settings"]["analysis"]["analyzer"]
        assert analyzers["ja_kuromoji"] == {
            "type": "custom",
            "tokenizer": "kuromoji_tokenizer",
            "filter": [
                "kuromoji_baseform",
                "kuromoji_part_of_speech",
                "cjk_width",
                "ja_stop",
                "kuromoji_stemmer",
                "lowercase",
            ],
        }
        properties = body["mappings"]["properties"]
        for field in ("name", "keywords", "description"):
            assert properties[field] == {
                "type": "text",
                "analyzer": "ja_text",
                "fields": {"ja": {"type": "text", "analyzer": "ja_kuromoji"}},
            }
        assert "fields" not in properties["address"]

    def test_has_kuromoji_needs_every_node(self):
        class Nodes:
            def __init__(self, plugins):
                self.plugins = plugins

            def info(self, metric):
                assert metric == "plugins"
                return {"nodes": {f"n{i}": {"plugins": p} for i, p in enumerate(self.plugins)}}

        class Client:
            def __init__(self, *plugins):
                self.nodes = Nodes(plugins)

        kuromoji = [{"name": "analysis-kuromoji"}]
        assert lifecycle.has_kuromoji(Client(kuromoji, kuromoji))
        assert not lifecycle.has_kuromoji(Client(kuromoji, []))
        assert not lifecycle.has_kuromoji(Client())


# ------------------------------------------------------------------------------ documents
def quantised(value: float) -> float:
    """What a rank_features field keeps of a value (Lucene FeatureField: 9 significant bits)."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0] >> 15
    return struct.unpack("<f", struct.pack("<I", bits << 15))[0]


class TestDocuments:
    def doc(self, **extra):
        base = {
            "listing_id": 7,
            "kind": "kodomo_shokudo",
            "title_key": "みどり子ども食堂",
            "location_path": "/city/north/north-a/",
            "service_area_code": "north",
            "service_depth": 1,
            "latitude": 35.726,
            "longitude": 139.551,
            "closed_on_holidays": True,
            "postings": {"n:子供": 10.0, "y:こども": 11.2, "s:3.5": 1.0, "b:こど": 6.0},
            "facets": [
                ("kind", "kodomo_shokudo", 0, 0),
                ("age", "elementary", 0, 0),
                ("topic", "食事", 0, 0),
                ("area", "city", 0, 1),
                ("area", "north", 1, 1),
                ("area", "north-a", 2, 1),
                ("svc", "north", 1, 1),
            ],
            "texts": {"title": "みどり子ども食堂", "description": "毎月第2土曜"},
        }
        base.update(extra)
        return IndexedDocument(**base)

    def test_source(self):
        rules = [
            monthly_rule(2, 5),
            monthly_rule(-1, 4),
            rule("weekly", weekday=2),
            rule("monthday", day_of_month=12),
            rule("date", date=datetime.date(2026, 12, 23)),
        ]
        source = mapping.to_source(self.doc(), rules)
        assert source == {
            "listing_id": 7,
            "kind": "kodomo_shokudo",
            "title_key": "みどり子ども食堂",
            "ages": ["elementary"],
            "topics": ["食事"],
            "location_path": "/city/north/north-a/",
            "area_codes": ["city", "north", "north-a"],
            # The service area (north, depth 1) holds north and north-a, not the city.
            "area_covered": ["north", "north-a"],
            "service_area": "north",
            "service_depth": 1,
            "location": {"lat": 35.726, "lon": 139.551},
            "latitude": 35.726,
            "longitude": 139.551,
            "closed_on_holidays": True,
            "open_weekly": [2],
            "open_monthly": ["4:-1", "5:2"],
            "open_monthdays": [12],
            "open_dates": ["2026-12-23"],
            "postings": {"b:こど": 60.0, "n:子供": 100.0, "s:3\u20245": 10.0, "y:こども": 112.0},
            "name": "みどり子ども食堂",
            "name_kana": "",
            "keywords": "",
            "organiser": "",
            "area_names": "",
            "address": "",
            "description": "毎月第2土曜",
            "details": "",
        }
        assert set(source) <= set(mapping.index_body()["mappings"]["properties"])

    def test_no_location_without_both_coordinates(self):
        source = mapping.to_source(self.doc(latitude=None, longitude=None))
        assert source["location"] is None
        assert source["latitude"] is None and source["longitude"] is None
        half = mapping.to_source(self.doc(longitude=None))
        assert (half["location"], half["latitude"], half["longitude"]) == (None, None, None)

    def test_long_terms_are_left_out_as_in_the_embedded_index(self):
        source = mapping.to_source(self.doc(postings={"n:" + "あ" * 120: 1.0, "n:短い": 1.0}))
        assert source["postings"] == {"n:短い": 10.0}

    def test_every_posting_weight_survives_the_field_precision(self):
        """rank_features keep 9 significant bits: weights ×10 stay exact for every weight
        build_document can produce from the field weights (best + share × the others)."""
        weights = sorted(set(documents.FIELD_WEIGHTS.values()))
        share = getattr(documents, "OTHER_FIELDS_SHARE", 0.0)
        possible = set()
        for size in range(1, len(weights) + 1):
            for combo in itertools.combinations(weights, size):
                best = max(combo)
                possible.add(best + share * (sum(combo) - best))
        for weight in possible:
            value = mapping.feature_value(weight)
            assert quantised(value) == pytest.approx(value, abs=1e-6), weight

    @pytest.mark.django_db
    def test_listing_sources_from_the_database(self, areas):
        page = make_listing(
            "みどり子ども食堂",
            kind=Kind.KODOMO_SHOKUDO,
            area=areas.north_a,
            service_tier=Tier.JUNIOR_HIGH,
            ages=("everyone",),
            topics=("食事",),
            rules=(weekly(5), monthly(-1, 4), on_date(datetime.date(2026, 12, 23))),
        )
        listing = lifecycle.indexable_listings().get(pk=page.pk)
        [source] = lifecycle.listing_sources([listing])
        all_areas = {a.code: a for a in type(areas.city).objects.all()}
        doc = documents.build_document(listing, all_areas, synonym_table())
        assert source["postings"] == {
            mapping.feature_name(t): mapping.feature_value(w)
            for t, w in doc.postings.items()
            if len(t) <= 100
        }
        # 「どなたでも」 counts under, and is found by, every age.
        assert source["ages"] == sorted([*documents.ALL_AGES, "everyone"])
        assert source["area_codes"] == ["city", "north", "north-a"]
        assert source["service_area"] == "north"
        assert source["open_weekly"] == [5]
        assert source["open_monthly"] == ["4:-1"]
        assert source["open_dates"] == ["2026-12-23"]


def rule(frequency, **fields):
    from types import SimpleNamespace

    base = {"weekday": None, "week_of_month": None, "day_of_month": None, "date": None}
    return SimpleNamespace(frequency=frequency, **{**base, **fields})


def monthly_rule(week, weekday):
    return rule("monthly", weekday=weekday, week_of_month=week)


# ------------------------------------------------------------------------------ text queries
class TestTextQueries:
    def test_a_group_is_its_best_matching_term(self):
        group = QueryGroup("食堂", frozenset({"s:食堂", "n:食堂", "y:しょくどう", "g:4"}), True)
        assert queries.group_query(group).to_dict() == {
            "dis_max": {
                "queries": [
                    rank_feature("g:4", 0.075),
                    rank_feature("n:食堂", 0.09),
                    rank_feature("s:食堂", 0.1),
                    rank_feature("y:しょくどう", 0.06),
                ]
            }
        }

    def test_a_kana_group_may_match_by_all_its_reading_bigrams(self):
        group = QueryGroup(
            "いばしょ", frozenset({"y:いばしょ"}), True, frozenset({"いば", "ばし", "しょ"})
        )
        assert queries.group_query(group).to_dict() == {
            "bool": {
                "should": [
                    {"dis_max": {"queries": [rank_feature("y:いばしょ", 0.06)]}},
                    {
                        "bool": {
                            "filter": [
                                rank_feature("b:いば"),
                                rank_feature("b:しょ"),
                                rank_feature("b:ばし"),
                            ],
                            "must_not": [rank_feature("y:いばしょ")],
                            "must": [
                                {
                                    "dis_max": {
                                        "queries": [
                                            rank_feature("b:いば", 0.05),
                                            rank_feature("b:しょ", 0.05),
                                            rank_feature("b:ばし", 0.05),
                                        ]
                                    }
                                }
                            ],
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        }

    def test_dots_in_terms_are_escaped_on_both_sides(self):
        group = QueryGroup("3.5", frozenset({"n:3.5"}), True)
        field = queries.group_query(group).to_dict()["dis_max"]["queries"][0]["rank_feature"]
        assert field["field"] == "postings.n:3\u20245"
        assert mapping.feature_name("n:3.5") == "n:3\u20245"

    def analyzed(self):
        return AnalyzedQuery(
            "子ども 食堂 行きたい",
            (
                QueryGroup("子ども", frozenset({"n:子供"}), True),
                QueryGroup("食堂", frozenset({"n:食堂"}), True),
                QueryGroup("行き", frozenset({"n:行く"}), False),
            ),
        )

    def test_required_groups_must_optional_groups_should_and_the_title_bonus(self):
        must, should = queries.text_clauses(self.analyzed(), "子ども 食堂 行きたい")
        # Required words are named (g<position>): a hit's matched_queries tells which it has.
        assert [q.to_dict() for q in must] == [
            {"dis_max": {"queries": [rank_feature("n:子供", 0.09)], "_name": "g0"}},
            {"dis_max": {"queries": [rank_feature("n:食堂", 0.09)], "_name": "g1"}},
        ]
        assert [q.to_dict() for q in should] == [
            {"dis_max": {"queries": [rank_feature("n:行く", 0.09)]}},
            {
                "constant_score": {
                    "filter": {"term": {"title_key": "子ども 食堂 行きたい"}},
                    "boost": 50.0,
                }
            },
        ]

    def test_relaxed_requires_all_but_one_required_group(self):
        must, should = queries.text_clauses(self.analyzed(), "子ども 食堂 行きたい", slack=1)
        assert [q.to_dict() for q in must] == [
            {
                "bool": {
                    "should": [
                        {"dis_max": {"queries": [rank_feature("n:子供", 0.09)], "_name": "g0"}},
                        {"dis_max": {"queries": [rank_feature("n:食堂", 0.09)], "_name": "g1"}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        ]
        # Each required word a listing has adds MATCHED_WORD_BONUS × its idf (1 here: no
        # counts): what a listing misses, weighed by rarity, orders the relaxed answer.
        assert [q.to_dict() for q in should[-2:]] == [
            {
                "constant_score": {
                    "filter": {"dis_max": {"queries": [rank_feature(term, 0.09)]}},
                    "boost": queries.MATCHED_WORD_BONUS,
                }
            }
            for term in ("n:子供", "n:食堂")
        ]

    def test_groups_are_capped_as_in_the_embedded_engine(self):
        analyzed = analyze_query(" ".join(f"語{i}" for i in range(40)))
        must, _ = queries.text_clauses(analyzed, analyzed.text)
        assert len(must) <= 24

    def test_no_text_is_every_listing_with_score_zero(self):
        query = queries.build_query(SearchParams(), analyze_query("")).to_dict()
        assert query == {"bool": {"filter": [{"match_all": {}}]}}


# ------------------------------------------------------------------------------ filters
AREA = queries.AreaPath("north-b", "/city/north/north-b/", ("city", "north", "north-b"))
AREA2 = queries.AreaPath("south-a", "/city/south/south-a/", ("city", "south", "south-a"))
DAY = datetime.date(2026, 12, 9)  # a Wednesday, 2nd week, not a holiday
FILTERS = {
    "kind": ({"kinds": ("window", "fureai")}, {"terms": {"kind": ["window", "fureai"]}}),
    "age": ({"ages": ("senior",)}, {"terms": {"ages": ["senior"]}}),
    "topic": ({"topics": ("食事", "子育て")}, {"terms": {"topics": ["食事", "子育て"]}}),
    "area": (
        {"areas": ("north-b", "south-a")},
        {
            "bool": {
                "should": [
                    {"terms": {"area_codes": ["north-b", "south-a"]}},
                    {"terms": {"service_area": ["city", "north", "north-b", "south", "south-a"]}},
                ],
                "minimum_should_match": 1,
            }
        },
    ),
    "near": (
        {"near": STATION, "radius": 1000},
        {"geo_distance": {"distance": "1000.0m", "location": {"lat": 35.725, "lon": 139.55}}},
    ),
    "open_on": (
        {"open_on": DAY},
        {
            "bool": {
                "should": [
                    {"term": {"open_weekly": 2}},
                    {"terms": {"open_monthly": ["2:2"]}},
                    {"term": {"open_monthdays": 9}},
                    {"term": {"open_dates": "2026-12-09"}},
                ],
                "minimum_should_match": 1,
            }
        },
    ),
    # Resolved to window ids by search.params; the index holds no access data.
    "access": (
        {"access": ("sign_language",), "access_listing_ids": frozenset({12, 3})},
        {"terms": {"listing_id": [3, 12]}},
    ),
}
FACET_NAMES = ("kind", "age", "topic", "area")
COMBINATIONS = [
    combo for size in range(len(FILTERS) + 1) for combo in itertools.combinations(FILTERS, size)
]


def facet_aggs(*names):
    aggs = {}
    for name in names:
        if name == "kind":
            aggs["kind"] = {"terms": {"field": "kind", "size": 50}}
        if name == "age":
            aggs["age"] = {"terms": {"field": "ages", "size": 50}}
        if name == "topic":
            aggs["topic"] = {"terms": {"field": "topics", "size": 1000}}
        if name == "area":
            aggs["area"] = {"terms": {"field": "area_codes", "size": 10_000}}
            aggs["area_covered"] = {"terms": {"field": "area_covered", "size": 10_000}}
            aggs["svc"] = {"terms": {"field": "service_area", "size": 10_000}}
    return aggs


def all_of(clauses):
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: "+".join(c) or "none")
@pytest.mark.parametrize("q", ["", "子ども食堂"])
def test_body_for_every_filter_combination(combo, q):
    kwargs = {"q": q}
    for name in combo:
        kwargs.update(FILTERS[name][0])
    params = SearchParams(**kwargs)
    analyzed = analyze_query(q)
    area_paths = [AREA, AREA2] if "area" in combo else []
    body = queries.search_body(
        params, analyzed, area_paths, params.effective_sort, size=20, offset=0
    )

    # Distance, date, access narrow everything (query); facet filters only the hits (post_filter).
    others = [FILTERS[n][1] for n in ("near", "open_on", "access") if n in combo]
    selected = {n: FILTERS[n][1] for n in FACET_NAMES if n in combo}
    query = body["query"]["bool"]
    if q:
        assert len(query["must"]) == len(analyzed.required_groups)
        assert query["should"][-1]["constant_score"]["boost"] == 50.0
        assert query.get("filter", []) == others
    else:
        assert query == {"filter": others or [{"match_all": {}}]}
    if selected:
        assert body["post_filter"] == all_of(list(selected.values()))
    else:
        assert "post_filter" not in body

    # Every facet under all facet filters; each selected facet again without its own filter.
    expected_aggs = {
        "facets": {"filter": all_of(list(selected.values())), "aggs": facet_aggs(*FACET_NAMES)}
    }
    for name in selected:
        expected_aggs[f"without_{name}"] = {
            "filter": all_of([c for n, c in selected.items() if n != name]),
            "aggs": facet_aggs(name),
        }
    assert body["aggs"] == expected_aggs

    assert body["track_total_hits"] is True
    assert body["track_scores"] is True
    assert body["_source"] == ["listing_id", "location", "location_path", "closed_on_holidays"]
    assert (body["from"], body["size"]) == (0, 20)
    if "near" in combo and not q:
        assert "_geo_distance" in body["sort"][0]  # nearest first when nothing is typed
    else:
        assert body["sort"][0] == {"_score": {"order": "desc"}}


class TestOpenOn:
    def test_last_friday_also_matches_last_week_rules(self):
        clauses = [c.to_dict() for c in queries.open_on_filters(datetime.date(2026, 12, 25))]
        assert clauses == [
            {
                "bool": {
                    "should": [
                        {"term": {"open_weekly": 4}},
                        {"terms": {"open_monthly": ["4:4", "4:-1"]}},
                        {"term": {"open_monthdays": 25}},
                        {"term": {"open_dates": "2026-12-25"}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        ]

    def test_public_holiday_leaves_out_listings_closed_on_holidays(self):
        clauses = [c.to_dict() for c in queries.open_on_filters(datetime.date(2027, 1, 11))]
        assert clauses[1] == {"term": {"closed_on_holidays": False}}
        assert clauses[0]["bool"]["should"][1] == {"terms": {"open_monthly": ["0:2"]}}


class TestSortAndPaging:
    def test_relevance_then_title_then_id(self):
        assert queries.sort_clause(SearchParams(q="x"), "relevance") == [
            {"_score": {"order": "desc"}},
            {"title_key": {"order": "asc"}},
            {"listing_id": {"order": "asc"}},
        ]

    def test_distance(self):
        params = SearchParams(near=STATION)
        assert queries.sort_clause(params, params.effective_sort) == [
            {
                "_geo_distance": {
                    "location": {"lat": 35.725, "lon": 139.55},
                    "order": "asc",
                    "unit": "m",
                    "distance_type": "arc",
                }
            },
            {"_score": {"order": "desc"}},
            {"listing_id": {"order": "asc"}},
        ]

    def test_distance_sort_without_a_point_is_relevance(self):
        params = SearchParams(q="x", sort="distance")
        assert queries.sort_clause(params, params.effective_sort)[0] == {
            "_score": {"order": "desc"}
        }

    @pytest.mark.parametrize(
        ("offset", "size", "expected"),
        [(0, 20, (0, 20)), (9_990, 20, (9_990, 10)), (10_000, 20, (0, 0)), (50_000, 5, (0, 0))],
    )
    def test_page_window(self, offset, size, expected):
        assert queries.page_window(offset, size, 10_000) == expected


# ------------------------------------------------------------------------------ answers
def response(hits, aggs=None, total=None):
    return {
        "hits": {"total": {"value": len(hits) if total is None else total}, "hits": hits},
        "aggregations": aggs or {},
    }


def raw_hit(pk, score, lat=None, lng=None, path="/city/"):
    location = {"lat": lat, "lon": lng} if lat is not None else None
    return {
        "_id": str(pk),
        "_score": score,
        "_source": {"listing_id": pk, "location": location, "location_path": path},
    }


class TestAnswers:
    def test_hits_with_distance_and_area_reason(self):
        params = SearchParams(near=STATION, areas=("north-b",))
        answer = response(
            [
                raw_hit(1, None, 35.726, 139.551, "/city/north/north-b/"),
                raw_hit(2, 3.5, path="/city/north/north-a/"),
            ],
            total=12,
        )
        hits = queries.hits_from_response(answer, params, [AREA])
        assert queries.total_from_response(answer) == 12
        assert [(h.listing_id, h.score, h.area_match) for h in hits] == [
            (1, 0.0, "located"),
            (2, 3.5, "serves"),
        ]
        assert 140 < hits[0].distance_m < 150 and hits[1].distance_m is None

    def test_area_facet_rule(self):
        # A: located in north-a-1, serving north-a-1. B: located in north-a, serving north.
        # C: located in south-a-1, serving the city.
        tree = [
            ("city", ["city"]),
            ("north", ["city", "north"]),
            ("north-a", ["city", "north", "north-a"]),
            ("north-a-1", ["city", "north", "north-a", "north-a-1"]),
            ("south", ["city", "south"]),
            ("south-a-1", ["city", "south", "south-a", "south-a-1"]),
        ]
        located = {"city": 3, "north": 2, "north-a": 2, "north-a-1": 1, "south": 1, "south-a-1": 1}
        covered = {"north": 1, "north-a": 1, "north-a-1": 1, "city": 1, "south": 1, "south-a-1": 1}
        served = {"north-a-1": 1, "north": 1, "city": 1}
        assert queries.area_facet_counts(located, covered, served, tree) == {
            "city": 3,
            "north": 3,
            "north-a": 3,
            "north-a-1": 3,
            "south": 1,
            "south-a-1": 1,
        }

    @pytest.mark.django_db
    def test_area_rule_agrees_with_the_embedded_engine(self, areas):
        # The same listings, counted by the embedded engine's in-memory arrays and by the
        # aggregations Elasticsearch would return for them (terms aggs over the facet values).
        depth = {a.code: a.depth for a in vars(areas).values()}
        docs = [  # (located in, service area)
            (areas.north_a_1, areas.north_a_1),
            (areas.north_a, areas.north),
            (areas.south_a_1, areas.city),
            (areas.north_b, areas.north_b),
            (areas.city, areas.city),
            (areas.south, areas.south),
        ]
        rows = [
            (pk, "window", "", None, None, False, loc.path, svc.code, svc.depth, "", "", "")
            for pk, (loc, svc) in enumerate(docs, start=1)
        ]
        snap = build_snapshot("test", rows, AreaTable.load())
        embedded = EmbeddedEngine()._facets(snap, np.ones(len(rows), dtype=bool))

        located, covered, served = Counter(), Counter(), Counter()
        for loc, svc in docs:
            for code in loc.ancestor_codes:
                located[code] += 1
                if svc.depth <= depth[code]:
                    covered[code] += 1
            served[svc.code] += 1
        aggs = {
            "facets": {
                "area": buckets(located),
                "area_covered": buckets(covered),
                "svc": buckets(served),
                "kind": buckets({"window": len(docs)}),
            }
        }
        from search.es.engine import _LazyAreas

        ours = queries.facets_from_aggregations(aggs, _LazyAreas())
        assert ours == embedded
        # north-a-1: the listing located there, and three serving north or the whole city.
        assert embedded["area"]["north-a-1"] == 4

    def test_a_selected_facet_is_counted_without_its_own_filter(self):
        aggs = {
            "facets": {"kind": buckets({"window": 1}), "age": buckets({"senior": 1})},
            "without_kind": {"kind": buckets({"window": 1, "fureai": 1})},
        }
        facets = queries.facets_from_aggregations(aggs, [])
        assert facets == {
            "kind": {"window": 1, "fureai": 1},
            "age": {"senior": 1},
            "topic": {},
            "area": {},
        }


def buckets(counts):
    return {"buckets": [{"key": k, "doc_count": c} for k, c in counts.items()]}


# ------------------------------------------------------------------------------ engine
class NoCluster:
    """A client object that must not be used."""

    def __getattr__(self, name):
        raise AssertionError(f"the cluster was asked ({name})")


@pytest.mark.django_db
class TestEngineShortcuts:
    @pytest.mark.parametrize("q", ['"', "*", "!!!", "の", "。"])
    def test_junk_never_reaches_the_cluster(self, q):
        result = ElasticsearchEngine(NoCluster()).search(SearchParams(q=q))
        assert (result.count, result.hits, result.facets) == (0, [], {})

    def test_unknown_area_never_reaches_the_cluster(self, areas):
        result = ElasticsearchEngine(NoCluster()).search(SearchParams(areas=("nowhere",)))
        assert result.count == 0

    def test_open_breaker_refuses_without_calling(self):
        engine = ElasticsearchEngine(NoCluster())
        for _ in range(engine.breaker.failure_threshold):
            engine.breaker.record_failure("down")
        with pytest.raises(EngineUnavailable):
            engine.search(SearchParams(q="食堂"))


def api_error(status):
    from elasticsearch import ApiError

    meta = ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "localhost", 9200),
    )
    return ApiError("error", meta=meta, body={})


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (ConnectionError("refused"), True),
        (api_error(503), True),
        (api_error(429), True),
        (api_error(404), False),
        (api_error(400), False),
        (ValueError("bug"), False),
    ],
)
def test_what_counts_as_an_outage(error, outage):
    assert is_outage(error) is outage


# ------------------------------------------------------------------------------ lifecycle
class TestLifecycle:
    def test_names(self):
        now = datetime.datetime(2026, 12, 1, 9, 30, 5, 123456, tzinfo=datetime.UTC)
        assert lifecycle.alias_name("ibasho") == "ibasho-listings"
        name = lifecycle.new_index_name("ibasho", now)
        assert name == "ibasho-listings-20261201093005123456"
        assert lifecycle.is_versioned_index("ibasho", name)
        assert not lifecycle.is_versioned_index("ibasho", "ibasho-listings")
        assert not lifecycle.is_versioned_index("ibasho", "other-listings-20261201093005123456")

    def test_alias_swap_is_one_atomic_call(self):
        assert lifecycle.alias_actions("p-listings", "p-listings-2", ["p-listings-1"]) == [
            {"remove": {"index": "p-listings-1", "alias": "p-listings"}},
            {"add": {"index": "p-listings-2", "alias": "p-listings", "is_write_index": True}},
        ]

    def test_first_build_replaces_an_index_squatting_on_the_alias_name(self):
        assert lifecycle.alias_actions("p-listings", "p-listings-2", [], replace_concrete=True) == [
            {"remove_index": {"index": "p-listings"}},
            {"add": {"index": "p-listings-2", "alias": "p-listings", "is_write_index": True}},
        ]


# ------------------------------------------------------------------------------ settings
class TestSettings:
    @pytest.fixture(autouse=True)
    def fresh(self):
        reset_engines()
        yield
        reset_engines()

    def test_embedded_by_default(self, settings):
        assert get_engine().name == "embedded"

    def test_elasticsearch_with_the_embedded_fallback(self, settings):
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.ELASTICSEARCH_URL = "http://es1:9200, http://es2:9200"
        settings.ELASTICSEARCH_INDEX_PREFIX = "tokyo"
        settings.ELASTICSEARCH_TIMEOUT = 1.25
        engine = get_engine()
        assert isinstance(engine, FallbackEngine)
        assert engine.name == "elasticsearch"
        assert isinstance(engine.primary, ElasticsearchEngine)
        assert isinstance(engine.fallback, EmbeddedEngine)
        assert engine.primary.urls == ("http://es1:9200", "http://es2:9200")
        assert engine.primary.alias == "tokyo-listings"
        assert engine.primary.timeout == 1.25
        # One engine (one client, one breaker) per process and configuration.
        assert get_engine() is engine
        settings.ELASTICSEARCH_INDEX_PREFIX = "osaka"
        assert get_engine() is not engine

    def test_elasticsearch_needs_a_url(self, settings):
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.ELASTICSEARCH_URL = ""
        with pytest.raises(ImproperlyConfigured):
            get_engine()

    def test_unknown_engine(self, settings):
        settings.SEARCH_ENGINE = "solr"
        with pytest.raises(ImproperlyConfigured):
            get_engine()

    def test_class_override(self, settings):
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.SEARCH_ENGINE_CLASS = "search.embedded.EmbeddedEngine"
        assert isinstance(get_engine(), EmbeddedEngine)
