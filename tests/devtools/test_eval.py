"""``make eval``: the metric functions and the shape of the labelled set (not the scores)."""

import csv

import pytest

from demo.services import LISTINGS_CSV
from devtools.eval import metrics, tokyo
from devtools.eval.queries import CATEGORIES, QUERIES, EvalQuery
from devtools.eval.runner import OURS, Answer, Scored, _fit, _width


def demo_ids() -> set[str]:
    with LISTINGS_CSV.open(encoding="utf-8-sig", newline="") as fh:
        return {row["ID"] for row in csv.DictReader(fh)}


# ------------------------------------------------------------------ metrics
def test_recall_at_k_counts_relevant_in_the_top_k():
    ranked = ["a", "x", "b", "y", "c"]
    assert metrics.recall_at_k(ranked, {"a", "b"}, k=3) == 1.0
    assert metrics.recall_at_k(ranked, {"a", "c"}, k=3) == 0.5
    assert metrics.recall_at_k(ranked, {"z"}, k=3) == 0.0
    assert metrics.recall_at_k([], {"a"}, k=3) == 0.0


def test_recall_at_k_is_capped_when_more_are_relevant_than_k():
    relevant = {f"r{i}" for i in range(5)}
    ranked = ["r0", "r1", "r2", "r3"]
    assert metrics.recall_at_k(ranked, relevant, k=2) == 1.0
    assert metrics.plain_recall_at_k(ranked, relevant, k=2) == pytest.approx(2 / 5)
    assert metrics.recall_at_k(["r0", "x", "r1"], relevant, k=2) == 0.5


def test_r_precision_looks_at_the_first_r_results():
    relevant = {"a", "b", "c"}
    assert metrics.r_precision(["a", "b", "c", "x"], relevant) == 1.0
    assert metrics.r_precision(["a", "x", "b", "c"], relevant) == pytest.approx(2 / 3)
    assert metrics.r_precision(["x", "y"], relevant) == 0.0
    assert metrics.r_precision(["b"], {"b"}) == 1.0


def test_reciprocal_rank_of_the_first_relevant_result():
    assert metrics.reciprocal_rank(["a", "b"], {"a"}) == 1.0
    assert metrics.reciprocal_rank(["x", "y", "a"], {"a", "b"}) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["x"], {"a"}) == 0.0


@pytest.mark.parametrize(
    "metric",
    [metrics.recall_at_k, metrics.plain_recall_at_k, metrics.r_precision, metrics.reciprocal_rank],
)
def test_metrics_are_undefined_without_relevant_items(metric):
    with pytest.raises(ValueError):
        metric(["a"], set())


def test_mean_of_nothing_is_zero():
    assert metrics.mean([]) == 0.0
    assert metrics.mean([1.0, 0.0]) == 0.5


def test_report_columns_count_wide_characters_twice():
    assert _width("居場所") == 6
    assert _width("ｿｳﾀﾞﾝ") == 5
    assert _width(_fit("子ども食堂", 8)) == 8
    assert _width(_fit("ab", 5)) == 5


# ------------------------------------------------------------------ the labelled set
def test_at_least_sixty_labelled_queries_and_a_few_nonsense_ones():
    labelled = [q for q in QUERIES if not q.nonsense]
    nonsense = [q for q in QUERIES if q.nonsense]
    assert len(labelled) >= 60
    assert 3 <= len(nonsense) <= 5
    assert all(q.category == "nonsense" for q in nonsense)
    assert all(q.category != "nonsense" for q in labelled)


def test_every_labelled_id_is_a_demo_listing():
    known = demo_ids()
    unknown = {(q.q, i) for q in QUERIES for i in q.relevant if i not in known}
    assert not unknown


def test_queries_are_unique_nonblank_and_categorised():
    texts = [q.q for q in QUERIES]
    assert len(texts) == len(set(texts))
    assert all(t.strip() for t in texts)
    assert {q.category for q in QUERIES} <= set(CATEGORIES)


def test_the_set_covers_every_kind_of_input():
    used = {q.category for q in QUERIES}
    assert used == set(CATEGORIES)


# ------------------------------------------------------------------ the Tokyo open-data set
tokyo_data = pytest.mark.skipif(
    not tokyo.CSV_PATH.exists(), reason="the Tokyo open-data file is not on this machine"
)


@tokyo_data
@pytest.mark.django_db
def test_every_judged_tokyo_row_maps_to_the_listing_the_importer_makes():
    by_record = tokyo.external_ids_by_record()
    assert len(by_record) == 764  # the importer's count (tokyo_opendata.md)
    assert len(set(by_record.values())) == 764
    queries = tokyo.load_queries()
    assert len(queries) >= 150
    assert {q.category for q in queries} == set(tokyo.CATEGORIES)
    assert all(q.relevant and q.first <= q.relevant for q in queries)
    assert {q.lang for q in queries} == {"ja", "en"}


def test_first_ok_needs_the_first_listings_above_the_other_relevant_ones():
    query = EvalQuery("q", frozenset({"a", "b", "c"}), "ranking", first=frozenset({"a"}))

    def scored(ranked):
        return Scored(query, {OURS: Answer(ranked, len(ranked), 0.0)})

    assert scored(["a", "x", "b", "c"]).first_ok(OURS)
    assert not scored(["b", "a", "c"]).first_ok(OURS)
    assert not scored(["b", "c"]).first_ok(OURS)


def test_a_relaxed_answer_is_bad_only_without_a_relevant_top_10():
    query = EvalQuery("q", frozenset({"a"}), "relaxation")
    miss = [f"x{i}" for i in range(10)]
    bad = Scored(query, {OURS: Answer([*miss, "a"], 11, 0.0, relaxed=True)})
    good = Scored(query, {OURS: Answer(["a", *miss], 11, 0.0, relaxed=True)})
    assert bad.relaxed_bad(OURS) and not good.relaxed_bad(OURS)


def test_r_precision_asks_for_r_results_when_more_than_the_usual_depth_are_relevant():
    # With a fixed 100 results, R-precision of a query with 200 relevant listings could never
    # pass 0.5 (it was capped at 100/R).
    from devtools.eval.runner import DEPTH, depth_for

    many = EvalQuery("q", frozenset(f"id{i}" for i in range(DEPTH * 2)), "vocabulary")
    few = EvalQuery("q", frozenset({"a"}), "vocabulary")
    assert depth_for(many) == DEPTH * 2 and depth_for(few) == DEPTH
