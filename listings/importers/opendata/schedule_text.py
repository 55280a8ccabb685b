"""Japanese schedule text → schedule rules, only where the meaning is certain.

Open data writes when a place is open as text: 「第３土曜日」「毎月第2・4火曜日」
「毎週月、水、金曜日」「月1回　17時～19時」「原則第二・第四金曜日」. ``parse_schedule`` turns
such text into ``Rule`` values (the shape the importers write as ``ScheduleRule`` rows)
when every part of the text is understood and the parts agree with each other; otherwise it
returns no rule at all and says why. The original text is always returned too
(``ParsedSchedule.text``), to be shown to residents as published.

What is understood (after NFKC, so full-width digits and ～ work; 一〜九 count as digits):

- 第N曜日 in any list form: 第３土曜日, 第2・4火曜日, 第１第３木曜日, 第1～3土曜日,
  第二・第四金曜日, 第２日曜日、第４土曜日, 第2火曜・第4木曜 (each with or without 毎月);
- 最終X曜日 / 最終のX曜日; 毎月N日 (and 毎月N日・M日);
- 毎週X曜日 with lists and ranges (毎週月、水、金曜日, 毎週火曜日～木曜日), 毎日, 平日毎日;
- times: 17:00-19:00, 10時～13時, 11時半～, 15時50分～17時30分, 午後5時から7時まで;
- counts that confirm the days: 月2回 + 第2・4火曜日, 週1回 + 毎週火曜日, 週5日 + 月～金曜日;
- a weekday column (開催曜日 「土」「月水金」) must name exactly the weekdays of the rules; with
  「毎週」 it makes weekly rules.

Anything else left in the text (原則, 程度, 不定期, または, 他, 隔週, 偶数月の, (要問合せ), a bare
number such as 開催頻度 「5」 whose meaning the source does not define) means no rule.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from ...schedules import LAST_WEEK, TENTATIVE, Rule
from ...vocabulary import WEEKDAY_NAMES, HolidayPolicy
from .cleaning import multi_line, one_line

PARSED = "parsed"  # rules written
WEEKDAY = "weekday"  # weekday known, dates to confirm (tentative rules)
TEXT = "text"  # schedule given only as text (no rule)
NONE = "none"  # no schedule information at all

_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_TILDES = str.maketrans({c: "~" for c in "〜～∼\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"})

_W = r"(?:[火水木金土日]|月(?![0-9に]))"  # 月 followed by a number or に is "month"
_SUFFIX = r"(?:曜日|曜)?"
_SEP = r"(?:[・、,/と]|および|及び)"
_W_ITEM = rf"{_W}{_SUFFIX}(?:\s*~\s*{_W}{_SUFFIX})?"
_W_LIST = rf"{_W_ITEM}(?:\s*{_SEP}?\s*{_W_ITEM})*"
_NTH_LIST = r"第\s*[1-5](?:\s*(?:[・、,と~])?\s*(?:第\s*)?[1-5])*"
_TIME = r"(?:午前|午後)?\s*\d{1,2}\s*(?::\s*\d{2}|時(?:\s*\d{1,2}\s*分|\s*半)?)"

_TOKENS = re.compile(
    "|".join(
        [
            rf"(?P<time>(?P<t1>{_TIME})(?:\s*(?:~|から)\s*(?P<t2>{_TIME})?\s*(?:まで)?)?)",
            rf"(?P<nth>(?:毎月\s*)?(?P<weeks>{_NTH_LIST})\s*の?\s*(?P<nth_day>{_W}){_SUFFIX})",
            rf"(?P<last>(?:毎月\s*)?最終\s*の?\s*(?P<last_day>{_W}){_SUFFIX})",
            r"(?P<monthday>毎月\s*(?P<days>\d{1,2}\s*日(?:\s*(?:[・、,と]|及び)\s*\d{1,2}\s*日)*))",
            r"(?P<per_month>(?:毎月|月に?)\s*(?P<month_count>\d{1,2})\s*回)",
            r"(?P<per_week>(?:毎週|週に?)\s*(?P<week_count>\d)\s*(?:回|日))",
            rf"(?P<weekly>毎週\s*(?P<weekly_days>{_W_LIST}))",
            r"(?P<weekdays_daily>平日\s*毎日|毎平日)",
            r"(?P<daily>毎日)",
            r"(?P<every_week>毎週)",
            r"(?P<weekdays>平日)",
            rf"(?P<bare>{_W_LIST})",
            r"(?P<filler>開催日は|開催日|開催|実施|です|および|及び)",
        ]
    )
)
# What may be left between understood parts: spaces and punctuation only.
_LEFTOVER_OK = re.compile(r"^[\s、,・/。.()「」\[\]:;と]*$")
# Words in a 特記事項 that make an otherwise clear schedule uncertain.
_DOUBT = re.compile(
    r"休止|休業|中止|終了|不定|要確認|要問|問い?合わ?せ|または|もしくは|隔週|偶数月|奇数月|"
    r"祝日の場合|変動|未定|予定"
)
_HOLIDAYS_CLOSED = re.compile(r"祝日(?:・[^はも]+)?(?:は)?(?:お)?休み|祝日休|祝日を除く|祝日は除く")
# Words that say the place is not running now: not even a tentative weekday.
_STOPPED = re.compile(r"休止|休業|中止|終了|閉鎖")
_UNPUBLISHED = {"非公開", "なし", "無し", "-", "未定"}
_BARE_NUMBER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ParsedSchedule:
    rules: tuple[Rule, ...]
    text: str  # the original text, labelled and readable
    status: str  # PARSED | TEXT | NONE
    reason: str = ""  # why no rule (TEXT), for reports
    holiday_policy: str = ""


@dataclass
class _Reading:
    """What one piece of text says; ``leftover`` is what was not understood."""

    rules: list[Rule] = field(default_factory=list)
    weekdays: set[int] = field(default_factory=set)  # weekdays named without a frequency
    every_week: bool = False  # 「毎週」 with no weekday of its own
    month_count: int | None = None
    week_count: int | None = None
    times: list[tuple[datetime.time | None, datetime.time | None]] = field(default_factory=list)
    leftover: str = ""

    @property
    def understood(self) -> bool:
        return not self.leftover


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_KANJI_DIGITS).translate(_TILDES)
    text = re.sub(r"(?<=\d)ー(?=\d)", "~", text)
    return re.sub(r"\s+", " ", text).strip()


def read_text(text: str) -> _Reading:
    """Understand one piece of schedule text (one cell) as far as it goes.

    A time range belongs to the days written just before it
    (「第2火曜日 17:30～ 第2金曜日 18:00～」), or to the days just after it when it comes first.
    """
    reading = _Reading()
    text = normalise(text)
    leftover: list[str] = []
    position = 0
    untimed: list[int] = []  # indexes of rules written since the last time range
    time_first: tuple | None = None
    for match in _TOKENS.finditer(text):
        leftover.append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup or "filler"
        if kind == "time":
            span = _time_range(match["t1"], match["t2"])
            if span is None:
                leftover.append(match[0])
                continue
            reading.times.append(span)
            if untimed:
                _set_times(reading.rules, untimed, span)
                untimed = []
            else:
                time_first = span
            continue
        new_rules = _rules_of(kind, match, reading)
        indexes = list(range(len(reading.rules), len(reading.rules) + len(new_rules)))
        reading.rules.extend(new_rules)
        if time_first and new_rules:
            _set_times(reading.rules, indexes, time_first)
            time_first = None
        else:
            untimed.extend(indexes)
    leftover.append(text[position:])
    rest = "".join(leftover)
    reading.leftover = "" if _LEFTOVER_OK.match(rest) else rest.strip()
    return reading


def _set_times(rules: list[Rule], indexes: list[int], span: tuple) -> None:
    for index in indexes:
        rules[index] = rules[index].with_times(span[0], span[1])


def _rules_of(kind: str, match: re.Match, reading: _Reading) -> list[Rule]:
    if kind == "nth":
        weekday = WEEKDAY_NAMES.index(match["nth_day"])
        return [Rule("monthly", weekday, week) for week in _weeks(match["weeks"])]
    if kind == "last":
        return [Rule("monthly", WEEKDAY_NAMES.index(match["last_day"]), LAST_WEEK)]
    if kind == "monthday":
        days = [int(d) for d in re.findall(r"\d+", match["days"])]
        if not all(1 <= d <= 31 for d in days):
            reading.leftover += match[0]
            return []
        return [Rule("monthday", day_of_month=d) for d in days]
    if kind == "weekly":
        return [Rule("weekly", d) for d in _weekday_list(match["weekly_days"])]
    if kind == "weekdays_daily":
        return [Rule("weekly", d) for d in range(5)]
    if kind == "daily":
        return [Rule("weekly", d) for d in range(7)]
    if kind == "per_month":
        reading.month_count = int(match["month_count"])
    elif kind == "per_week":
        reading.week_count = int(match["week_count"])
    elif kind == "every_week":
        reading.every_week = True
    elif kind == "weekdays":
        reading.weekdays |= set(range(5))
    elif kind == "bare":
        reading.weekdays |= set(_weekday_list(match["bare"]))
    return []


def _weeks(text: str) -> list[int]:
    """第1～3 → 1, 2, 3; 第2・4 / 第2第4 / 第２、第４ → 2, 4."""
    weeks: list[int] = []
    for first, last in re.findall(r"([1-5])(?:\s*~\s*(?:第\s*)?([1-5]))?", text):
        start, end = int(first), int(last or first)
        weeks.extend(range(start, end + 1) if end >= start else [start, end])
    return list(dict.fromkeys(weeks))


def _weekday_list(text: str) -> list[int]:
    """月、水、金曜日 → 0, 2, 4; 月～金 → 0..4; 火木 → 1, 3."""
    days: list[int] = []
    names = "".join(WEEKDAY_NAMES)
    pattern = rf"([{names}])(?:曜日|曜)?(?:\s*~\s*([{names}])(?:曜日|曜)?)?"
    for first, last in re.findall(pattern, text):
        start = WEEKDAY_NAMES.index(first)
        if last:
            end = WEEKDAY_NAMES.index(last)
            days.extend(range(start, end + 1) if end >= start else [start, end])
        else:
            days.append(start)
    return list(dict.fromkeys(days))


def parse_time_text(text: str) -> datetime.time | None:
    """17:00 / 17時 / 17時30分 / 11時半 / 午後5時 → a time (None when not a valid time)."""
    text = normalise(text).replace(" ", "")
    match = re.fullmatch(r"(午前|午後)?(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)", text)
    if not match:
        return None
    half, hour = match[1], int(match[2])
    minute = int(match[3] or match[4] or (30 if match[5] else 0))
    if half == "午後" and hour < 12:
        hour += 12
    if hour == 24 and minute == 0:
        hour, minute = 23, 59
    try:
        return datetime.time(hour, minute)
    except ValueError:
        return None


def _time_range(first: str, second: str | None) -> tuple | None:
    start = parse_time_text(first)
    if start is None:
        return None
    end = parse_time_text(second) if second else None
    if second and end is None:
        return None
    if end and end <= start and "午" not in second and start.hour >= 12 and end.hour < 12:
        # 午後5時から7時まで: the end shares the start's 午後.
        end = end.replace(hour=end.hour + 12)
    return start, end


# --- a whole row -------------------------------------------------------------------------------


def schedule_label_text(
    frequency: str = "",
    weekdays: str = "",
    days: str = "",
    start: str = "",
    end: str = "",
    note: str = "",
) -> str:
    """The original cells as readable, labelled lines (what residents see as 元の表記).

    A bare number in 開催頻度 (「5」) is a code the source does not define: it says nothing a
    resident can read, so it is left out rather than shown as 「開催頻度：5」."""
    lines = []
    for label, value in (("開催頻度", frequency), ("開催曜日", weekdays), ("開催日", days)):
        if label == "開催頻度" and _BARE_NUMBER.match(normalise(value or "")):
            continue
        if one_line(value):
            lines.append(f"{label}：{one_line(value)}")
    start, end = one_line(start), one_line(end)
    if start or end:
        lines.append(f"時間：{start}〜{end}" if start else f"時間：〜{end}")
    note = multi_line(note)
    if note:
        lines.append(f"特記事項：{note}")
    return "\n".join(lines)


def parse_schedule(
    frequency: str = "",
    weekdays: str = "",
    days: str = "",
    start: str = "",
    end: str = "",
    note: str = "",
) -> ParsedSchedule:
    """開催頻度, 開催曜日, 開催日, 開催開始時間, 開催終了時間, 開催日時特記事項 → rules or none."""
    text = schedule_label_text(frequency, weekdays, days, start, end, note)
    holiday = HolidayPolicy.CLOSED if _HOLIDAYS_CLOSED.search(normalise(note)) else ""
    if not text:
        return ParsedSchedule((), "", NONE)
    rules, reason = _rules_for(frequency, weekdays, days, start, end, note)
    if not rules:
        tentative = _tentative_rules(frequency, weekdays, days, start, end, note)
        if tentative:
            return ParsedSchedule(tuple(tentative), text, WEEKDAY, reason, holiday)
        return ParsedSchedule((), text, TEXT, reason, holiday)
    return ParsedSchedule(tuple(rules), text, PARSED, "", holiday)


def _tentative_rules(
    frequency: str, weekdays: str, days: str, start: str, end: str, note: str
) -> list[Rule]:
    """When the dates are not certain but the weekdays are named (開催曜日「土」 with a bare
    frequency code, 月1回 土曜日, 原則第2・4金曜日, 第4または第5金曜日, 2ヶ月に1回 第2火曜日):
    one tentative rule per weekday that the text names, with the times when they are clear.
    Nothing when the text says the place is not running (休止中, 終了…) or names no weekday."""
    columns = [_meaningful(v) for v in (frequency, days, weekdays, note)]
    pieces = [p for p in columns if p]
    if not pieces or any(_STOPPED.search(p) for p in pieces):
        return []
    named: set[int] = set()
    readings = []
    for index, piece in enumerate(columns):
        if not piece:
            continue
        reading = read_text(piece)
        readings.append(reading)
        named |= {r.weekday for r in reading.rules if r.weekday is not None}
        if index == 2:  # 開催曜日 is a weekday column: 「土」「月水金」 are weekdays
            named |= reading.weekdays
            continue
        # Elsewhere a lone 月 or 日 is a month or a day (偶数月の, 肉の日): only 曜 says weekday.
        for match in re.finditer(_W_LIST, normalise(piece)):
            if "曜" in match[0]:
                named |= set(_weekday_list(match[0]))
        if index < 2 and "平日" in piece:
            named |= set(range(5))
    if not named:
        return []
    rules = [Rule(TENTATIVE, d) for d in sorted(named)]
    column_start = parse_time_text(start) if _meaningful(start) else None
    column_end = parse_time_text(end) if _meaningful(end) else None
    spans = {span for r in readings for span in r.times}
    if column_start or column_end:
        times = (column_start, column_end)
    elif len(spans) == 1:
        times = next(iter(spans))
    else:
        times = (None, None)
    return [_valid_times(r.with_times(*times)) for r in rules]


def _meaningful(value: str) -> str:
    text = normalise(value)
    if not text or text in _UNPUBLISHED or _BARE_NUMBER.match(text):
        return ""
    return text


def _rules_for(
    frequency: str, weekdays: str, days: str, start: str, end: str, note: str
) -> tuple[list[Rule], str]:
    pieces = [_meaningful(frequency), _meaningful(days), _meaningful(weekdays)]
    readings = [read_text(piece) for piece in pieces if piece]
    note_text = _meaningful(note)
    if note_text:
        note_reading = read_text(note_text)
        if note_reading.understood and note_reading.rules:
            # The note is itself a schedule (「毎月第２金曜日」「開催日は毎月第1土曜日」).
            readings.append(note_reading)
        elif _DOUBT.search(note_text):
            return [], "特記事項に不確かな表記"
    if not readings:
        return [], "曜日・日付の記載なし"
    not_understood = [r.leftover for r in readings if not r.understood]
    if not_understood:
        return [], f"読み取れない表記「{not_understood[0][:20]}」"
    if any(_DOUBT.search(piece) for piece in pieces if piece):
        return [], "不確かな表記"

    rules = list(dict.fromkeys(rule for r in readings for rule in r.rules))
    named = set().union(*(r.weekdays for r in readings))
    month_counts = {r.month_count for r in readings if r.month_count is not None}
    week_counts = {r.week_count for r in readings if r.week_count is not None}
    every_week = any(r.every_week for r in readings)
    if not rules and named and (every_week or week_counts == {len(named)}):
        rules = [Rule("weekly", d) for d in sorted(named)]
    if not rules:
        if month_counts or week_counts:
            return [], "回数だけで曜日・日付が決まらない"
        return [], "曜日だけで頻度が分からない"

    by_weekday = {r.weekday for r in rules if r.weekday is not None}
    if named and named != by_weekday:
        return [], "曜日の記載が食い違う"
    weekly = [r for r in rules if r.frequency == "weekly"]
    monthly = [r for r in rules if r.frequency in ("monthly", "monthday")]
    if month_counts and (weekly or month_counts != {len(monthly)}):
        return [], "回数と曜日・日付が合わない"
    if week_counts and (monthly or week_counts != {len(weekly)}):
        return [], "回数と曜日が合わない"
    return _with_times(rules, readings, start, end)


def _with_times(
    rules: list[Rule], readings: list[_Reading], start: str, end: str
) -> tuple[list[Rule], str]:
    column_start = parse_time_text(start) if _meaningful(start) else None
    column_end = parse_time_text(end) if _meaningful(end) else None
    text_spans = {span for r in readings for span in r.times}
    if column_start or column_end:
        if any(span != (column_start, column_end) for span in text_spans):
            return [], "時間の記載が食い違う"
        rules = [r.with_times(column_start, column_end) for r in rules]
    elif len(text_spans) == 1:
        only_start, only_end = next(iter(text_spans))
        rules = [r if r.start_time else r.with_times(only_start, only_end) for r in rules]
    return [_valid_times(r) for r in rules], ""


def _valid_times(rule: Rule) -> Rule:
    if rule.start_time and rule.end_time and rule.end_time <= rule.start_time:
        return rule.with_times(rule.start_time, None)
    return rule
