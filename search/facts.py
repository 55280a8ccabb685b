"""What a listing's structured fields *mean*, in the words residents search with (class 3).

The schedule rules, the fee and the booking status are data, not text: 「土曜日」「週末」
「夕食」「中学生 無料」「予約不要」 should find the listings whose data says so even where no
sentence does. ``fact_words`` turns them into a short text indexed in its own field
(search.documents, ``facts``); the same words are what ``understood`` shows the resident.
Rules only, no lists of listings: weekdays from the rules (and 〇曜 in the schedule text),
meal windows from the start and end times, fee words per audience from the fee line the
importers write (「子ども（高校生まで）無料、大人300円」), booking words from the booking status.
"""

from __future__ import annotations

import datetime
import itertools
import re

from django.utils.translation import gettext as _

from .analysis import SynonymTable, normalize, word_keys

WEEKDAYS = "月火水木金土日"
# Meal windows (start, end) → words. Lunch: a start 10:30–12:30, or an earlier start running
# past noon; dinner: a start 16:00–20:00, or open until 19:00 or later.
_T = datetime.time
AUDIENCES = ("幼児", "小学生", "中学生", "高校生", "大人")
CHILDREN = AUDIENCES[:4]
_FEE_PART = re.compile(r"^(?P<who>.+?)(?P<money>無料|\d+円)$")
_WEEKDAY_IN_TEXT = re.compile(r"([月火水木金土日])曜")
# The schedule text the open-data importer writes when it cannot make rules:
# 「開催曜日：金土日」「時間：18:30〜20:00」 (also plain 「17:00～19:00」 in free text).
_WEEKDAY_CELL = re.compile(r"開催曜日[：:]\s*([月火水木金土日・、,／/\s]+)")
_TIME_RANGE = re.compile(r"(\d{1,2})[:：](\d{2})\s*[〜～~\-－]\s*(?:(\d{1,2})[:：](\d{2}))?")
# Booking online: a form, a site, LINE — not e-mail, which residents do not call ネット予約.
_ONLINE = re.compile(
    r"フォーム|form|google|グーグル|http|web|ウェブ|ネット|ホームページ|HP|サイト|line", re.I
)


def fact_words(
    rules,
    schedule_text: str = "",
    fee: str = "",
    booking: str = "",
    how_to_join: str = "",
    where: str = "",
    schedule_note: str = "",
    conditions: str = "",
    venue: str = "",
) -> str:
    words: list[str] = []
    words += place_kind_words(where)
    words += shop_words(venue)
    words += schedule_words(rules, schedule_text)
    words += fee_words(fee)
    if _SENIOR_FEE.search(fee or ""):
        # A price for 「70歳以上」 says older people come too.
        words += ["高齢者", "シニア"]
    words += booking_words(booking, how_to_join, f"{schedule_text} {schedule_note}", conditions)
    return " ".join(dict.fromkeys(words))


_SENIOR_FEE = re.compile(r"(?<!\d)[6-9]\d歳以上")


def schedule_words(rules, text: str = "") -> list[str]:
    words: list[str] = []
    days: set[int] = set()
    weekly: set[int] = set()
    monthly = 0
    for rule in rules:
        if rule.weekday is not None:
            days.add(rule.weekday)
            if rule.frequency == "weekly":
                weekly.add(rule.weekday)
            if rule.frequency == "monthly" and rule.week_of_month:
                monthly += 1
                nth = "最終" if rule.week_of_month == -1 else f"第{rule.week_of_month}"
                # Both spellings, as for plain weekdays: 第3土曜日, 第3土曜.
                words += [f"{nth}{WEEKDAYS[rule.weekday]}曜日", f"{nth}{WEEKDAYS[rule.weekday]}曜"]
        words += time_words(rule.start_time, rule.end_time, rule.weekday)
    text = text or ""
    days |= {WEEKDAYS.index(d) for d in _WEEKDAY_IN_TEXT.findall(text)}
    for cell in _WEEKDAY_CELL.findall(text):
        days |= {WEEKDAYS.index(d) for d in cell if d in WEEKDAYS}
    if not any(rule.start_time for rule in rules):
        weekday = min(days) if days else None
        for h1, m1, h2, m2 in _TIME_RANGE.findall(text)[:3]:
            if int(h1) > 23 or (h2 and int(h2) > 23):
                continue
            start = _T(int(h1), int(m1))
            end = _T(int(h2), int(m2)) if h2 else None
            words += time_words(start, end, weekday)
    for day in sorted(days):
        words += [f"{WEEKDAYS[day]}曜日", f"{WEEKDAYS[day]}曜"]
    if days & {5, 6}:
        words.append("週末")
    if days & {0, 1, 2, 3, 4}:
        words.append("平日")
    if weekly:
        words.append("毎週")
    if len(weekly) >= 5 or len(days) >= 5 or "毎日" in text:
        # Five or more days a week, weekly or with the weeks to be confirmed, is 毎日 as
        # residents say it (平日毎日).
        words.append("毎日")
    if monthly == 2:
        words.append("月2回")
    return words


def time_words(start, end, weekday=None) -> list[str]:
    if start is None:
        return []
    words: list[str] = []
    if start < _T(9, 30) and (end is None or end <= _T(11)):
        # A morning session; a place open 9:00–20:00 does not serve breakfast for that.
        words += ["朝", "朝ごはん"]
    if _T(10, 30) <= start <= _T(12, 30) or (start < _T(10, 30) and end and end > _T(12)):
        words += ["ランチ", "昼食", "昼"]
    late = end is not None and end >= _T(19)
    if _T(16) <= start <= _T(20) or (start >= _T(15) and end and end >= _T(18)) or late:
        words += ["夕食", "晩ごはん", "夕方"]
    if start >= _T(17) or late:
        words.append("夜")
    if weekday is not None and weekday < 5 and _T(14) <= start <= _T(18):
        words.append("放課後")
    return words


_FREE_FOR_ALL = re.compile(r"^無料(?:$|または|又は|・|（|\()")
# Audience names as the fee columns spell them: こども / 子供 / おとな / 大人.
_AUDIENCE_SPELLINGS = (("こども", "子ども"), ("子供", "子ども"), ("おとな", "大人"))


def _audience_spelling(text: str) -> str:
    for variant, name in _AUDIENCE_SPELLINGS:
        text = text.replace(variant, name)
    return text


def fee_words(fee: str) -> list[str]:
    """「子ども（高校生まで）無料、大人300円」 → 幼児無料 … 大人300円 子ども無料 大人有料 …"""
    if not fee:
        return []
    first = fee.split("。")[0]
    money_of: dict[str, str] = {}
    if _FREE_FOR_ALL.match(first.strip()):  # 「無料」「無料または寄付」: no audience named
        money_of = dict.fromkeys(AUDIENCES, "無料")
    for part in re.split(r"[、,]", first):
        match = _FEE_PART.match(_audience_spelling(part.strip()))
        if not match:
            continue
        who, money = match["who"].rstrip(":："), match["money"]
        audiences: tuple[str, ...] = ()
        for name in who.split("・"):
            if name.startswith("どなたも"):
                audiences += AUDIENCES
            elif name.startswith("子ども"):
                audiences += CHILDREN
            elif name in AUDIENCES:
                audiences += (name,)
        for audience in audiences:
            money_of[audience] = money
    if not money_of:
        return ["参加費"] if "円" in fee or "無料" in fee else []
    words = ["参加費"]
    for audience, money in money_of.items():
        words.append(f"{audience}{money}")
        if money == "無料":
            words.append(f"{audience}0円")
    children = [money_of[a] for a in CHILDREN if a in money_of]
    if children and all(m == "無料" for m in children):
        words += ["子ども無料", "無料"]
    amounts = [0 if m == "無料" else int(m[:-1]) for m in children]
    if amounts and max(amounts) <= 100:
        words.append("安い")
    adult = money_of.get("大人")
    if adult == "無料":
        words.append("大人も無料")
    elif adult:
        words.append("大人有料")
    return words


# Booking facts read from the booking columns' own wording, clause by clause, so a negation
# is read as one: 「予約不要」「会食は不要」「予約なし」 say no booking is needed (for at least part
# of what is offered), 「事前予約」「要予約」 that it is, 「先着順」 that one just turns up,
# 「利用登録」「事前登録」 that one registers first. A clause never counts both ways.
_CLAUSES = re.compile(r"[。；;\n]+")
_LABEL = re.compile(r"^\s*(?:予約方法|予約について|予約)\s*[：:]\s*")
_NOT_NEEDED = re.compile(
    r"(?:予約|申込み?|申し込み)(?:は|も)?(?:不要|なし|無し|いらない|いりません|必要(?:は)?ありません)"
    r"|^(?:不要|なし|無し)$|(?:は|も)不要$|当日参加(?:可|でき|OK)"
)
_NEEDED = re.compile(
    r"要予約|予約制|事前予約|予約(?:が)?必要|要申込|事前(?:申込|申し込み)|申し?込み?(?:が)?必要"
)
_WALK_IN = re.compile(r"先着順?|直接(?:会場に?)?(?:お越し|来場|来て)|当日参加(?:可|でき|OK)")
_REGISTER = re.compile(r"登録")
# A deadline: 「前日17:00まで」「開催日の2日前までに」「水曜日までに」「正午まで」「締切」.
_DEADLINE = re.compile(
    r"締め?切|(?:前日|当日|日前|曜日?|正午|\d{1,2}[:：時]\d{0,2}|午[前後]\d+時頃?|日中)(?:まで|迄)"
)
DEADLINE_WORDS = ["予約締切", "締切", "締め切り"]
# In the other text columns (参加条件, 備考, the description) only what names booking outright:
# 「予約制」「(要予約)」「予約不要」 — never 「…は不要」, which there may be about anything.
_SAYS_NOT_NEEDED = re.compile(
    r"(?:予約|申込み?|申し込み)(?:は|も)?(?:不要|なし|無し|いらない|いりません)"
)
_SAYS_NEEDED = re.compile(
    r"(?:要予約|予約制|予約(?:が)?必要|申し?込み?(?:が)?必要)(?!では|じゃ|ありません)"
)
# A wish or a first-time rule is not a requirement: 「なるべく事前予約」「初回のみ予約必要」.
_HEDGED = re.compile(r"なるべく|できれば|出来れば|初回のみ|優先")
# No booking means one can simply come: 「直接来てください」 asks for these too.
NOT_NEEDED_WORDS = ["予約不要", "予約なし", "申込不要", "当日参加", "直接来場"]
NEEDED_WORDS = ["要予約", "予約制", "事前申込", "予約が必要"]
WALK_IN_WORDS = ["当日参加", "先着順", "直接来場"]
REGISTER_WORDS = ["登録制", "事前登録", "利用登録"]


def booking_clauses(text: str) -> list[str]:
    """The booking clauses of 「予約方法：…」「予約について：…」 or free text (the fee notes the
    importer appends as 「参加費について：…」 are not about booking)."""
    clauses = []
    for line in (text or "").splitlines():
        if line.startswith("参加費について"):
            continue
        clauses += [c.strip() for c in _CLAUSES.split(_LABEL.sub("", line)) if c.strip()]
    return clauses


def booking_words(
    booking: str, how_to_join: str = "", schedule_text: str = "", conditions: str = ""
) -> list[str]:
    """Booking facts: from the booking status, the booking columns' wording, then what the
    other text columns (``conditions``) say outright."""
    words: list[str] = []
    if booking == "required":
        words += NEEDED_WORDS
    elif booking == "not_required":
        words += NOT_NEEDED_WORDS
    for clause in booking_clauses(how_to_join):
        if _NOT_NEEDED.search(clause):
            words += NOT_NEEDED_WORDS
        elif (_NEEDED.search(clause) or _DEADLINE.search(clause)) and not _HEDGED.search(clause):
            # A booking deadline (「前日17:00まで」) says booking is needed.
            words += NEEDED_WORDS
        if _WALK_IN.search(clause):
            words += WALK_IN_WORDS
        if _REGISTER.search(clause):
            words += REGISTER_WORDS
        if _DEADLINE.search(clause):
            words += DEADLINE_WORDS
    for clause in _CLAUSES.split(conditions or ""):
        if _SAYS_NOT_NEEDED.search(clause):
            words += NOT_NEEDED_WORDS
        elif _SAYS_NEEDED.search(clause):
            words += NEEDED_WORDS
    if _WALK_IN.search(schedule_text or ""):
        words += WALK_IN_WORDS
    if any(_ONLINE.search(clause) for clause in booking_clauses(how_to_join)):
        words.append("ネット予約")
    return list(dict.fromkeys(words))


_MEAL_WORDS = {
    "朝",
    "朝ごはん",
    "朝食",
    "ランチ",
    "昼食",
    "昼",
    "昼ごはん",
    "夕食",
    "晩ごはん",
    "夕方",
    "夜",
}
_DAY_WORDS = {"週末", "平日", "毎週", "毎日", "月2回", "放課後"}
_FEE_WORD = re.compile(r"無料|\d+円|安い|有料|参加費|free")
_BOOKING_WORD = re.compile(r"予約|申込|申し込み|当日参加|reservation|booking")


def meaning(word: str) -> str:
    """What a query word was read as, for 「次のように読み取りました」 ("" when nothing)."""
    if (
        _WEEKDAY_IN_TEXT.search(word)
        or word in _DAY_WORDS
        or re.fullmatch(r"[月火水木金土日]", word)
    ):
        return _("「%(word)s」→ 開催日") % {"word": word}
    if word in _MEAL_WORDS:
        return _("「%(word)s」→ 開催の時間帯") % {"word": word}
    if _FEE_WORD.search(word):
        return _("「%(word)s」→ 参加費") % {"word": word}
    if _BOOKING_WORD.search(word):
        return _("「%(word)s」→ 予約") % {"word": word}
    return ""


# Who runs it or where it is held, told by how Japanese names end: 〇〇寺 is a temple (not
# 寺子屋), 〇〇教会 a church, 〇〇神社 a shrine — religious bodies (宗教法人); a 〇〇小学校,
# 〇〇高校, 〇〇大学, 〇〇学園 is a school.
_TEMPLE = re.compile(r"[\u4e00-\u9fff]寺(?!子)|おてら|お寺")
_CHURCH = re.compile(r"教会|チャーチ")
_SHRINE = re.compile(r"神社")
_SCHOOL = re.compile(r"小学校|中学校|高等学校|高校|大学|学園")
# A 〇〇塾 or 寺子屋 is a place to study (the other way round does not hold: not every study
# place is a 塾, so 塾 is not a synonym of 学習支援).
# A 塾 named after food (ごはん塾, 野菜塾, 料理塾) is a cooking class.
_STUDY = re.compile(r"(?<!ごはん)(?<!ご飯)(?<!料理)(?<!野菜)(?<!食)塾(?!生)|寺子屋|てらこや")
# A shop, café or restaurant (not 食堂 or キッチン, which every 子ども食堂 name says).
_SHOP = re.compile(
    r"店|商店|カフェ|cafe|café|喫茶|珈琲|コーヒー|レストラン|居酒屋|ビストロ|ダイニング|バル(?![ー])"
    r"|ベーカリー|パン屋|八百屋|[^部]屋$",
    re.I,
)


def place_kind_words(text: str) -> list[str]:
    """「…宗福寺」 → お寺 寺院 宗教法人; 「…教会」 → 教会 宗教法人; 「…小学校」 → 学校."""
    if not text:
        return []
    words: list[str] = []
    if _TEMPLE.search(text):
        words += ["お寺", "寺院", "宗教法人"]
    if _CHURCH.search(text):
        words += ["教会", "宗教法人"]
    if _SHRINE.search(text):
        words += ["神社", "宗教法人"]
    if _SCHOOL.search(text):
        words.append("学校")
    if _STUDY.search(text):
        words += ["学習支援", "勉強"]
    return words


def shop_words(venue: str) -> list[str]:
    """「…居酒屋はまどおり」 → お店 飲食店: held in (or run by) a shop, café or restaurant. Read
    from the building part of the address and the organiser only — a name with カフェ in it is
    usually a style, not a shop."""
    if any(_SHOP.search(part) for part in (venue or "").split()):
        return ["お店", "飲食店"]
    return []


_UP_TO_NUMBERS = re.compile(r"^.*?[0-9０-９][0-9０-９\-－‐ー−番地号丁目の]*")


def address_after_number(address: str) -> str:
    """The building part of an address (方書): 「北馬込2-5-5宗福寺」 → 「宗福寺」."""
    match = _UP_TO_NUMBERS.match(address or "")
    return (address or "")[match.end() :] if match else ""


# Facts beat mentions: each fact word is also indexed whole (``f:予約不要``) and by its synonym
# groups (``f:#12``), so a query word or two adjacent words that name a fact (「予約不要」「中学生
# 無料」「土曜」) can tell the listings whose data says so from those whose text only mentions
# the word (「予約」 in one sentence, 「不要」 in another). The engine adds FACT_BONUS for them.
FACT_PREFIX = "f:"


def fact_keys(word: str, synonyms: SynonymTable | None = None) -> set[str]:
    key = normalize(word).replace(" ", "")
    if not key:
        return set()
    keys = {FACT_PREFIX + key}
    if synonyms is not None:
        keys |= {f"{FACT_PREFIX}#{g}" for g in synonyms.lookup(*word_keys(word))}
    return keys


def fact_postings(facts_text: str, synonyms: SynonymTable | None, weight: float) -> dict:
    return {key: weight for word in facts_text.split() for key in fact_keys(word, synonyms)}


def query_fact_candidates(chunks: list[str]) -> list[str]:
    """The query's words and each pair of adjacent words run together (「中学生 無料」)."""
    chunks = [c for c in chunks if c]
    pairs = [a + b for a, b in itertools.pairwise(chunks)]
    return list(dict.fromkeys(chunks + pairs))
