"""Schedule rules: one plain type, which dates a listing is open, and how to say it to residents.

``Rule`` is the one shape of a schedule rule outside the database: the ``ScheduleRule`` model
stores it (``Rule.from_model``, ``Rule.model_kwargs``), the search index's display records and
submissions keep it as JSON (``Rule.to_json``, ``Rule.from_json``), and importers build it. The
arithmetic below takes Rules, so it works on unsaved rules, revisions and imports alike.

The descriptions (``describe_rule``, ``format_time_range``, ``format_date``…) are in the active
language: the msgids are the Japanese wording, so under Japanese they read exactly as before
(「毎週 月曜 10:00〜12:00」) and the English catalogue gives "Every Monday 10:00–12:00". The CSV
tokens (``weekday_token``) and ``WEEKDAY_NAMES`` are a data contract and stay Japanese.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import KW_ONLY, dataclass, fields, replace
from typing import Any

import jpholiday
from django.utils import dateformat, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .vocabulary import WEEKDAY_NAMES, HolidayPolicy

LAST_WEEK = -1
TENTATIVE = "tentative"
# How far ahead next_occurrences looks: long enough for a yearly event.
HORIZON_DAYS = 400


@dataclass(frozen=True, slots=True)
class Rule:
    """One recurring day (or one date) with an optional time range, as plain values.

    ``frequency`` is ``weekly`` (weekday), ``monthly`` (week_of_month 1–5 or LAST_WEEK, and
    weekday), ``monthday`` (day_of_month), ``date`` (date) or ``tentative``: dates to confirm
    with the group, on the weekday when one is known (「開催曜日：土」 with no frequency that
    says which Saturdays), with no weekday when only the times are known (an annual event,
    dates announced later). A tentative rule never claims a date: ``rule_occurs_on`` is False,
    ``rule_may_occur_on`` says the day may be one. The fields a frequency does not use are
    None. Rules compare and hash by value, so lists of them can be compared and deduped.
    """

    frequency: str
    weekday: int | None = None
    week_of_month: int | None = None
    _: KW_ONLY
    day_of_month: int | None = None
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None

    @classmethod
    def from_model(cls, row: Any) -> Rule:
        """The rule a ``ScheduleRule`` row (saved, unsaved or from a revision) holds."""
        return cls(**{name: getattr(row, name) for name in RULE_FIELDS})

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``ScheduleRule(...)``."""
        return {name: getattr(self, name) for name in RULE_FIELDS}

    def with_times(self, start: datetime.time | None, end: datetime.time | None) -> Rule:
        return replace(self, start_time=start, end_time=end)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values: dates as ISO dates, times as HH:MM (HH:MM:SS when they have
        seconds, which order same-day occurrences)."""
        return {
            "frequency": self.frequency,
            "weekday": self.weekday,
            "week_of_month": self.week_of_month,
            "day_of_month": self.day_of_month,
            "date": self.date.isoformat() if self.date else None,
            "start_time": _time_text(self.start_time),
            "end_time": _time_text(self.end_time),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rule:
        """The inverse of ``to_json``; keys that are missing are None."""
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        return cls(
            data["frequency"],
            data.get("weekday"),
            data.get("week_of_month"),
            day_of_month=data.get("day_of_month"),
            date=datetime.date.fromisoformat(day) if day else None,
            start_time=datetime.time.fromisoformat(start) if start else None,
            end_time=datetime.time.fromisoformat(end) if end else None,
        )


RULE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Rule))


def _time_text(value: datetime.time | None) -> str | None:
    if value is None:
        return None
    if value.second or value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="minutes")


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


def rule_occurs_on(rule: Rule, day: datetime.date) -> bool:
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


def rule_may_occur_on(rule: Rule, day: datetime.date) -> bool:
    """True when a tentative rule names the day's weekday: open that day is possible, not sure."""
    return rule.frequency == TENTATIVE and rule.weekday == day.weekday()


def may_be_open_on(rules: Iterable[Rule], holiday_policy: str, day: datetime.date) -> bool:
    """Some tentative rule names ``day``'s weekday (and holidays do not rule it out), while no
    rule says for sure the listing is open: the group must be asked (要確認)."""
    rules = list(rules)
    if not any(rule_may_occur_on(r, day) for r in rules):
        return False
    if is_public_holiday(day) and holiday_policy == HolidayPolicy.CLOSED:
        return False
    return not occurrences_on(rules, holiday_policy, day)


def occurrences_on(
    rules: Iterable[Rule], holiday_policy: str, day: datetime.date
) -> list[Occurrence]:
    holiday = is_public_holiday(day)
    if holiday and holiday_policy == HolidayPolicy.CLOSED:
        return []
    matching = [r for r in rules if rule_occurs_on(r, day)]
    matching.sort(key=lambda r: r.start_time or datetime.time.min)
    return [Occurrence(day, r.start_time, r.end_time, holiday) for r in matching]


def candidate_days(rule: Rule, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
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


def is_over(occurrence: Occurrence, now: datetime.datetime) -> bool:
    """True when ``occurrence`` is today (``now``'s day, local time) and its end time (its start
    time when it has no end) has passed. One with no times counts for the whole day."""
    if occurrence.date != now.date():
        return False
    last = occurrence.end_time or occurrence.start_time
    return last is not None and last < now.time()


def next_occurrences(
    rules: Iterable[Rule],
    holiday_policy: str = "",
    start: datetime.date | None = None,
    count: int = 5,
    now: datetime.datetime | None = None,
) -> list[Occurrence]:
    """The next ``count`` occurrences from ``start`` within HORIZON_DAYS. Without ``start``
    they start now in Asia/Tokyo (``now``, default the current local time): an occurrence today
    that has already ended is left out, so at 22:30 a morning meal is not "next". Visits only the
    days some rule can fall on, not every day; tentative rules give no dates."""
    rules = [r for r in rules if r.frequency != TENTATIVE]
    if not rules or count <= 0:
        return []
    if start is None:
        start = now.date() if now else timezone.localdate()
        now = now or timezone.localtime()
        if now.date() != start:  # "today" pinned elsewhere: whole days only
            now = None
    else:
        now = None
    end = start + datetime.timedelta(HORIZON_DAYS)
    found: list[Occurrence] = []
    previous = None
    for day in heapq.merge(*(candidate_days(rule, start, end) for rule in rules)):
        if day == previous:
            continue
        previous = day
        found.extend(
            o for o in occurrences_on(rules, holiday_policy, day) if not (now and is_over(o, now))
        )
        if len(found) >= count:
            break
    return found[:count]


# --- in words, in the active language -----------------------------------------------------------

# 土 → "Sat": in dates, 「12月13日（土）」 / "Sat 13 Dec".
WEEKDAY_ABBREVIATIONS = (
    pgettext_lazy("weekday", "月"),
    pgettext_lazy("weekday", "火"),
    pgettext_lazy("weekday", "水"),
    pgettext_lazy("weekday", "木"),
    pgettext_lazy("weekday", "金"),
    pgettext_lazy("weekday", "土"),
    pgettext_lazy("weekday", "日"),
)
# 土 → "Saturday": in schedules, where Japanese adds 曜 (「毎週 土曜」 / "Every Saturday").
WEEKDAY_SCHEDULE_NAMES = (
    pgettext_lazy("weekday in a schedule", "月"),
    pgettext_lazy("weekday in a schedule", "火"),
    pgettext_lazy("weekday in a schedule", "水"),
    pgettext_lazy("weekday in a schedule", "木"),
    pgettext_lazy("weekday in a schedule", "金"),
    pgettext_lazy("weekday in a schedule", "土"),
    pgettext_lazy("weekday in a schedule", "日"),
)
# 第2 → "2nd", 最終 → "last".
WEEK_LABELS = {
    1: pgettext_lazy("week of month", "第1"),
    2: pgettext_lazy("week of month", "第2"),
    3: pgettext_lazy("week of month", "第3"),
    4: pgettext_lazy("week of month", "第4"),
    5: pgettext_lazy("week of month", "第5"),
    LAST_WEEK: pgettext_lazy("week of month", "最終"),
}


def weekday_abbreviation(weekday: int) -> str:
    """土 / "Sat" (0 is Monday)."""
    return str(WEEKDAY_ABBREVIATIONS[weekday])


def weekday_in_schedule(weekday: int) -> str:
    """土 / "Saturday", to go before 曜 in 「毎週 土曜」."""
    return str(WEEKDAY_SCHEDULE_NAMES[weekday])


def week_label(week: int | None) -> str:
    """第2 / "2nd", 最終 / "last"."""
    label = WEEK_LABELS.get(week)
    return str(label) if label is not None else pgettext("week of month", "第%(n)s") % {"n": week}


def join_items(items: list[str]) -> str:
    """月・水・金 / "Monday, Wednesday and Friday"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    separator = pgettext("schedule list separator", "・")
    last = pgettext("schedule list last separator", "・")
    return separator.join(items[:-1]) + last + items[-1]


def weekday_span(weekdays: list[int]) -> str:
    """月・水・金, or 月〜金 for three or more days in a row (in English "Monday, Wednesday and
    Friday", "Monday to Friday")."""
    days = sorted(set(weekdays))
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return pgettext("weekday range", "%(first)s〜%(last)s") % {
            "first": weekday_in_schedule(days[0]),
            "last": weekday_in_schedule(days[-1]),
        }
    return join_items([weekday_in_schedule(d) for d in days])


def every_day() -> str:
    return gettext("毎日")


def weekly_phrase(weekdays: list[int]) -> str:
    """毎週 月曜, 毎週 月〜金曜 / "Every Monday", "Every Monday to Friday"."""
    return gettext("毎週 %(days)s曜") % {"days": weekday_span(weekdays)}


def monthly_phrase(weeks: list[int], weekday: int) -> str:
    """毎月 第2・第4 土曜 / "2nd and 4th Saturday of each month"."""
    ordered = sorted(set(weeks), key=lambda w: (w == LAST_WEEK, w))
    return capfirst(
        gettext("毎月 %(weeks)s %(day)s曜")
        % {
            "weeks": join_items([week_label(w) for w in ordered]),
            "day": weekday_in_schedule(weekday),
        }
    )


def tentative_phrase(weekdays: list[int]) -> str:
    """土曜（日程は要確認） / "Saturday (dates to confirm)"; 日程は要確認 with no weekday."""
    if not weekdays:
        return gettext("日程は要確認")
    return gettext("%(days)s曜（日程は要確認）") % {"days": weekday_span(weekdays)}


def format_date(day: datetime.date) -> str:
    """12月13日（土） / "Sat 13 Dec"."""
    return _with_weekday(day, dateformat.format(day, pgettext("short date", "n月j日")))


def format_full_date(day: datetime.date) -> str:
    """2025年12月13日 / "13 December 2025"."""
    return dateformat.format(day, gettext("Y年n月j日"))


def _with_weekday(day: datetime.date, text: str) -> str:
    return pgettext("date with weekday", "%(date)s（%(weekday)s）") % {
        "date": text,
        "weekday": weekday_abbreviation(day.weekday()),
    }


def format_time_range(start: datetime.time | None, end: datetime.time | None) -> str:
    """10:00〜12:00 / "10:00–12:00"."""
    if start and end:
        return pgettext("time range", "%(start)s〜%(end)s") % {
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    if start:
        return pgettext("time range", "%(start)s〜") % {"start": f"{start:%H:%M}"}
    if end:
        return pgettext("time range", "〜%(end)s") % {"end": f"{end:%H:%M}"}
    return ""


def describe_rule(rule: Rule) -> str:
    """「毎週 月曜 10:00〜12:00」「毎月 第2 土曜」「毎月 最終 金曜」「2026年12月5日（土）」, in the
    active language ("Every Monday 10:00–12:00", "2nd Saturday of each month")."""
    if rule.frequency == "date" and rule.date:
        day = _with_weekday(rule.date, format_full_date(rule.date))
    elif rule.frequency == "monthday" and rule.day_of_month:
        day = gettext("毎月 %(day)s日") % {"day": rule.day_of_month}
    elif rule.frequency == TENTATIVE:
        day = tentative_phrase([] if rule.weekday is None else [rule.weekday])
    elif rule.weekday is None:
        day = ""
    elif rule.frequency == "monthly":
        day = monthly_phrase([rule.week_of_month], rule.weekday)
    else:
        day = weekly_phrase([rule.weekday])
    times = format_time_range(rule.start_time, rule.end_time)
    return f"{day} {times}".strip()


def weekday_token(rule: Rule) -> str | None:
    """The CSV ``利用可能曜日`` token for a rule: 月, 第2土, 最終金, 毎月12日, 2026-12-05,
    土(要確認) (a tentative rule without a weekday has none: its times stand alone in the row)."""
    if rule.frequency == "weekly" and rule.weekday is not None:
        return WEEKDAY_NAMES[rule.weekday]
    if rule.frequency == "monthly" and rule.weekday is not None:
        week = "最終" if rule.week_of_month == LAST_WEEK else f"第{rule.week_of_month}"
        return f"{week}{WEEKDAY_NAMES[rule.weekday]}"
    if rule.frequency == "monthday" and rule.day_of_month:
        return f"毎月{rule.day_of_month}日"
    if rule.frequency == "date" and rule.date:
        return rule.date.isoformat()
    if rule.frequency == TENTATIVE and rule.weekday is not None:
        return f"{WEEKDAY_NAMES[rule.weekday]}(要確認)"
    return None
