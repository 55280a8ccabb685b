"""Schedules and dates in the interface language: Japanese as before, English from the catalogue.

The CSV tokens (weekday_token) are a data contract and stay Japanese under any language.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from listings import schedules
from listings.models import ScheduleRule
from listings.templatetags.listing_tags import describe_rules, jp_date, jp_full_date, time_range
from submissions.forms import ScheduleRowForm

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
D = datetime.date
T = datetime.time


def rule(frequency, weekday=None, week=None, start=None, end=None, date=None, day_of_month=None):
    return schedules.Rule(
        frequency,
        weekday,
        week,
        day_of_month=day_of_month,
        date=date,
        start_time=T.fromisoformat(start) if start else None,
        end_time=T.fromisoformat(end) if end else None,
    )


RULES = [
    rule("weekly", MON, start="10:00", end="12:00"),
    rule("monthly", SAT, week=4, start="11:00", end="13:00"),
    rule("weekly", WED, start="10:00", end="12:00"),
    rule("monthly", SAT, week=2, start="11:00", end="13:00"),
    rule("monthly", FRI, week=-1),
    rule("monthly", FRI, week=1),
    rule("weekly", SAT, start="09:00"),
    rule("monthday", day_of_month=12, end="15:00"),
    rule("date", date=D(2026, 12, 5), start="10:00", end="11:00"),
]

SINGLE = [
    (rule("weekly", MON, start="10:00", end="12:00"), "毎週 月曜 10:00〜12:00"),
    (rule("monthly", SAT, week=2), "毎月 第2 土曜"),
    (rule("monthly", FRI, week=-1, start="18:00"), "毎月 最終 金曜 18:00〜"),
    (rule("monthday", day_of_month=12), "毎月 12日"),
    (rule("date", date=D(2026, 12, 5), end="15:00"), "2026年12月5日（土） 〜15:00"),
]
SINGLE_EN = [
    "Every Monday 10:00–12:00",
    "2nd Saturday of each month",
    "Last Friday of each month from 18:00",
    "Day 12 of each month",
    "Sat 5 December 2026 until 15:00",
]


@pytest.mark.parametrize(("spec", "japanese"), SINGLE)
def test_describe_rule_is_unchanged_in_japanese(spec, japanese):
    with translation.override("ja"):
        assert schedules.describe_rule(spec) == japanese


@pytest.mark.parametrize(
    ("spec", "english"), list(zip([s for s, _ in SINGLE], SINGLE_EN, strict=True))
)
def test_describe_rule_in_english(spec, english):
    with translation.override("en"):
        assert schedules.describe_rule(spec) == english


def test_describe_rules_in_japanese_and_english():
    weekdays = [rule("weekly", d, start="08:30", end="17:15") for d in range(5)]
    every_day = [rule("weekly", d, start="10:00", end="12:00") for d in range(7)]
    three = [rule("weekly", d, start="10:00") for d in (MON, WED, FRI)]
    with translation.override("ja"):
        assert describe_rules(RULES) == [
            "毎週 月・水曜 10:00〜12:00",
            "毎月 第2・第4 土曜 11:00〜13:00",
            "毎月 第1・最終 金曜",
            "毎週 土曜 09:00〜",
            "毎月 12日 〜15:00",
            "2026年12月5日（土） 10:00〜11:00",
        ]
        assert describe_rules(weekdays) == ["毎週 月〜金曜 08:30〜17:15"]
        assert describe_rules(every_day) == ["毎日 10:00〜12:00"]
        assert describe_rules(three) == ["毎週 月・水・金曜 10:00〜"]
    with translation.override("en"):
        assert describe_rules(RULES) == [
            "Every Monday and Wednesday 10:00–12:00",
            "2nd and 4th Saturday of each month 11:00–13:00",
            "1st and last Friday of each month",
            "Every Saturday from 09:00",
            "Day 12 of each month until 15:00",
            "Sat 5 December 2026 10:00–11:00",
        ]
        assert describe_rules(weekdays) == ["Every Monday to Friday 08:30–17:15"]
        assert describe_rules(every_day) == ["Every day 10:00–12:00"]
        assert describe_rules(three) == ["Every Monday, Wednesday and Friday from 10:00"]


def test_dates_and_times():
    day = D(2025, 12, 13)
    occurrence = SimpleNamespace(start_time=T(10), end_time=T(12))
    with translation.override("ja"):
        assert jp_date(day) == "12月13日（土）"
        assert jp_full_date(day) == "2025年12月13日"
        assert time_range(occurrence) == "10:00〜12:00"
    with translation.override("en"):
        assert jp_date(day) == "Sat 13 Dec"
        assert jp_full_date(day) == "13 December 2025"
        assert time_range(occurrence) == "10:00–12:00"
    assert jp_date(None) == jp_full_date(None) == ""


def test_csv_tokens_and_str_stay_japanese_in_the_data_contract():
    monthly = ScheduleRule(frequency="monthly", weekday=SAT, week_of_month=2)
    with translation.override("en"):
        assert schedules.weekday_token(schedules.Rule.from_model(monthly)) == "第2土"
        assert schedules.weekday_token(rule("monthday", day_of_month=12)) == "毎月12日"
        assert str(monthly) == "2nd Saturday of each month"
    with translation.override("ja"):
        assert str(monthly) == "毎月 第2 土曜"


def labels(field) -> list[str]:
    return [str(label) for _, label in field.choices]


def test_schedule_row_choices_follow_the_interface_language():
    with translation.override("ja"):
        form = ScheduleRowForm()
        assert labels(form.fields["weekday"])[1:] == [f"{d}曜日" for d in "月火水木金土日"]
        assert labels(form.fields["week_of_month"])[1:] == [
            "第1",
            "第2",
            "第3",
            "第4",
            "第5",
            "最終",
        ]
        assert labels(form.fields["day_of_month"])[1:3] == ["1日", "2日"]
    with translation.override("en"):
        form = ScheduleRowForm()
        assert labels(form.fields["weekday"])[1:3] == ["Monday", "Tuesday"]
        assert labels(form.fields["week_of_month"])[1:] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "5th",
            "Last",
        ]
        assert labels(form.fields["day_of_month"])[1:3] == ["1", "2"]
        assert [value for value, _ in form.fields["week_of_month"].choices] == [
            "",
            1,
            2,
            3,
            4,
            5,
            -1,
        ]
