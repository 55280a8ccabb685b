"""Japanese schedule text → schedule rules (listings.importers.opendata.schedule_text).

The examples are real cells from the Tokyo 子ども食堂一覧 open data (docs/data.md). A rule is
written only where the meaning is certain; everything else keeps its text and gets no rule.
"""

import datetime
import re

import pytest

from listings.importers.opendata.schedule_text import (
    NONE,
    PARSED,
    TEXT,
    WEEKDAY,
    parse_schedule,
    parse_time_text,
    schedule_label_text,
)
from listings.schedules import Rule, describe_rule

T = datetime.time
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def nth(week: int, weekday: int, start=None, end=None) -> Rule:
    return Rule("monthly", weekday, week, start_time=start, end_time=end)


def weekly(weekday: int, start=None, end=None) -> Rule:
    return Rule("weekly", weekday, start_time=start, end_time=end)


def monthday(day: int, start=None, end=None) -> Rule:
    return Rule("monthday", day_of_month=day, start_time=start, end_time=end)


# (開催頻度, 開催曜日, 開催日, 開始, 終了, 特記事項) → rules
CERTAIN = [
    # 開催日
    (("5", "土", "第３土曜日", "10:30", "13:30", ""), [nth(3, SAT, T(10, 30), T(13, 30))]),
    (("3", "水", "毎週水曜日", "18:00", "19:30", ""), [weekly(WED, T(18), T(19, 30))]),
    (("5", "", "毎月12日", "14:00", "19:30", ""), [monthday(12, T(14), T(19, 30))]),
    (
        ("4", "日土", "第２日曜日、第４土曜日", "11:30", "14:00", ""),
        [nth(2, SUN, T(11, 30), T(14)), nth(4, SAT, T(11, 30), T(14))],
    ),
    (
        ("4", "", "毎月第2・4火曜日", "16:30", "18:00", ""),
        [nth(2, TUE, T(16, 30), T(18)), nth(4, TUE, T(16, 30), T(18))],
    ),
    (
        ("", "", "毎月第１第３木曜日", "17:00", "20:00", ""),
        [nth(1, THU, T(17), T(20)), nth(3, THU, T(17), T(20))],
    ),
    (("5", "", "毎月最終土曜日", "11:30", "14:20", ""), [nth(-1, SAT, T(11, 30), T(14, 20))]),
    (
        ("4", "", "第1～3土曜日", "11:30", "14:20", ""),
        [nth(w, SAT, T(11, 30), T(14, 20)) for w in (1, 2, 3)],
    ),
    (("5", "水", "毎月第三水曜日", "", "", ""), [nth(3, WED)]),
    (
        ("3", "火木", "毎月第二火曜日、第四木曜日", "", "", ""),
        [nth(2, TUE), nth(4, THU)],
    ),
    (("2", "月水金", "毎週月、水、金曜日", "", "", ""), [weekly(MON), weekly(WED), weekly(FRI)]),
    (("1", "月", "毎週", "", "非公開", "無し"), [weekly(MON)]),
    # times written in the text: 時, 分, 半, ～ 〜 - and :
    (("", "", "第3水曜日 17時30分～19時30分", "", "", ""), [nth(3, WED, T(17, 30), T(19, 30))]),
    (("", "", "第4土曜日　10時30分～", "", "", ""), [nth(4, SAT, T(10, 30))]),
    (("", "", "第２土曜日 10時〜13時", "", "", ""), [nth(2, SAT, T(10), T(13))]),
    (("", "", "毎週水曜日 17:00-19:00", "", "", ""), [weekly(WED, T(17), T(19))]),
    (("", "", "第１日曜日 11時半～13時", "", "", ""), [nth(1, SUN, T(11, 30), T(13))]),
    (
        ("", "", "毎週月曜・木曜　17時～19時", "", "", ""),
        [weekly(MON, T(17), T(19)), weekly(THU, T(17), T(19))],
    ),
    (
        ("", "", "第2火曜・第4木曜　14時～", "", "", ""),
        [nth(2, TUE, T(14)), nth(4, THU, T(14))],
    ),
    # 開催時間 columns in full width
    (("", "", "第２金曜日", "１６：００", "１８：３０", ""), [nth(2, FRI, T(16), T(18, 30))]),
    # 開催頻度 as text (the Tokyo welfare bureau's rows)
    (("毎月第３木曜日", "", "", "", "", ""), [nth(3, THU)]),
    (("第１、第３火曜日", "", "", "", "", ""), [nth(1, TUE), nth(3, TUE)]),
    (("月2回\n第2・4火曜日", "", "", "", "", ""), [nth(2, TUE), nth(4, TUE)]),
    (("毎月１回（最終の水曜日）", "", "", "", "", ""), [nth(-1, WED)]),
    (("週１回\n（毎週火曜日）", "", "", "", "", ""), [weekly(TUE)]),
    (("週5日\n月～金曜日", "", "", "", "", ""), [weekly(d) for d in range(5)]),
    (("平日毎日", "", "", "", "", ""), [weekly(d) for d in range(5)]),
    (("毎日", "", "", "09:00", "20:00", ""), [weekly(d, T(9), T(20)) for d in range(7)]),
    (("毎月第4金曜日 午後5時から7時まで", "", "", "", "", ""), [nth(4, FRI, T(17), T(19))]),
    # 開催日時特記事項 that is itself the schedule
    (("5", "金", "", "16:00", "19:00", "毎月第２金曜日"), [nth(2, FRI, T(16), T(19))]),
    (("5", "土", "", "", "", "開催日は毎月第1土曜日"), [nth(1, SAT)]),
    (
        ("3", "火金土", "", "", "", "第2火曜日 17：30～　第2金曜日 18：00～　第4土曜日 12：00～"),
        [nth(2, TUE, T(17, 30)), nth(2, FRI, T(18)), nth(4, SAT, T(12))],
    ),
    # 開催曜日 holding a whole schedule
    (
        ("", "毎月第3木曜日第4火曜日", "", "17:00", "20:00", ""),
        [nth(3, THU, T(17), T(20)), nth(4, TUE, T(17), T(20))],
    ),
    # a caveat that does not change the days
    (
        ("5", "土", "第４土曜日", "11:30", "13:00", "変更の場合あり"),
        [nth(4, SAT, T(11, 30), T(13))],
    ),
]

# Uncertain: no rule, the text is kept (the reason is for the report).
UNCERTAIN = [
    ("月1回", "", "", "", "", ""),
    ("月１回", "", "", "", "", ""),
    ("月２回", "", "", "", "", ""),
    ("不定期開催", "", "", "", "", ""),
    ("", "", "不定期開催　10時～", "10:00", "", ""),
    ("", "", "月1回　17時～19時", "17:00", "19:00", ""),
    ("5", "土", "", "11:00", "13:00", ""),  # a weekday, but how often?
    ("3", "水日", "", "", "", ""),
    ("非公開", "", "", "", "", ""),
    ("原則第二・第四金曜日", "", "", "", "", ""),
    ("基本第3水曜日\n(変更あり)", "", "", "", "", ""),
    ("第４または第５土曜日", "", "", "", "", ""),
    ("毎月第3または第４木曜日", "", "", "", "", ""),
    ("毎週木曜日、他", "", "", "", "", ""),
    ("月に2回。隔週土曜日", "", "", "", "", ""),
    ("月二回　月曜日", "", "", "", "", ""),
    ("毎月2回\n日曜日", "", "", "", "", ""),
    ("毎週水曜日・日曜日月2回", "", "", "", "", ""),  # weekly, yet twice a month?
    ("毎週水曜日、　　毎月1回日曜日", "", "", "", "", ""),
    ("月２回程度", "", "", "", "", ""),
    ("毎週６回", "", "", "", "", ""),
    ("", "", "原則第3日曜日（要問合せ）", "11:00", "13:00", ""),
    ("", "", "偶数月の第３土曜日", "", "", ""),
    ("", "", "2ヶ月に1回　第2火曜日　16時～18時", "", "", ""),
    ("", "", "いちごの日と肉の日(15日・29日）", "", "", ""),
    ("", "", "第2水曜日他　15時～17時", "", "", ""),
    ("", "", "毎月第三火曜日とその直後の木曜日", "", "", ""),
    ("", "", "年10回　16時～19時", "", "", ""),
    ("1", "日", "月2", "", "", ""),
    ("毎月第4金曜日(祝日の場合第3）月1回の開催。午後5時から7時まで", "", "", "", "", ""),
    ("1", "土", "", "17:45", "", "変更の場合あり、要問合せ"),
    ("1", "火", "", "17:00", "20:00", "変更する場合あり、前日までに要確認"),
    ("1", "木", "", "17:30", "19:00", "休止中"),
    ("1", "金", "", "17:00", "19:30", "毎月第４または第５金曜日"),
    ("1", "日", "第3日曜日", "11:30", "13:30", "平日も不定期開催"),
    ("5", "土", "第２日曜日", "", "", ""),  # the weekday column says otherwise
    ("", "", "第２土曜日 10時〜13時", "11:00", "13:00", ""),  # times disagree
]


@pytest.mark.parametrize(("cells", "rules"), CERTAIN, ids=lambda v: str(v)[:40])
def test_certain_schedules_become_rules(cells, rules):
    parsed = parse_schedule(*cells)

    assert parsed.status == PARSED, parsed.reason
    assert list(parsed.rules) == rules
    assert parsed.text == schedule_label_text(*cells)


@pytest.mark.parametrize("cells", UNCERTAIN, ids=lambda v: str(v)[:40])
def test_uncertain_schedules_claim_no_date(cells):
    parsed = parse_schedule(*cells)

    # Never a sure rule: at most "this weekday, dates to confirm" (tentative).
    assert parsed.status in (TEXT, WEEKDAY)
    assert all(rule.frequency == "tentative" for rule in parsed.rules)
    assert bool(parsed.rules) == (parsed.status == WEEKDAY)
    assert parsed.reason
    assert parsed.text == schedule_label_text(*cells)
    # Every cell is there as published (only spaces and line breaks folded), but for a bare
    # number in 開催頻度: a code the source does not define is no words for a resident.
    kept = re.sub(r"\s+", "", parsed.text)
    assert all(re.sub(r"\s+", "", cell) in kept for cell in cells[1:])
    if cells[0]:
        shown = re.sub(r"\s+", "", f"開催頻度：{cells[0]}") in kept
        assert shown == (not re.fullmatch(r"[0-9０-９]+", cells[0]))


def tentative(weekday: int | None, start=None, end=None) -> Rule:
    return Rule("tentative", weekday, start_time=start, end_time=end)


# Weekday known, dates not: one tentative rule per weekday the text names (with the times
# when they are clear); a lone 月 or 日 outside the weekday column is a month or a day.
TENTATIVE = [
    (("5", "土", "", "11:00", "13:00", ""), [tentative(SAT, T(11), T(13))]),
    (("1", "土", "", "11:00", "", ""), [tentative(SAT, T(11))]),
    (("3", "水日", "", "", "", ""), [tentative(WED), tentative(SUN)]),
    (("", "", "月1回　土曜日　10時30分～", "10:30", "", ""), [tentative(SAT, T(10, 30))]),
    (("", "", "月１回金曜日　17時30分～", "17:30", "", ""), [tentative(FRI, T(17, 30))]),
    (("毎月2回 日曜日", "", "", "", "", ""), [tentative(SUN)]),
    (("原則第二・第四金曜日", "", "", "", "", ""), [tentative(FRI)]),
    (("毎月第3または第４木曜日", "", "", "", "", ""), [tentative(THU)]),
    (("", "", "偶数月の第３土曜日", "", "", ""), [tentative(SAT)]),
    (
        ("", "", "2ヶ月に1回　第2火曜日　16時～18時", "", "", ""),
        [tentative(TUE, T(16), T(18))],
    ),
    (
        ("", "", "月2回　9時～11時30分", "", "", "夏休み期間は毎週土曜日"),
        [tentative(SAT, T(9), T(11, 30))],
    ),
    (
        ("5", "", "", "11:30", "", "第3土開催。・開催日開催時間以外は表示なし"),
        [tentative(SAT, T(11, 30))],
    ),
    (
        ("1", "火", "", "17:00", "20:00", "変更する場合あり、前日までに要確認"),
        [tentative(TUE, T(17), T(20))],
    ),
    (
        ("1", "日", "第3日曜日", "11:30", "13:30", "平日も不定期開催"),
        [tentative(SUN, T(11, 30), T(13, 30))],
    ),
    (("", "", "月2回 月〜土曜日", "", "", ""), [tentative(d) for d in range(6)]),
    (("", "", "月1回 平日 17時～", "", "", ""), [tentative(d, T(17)) for d in range(5)]),
]
TEXT_ONLY = [
    ("", "", "いちごの日と肉の日(15日・29日）", "", "", ""),
    ("", "", "月1回　17時～19時", "17:00", "19:00", ""),
    ("1", "木", "", "17:30", "19:00", "休止中"),
    ("5", "", "", "12:00", "13:00", ""),
]


@pytest.mark.parametrize(("cells", "rules"), TENTATIVE, ids=lambda v: str(v)[:40])
def test_weekday_known_dates_to_confirm(cells, rules):
    parsed = parse_schedule(*cells)

    assert parsed.status == WEEKDAY
    assert list(parsed.rules) == rules
    assert parsed.text == schedule_label_text(*cells)


@pytest.mark.parametrize("cells", TEXT_ONLY, ids=lambda v: str(v)[:40])
def test_no_weekday_no_rule(cells):
    parsed = parse_schedule(*cells)

    assert (parsed.status, parsed.rules) == (TEXT, ())


def test_more_certain_wording():
    assert parse_schedule("", "", "毎週土曜日 17時～", "", "", "").rules == (weekly(SAT, T(17)),)
    assert parse_schedule("", "", "毎日", "", "", "").rules == tuple(weekly(d) for d in range(7))
    assert parse_schedule("毎週", "土日", "", "", "", "").rules == (weekly(SAT), weekly(SUN))
    assert parse_schedule("", "", "毎週月～土曜日 9時～11時30分", "", "", "").rules == tuple(
        weekly(d, T(9), T(11, 30)) for d in range(6)
    )


def test_a_bare_frequency_code_alone_says_nothing():
    # 開催頻度「5」: a code the source does not define. No rule, and no words to show.
    parsed = parse_schedule("5", "", "", "", "", "")
    assert (parsed.status, parsed.rules, parsed.text) == (NONE, (), "")


def test_nothing_given_is_none():
    assert parse_schedule() == parse_schedule("", "", "", "", "", "")
    assert parse_schedule().status == NONE
    assert parse_schedule().text == ""


def test_text_is_labelled_and_readable_as_published():
    parsed = parse_schedule("５", "土", "第３土曜日", "11:30", "13:30", "雨天中止\r\n8月は休み")

    assert parsed.text == (
        "開催曜日：土\n開催日：第３土曜日\n時間：11:30〜13:30\n特記事項：雨天中止\n8月は休み"
    )


def test_holidays_closed_note():
    parsed = parse_schedule("2", "月", "", "12:00", "13:50", "祝日はお休み")

    assert parsed.holiday_policy == "closed"


def test_end_before_start_keeps_the_start_only():
    parsed = parse_schedule("", "", "第2土曜日", "13:00", "11:00", "")

    assert parsed.rules == (nth(2, SAT, T(13)),)


def test_rules_describe_as_the_site_shows_them():
    parsed = parse_schedule("", "", "第２日曜日、第４土曜日", "11:30", "14:00", "")

    assert [describe_rule(r) for r in parsed.rules] == [
        "毎月 第2 日曜 11:30〜14:00",
        "毎月 第4 土曜 11:30〜14:00",
    ]


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("17:00", T(17)),
        ("9:00", T(9)),
        ("１７：３０", T(17, 30)),
        ("10時", T(10)),
        ("17時30分", T(17, 30)),
        ("11時半", T(11, 30)),
        ("午後5時", T(17)),
        ("非公開", None),
        ("25:00", None),
    ],
)
def test_times(text, time):
    assert parse_time_text(text) == time
