"""The Elasticsearch engine's query understanding, without a cluster.

There is no Elasticsearch here. Three kinds of tests, each named for what it is:

* **Body builders** (pure): the size-0 requests that stand in for the embedded engine's
  posting-list reads (``search.es.understanding``) and the search clauses built from their
  answers (``search.es.queries``): idf boosts, compound parts, fact bonuses, named queries,
  the station rule.
* **Parsing canned answers**: bucket counts → known terms and idf; percentiles → a station's
  centre; ``matched_queries`` → the words set aside.
* **Against the embedded engine on the same tiny data**: a few real listings are indexed by
  the embedded engine, their Elasticsearch documents are built (``lifecycle.listing_sources``)
  and the ``filters`` buckets a cluster would return are counted in Python by
  ``filter_matches`` below — a *presence-only* evaluator of the few query shapes these size-0
  requests use (rank_feature, bool, dis_max, constant_score, geo_distance), no scoring. The
  known terms, idf numbers and fact bonuses must equal what the embedded engine computes.
* **Orchestration with a stub transport** (``StubClient``): ``ElasticsearchEngine.search``
  with a client that records each request body and returns a canned answer, to check which
  requests are sent, in what order, and how the answers are combined. It is not a cluster
  test: the canned hits are written by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from listings.vocabulary import Booking, Tier
from search import places
from search.analysis import AnalyzedQuery, QueryGroup, analyze_query
from search.contract import Hit, SearchParams, haversine_m
from search.embedded import (
    FACT_BONUS,
    NEAR_STATION_M,
    NEAR_STATION_WEIGHT,
    PARTS_WEIGHT,
    EmbeddedEngine,
    _known,
    idf,
)
from search.es import lifecycle, mapping, queries, understanding
from search.es.engine import ElasticsearchEngine, _set_aside_from
from search.es.queries import MATCHED_WORD_BONUS, Station, Understanding
from search.memory import snapshot
from search.synonyms import synonym_table
from tests.factories import make_area, make_listing


def rank_feature(term, boost=None):
    body = {"field": f"postings.{term}", "linear": {}}
    if boost is not None:
        body["boost"] = boost
    return {"rank_feature": body}


def presence_answer(counts, size):
    return {
        "hits": {"total": {"value": size}, "hits": []},
        "aggregations": {"present": {"buckets": [{"doc_count": c} for c in counts]}},
    }


# ------------------------------------------------------------------------------ builders
class TestBodies:
    def test_known_is_one_filters_aggregation_over_the_whole_index(self):
        body = understanding.known_body(["P:練馬", "c:練馬"])
        assert body == {
            "size": 0,
            "track_total_hits": True,
            "query": {"match_all": {}},
            "aggs": {
                "present": {
                    "filters": {"filters": [rank_feature("P:練馬"), rank_feature("c:練馬")]}
                }
            },
        }

    def test_place_candidates_cover_every_term_resolve_asks_about(self):
        analyzed = analyze_query("練馬 子ども食堂 大井町駅 Chofu")
        terms = understanding.place_candidates(analyzed)
        asked: list[str] = []

        def known(wanted):
            asked.extend(wanted)
            return understanding.KnownTerms(terms, [0] * len(terms))(wanted)

        places.resolve(analyzed, known)  # raises LookupError on a term not prefetched
        assert asked and set(asked) == set(terms)
        assert len(terms) == len(set(terms))

    def test_a_group_is_boosted_by_its_rarity_and_named(self):
        group = QueryGroup("食堂", frozenset({"n:食堂", "s:食堂"}), True)
        assert queries.group_query(group, boost=2.386294, name="g3").to_dict() == {
            "dis_max": {
                "queries": [rank_feature("n:食堂", 0.09), rank_feature("s:食堂", 0.1)],
                "boost": 2.386294,
                "_name": "g3",
            }
        }
        # Rarity 1 (every listing has it) adds no boost.
        assert "boost" not in queries.group_query(group, boost=1.0).to_dict()["dis_max"]

    def test_a_compound_is_satisfied_by_its_terms_or_by_every_part(self):
        group = analyze_query("地区センター").groups[0]
        # Word parts (an affix is not a part: 保護者 = 保護 + 者 has none).
        assert [sorted(p) for p in group.parts] == [
            ["n:地区", "s:地区"],
            ["m:senta", "n:センター", "s:センター", "y:せんたー"],
        ]
        clause = queries.group_query(group, boost=1.5).to_dict()["bool"]
        assert clause["minimum_should_match"] == 1 and clause["boost"] == 1.5
        terms, parts = clause["should"]
        compound = [rank_feature("n:地区センター", 0.09), rank_feature("s:地区センター", 0.1)]
        assert terms == {"dis_max": {"queries": compound}}
        # Every part (must), none of the compound's terms (so the two never add up), the
        # mean of the parts (each part's best × 1/2) × PARTS_WEIGHT.
        assert parts == {
            "bool": {
                "must": [
                    {
                        "dis_max": {
                            "queries": [rank_feature("n:地区", 0.09), rank_feature("s:地区", 0.1)],
                            "boost": 0.5,
                        }
                    },
                    {
                        "dis_max": {
                            "queries": [
                                rank_feature("m:senta", 0.06),
                                rank_feature("n:センター", 0.09),
                                rank_feature("s:センター", 0.1),
                                rank_feature("y:せんたー", 0.06),
                            ],
                            "boost": 0.5,
                        }
                    },
                ],
                "must_not": [rank_feature("n:地区センター"), rank_feature("s:地区センター")],
                "boost": PARTS_WEIGHT,
            }
        }

    def test_a_reading_run_excludes_the_parts_too(self):
        group = QueryGroup(
            "あいう",
            frozenset({"y:あいう"}),
            True,
            frozenset({"あい", "いう"}),
            parts=(frozenset({"y:あい"}), frozenset({"y:う"})),
        )
        reading = queries.group_query(group).to_dict()["bool"]["should"][2]["bool"]
        assert reading["must_not"][-1] == {
            "bool": {
                "filter": [
                    {"bool": {"should": [rank_feature("y:あい")], "minimum_should_match": 1}},
                    {"bool": {"should": [rank_feature("y:う")], "minimum_should_match": 1}},
                ]
            }
        }

    def test_fact_bonus_is_a_constant_score_per_fact(self):
        analyzed = AnalyzedQuery("予約不要", (QueryGroup("予約", frozenset({"n:予約"}), True),))
        known = Understanding(size=10, facts=((("f:#4", "f:予約不要"), 11.5),))
        _must, should = queries.text_clauses(analyzed, "予約不要", understanding=known)
        assert should[-1].to_dict() == {
            "constant_score": {
                "filter": {
                    "bool": {
                        "should": [rank_feature("f:#4"), rank_feature("f:予約不要")],
                        "minimum_should_match": 1,
                    }
                },
                "boost": 11.5,
            }
        }

    def relaxable(self):
        return AnalyzedQuery(
            "大泉 子ども 食堂",
            (
                QueryGroup("大泉", frozenset({"p:大泉"}), True, chunk="大泉", place=True),
                QueryGroup("子ども", frozenset({"n:子供"}), True, chunk="子ども食堂"),
                QueryGroup("食堂", frozenset({"n:食堂"}), True, chunk="子ども食堂"),
            ),
        )

    def test_a_place_is_never_set_aside_and_words_are_named(self):
        known = Understanding(size=10, group_idf=(3.0, 1.0, 2.0))
        must, should = queries.text_clauses(self.relaxable(), "q", slack=1, understanding=known)
        assert [q.to_dict() for q in must] == [
            {"dis_max": {"queries": [rank_feature("p:大泉", 0.1)], "boost": 3.0}},
            {
                "bool": {
                    "should": [
                        {"dis_max": {"queries": [rank_feature("n:子供", 0.09)], "_name": "g1"}},
                        {
                            "dis_max": {
                                "queries": [rank_feature("n:食堂", 0.09)],
                                "boost": 2.0,
                                "_name": "g2",
                            }
                        },
                    ],
                    "minimum_should_match": 1,
                }
            },
        ]
        # One bonus per word, none for the place: MATCHED_WORD_BONUS × the word's idf.
        bonuses = [q.to_dict()["constant_score"]["boost"] for q in should if is_bonus(q.to_dict())]
        assert bonuses == [MATCHED_WORD_BONUS * 1.0, MATCHED_WORD_BONUS * 2.0]

    def test_all_words_set_aside_but_the_place_still_score(self):
        must, should = queries.text_clauses(self.relaxable(), "q", slack=2)
        assert [q.to_dict() for q in must] == [
            {"dis_max": {"queries": [rank_feature("p:大泉", 0.1)]}}
        ]
        names = [q.to_dict()["dis_max"].get("_name") for q in should[:2]]
        assert names == ["g1", "g2"]

    def test_station_rule(self):
        group = QueryGroup(
            "大井町駅",
            frozenset({"p:大井町", "s:大井町駅", "n:大井町駅"}),
            True,
            chunk="大井町駅",
            place=True,
            station="大井",
        )
        centre = (35.6055, 139.7315)
        near = {"geo_distance": {"distance": f"{NEAR_STATION_M}m", "location": {
            "lat": 35.6055, "lon": 139.7315}}}  # fmt: skip
        clause = queries.group_query(group, station=Station(True, centre), boost=2.0).to_dict()
        assert clause["bool"]["boost"] == 2.0
        assert clause["bool"]["filter"] == [
            {
                "bool": {
                    "should": [
                        rank_feature("t:大井"),
                        near,
                        rank_feature("n:大井町駅"),
                        rank_feature("s:大井町駅"),
                    ],
                    "minimum_should_match": 1,
                }
            }
        ]
        best, fallback = clause["bool"]["should"]
        assert best["dis_max"]["queries"][0] == rank_feature("n:大井町駅", 0.09)
        assert fallback == {
            "constant_score": {
                "filter": {
                    "bool": {
                        "must_not": [
                            rank_feature("n:大井町駅"),
                            rank_feature("p:大井町"),
                            rank_feature("s:大井町駅"),
                        ]
                    }
                },
                "boost": NEAR_STATION_WEIGHT,
            }
        }
        # The town has no listing: every town containing the name, and what is near.
        other = queries.group_query(group, station=Station(False, centre)).to_dict()
        assert other["bool"]["filter"][0]["bool"]["should"] == [
            queries.any_of(group.terms).to_dict(),
            near,
        ]
        # No coordinates: the group's terms alone.
        plain = queries.group_query(group, station=Station(True, None)).to_dict()
        assert plain == queries.terms_match(group.terms).to_dict()

    def test_station_body_asks_for_the_median_of_both_candidate_sets(self):
        group = QueryGroup("大井町駅", frozenset({"p:大井町"}), True, station="大井")
        body = understanding.station_body({2: group})
        assert body["size"] == 0
        assert body["aggs"]["own2"]["filter"] == rank_feature("t:大井")
        assert body["aggs"]["own2"]["aggs"] == {
            "lat": {"percentiles": {"field": "latitude", "percents": [50]}},
            "lng": {"percentiles": {"field": "longitude", "percents": [50]}},
        }
        assert body["aggs"]["towns2"]["filter"] == queries.any_of({"p:大井町"}).to_dict()


# ------------------------------------------------------------------------------ answers
class TestAnswers:
    def test_buckets_to_known_terms(self):
        terms = ["P:大井", "c:大井", "c:y:おおい"]
        size, counts = understanding.presence_counts(presence_answer([0, 3, 1], 40))
        known = understanding.KnownTerms(terms, counts)
        assert size == 40
        assert known(["P:大井", "c:大井"]) == {"c:大井"}
        with pytest.raises(LookupError):
            known(["c:品川"])

    def test_counts_to_idf_and_fact_bonus(self):
        analyzed = AnalyzedQuery(
            "a b", (QueryGroup("a", frozenset({"n:a"}), True), QueryGroup("b", frozenset(), True))
        )
        facts = [("f:a",), ("f:ab",)]
        known = understanding.understanding_from_counts(100, [100, 5, 0, 20], analyzed, facts, {})
        assert known.size == 100
        assert known.group_idf == (1.0, pytest.approx(1 + math.log(20)))
        # A fact no listing has adds nothing (as the embedded engine's zero column).
        assert known.facts == ((("f:ab",), pytest.approx(FACT_BONUS * (1 + math.log(5)))),)
        with pytest.raises(ValueError):
            understanding.understanding_from_counts(100, [1], analyzed, facts, {})

    def test_percentiles_to_centre(self):
        answer = {
            "aggregations": {
                "own0": {"doc_count": 0, "lat": {"values": {"50.0": None}}},
                "towns0": {
                    "doc_count": 3,
                    "lat": {"values": {"50.0": 35.6}},
                    "lng": {"values": {"50.0": 139.7}},
                },
                "own1": {"doc_count": 2, "lat": {"values": {"50.0": None}}, "lng": {}},
            }
        }
        stations = understanding.stations_from_response(answer, [0, 1])
        assert stations == {0: Station(False, (35.6, 139.7)), 1: Station(True, None)}

    def test_matched_queries_to_set_aside(self):
        analyzed = AnalyzedQuery(
            "大泉 ハロウィン 食堂",
            (
                QueryGroup("大泉", frozenset({"p:大泉"}), True, chunk="大泉", place=True),
                QueryGroup("ハロウィン", frozenset({"n:ハロウィン"}), True, chunk="ハロウィン"),
                QueryGroup("食堂", frozenset({"n:食堂"}), True, chunk="食堂"),
                QueryGroup("行く", frozenset({"n:行く"}), False, chunk="行きたい"),
            ),
        )
        hit = {"matched_queries": ["g2"]}
        assert understanding.missed_groups(hit, analyzed) == [1]
        assert understanding.set_aside_words([1], analyzed) == ("ハロウィン",)
        # Elasticsearch 8.8+ may answer a name → score map.
        assert understanding.missed_groups({"matched_queries": {"g1": 1.0}}, analyzed) == [2]

    def test_a_part_of_a_typed_word_is_named_by_itself(self):
        """As the embedded engine: when one typed word made several groups, the set-aside
        name is the group's own text (「障害のある子」 sets aside 「子」); otherwise the word
        as typed."""
        analyzed = analyze_query("障害のある子 ハロウィン")
        assert [(g.text, g.chunk) for g in analyzed.groups] == [
            ("障害", "障害のある子"),
            ("子", "障害のある子"),
            ("ハロウィン", "ハロウィン"),
        ]
        assert understanding.set_aside_words([1], analyzed) == ("子",)
        assert understanding.set_aside_words([0, 2], analyzed) == ("障害", "ハロウィン")

    def test_the_best_partial_hit_misses_the_least_rarity_not_the_fewest_words(self):
        """Relaxed order and set_aside: the sum of the idf of the words a hit misses, smallest
        first (EmbeddedEngine._run), so one rare word missed weighs more than two common
        ones; equal keys go by score."""
        analyzed = AnalyzedQuery(
            "a b c",
            tuple(QueryGroup(w, frozenset({f"n:{w}"}), True, chunk=w) for w in "abc"),
        )
        known = Understanding(size=100, group_idf=(4.0, 1.5, 1.5))
        assert queries.missed_key([1, 2], known) == 3.0
        assert queries.missed_key([0], known) == 4.0
        hits = [
            {"_score": 90.0, "matched_queries": ["g1", "g2"]},  # misses a: 4.0
            {"_score": 10.0, "matched_queries": ["g0"]},  # misses b, c: 3.0
        ]
        assert _set_aside_from(hits, analyzed, known) == ("b", "c")
        hits += [{"_score": 20.0, "matched_queries": ["g0", "g1"]}]  # misses c: 1.5
        hits += [{"_score": 30.0, "matched_queries": ["g0", "g2"]}]  # misses b: 1.5, higher
        assert _set_aside_from(hits, analyzed, known) == ("b",)

    def test_the_bonus_taken_off_is_the_bonus_put_in(self):
        """Each word's bonus is MATCHED_WORD_BONUS × idf, rounded to a float32 value (what
        Lucene keeps of a boost), so taking the bonuses off a float32 total leaves the text
        score within the total's float32 spacing."""
        known = Understanding(size=1000, group_idf=(idf(7, 1000), idf(333, 1000)))
        bonuses = [queries.matched_word_bonus(known.idf(i)) for i in (0, 1)]
        assert all(float(np.float32(b)) == b for b in bonuses)
        assert bonuses == pytest.approx([MATCHED_WORD_BONUS * known.idf(i) for i in (0, 1)])
        text = 17.123456
        total = float(np.float32(text + sum(bonuses)))  # what the cluster would return
        assert total - queries.relaxed_bonus([0, 1], known) == pytest.approx(text, abs=0.01)


# ------------------------------------------------------------------------------ vs embedded
def filter_matches(query: dict, source: dict) -> bool:
    """Whether a document matches a query in filter context (presence only, no scores), for
    the query shapes of the size-0 requests. Anything else is refused, not guessed."""
    [(kind, spec)] = query.items()
    if kind == "match_all":
        return True
    if kind == "rank_feature":
        return spec["field"].removeprefix("postings.") in source["postings"]
    if kind == "dis_max":
        return any(filter_matches(q, source) for q in spec["queries"])
    if kind == "constant_score":
        return filter_matches(spec["filter"], source)
    if kind == "term":
        [(name, value)] = spec.items()
        value = value["value"] if isinstance(value, dict) else value
        return source.get(name) == value
    if kind == "geo_distance":
        where, point = source.get("location"), spec["location"]
        if not where:
            return False
        metres = float(spec["distance"].removesuffix("m"))
        return haversine_m(point["lat"], point["lon"], where["lat"], where["lon"]) <= metres
    if kind == "bool":
        required = spec.get("must", []) + spec.get("filter", [])
        if not all(filter_matches(q, source) for q in required):
            return False
        if any(filter_matches(q, source) for q in spec.get("must_not", [])):
            return False
        should = spec.get("should", [])
        least = spec.get("minimum_should_match", 0 if required else (1 if should else 0))
        return sum(filter_matches(q, source) for q in should) >= least
    raise NotImplementedError(kind)


def counted(body: dict, sources: list[dict]) -> dict:
    """The answer a cluster holding ``sources`` gives to a ``presence_body`` request."""
    filters = body.get("aggs", {}).get("present", {}).get("filters", {}).get("filters", [])
    counts = [sum(filter_matches(f, s) for s in sources) for f in filters]
    return presence_answer(counts, len(sources))


def medians(body: dict, sources: list[dict]) -> dict:
    """The answer to a ``station_body`` request, with numpy's median standing in for the
    cluster's percentiles (t-digest, approximate in general)."""
    aggs = {}
    for name, spec in body["aggs"].items():
        chosen = [s for s in sources if filter_matches(spec["filter"], s)]
        lat = [s["latitude"] for s in chosen if s["latitude"] is not None]
        lng = [s["longitude"] for s in chosen if s["longitude"] is not None]
        aggs[name] = {
            "doc_count": len(chosen),
            "lat": {"values": {"50.0": float(np.median(lat)) if lat else None}},
            "lng": {"values": {"50.0": float(np.median(lng)) if lng else None}},
        }
    return {"hits": {"total": {"value": len(sources)}, "hits": []}, "aggregations": aggs}


@pytest.fixture
def town(db):
    """Two wards, a station's town and its neighbours (as tests/search/test_resident_words),
    fees and booking facts."""
    itabashi = make_area("131199", "板橋区", Tier.CITY)
    shinagawa = make_area("131091", "品川区", Tier.CITY)
    make_listing("いたばし食堂", area=itabashi, address="東京都板橋区大山町1-1",
                 fee="中学生無料", booking=Booking.NOT_REQUIRED)  # fmt: skip
    make_listing("SOMPO流子ども食堂　高島平", area=itabashi, address="東京都板橋区若木1-2-3",
                 booking=Booking.REQUIRED, description="<p>予約は不要です。</p>")  # fmt: skip
    make_listing("大井の食堂", area=shinagawa, address="東京都品川区大井1-22-18",
                 latitude=35.6070, longitude=139.7320, fee="中学生まで無料")  # fmt: skip
    make_listing("大井三丁目食堂", area=shinagawa, address="東京都品川区大井3-3-4",
                 latitude=35.6040, longitude=139.7310)  # fmt: skip
    make_listing("南品川の食堂", area=shinagawa, address="東京都品川区南品川6-6-7",
                 latitude=35.6100, longitude=139.7380,
                 description="<p>保護者同伴でどうぞ。</p>")  # fmt: skip
    make_listing("西大井の食堂", area=shinagawa, address="東京都品川区西大井4-1-1",
                 latitude=35.6020, longitude=139.7110,
                 description="<p>同伴の保護者も歓迎</p>")  # fmt: skip
    # 地区センター only as its parts, apart (地区 … センター).
    make_listing("見守りの家", area=itabashi, address="東京都板橋区大山町2-2",
                 description="<p>この地区のセンターです</p>")  # fmt: skip
    make_listing("大井町駅前こども食堂", area=shinagawa, address="東京都品川区広町2-1-1",
                 latitude=35.6060, longitude=139.7350)  # fmt: skip
    EmbeddedEngine().rebuild()
    return lifecycle.listing_sources(list(lifecycle.indexable_listings()))


QUERIES = [
    "地区センター",
    "大井町駅",
    "大井町駅 食堂",
    "大井 食堂",
    "品川 子ども食堂",
    "板橋 予約不要",
    "中学生 無料",
    "保護者同伴",
    "こどもしょくどう",
    "いたばし 食堂",
]


@pytest.mark.django_db
@pytest.mark.parametrize("q", QUERIES)
def test_understanding_equals_the_embedded_engines(town, q):
    """Known place terms, resolved groups, each group's rarity and the fact bonus per listing:
    computed from canned bucket counts of the Elasticsearch documents, equal to what the
    embedded engine computes from its index of the same listings."""
    sources = town
    snap = snapshot()
    synonyms = synonym_table()
    analyzed = analyze_query(q, synonyms)

    # Places: one request, the same answer as the embedded postings.
    terms = understanding.place_candidates(analyzed)
    _size, counts = understanding.presence_counts(counted(understanding.known_body(terms), sources))
    known = understanding.KnownTerms(terms, counts)
    assert known.present == _known(snap, terms)
    ours, our_places = places.resolve(analyzed, known)
    theirs, their_places = places.resolve(analyzed, lambda t: _known(snap, t))
    assert ours == theirs and our_places == their_places

    # Stations, then counts → idf per group and the fact bonus.
    by_station = understanding.station_groups(ours)
    stations = understanding.stations_from_response(
        medians(understanding.station_body(by_station), sources), by_station
    )
    facts = understanding.fact_candidates(ours, synonyms)
    body = understanding.counts_body(ours, facts, stations)
    size, counts = understanding.presence_counts(counted(body, sources))
    es = understanding.understanding_from_counts(size, counts, ours, facts, stations)

    _matched, _score, by_group = EmbeddedEngine()._text(snap, ours, 0)
    assert size == snap.size
    embedded_idf = tuple(idf(int(satisfied.sum()), snap.size) for _g, satisfied in by_group)
    assert es.group_idf == pytest.approx(embedded_idf)

    # Which listings satisfy each group: the group clauses themselves, station rule included.
    position = {int(pk): i for i, pk in enumerate(snap.ids)}
    for i, (group, satisfied) in enumerate(by_group):
        clause = queries.group_query(group, station=stations.get(i)).to_dict()
        es_has = {s["listing_id"] for s in sources if filter_matches(clause, s)}
        assert es_has == {int(snap.ids[p]) for p in np.flatnonzero(satisfied)}, group.text

    bonus = EmbeddedEngine._facts(snap, ours, synonyms)
    es_bonus = np.zeros(snap.size)
    for keys, weight in es.facts:
        fact = queries.any_of(keys).to_dict()
        for s in sources:
            if filter_matches(fact, s):
                es_bonus[position[s["listing_id"]]] += weight
    # The embedded engine adds FACT_BONUS × this column (EmbeddedEngine._run).
    expected = np.zeros(snap.size) if bonus is None else FACT_BONUS * bonus
    assert es_bonus == pytest.approx(expected)


@pytest.mark.django_db
def test_the_comparison_is_not_vacuous(town):
    """The data above exercises each rule: a station with a centre and a near listing in
    another town, a fact bonus, a compound found by its parts, a place."""
    snap = snapshot()
    synonyms = synonym_table()
    station, _ = places.resolve(analyze_query("大井町駅"), lambda t: _known(snap, t))
    assert station.groups[0].station == "大井"
    _m, _s, by_group = EmbeddedEngine()._text(snap, station, 0)
    titles = {s["listing_id"]: s["name"] for s in town}
    found = {titles[int(snap.ids[p])] for p in np.flatnonzero(by_group[0][1])}
    assert {"大井の食堂", "大井三丁目食堂", "南品川の食堂", "大井町駅前こども食堂"} <= found
    assert "西大井の食堂" not in found
    assert EmbeddedEngine._facts(snap, analyze_query("板橋 予約不要"), synonyms) is not None
    assert EmbeddedEngine._facts(snap, analyze_query("中学生 無料"), synonyms) is not None
    compound = analyze_query("地区センター")
    [(group, satisfied)] = EmbeddedEngine()._text(snap, compound, 0)[2]
    assert len(group.parts) == 2  # 地区 + センター
    by_parts = {titles[int(snap.ids[p])] for p in np.flatnonzero(satisfied)}
    assert "見守りの家" in by_parts
    [house] = [s for s in town if s["name"] == "見守りの家"]
    assert not {mapping.feature_name(t) for t in group.terms} & set(house["postings"])


# ------------------------------------------------------------------------------ stub transport
class StubClient:
    """A stand-in for the Elasticsearch client's transport: records every request body and
    answers from ``answers`` (a function of the body). Not a cluster: nothing is searched."""

    def __init__(self, answer):
        self.answer = answer
        self.bodies: list[dict] = []

    def search(self, index, body):
        self.bodies.append(body)
        return self.answer(body)


def is_bonus(clause: dict) -> bool:
    """A relaxed-order bonus: MATCHED_WORD_BONUS × a word's idf (idf ≥ 1)."""
    return clause.get("constant_score", {}).get("boost", 0) >= MATCHED_WORD_BONUS


def word_bonuses(body: dict) -> list[float]:
    """The relaxed-order bonuses of a search body, one per required word, in order."""
    return [c["constant_score"]["boost"] for c in body["query"]["bool"]["should"] if is_bonus(c)]


def is_relaxed(body: dict) -> bool:
    """A relaxed search: it carries the matched-word bonuses."""
    return bool(word_bonuses(body))


def raw(pk, score, matched=()):
    return {
        "_id": str(pk),
        "_score": score,
        "_source": {"listing_id": pk, "location": None, "location_path": "/"},
        "matched_queries": list(matched),
    }


@pytest.mark.django_db
def test_orchestration_with_a_stub_transport(town):
    """「品川 中学生 無料」 with canned answers: the places request, the counts request, the
    exact search (one full match: too few for three typed words), then the relaxed search
    (all but one word). Checked: the order of requests, the idf boosts and fact bonus put
    into the search body, the relaxed answer (exact_count, set_aside from matched_queries,
    the matched-word bonus taken off the scores) and what the query was read as."""
    sources = town

    def answer(body):
        if body.get("size") == 0:
            # Counted from the documents as in the comparison test above.
            return counted(body, sources)
        if not is_relaxed(body):
            return {"hits": {"total": {"value": 1}, "hits": [raw(1, 30.0, ["g1", "g2"])]}}
        # The bonuses the body carries for 中学生 (g1) and 無料 (g2).
        b1, b2 = word_bonuses(body)
        return {
            "hits": {
                "total": {"value": 2},
                "hits": [
                    raw(1, 30.0 + b1 + b2, ["g1", "g2"]),
                    raw(2, 12.5 + b1, ["g1"]),
                ],
            }
        }

    client = StubClient(answer)
    result = ElasticsearchEngine(client).search(SearchParams(q="品川 中学生 無料"))
    analyzed = analyze_query("品川 中学生 無料", synonym_table())
    assert client.bodies[0] == understanding.known_body(understanding.place_candidates(analyzed))
    assert client.bodies[1]["size"] == 0 and "present" in client.bodies[1]["aggs"]
    # The exact search, all but one word (2 listings: adopted, still fewer than 3), all but
    # two (no more listings: the first relaxed answer stays).
    assert [is_relaxed(b) for b in client.bodies[2:]] == [False, True, True]
    assert result.relaxed and result.exact_count == 1 and result.count == 2
    assert result.set_aside == ("無料",)
    assert [(h.listing_id, h.score) for h in result.hits] == [
        (1, pytest.approx(30.0)),
        (2, pytest.approx(12.5)),
    ]
    assert any("品川" in line for line in result.understood)

    counts_body, exact_body, relaxed_body = client.bodies[1:4]
    size, counts = understanding.presence_counts(counted(counts_body, sources))
    assert size == len(sources)
    must = exact_body["query"]["bool"]["must"]
    # The place (first group) is a must clause boosted by its rarity; the words are named.
    place_idf = idf(counts[0], size)
    assert must[0]["dis_max"]["boost"] == pytest.approx(place_idf, abs=1e-6)
    assert [next(iter(c.values())).get("_name") for c in must[1:]] == ["g1", "g2"]
    # The fact bonus (中学生無料 is a fact of two listings) is in the should clauses.
    fact_bonus = [
        c["constant_score"]["boost"]
        for c in exact_body["query"]["bool"]["should"]
        if "constant_score" in c and "bool" in c["constant_score"]["filter"]
    ]
    assert fact_bonus and all(b > FACT_BONUS for b in fact_bonus)
    # Relaxed: the place stays required, the two words are "1 of 2", each word's bonus is
    # MATCHED_WORD_BONUS × its idf (a float32 value, as Lucene keeps a boost).
    relaxed_must = relaxed_body["query"]["bool"]["must"]
    assert relaxed_must[0] == must[0]
    assert relaxed_must[1]["bool"]["minimum_should_match"] == 1
    expected = [MATCHED_WORD_BONUS * idf(c, size) for c in counts[1:3]]
    assert word_bonuses(relaxed_body) == pytest.approx(expected, rel=1e-7)
    assert all(float(np.float32(b)) == b for b in word_bonuses(relaxed_body))


@pytest.mark.django_db
def test_set_aside_on_a_later_page_asks_for_the_top_hits(town):
    """Page 2 of a relaxed answer (5 of the 8 listings have some of the words) does not hold
    the best partial hit: one more request (relevance order, FEW_RESULTS hits, no facets)
    reads it. Stub transport, canned hits."""
    sources = town
    searches = []

    def answer(body):
        if body.get("size") == 0:
            return counted(body, sources)
        searches.append(body)
        if not is_relaxed(body):
            return {"hits": {"total": {"value": 0}, "hits": []}}
        hits = [raw(3, 5.0 + word_bonuses(body)[0], ["g0"])]
        return {"hits": {"total": {"value": 5}, "hits": hits if body["from"] == 0 else []}}

    client = StubClient(answer)
    result = ElasticsearchEngine(client).search(
        SearchParams(q="ハロウィン 保護者同伴", page=2, page_size=20)
    )
    assert result.relaxed and result.exact_count == 0
    last = searches[-1]
    assert (last["from"], last["size"], "aggs" in last) == (0, 3, False)
    # 保護者同伴 is one typed word made of two groups (保護者, 同伴), both missed: it is named
    # as typed (search.relaxation.set_aside_names).
    assert result.set_aside == ("保護者同伴",)


# ------------------------------------------------------------------------------ relaxed order
def named_clauses(query, found=None) -> list[tuple[str, dict]]:
    """Every named clause (``_name``) of a query, with the clause itself."""
    found = [] if found is None else found
    if isinstance(query, dict):
        for kind, spec in query.items():
            if isinstance(spec, dict) and "_name" in spec:
                found.append((spec["_name"], {kind: spec}))
            named_clauses(spec, found)
    elif isinstance(query, list):
        for item in query:
            named_clauses(item, found)
    return found


class BorrowedScores:
    """A stand-in transport for comparing the relaxed order with the embedded engine. It is
    NOT a cluster and computes no Elasticsearch score: which listings a search body matches
    and which named queries each matches come from ``filter_matches`` over the Elasticsearch
    documents; each hit's text score is *borrowed* from the embedded engine's answer for the
    same query, and the relaxed-order bonus clauses of the body a listing satisfies are added
    to it, the total rounded to float32 as Lucene's would be. So it checks the engine's part:
    the bonus put in, the bonus taken off, the order, set_aside and exact_count."""

    def __init__(self, sources: list[dict], scores: dict[int, float]):
        self.sources = sources
        self.scores = scores
        self.matched: dict[int, set[str]] = {}

    def search(self, index, body):
        if body.get("size") == 0:
            return counted(body, self.sources)
        query = body["query"]
        names = named_clauses(query)
        bonuses = [c for c in query["bool"].get("should", []) if is_bonus(c)]
        hits = []
        for s in self.sources:
            if not filter_matches(query, s):
                continue
            pk = s["listing_id"]
            matched = [n for n, clause in names if filter_matches(clause, s)]
            self.matched[pk] = set(matched)
            bonus = sum(c["constant_score"]["boost"] for c in bonuses if filter_matches(c, s))
            score = float(np.float32(self.scores[pk] + bonus))
            hits.append({"_id": str(pk), "_score": score, "_source": s, "matched_queries": matched})
        hits.sort(key=lambda h: (-h["_score"], h["_source"]["listing_id"]))
        start, size = body.get("from", 0), body["size"]
        return {"hits": {"total": {"value": len(hits)}, "hits": hits[start : start + size]}}


@pytest.fixture
def children(db):
    """「障害のある子」: nobody has both words; 子 (common, in the titles, so it scores more)
    and 障害 (rarer, in the descriptions only); and listings with neither."""
    area = make_area("131199", "板橋区", Tier.CITY)
    make_listing("相談窓口", area=area, description="<p>障害について相談できます</p>")
    make_listing("作業所ひだまり", area=area, description="<p>障害のある人の作業所</p>")
    make_listing("親と子の食堂", area=area)
    make_listing("子の学習室", area=area)
    make_listing("子の遊び場", area=area, description="<p>子が遊べる広場</p>")
    make_listing("高齢者サロン", area=area, description="<p>お茶会</p>")
    make_listing("図書館", area=area)
    EmbeddedEngine().rebuild()
    return lifecycle.listing_sources(list(lifecycle.indexable_listings()))


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["障害のある子", "品川 中学生 無料", "ハロウィン 保護者同伴"])
def test_relaxed_order_and_set_aside_equal_the_embedded_engines(request, q):
    """The relaxed answer of the Elasticsearch engine (through ``BorrowedScores``: presence
    and named queries from the documents, text scores borrowed from the embedded engine)
    against the embedded engine's: the same listings in the same order of idf-weighted
    missed words (``queries.missed_key`` = the embedded key, recomputed from
    ``EmbeddedEngine._text``), the bonus taken off again (scores equal within float32),
    the same set_aside, count and exact_count."""
    sources = request.getfixturevalue("children" if "障害" in q else "town")
    params = SearchParams(q=q, page_size=50)
    embedded = EmbeddedEngine().search(params)
    assert embedded.relaxed
    transport = BorrowedScores(sources, {h.listing_id: h.score for h in embedded.hits})
    es = ElasticsearchEngine(transport).search(params)

    assert (es.relaxed, es.count, es.exact_count) == (True, embedded.count, embedded.exact_count)
    assert es.set_aside == embedded.set_aside
    assert [h.score for h in es.hits] == pytest.approx([h.score for h in embedded.hits], abs=0.01)

    # The embedded key of each listing, as EmbeddedEngine._run computes it.
    snap = snapshot()
    analyzed, _ = places.resolve(analyze_query(q, synonym_table()), lambda t: _known(snap, t))
    slack = sum(1 for g in analyzed.required_groups if not g.place)
    keys = {}
    for n in range(1, slack + 1):  # the slack the answer came from: the one with its count
        matched, _score, by_group = EmbeddedEngine()._text(snap, analyzed, n)
        if int(matched.sum()) == embedded.count:
            break
    missed = np.zeros(snap.size)
    for group, satisfied in by_group:
        if group.required and not group.place:
            missed += ~satisfied * idf(int(satisfied.sum()), snap.size)
    for p, pk in enumerate(snap.ids.tolist()):
        keys[int(pk)] = round(float(missed[p]), 6)

    counts_body = understanding.counts_body(analyzed, [], {})  # groups only
    size, counts = understanding.presence_counts(counted(counts_body, sources))
    known = Understanding(size=size, group_idf=tuple(idf(c, size) for c in counts))
    words = [i for i, g in enumerate(analyzed.groups) if g.required and not g.place]

    def es_key(pk):
        lacks = [i for i in words if queries.group_name(i) not in transport.matched[pk]]
        return queries.missed_key(lacks, known)

    assert {h.listing_id: es_key(h.listing_id) for h in es.hits} == {
        h.listing_id: keys[h.listing_id] for h in embedded.hits
    }
    # The same order up to ties (equal key and score: the tie-breaks differ, see es.md); the
    # scores were compared in order above.
    assert [es_key(h.listing_id) for h in es.hits] == [keys[h.listing_id] for h in embedded.hits]
    if q == "障害のある子":  # two keys, the smaller one (missing only 子) with lower scores
        assert len({keys[h.listing_id] for h in es.hits}) == 2


@pytest.mark.django_db
def test_rarity_outweighs_the_text_score_in_the_relaxed_order(children):
    """The data above is not vacuous: 子 is commoner than 障害, its listings score more, and
    still the 障害 listings (missing only the common word) come first; 子 is set aside."""
    result = EmbeddedEngine().search(SearchParams(q="障害のある子"))
    titles = {s["listing_id"]: s["name"] for s in children}
    order = [titles[h.listing_id] for h in result.hits]
    assert result.relaxed and result.exact_count == 0 and result.set_aside == ("子",)
    assert set(order[:2]) == {"相談窓口", "作業所ひだまり"}
    assert set(order[2:]) == {"親と子の食堂", "子の学習室", "子の遊び場"}
    assert max(h.score for h in result.hits[:2]) < min(h.score for h in result.hits[2:])


@pytest.mark.django_db
def test_next_date_sort_puts_the_least_missed_rarity_first():
    """sort=next_date of a relaxed answer (Python, as the embedded engine): the idf-weighted
    key first, then the next opening date (none here), then score — not the number of words
    missed."""
    hits = [Hit(listing_id=1, score=90.0), Hit(listing_id=2, score=5.0), Hit(3, score=8.0)]
    missed = {1: 4.0, 2: 3.0, 3: 3.0}  # 1 misses one rare word, 2 and 3 two common ones
    ordered = ElasticsearchEngine(StubClient(None))._sort_by_next_date(hits, set(), missed)
    assert [h.listing_id for h in ordered] == [3, 2, 1]
