import datetime
import json

import pytest

from listings import schedules
from listings.models import ScheduleRule
from listings.schedules import Rule
from listings.vocabulary import HolidayPolicy

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
D = datetime.date


def rule(**kwargs) -> Rule:
    """Schedule arithmetic needs no database."""
    return Rule(**kwargs)


def dates(occurrences):
    return [o.date for o in occurrences]


def test_weekly_rule_gives_every_matching_weekday():
    wed = rule(frequency="weekly", weekday=WED)
    got = schedules.next_occurrences([wed], start=D(2026, 12, 1), count=3)
    assert dates(got) == [D(2026, 12, 2), D(2026, 12, 9), D(2026, 12, 16)]


def test_start_day_itself_counts():
    wed = rule(frequency="weekly", weekday=WED)
    assert dates(schedules.next_occurrences([wed], start=D(2026, 12, 2), count=1)) == [
        D(2026, 12, 2)
    ]


@pytest.mark.parametrize(
    ("week", "weekday", "start", "expected"),
    [
        # 第2土曜: December 2026 starts on a Tuesday, so the Saturdays are 5, 12, 19, 26.
        (2, SAT, D(2026, 12, 1), [D(2026, 12, 12), D(2027, 1, 9), D(2027, 2, 13)]),
        # 第1月曜 when the month starts on that weekday (2027-02-01 is a Monday).
        (1, MON, D(2027, 1, 5), [D(2027, 2, 1), D(2027, 3, 1), D(2027, 4, 5)]),
        # 第5金曜 exists only in some months: skip the months without one.
        (5, FRI, D(2027, 1, 1), [D(2027, 1, 29), D(2027, 4, 30), D(2027, 7, 30)]),
    ],
)
def test_nth_weekday_of_month(week, weekday, start, expected):
    r = rule(frequency="monthly", weekday=weekday, week_of_month=week)
    assert dates(schedules.next_occurrences([r], start=start, count=3)) == expected


def test_last_weekday_of_month_handles_month_ends():
    last_fri = rule(frequency="monthly", weekday=FRI, week_of_month=-1)
    got = dates(schedules.next_occurrences([last_fri], start=D(2027, 1, 1), count=3))
    # January 2027: Fridays 1..29 (29 is the 5th and last); February: 26 (the 4th and last).
    assert got == [D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 26)]


def test_last_weekday_in_a_leap_february():
    last_thu = rule(frequency="monthly", weekday=THU, week_of_month=-1)
    got = dates(schedules.next_occurrences([last_thu], start=D(2028, 2, 1), count=1))
    assert got == [D(2028, 2, 24)]


def test_two_rules_merge_in_date_order_with_times():
    second_sat = rule(
        frequency="monthly",
        weekday=SAT,
        week_of_month=2,
        start_time=datetime.time(11),
        end_time=datetime.time(13),
    )
    fourth_sat = rule(frequency="monthly", weekday=SAT, week_of_month=4)
    got = schedules.next_occurrences([fourth_sat, second_sat], start=D(2026, 12, 1), count=4)
    assert dates(got) == [D(2026, 12, 12), D(2026, 12, 26), D(2027, 1, 9), D(2027, 1, 23)]
    assert got[0].start_time == datetime.time(11)


def test_dates_in_the_past_are_not_next():
    once = rule(frequency="date", date=D(2026, 11, 1))
    future = rule(frequency="date", date=D(2027, 3, 20))
    assert dates(schedules.next_occurrences([once, future], start=D(2026, 12, 1))) == [
        D(2027, 3, 20)
    ]


def test_public_holidays_skipped_when_closed():
    # 2027-01-11 is 成人の日 (second Monday of January), a public holiday.
    monday = rule(frequency="weekly", weekday=MON)
    start = D(2027, 1, 4)
    open_days = dates(schedules.next_occurrences([monday], HolidayPolicy.OPEN, start, 3))
    closed_days = dates(schedules.next_occurrences([monday], HolidayPolicy.CLOSED, start, 3))
    assert open_days == [D(2027, 1, 4), D(2027, 1, 11), D(2027, 1, 18)]
    assert closed_days == [D(2027, 1, 4), D(2027, 1, 18), D(2027, 1, 25)]


def test_holiday_is_flagged_when_open():
    monday = rule(frequency="weekly", weekday=MON)
    got = schedules.next_occurrences([monday], HolidayPolicy.OPEN, D(2027, 1, 11), 1)
    assert got[0].is_holiday is True


def test_no_rules_means_no_dates():
    assert schedules.next_occurrences([], start=D(2026, 12, 1)) == []


def test_default_start_is_today_in_tokyo(settings):
    assert settings.TIME_ZONE == "Asia/Tokyo"
    daily = [rule(frequency="weekly", weekday=d) for d in range(7)]
    from django.utils import timezone

    assert schedules.next_occurrences(daily, count=1)[0].date == timezone.localdate()


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        (
            {"frequency": "weekly", "weekday": MON, "start_time": datetime.time(10)},
            "毎週 月曜 10:00〜",
        ),
        (
            {
                "frequency": "monthly",
                "weekday": SAT,
                "week_of_month": 2,
                "start_time": datetime.time(11),
                "end_time": datetime.time(13, 30),
            },
            "毎月 第2 土曜 11:00〜13:30",
        ),
        ({"frequency": "monthly", "weekday": FRI, "week_of_month": -1}, "毎月 最終 金曜"),
        ({"frequency": "date", "date": D(2026, 12, 5)}, "2026年12月5日（土）"),
    ],
)
def test_describe_rule_in_japanese(kwargs, text):
    assert schedules.describe_rule(rule(**kwargs)) == text


@pytest.mark.parametrize(
    ("kwargs", "token"),
    [
        ({"frequency": "weekly", "weekday": WED}, "水"),
        ({"frequency": "monthly", "weekday": SAT, "week_of_month": 4}, "第4土"),
        ({"frequency": "monthly", "weekday": FRI, "week_of_month": -1}, "最終金"),
        ({"frequency": "date", "date": D(2027, 1, 9)}, "2027-01-09"),
    ],
)
def test_csv_weekday_tokens(kwargs, token):
    assert schedules.weekday_token(rule(**kwargs)) == token


def test_day_of_month_skips_short_months():
    thirty_first = rule(frequency="monthday", day_of_month=31)
    got = dates(schedules.next_occurrences([thirty_first], start=D(2027, 1, 1), count=3))
    assert got == [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31)]


def test_day_of_month_description_and_token():
    twelfth = rule(frequency="monthday", day_of_month=12, start_time=datetime.time(17))
    assert schedules.describe_rule(twelfth) == "毎月 12日 17:00〜"
    assert schedules.weekday_token(twelfth) == "毎月12日"


def test_day_of_month_is_required_for_monthday_rules():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        ScheduleRule(frequency="monthday").clean()
    assert "day_of_month" in err.value.message_dict


def day_by_day(rules, holiday_policy, start, count):
    """The plain definition: look at every day of the horizon in turn."""
    found = []
    for offset in range(schedules.HORIZON_DAYS):
        found.extend(
            schedules.occurrences_on(rules, holiday_policy, start + datetime.timedelta(offset))
        )
        if len(found) >= count:
            break
    return found[:count]


def test_next_occurrences_agrees_with_the_day_by_day_definition():
    # next_occurrences only visits the days a rule can fall on; over many random rule sets
    # (every frequency, incomplete rules, 31日, 第5/最終, past and far dates, holidays) it
    # must give exactly what looking at every day gives.
    import random

    rnd = random.Random(20261126)
    base = datetime.date(2026, 1, 1)

    def rule():
        time = rnd.choice([None, datetime.time(rnd.randrange(24), rnd.choice([0, 30]))])
        return Rule(
            frequency=rnd.choice(["weekly", "monthly", "monthday", "date", "unknown"]),
            weekday=rnd.choice([None, 0, 1, 2, 3, 4, 5, 6]),
            week_of_month=rnd.choice([None, 1, 2, 3, 4, 5, -1]),
            day_of_month=rnd.choice([None, 1, 5, 15, 28, 29, 30, 31]),
            date=rnd.choice([None, base + datetime.timedelta(rnd.randrange(-100, 900))]),
            start_time=time,
            end_time=None,
        )

    for _ in range(3000):
        rules = [rule() for _ in range(rnd.randrange(0, 4))]
        start = base + datetime.timedelta(rnd.randrange(-300, 1200))
        policy = rnd.choice(["", HolidayPolicy.CLOSED, HolidayPolicy.OPEN])
        count = rnd.choice([1, 3, 5])
        assert schedules.next_occurrences(rules, policy, start, count) == day_by_day(
            rules, policy, start, count
        ), (rules, start, policy)


# --- the one rule type ---------------------------------------------------------------------------

T = datetime.time
EVERY_SHAPE = [
    Rule("weekly", MON, start_time=T(10), end_time=T(12)),
    Rule("monthly", SAT, 2, start_time=T(11, 30)),
    Rule("monthly", FRI, -1, end_time=T(15)),
    Rule("monthday", day_of_month=12),
    Rule("date", date=D(2026, 12, 5), start_time=T(9, 0, 30), end_time=T(9, 45)),
]


@pytest.mark.parametrize("value", EVERY_SHAPE)
def test_rule_json_round_trip(value):
    assert Rule.from_json(json.loads(json.dumps(value.to_json()))) == value


@pytest.mark.parametrize("value", EVERY_SHAPE)
def test_rule_model_round_trip(value):
    row = ScheduleRule(**value.model_kwargs())
    row.full_clean(exclude=["listing"])
    assert Rule.from_model(row) == value


def test_rule_json_is_the_stored_shape():
    # Display records in the search index and Submission.data hold exactly this; both are
    # read back by Rule.from_json, so the shape must not drift.
    assert Rule("monthly", SAT, 2, start_time=T(11), end_time=T(13, 30)).to_json() == {
        "frequency": "monthly",
        "weekday": 5,
        "week_of_month": 2,
        "day_of_month": None,
        "date": None,
        "start_time": "11:00",
        "end_time": "13:30",
    }
    assert Rule("date", date=D(2026, 12, 5), start_time=T(9, 0, 30)).to_json()["start_time"] == (
        "09:00:30"
    )


def test_rule_from_json_reads_rows_without_the_optional_keys():
    assert Rule.from_json({"frequency": "weekly", "weekday": 2}) == Rule("weekly", WED)


def test_rules_compare_and_dedupe_by_value():
    a, b = Rule("weekly", MON), Rule("weekly", MON)
    assert a == b and len({a, b}) == 1
    assert a.with_times(T(10), None) != a
    assert a.with_times(T(10), None).start_time == T(10)


# --- tentative rules: weekday known, dates to confirm --------------------------------------------


def test_tentative_rule_never_claims_a_date_but_may_fall_on_its_weekday():
    saturday = rule(frequency="tentative", weekday=SAT, start_time=datetime.time(11))
    day = D(2026, 12, 12)  # a Saturday

    assert not schedules.rule_occurs_on(saturday, day)
    assert schedules.rule_may_occur_on(saturday, day)
    assert not schedules.rule_may_occur_on(saturday, day + datetime.timedelta(1))
    assert schedules.next_occurrences([saturday], start=day) == []
    assert schedules.may_be_open_on([saturday], "", day)
    # A sure rule that day makes it sure, not "may be".
    sure = rule(frequency="monthly", weekday=SAT, week_of_month=2)
    assert not schedules.may_be_open_on([saturday, sure], "", day)
    # Closed on public holidays: a holiday Monday is not even "may be".
    monday = rule(frequency="tentative", weekday=MON)
    assert not schedules.may_be_open_on([monday], HolidayPolicy.CLOSED, D(2027, 1, 11))
    assert schedules.may_be_open_on([monday], HolidayPolicy.OPEN, D(2027, 1, 11))


def test_tentative_rule_without_weekday_may_fall_on_no_day():
    times_only = rule(frequency="tentative", start_time=datetime.time(10))
    assert not any(
        schedules.may_be_open_on([times_only], "", D(2026, 12, 1) + datetime.timedelta(n))
        for n in range(7)
    )


@pytest.mark.parametrize(
    ("kwargs", "text", "token"),
    [
        (
            {"weekday": SAT, "start_time": datetime.time(11)},
            "土曜（日程は要確認） 11:00〜",
            "土(要確認)",
        ),
        ({}, "日程は要確認", None),
        (
            {"start_time": datetime.time(10), "end_time": datetime.time(12)},
            "日程は要確認 10:00〜12:00",
            None,
        ),
    ],
)
def test_tentative_descriptions_and_tokens(kwargs, text, token):
    tentative = rule(frequency="tentative", **kwargs)
    assert schedules.describe_rule(tentative) == text
    assert schedules.weekday_token(tentative) == token


def test_tentative_model_rule_validates_and_reads_back(db):
    row = ScheduleRule(frequency="tentative", weekday=SAT, start_time=datetime.time(11))
    row.full_clean(exclude=["listing"])
    assert Rule.from_model(row) == Rule("tentative", SAT, start_time=datetime.time(11))
    assert str(row) == "土曜（日程は要確認） 11:00〜"


# --- next dates from now in Asia/Tokyo ------------------------------------------------------------


def tokyo(*args) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    return datetime.datetime(*args, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_next_dates_leave_out_what_ended_earlier_today():
    morning = rule(
        frequency="weekly", weekday=SAT, start_time=datetime.time(9), end_time=datetime.time(11, 30)
    )
    saturday = D(2026, 12, 12)
    at_night = schedules.next_occurrences([morning], count=1, now=tokyo(2026, 12, 12, 22, 30))
    assert dates(at_night) == [saturday + datetime.timedelta(7)]
    during = schedules.next_occurrences([morning], count=1, now=tokyo(2026, 12, 12, 10, 0))
    assert dates(during) == [saturday]
    # Only a start time: over once it has started and passed; no times: the whole day counts.
    evening = rule(frequency="weekly", weekday=SAT, start_time=datetime.time(17))
    late = schedules.next_occurrences([evening], count=1, now=tokyo(2026, 12, 12, 18, 0))
    assert dates(late) == [saturday + datetime.timedelta(7)]
    all_day = rule(frequency="weekly", weekday=SAT)
    assert dates(
        schedules.next_occurrences([all_day], count=1, now=tokyo(2026, 12, 12, 23, 0))
    ) == [saturday]
    # An explicit start day still counts the whole day (a date chosen in a search).
    assert dates(schedules.next_occurrences([morning], start=saturday, count=1)) == [saturday]
