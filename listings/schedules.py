"""Schedule arithmetic: which dates a listing is open, and how to say it in Japanese.

Works on anything shaped like ``ScheduleRule`` (frequency, weekday, week_of_month, date,
start_time, end_time) so it is usable on unsaved rules, revisions and imports alike.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import jpholiday
from django.utils import timezone

from .vocabulary import WEEKDAY_NAMES, HolidayPolicy

LAST_WEEK = -1
# How far ahead next_occurrences looks: long enough for a yearly event.
HORIZON_DAYS = 400


class RuleLike(Protocol):
    frequency: str
    weekday: int | None
    week_of_month: int | None
    day_of_month: int | None
    date: datetime.date | None
    start_time: datetime.time | None
    end_time: datetime.time | None


@dataclass(frozen=True)
class Occurrence:
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    is_holiday: bool

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]


def week_of_month(day: datetime.date) -> int:
    """1 for the first seven days of the month (the first of each weekday), and so on."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: datetime.date) -> bool:
    """True when no later day of the month falls on the same weekday."""
    return (day + datetime.timedelta(days=7)).month != day.month


def is_public_holiday(day: datetime.date) -> bool:
    return jpholiday.is_holiday(day)


def rule_occurs_on(rule: RuleLike, day: datetime.date) -> bool:
    if rule.frequency == "date":
        return rule.date == day
    if rule.frequency == "monthday":
        return rule.day_of_month == day.day
    if rule.weekday is None or rule.weekday != day.weekday():
        return False
    if rule.frequency == "weekly":
        return True
    if rule.frequency == "monthly":
        if rule.week_of_month == LAST_WEEK:
            return is_last_of_month(day)
        return rule.week_of_month == week_of_month(day)
    return False


def occurrences_on(
    rules: Iterable[RuleLike], holiday_policy: str, day: datetime.date
) -> list[Occurrence]:
    holiday = is_public_holiday(day)
    if holiday and holiday_policy == HolidayPolicy.CLOSED:
        return []
    matching = [r for r in rules if rule_occurs_on(r, day)]
    matching.sort(key=lambda r: r.start_time or datetime.time.min)
    return [Occurrence(day, r.start_time, r.end_time, holiday) for r in matching]


def candidate_days(
    rule: RuleLike, start: datetime.date, end: datetime.date
) -> Iterator[datetime.date]:
    """The days in [start, end) a rule can fall on, in order (holidays not yet considered)."""
    if rule.frequency == "date":
        if rule.date and start <= rule.date < end:
            yield rule.date
    elif rule.frequency == "monthday":
        if not rule.day_of_month:
            return
        year, month = start.year, start.month
        while datetime.date(year, month, 1) < end:
            try:
                day = datetime.date(year, month, rule.day_of_month)
            except ValueError:  # 31日 in a 30-day month
                day = None
            if day is not None and start <= day < end:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif rule.frequency in ("weekly", "monthly") and rule.weekday is not None:
        day = start + datetime.timedelta((rule.weekday - start.weekday()) % 7)
        while day < end:
            if rule.frequency == "weekly" or rule_occurs_on(rule, day):
                yield day
            day += datetime.timedelta(7)


def next_occurrences(
    rules: Iterable[RuleLike],
    holiday_policy: str = "",
    start: datetime.date | None = None,
    count: int = 5,
) -> list[Occurrence]:
    """The next ``count`` occurrences from ``start`` (today in Asia/Tokyo by default), within
    HORIZON_DAYS. Visits only the days some rule can fall on, not every day."""
    rules = list(rules)
    if not rules or count <= 0:
        return []
    start = start or timezone.localdate()
    end = start + datetime.timedelta(HORIZON_DAYS)
    found: list[Occurrence] = []
    previous = None
    for day in heapq.merge(*(candidate_days(rule, start, end) for rule in rules)):
        if day == previous:
            continue
        previous = day
        found.extend(occurrences_on(rules, holiday_policy, day))
        if len(found) >= count:
            break
    return found[:count]


def format_time_range(start: datetime.time | None, end: datetime.time | None) -> str:
    if start and end:
        return f"{start:%H:%M}〜{end:%H:%M}"
    if start:
        return f"{start:%H:%M}〜"
    if end:
        return f"〜{end:%H:%M}"
    return ""


def describe_rule(rule: RuleLike) -> str:
    """「毎週 月曜 10:00〜12:00」「第2 土曜」「最終 金曜」「2026年12月5日」."""
    if rule.frequency == "date" and rule.date:
        day = f"{rule.date.year}年{rule.date.month}月{rule.date.day}日"
        day += f"（{WEEKDAY_NAMES[rule.date.weekday()]}）"
    elif rule.frequency == "monthday" and rule.day_of_month:
        day = f"毎月 {rule.day_of_month}日"
    elif rule.weekday is None:
        day = ""
    elif rule.frequency == "monthly":
        week = "最終" if rule.week_of_month == LAST_WEEK else f"第{rule.week_of_month}"
        day = f"毎月 {week} {WEEKDAY_NAMES[rule.weekday]}曜"
    else:
        day = f"毎週 {WEEKDAY_NAMES[rule.weekday]}曜"
    times = format_time_range(rule.start_time, rule.end_time)
    return f"{day} {times}".strip()


def weekday_token(rule: RuleLike) -> str | None:
    """The CSV ``利用可能曜日`` token for a rule: 月, 第2土, 最終金, 毎月12日, 2026-12-05."""
    if rule.frequency == "weekly" and rule.weekday is not None:
        return WEEKDAY_NAMES[rule.weekday]
    if rule.frequency == "monthly" and rule.weekday is not None:
        week = "最終" if rule.week_of_month == LAST_WEEK else f"第{rule.week_of_month}"
        return f"{week}{WEEKDAY_NAMES[rule.weekday]}"
    if rule.frequency == "monthday" and rule.day_of_month:
        return f"毎月{rule.day_of_month}日"
    if rule.frequency == "date" and rule.date:
        return rule.date.isoformat()
    return None
