"""Run the labelled query set through our engine and Wagtail's stock search, side by side.

``python manage.py eval_search`` (and ``make eval``, which does it on a throwaway database):

1. make sure the database holds the sample city (loads it into an empty database);
2. rebuild our index (``get_engine().rebuild()``, i.e. ``search.indexing.rebuild`` for the
   embedded engine) and Wagtail's stock index (``update_index``);
3. run each query of ``devtools.eval.queries`` through
   (a) ``get_engine().search(SearchParams(q=…))`` and
   (b) ``ListingPage.objects.live().search(q)`` (Wagtail's database backend);
4. score both with ``devtools.eval.metrics`` and report per query, per category and overall.

Both engines are asked for ``DEPTH`` results, or R (the number of relevant listings) when that
is more, so that R-precision is precision at R even for a query with hundreds of relevant
listings (with a fixed 100 it was capped at 100/R) and a missed listing's actual rank can be
shown; the
@10 metrics only look at the first 10, which are the same 10 a ``page_size=10`` call returns
(both engines order deterministically).
"""

from __future__ import annotations

import csv
import io
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from demo.services import LISTINGS_CSV, load_demo
from listings.models import ListingPage
from search.contract import SearchParams
from search.engines import get_engine

from . import metrics
from .queries import CATEGORIES, QUERIES, EvalQuery

K = 10
DEPTH = 100
DEMO_PREFIX = "DEMO-"
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"
# The targets for our engine (checked in the report, never in tests).
TARGETS = {"recall@10": 0.98, "r_precision": 0.95, "zero_results": 0}
# On the real Tokyo open data (issue 13), relaxed answers are judged too.
TOKYO_TARGETS = {"recall@10": 0.95, "r_precision": 0.90, "zero_results": 0, "relaxed_bad": 0}

OURS = "ours"
STOCK = "stock"


@dataclass(frozen=True)
class EvalSet:
    """A labelled set: what it is over, its categories and the targets for our engine."""

    name: str
    description: str
    categories: dict[str, str]
    targets: dict[str, float]


DEMO_SET = EvalSet(
    "demo",
    "make eval: labelled Japanese queries over the demo city, our embedded engine "
    "against Wagtail's stock database search (devtools/eval).",
    CATEGORIES,
    TARGETS,
)


class EvalError(Exception):
    """The database is not one the eval can score (e.g. other listings than the demo's)."""


@dataclass
class Answer:
    """One engine's answer to one query."""

    ranked: list[str]  # external IDs, best first, up to depth_for(query)
    count: int
    seconds: float
    error: str = ""
    relaxed: bool = False

    @property
    def zero(self) -> bool:
        return self.count == 0


@dataclass
class Scored:
    query: EvalQuery
    answers: dict[str, Answer]
    scores: dict[str, dict[str, float]] = field(default_factory=dict)

    def is_miss(self, engine: str) -> bool:
        answer = self.answers[engine]
        if self.query.nonsense:
            return not answer.zero
        s = self.scores[engine]
        return s["recall@10"] < 1.0 or s["r_precision"] < 1.0 or not self.first_ok(engine)

    def relaxed_bad(self, engine: str) -> bool:
        """A relaxed answer (not every word matched) with nothing relevant in its top 10."""
        answer = self.answers[engine]
        return answer.relaxed and not set(answer.ranked[:K]) & self.query.relevant

    def first_ok(self, engine: str) -> bool:
        """The ``first`` listings (if any) all rank above every other relevant listing."""
        first = self.query.first
        if not first:
            return True
        ranked = self.answers[engine].ranked
        positions = {ext: i for i, ext in enumerate(ranked)}
        missing = len(ranked) + 1
        worst_first = max(positions.get(ext, missing) for ext in first)
        others = [positions[ext] for ext in self.query.relevant - first if ext in positions]
        return worst_first < missing and all(worst_first < p for p in others)


# ------------------------------------------------------------------ setting up
def ensure_demo(say: Callable[[str], None]) -> str:
    """Load the sample city into an empty database; accept one that already holds exactly it."""
    expected = _demo_ids_in_csv(LISTINGS_CSV)
    live = set(ListingPage.objects.live().values_list("external_id", flat=True))
    if not ListingPage.objects.exists():
        say("デモデータを読み込みます（空のデータベース）…")
        load_demo(stdout=io.StringIO())
        return "loaded"
    missing = expected - live
    if missing:
        raise EvalError(
            f"このデータベースにはデモの居場所・窓口が {len(missing)} 件ありません"
            f"（例: {sorted(missing)[0]}）。make eval で一時データベースを使ってください。"
        )
    others = live - expected
    if others:
        raise EvalError(
            f"デモ以外の居場所・窓口が {len(others)} 件あります（例: {sorted(others)[0]}）。"
            "ラベルはデモだけを前提にしているので、make eval で一時データベースを使ってください。"
        )
    return "present"


def _demo_ids_in_csv(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["ID"] for row in csv.DictReader(fh) if row["ID"].startswith(DEMO_PREFIX)}


def build_indexes() -> None:
    """Our engine's index (``rebuild``: ``search.indexing.rebuild`` for the embedded engine)
    and Wagtail's stock index."""
    get_engine().rebuild()
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())


# ------------------------------------------------------------------ running
def _external_ids() -> dict[int, str]:
    return dict(ListingPage.objects.values_list("pk", "external_id"))


def depth_for(query: EvalQuery) -> int:
    """How many results to ask for: R-precision needs the first R."""
    return max(DEPTH, len(query.relevant))


def ask_ours(
    q: str, ids: dict[int, str], engine=None, lang: str = "ja", depth: int = DEPTH
) -> Answer:
    engine = engine or get_engine()
    started = time.perf_counter()
    with translation.override(lang):
        result = engine.search(SearchParams(q=q, page_size=depth))
    seconds = time.perf_counter() - started
    return Answer(
        [ids[h.listing_id] for h in result.hits], result.count, seconds, relaxed=result.relaxed
    )


def ask_stock(q: str, ids: dict[int, str], depth: int = DEPTH) -> Answer:
    started = time.perf_counter()
    try:
        pages = list(ListingPage.objects.live().search(q)[:depth])
    except Exception as exc:  # a query the stock backend cannot parse counts as nothing found
        return Answer([], 0, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    return Answer([ids[p.pk] for p in pages], len(pages), seconds)


def score(query: EvalQuery, answer: Answer) -> dict[str, float]:
    if query.nonsense:
        return {}
    ranked, relevant = answer.ranked, query.relevant
    return {
        "recall@10": metrics.recall_at_k(ranked, relevant, K),
        "plain_recall@10": metrics.plain_recall_at_k(ranked, relevant, K),
        "r_precision": metrics.r_precision(ranked, relevant),
        "rr": metrics.reciprocal_rank(ranked, relevant),
    }


def engine_name() -> str:
    return get_engine().name


def run(queries: list[EvalQuery] | None = None) -> list[Scored]:
    engine = get_engine()
    ids = _external_ids()
    results = []
    for query in queries or QUERIES:
        answers = {
            OURS: ask_ours(query.q, ids, engine, query.lang, depth_for(query)),
            STOCK: ask_stock(query.q, ids, depth_for(query)),
        }
        scored = Scored(query, answers)
        scored.scores = {name: score(query, a) for name, a in answers.items()}
        results.append(scored)
    return results


# ------------------------------------------------------------------ summarising
def summarise(results: list[Scored], engine: str, categories: dict[str, str] | None = None) -> dict:
    labelled = [r for r in results if not r.query.nonsense]
    nonsense = [r for r in results if r.query.nonsense]

    def avg(key: str, rows: list[Scored]) -> float:
        return round(metrics.mean([r.scores[engine][key] for r in rows]), 4)

    by_category = {}
    for category in categories or CATEGORIES:
        rows = [r for r in labelled if r.query.category == category]
        if rows:
            by_category[category] = {
                "queries": len(rows),
                "recall@10": avg("recall@10", rows),
                "r_precision": avg("r_precision", rows),
                "zero_results": sum(r.answers[engine].zero for r in rows),
                "relaxed_bad": sum(r.relaxed_bad(engine) for r in rows),
            }
    return {
        "queries": len(labelled),
        "recall@10": avg("recall@10", labelled),
        "plain_recall@10": avg("plain_recall@10", labelled),
        "r_precision": avg("r_precision", labelled),
        "mrr": avg("rr", labelled),
        "zero_results": sum(r.answers[engine].zero for r in labelled),
        "perfect": sum(not r.is_miss(engine) for r in labelled),
        "relaxed": sum(r.answers[engine].relaxed for r in labelled),
        "relaxed_bad": sum(r.relaxed_bad(engine) for r in labelled),
        "first_ok": sum(r.first_ok(engine) for r in labelled if r.query.first),
        "with_first": sum(bool(r.query.first) for r in labelled),
        "nonsense_queries": len(nonsense),
        "nonsense_with_results": sum(not r.answers[engine].zero for r in nonsense),
        "errors": sum(bool(r.answers[engine].error) for r in results),
        "by_category": by_category,
    }


def to_json(results: list[Scored], titles: dict[str, str], evalset: EvalSet = DEMO_SET) -> dict:
    """What ``results/latest.json`` holds (no timings or dates, so reruns diff cleanly)."""
    per_query = []
    for r in results:
        entry = {
            "q": r.query.q,
            "category": r.query.category,
            "relevant": sorted(r.query.relevant),
        }
        for name, answer in r.answers.items():
            entry[name] = {
                "count": answer.count,
                "top10": answer.ranked[:K],
                **{k: round(v, 4) for k, v in r.scores[name].items()},
                **({"error": answer.error} if answer.error else {}),
                **({"relaxed": True} if answer.relaxed else {}),
            }
        per_query.append(entry)
    return {
        "set": evalset.name,
        "description": evalset.description,
        "definitions": {
            "recall@10": "|relevant ∩ top10| / min(|relevant|, 10), mean over labelled queries",
            "plain_recall@10": "|relevant ∩ top10| / |relevant| (below 1 when |relevant| > 10)",
            "r_precision": "|relevant ∩ top R| / R with R = |relevant|",
            "mrr": "mean of 1 / rank of the first relevant result",
            "zero_results": "labelled queries that returned nothing",
            "nonsense_with_results": "nonsense queries (no relevant listing) that returned any",
            "relaxed_bad": "relaxed answers (not every word matched) without a relevant top 10",
            "first_ok": "queries whose `first` listings all rank above the other relevant ones",
        },
        "targets_ours": evalset.targets,
        "engines": {
            OURS: f"search.engines.get_engine(): {engine_name()}",
            STOCK: "ListingPage.objects.live().search(q), WAGTAILSEARCH_BACKENDS['default']",
        },
        "summary": {name: summarise(results, name, evalset.categories) for name in (OURS, STOCK)},
        "queries": per_query,
        "listings": titles,
    }


# ------------------------------------------------------------------ printing
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Pad (or cut) ``text`` to ``width`` terminal columns, counting wide characters as 2."""
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = _width(out)
            break
        out += ch
        used += w
    return out + " " * (width - used)


def _num(value: float) -> str:
    return f"{value:.3f}"


def report_lines(
    results: list[Scored],
    titles: dict[str, str],
    *,
    verbose: bool,
    evalset: EvalSet = DEMO_SET,
) -> list[str]:
    ours = summarise(results, OURS, evalset.categories)
    stock = summarise(results, STOCK, evalset.categories)
    targets = evalset.targets
    lines: list[str] = []
    add = lines.append
    labelled = ours["queries"]

    nonsense = ours["nonsense_queries"]
    add(
        f"検索の評価 [{evalset.name}]: ラベル付きクエリ {labelled} 件"
        f" + 無意味なクエリ {nonsense} 件"
    )
    add("")
    add(f"{_fit('metric', 34)} {_fit(f'ours ({engine_name()})', 16)} {_fit('Wagtail stock', 14)}")
    add("-" * 66)

    def target_mark(key: str) -> str:
        goal = targets.get(key)
        if goal is None:
            return ""
        at_most = key in ("zero_results", "relaxed_bad")
        ok = ours[key] <= goal if at_most else ours[key] >= goal
        op = "=" if at_most else "≥"
        return f"  {'✓' if ok else '✗'} target {op} {goal}"

    rows = [
        ("recall@10 (capped at 10)", "recall@10", _num),
        ("R-precision", "r_precision", _num),
        ("MRR", "mrr", _num),
        ("recall@10 (|rel∩top10|/|rel|)", "plain_recall@10", _num),
        (f"zero-result queries (of {labelled})", "zero_results", str),
        (f"perfect queries (of {labelled})", "perfect", str),
        (
            f"nonsense with results (of {ours['nonsense_queries']})",
            "nonsense_with_results",
            str,
        ),
        ("query errors", "errors", str),
        (f"relaxed answers (of {labelled})", "relaxed", str),
        ("relaxed, no relevant in top 10", "relaxed_bad", str),
        (f"`first` ranked first (of {ours['with_first']})", "first_ok", str),
    ]
    for label, key, fmt in rows:
        add(
            f"{_fit(label, 34)} {_fit(fmt(ours[key]), 16)} {_fit(fmt(stock[key]), 14)}"
            f"{target_mark(key)}"
        )
    seconds = {
        name: metrics.mean([r.answers[name].seconds for r in results]) * 1000
        for name in (OURS, STOCK)
    }
    add(
        f"{_fit('mean time per query (ms)', 34)} {_fit(f'{seconds[OURS]:.1f}', 16)} "
        f"{_fit(f'{seconds[STOCK]:.1f}', 14)}"
    )

    add("")
    add("カテゴリ別 (recall@10 / R-precision / zero / relaxed without a relevant top 10)")
    add(f"{_fit('category', 12)} {_fit('n', 4)} {_fit('ours', 26)} {_fit('stock', 26)}")
    for category, mine in ours["by_category"].items():
        theirs = stock["by_category"][category]
        cell = "{recall@10:.3f} / {r_precision:.3f} / {zero_results} / {relaxed_bad}"
        add(
            f"{_fit(category, 12)} {_fit(str(mine['queries']), 4)} "
            f"{_fit(cell.format(**mine), 26)} {_fit(cell.format(**theirs), 26)}"
        )

    add("")
    add("クエリ別 (R = 正解数; R@10 = recall@10, RP = R-precision, n = 件数)")
    header = (
        f"{_fit('query', 30)} {_fit('category', 9)} {_fit('R', 3)} | "
        f"{_fit('ours R@10', 9)} {_fit('RP', 5)} {_fit('n', 3)} | "
        f"{_fit('stock R@10', 10)} {_fit('RP', 5)} {_fit('n', 3)}"
    )
    add(header)
    add("-" * _width(header))
    for r in results:
        cells = []
        for name in (OURS, STOCK):
            s, a = r.scores[name], r.answers[name]
            n = str(a.count) if not a.error else "err"
            if r.query.nonsense:
                cells.append((("—" if a.zero else "HIT"), "—", n))
            else:
                cells.append((_num(s["recall@10"]), f"{s['r_precision']:.2f}", n))
        mark = "*" if r.is_miss(OURS) else " "
        add(
            f"{_fit(mark + r.query.q, 30)} {_fit(r.query.category, 9)} "
            f"{_fit(str(len(r.query.relevant)), 3)} | "
            f"{_fit(cells[0][0], 9)} {_fit(cells[0][1], 5)} {_fit(cells[0][2], 3)} | "
            f"{_fit(cells[1][0], 10)} {_fit(cells[1][1], 5)} {_fit(cells[1][2], 3)}"
        )
    add(
        "(* = our engine misses: recall@10 < 1, R-precision < 1, `first` not first, "
        "or a nonsense query found hits)"
    )

    misses = [r for r in results if r.is_miss(OURS)]
    add("")
    add(f"我々のエンジンが外したクエリ: {len(misses)} 件")
    for r in misses:
        lines.extend(_miss_lines(r, titles))
    if verbose:
        add("")
        add("Wagtail 標準検索の結果 (上位10件)")
        for r in results:
            answer = r.answers[STOCK]
            shown = ", ".join(answer.ranked[:K]) or "(なし)"
            add(f"  「{r.query.q}」: {shown}" + (f"  {answer.error}" if answer.error else ""))
    return lines


def _miss_lines(r: Scored, titles: dict[str, str]) -> list[str]:
    answer = r.answers[OURS]
    out = [""]
    if r.query.nonsense:
        out.append(f"■「{r.query.q}」 (nonsense) returned {answer.count} result(s):")
        for ext in answer.ranked[:5]:
            out.append(f"    {ext} {titles.get(ext, '')}")
        return out
    s = r.scores[OURS]
    relevant = r.query.relevant
    out.append(
        f"■「{r.query.q}」 [{r.query.category}] R={len(relevant)} "
        f"recall@10={_num(s['recall@10'])} R-precision={s['r_precision']:.2f} "
        f"count={answer.count}" + (" RELAXED" if answer.relaxed else "")
    )
    if r.query.first and not r.first_ok(OURS):
        out.append(f"    `first` not ranked first: {', '.join(sorted(r.query.first))}")
    # Relevant listings outside the top R (what R-precision, and recall@10 for R <= 10, miss).
    for ext in sorted(relevant - set(answer.ranked[: len(relevant)])):
        rank = answer.ranked.index(ext) + 1 if ext in answer.ranked else None
        where = f"rank {rank}" if rank else "not returned"
        out.append(f"    not in top R: {ext} {titles.get(ext, '')} ({where})")
    shown = answer.ranked[: min(max(len(relevant), 5), 20)]
    out.append(f"    returned (top {len(shown)}):")
    for rank, ext in enumerate(shown, start=1):
        ok = "✓" if ext in relevant else "✗"
        marker = "" if rank <= len(relevant) else " (beyond R)"
        out.append(f"      {rank:>2}. {ok} {ext} {titles.get(ext, '')}{marker}")
    return out


def titles_by_external_id() -> dict[str, str]:
    return dict(ListingPage.objects.order_by("external_id").values_list("external_id", "title"))


def side_by_side(summaries: dict[str, dict]) -> list[str]:
    """One line per set, ours beside stock (``summaries``: set name → ``to_json`` output)."""
    lines = ["", "セット別の比較 (ours / stock)"]
    header = (
        f"{_fit('set', 8)} {_fit('n', 4)} {_fit('recall@10', 15)} {_fit('R-precision', 15)} "
        f"{_fit('zero', 9)} {_fit('relaxed-bad', 11)}"
    )
    lines += [header, "-" * _width(header)]
    for name, data in summaries.items():
        o, s = data["summary"][OURS], data["summary"][STOCK]
        recall = f"{o['recall@10']:.3f} / {s['recall@10']:.3f}"
        rprec = f"{o['r_precision']:.3f} / {s['r_precision']:.3f}"
        zero = f"{o['zero_results']} / {s['zero_results']}"
        bad = f"{o.get('relaxed_bad', 0)} / {s.get('relaxed_bad', 0)}"
        lines.append(
            f"{_fit(name, 8)} {_fit(str(o['queries']), 4)} {_fit(recall, 15)} "
            f"{_fit(rprec, 15)} {_fit(zero, 9)} {_fit(bad, 11)}"
        )
    return lines
