"""Troubles → windows, dead ends and the crisis block, on the judged set
``devtools/eval/sets/troubles.json`` (issue 15; ``make eval`` runs it after the search eval).

- **top-3 hit rate**: each trouble phrase is searched as a resident types it (``SearchParams(q=…)``,
  no filter); a hit when one of its expected bodies is among the first 3 windows the page
  shows: the windows for the troubles the words describe (``consult.selectors.troubles_for``,
  shown above the results), then the results. Also reported with ``kind=window``.
- **dead ends**: phrases whose page offers no way on: no result and no fallback window
  (``consult.selectors.fallback_windows``). Zero-result phrases are reported too.
- **crisis recall / false alarms**: ``consult.selectors.crisis_for`` on every crisis phrase (must
  show the block) and every ordinary phrase (must not).

Bodies are named by code in the set; ``BODY_IDS`` maps each to the demo city's listings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consult.selectors import crisis_for, fallback_windows, troubles_for, windows_for_troubles
from listings.models import ListingPage
from search.contract import SearchParams
from search.engines import get_engine

SET = Path(__file__).resolve().parent / "sets" / "troubles.json"
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "troubles.json"
TOP = 3
TARGETS = {"top3": 0.97, "dead_ends": 0, "crisis_recall": 1.0, "false_alarms": 0}


def _ids(*numbers: int) -> tuple[str, ...]:
    return tuple(f"DEMO-W{n:02d}" for n in numbers)


# The judged set's body codes → the demo city's windows that are that body.
BODY_IDS: dict[str, tuple[str, ...]] = {
    "marugoto": _ids(1),
    "hotnet": _ids(2, 3, 4, 5),
    "seikatsu_support": _ids(6),
    "houkatsu": _ids(7, 8, 9, 10),
    "kikan_shogai": _ids(11),
    "kodomo_katei": _ids(12),
    "kosodate_sedai": _ids(13),
    "kosodate_shien": _ids(14),
    "kenri_yogo": _ids(15),
    "zaitaku": _ids(16),
    "shohi": _ids(17),
    "kyoiku_shien": _ids(18),
    "parite": _ids(19),
    "jutaku": _ids(20),
    "kyosei_ka": _ids(21),
    "fukushi_jimusho": _ids(22),
    "shogai_fukushi": _ids(23),
    "furemachi_tasukeai": _ids(24),
    "hokenjo": _ids(25),
    "jisou": _ids(26),
    "keisatsu": _ids(27),
    "shobo": _ids(28),
    "tabunka": _ids(29),
    "hattatsu": _ids(30),
    "rodo": _ids(31),
    "kosei_hogo": _ids(32),
}


@dataclass
class TroubleResult:
    phrase: str
    area: str
    style: str
    expected: list[str]
    top: list[str]
    top_windows: list[str]
    count: int
    fallback: int
    hit: bool = False
    hit_windows: bool = False


@dataclass
class Report:
    troubles: list[TroubleResult] = field(default_factory=list)
    crisis_missed: list[str] = field(default_factory=list)
    crisis_total: int = 0
    false_alarms: list[str] = field(default_factory=list)
    ordinary_total: int = 0

    def summary(self) -> dict:
        n = len(self.troubles) or 1
        return {
            "troubles": len(self.troubles),
            "top3": round(sum(t.hit for t in self.troubles) / n, 4),
            "top3_windows": round(sum(t.hit_windows for t in self.troubles) / n, 4),
            "zero_results": sum(t.count == 0 for t in self.troubles),
            "dead_ends": sum(t.count == 0 and not t.fallback for t in self.troubles),
            "crisis_phrases": self.crisis_total,
            "crisis_recall": round(1 - len(self.crisis_missed) / (self.crisis_total or 1), 4),
            "ordinary_phrases": self.ordinary_total,
            "false_alarms": len(self.false_alarms),
        }


def run(say: Callable[[str], None] = print) -> Report:
    judged = json.loads(SET.read_text(encoding="utf-8"))
    ids = dict(ListingPage.objects.values_list("pk", "external_id"))
    engine = get_engine()
    report = Report()
    for case in judged["troubles"]:
        wanted = {i for body in case["expected"] for i in BODY_IDS.get(body, ())}
        result = engine.search(SearchParams(q=case["phrase"], page_size=TOP))
        windows = engine.search(SearchParams(q=case["phrase"], kinds=("window",), page_size=TOP))
        # What the page shows first: the windows for the troubles the words describe, then the
        # search results.
        suggested = [ids[w.pk] for w in windows_for_troubles(troubles_for(case["phrase"]))]
        top = list(dict.fromkeys([*suggested, *(ids[h.listing_id] for h in result.hits)]))[:TOP]
        top_windows = list(dict.fromkeys([*suggested, *(ids[h.listing_id] for h in windows.hits)]))[
            :TOP
        ]
        report.troubles.append(
            TroubleResult(
                phrase=case["phrase"],
                area=case["area"],
                style=case["style"],
                expected=case["expected"],
                top=top,
                top_windows=top_windows,
                count=result.count,
                fallback=len(fallback_windows()),
                hit=bool(wanted & set(top)),
                hit_windows=bool(wanted & set(top_windows)),
            )
        )
    for case in judged["crisis"]:
        report.crisis_total += 1
        if not crisis_for(case["phrase"]):
            report.crisis_missed.append(case["phrase"])
    for case in judged["ordinary"]:
        report.ordinary_total += 1
        if crisis_for(case["phrase"]):
            report.false_alarms.append(case["phrase"])
    return report


def print_report(report: Report, say: Callable[[str], None], verbose: bool = False) -> None:
    s = report.summary()
    say("")
    say(f"困りごと → 窓口（{s['troubles']} 語句）")
    say(f"  top-3 hit rate           {s['top3']:.3f}  (target ≥ {TARGETS['top3']})")
    say(f"  top-3 among windows      {s['top3_windows']:.3f}")
    say(f"  zero results             {s['zero_results']}")
    say(f"  dead ends                {s['dead_ends']}  (target {TARGETS['dead_ends']})")
    say(f"緊急の相談（{s['crisis_phrases']} 語句 / ふつうの語句 {s['ordinary_phrases']}）")
    say(f"  crisis recall            {s['crisis_recall']:.3f}  (target 1.0)")
    say(f"  false alarms             {s['false_alarms']}  (target 0)")
    by_area: dict[str, list[TroubleResult]] = {}
    for t in report.troubles:
        by_area.setdefault(t.area, []).append(t)
    say(
        "  by area: "
        + ", ".join(f"{a} {sum(t.hit for t in ts)}/{len(ts)}" for a, ts in sorted(by_area.items()))
    )
    misses = [t for t in report.troubles if not t.hit]
    if misses:
        say(f"  misses ({len(misses)}):")
        for t in misses if verbose else misses[:40]:
            say(f"    {t.phrase}  expected {','.join(t.expected)}  got {','.join(t.top) or '-'}")
    for phrase in report.crisis_missed:
        say(f"  crisis missed: {phrase}")
    for phrase in report.false_alarms:
        say(f"  false alarm: {phrase}")


def write_json(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "summary": report.summary(),
        "targets": TARGETS,
        "troubles": [t.__dict__ for t in report.troubles],
        "crisis_missed": report.crisis_missed,
        "false_alarms": report.false_alarms,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
