"""Look-ups over the Tokyo 子ども食堂 open data, used to judge tokyo_opendata.json.

This never touches the portal: it reads the CSV with the standard library only, so the
judgements come from the rows, not from the search engine.

    python3 devtools/eval/sets/tokyo_opendata_lookup.py "荻窪駅"     # candidates for one query
    python3 devtools/eval/sets/tokyo_opendata_lookup.py --row 123    # one record, every cell
    python3 devtools/eval/sets/tokyo_opendata_lookup.py --status     # skipped rows and duplicates

A look-up only proposes candidates: every one was read, and relevance was decided row by row
(the reasons are in tokyo_opendata.json). Candidate look-ups are deliberately wider than the
answer (variant spellings, neighbouring towns, coordinates), so reading them is what decides.

`row` is the record's position as a spreadsheet shows it: header = 1, first record = 2,
counting CSV records (a cell with line breaks does not add rows).
"""

from __future__ import annotations

import csv
import math
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2].parent / "shared/data/tokyo-kodomo-shokudo"
if not DATA.exists():  # worktrees live beside /work/shared
    DATA = Path("/work/shared/data/tokyo-kodomo-shokudo")
CSV_PATH = DATA / "kodomo_shokudo.csv"
LG_PATH = DATA / "lg_codes.csv"

TEXT_COLS = [
    "名称",
    "名称_カナ",
    "設置目的",
    "実施支援の主な区分",
    "住所",
    "方書",
    "URL",
    "運営団体名",
    "開催頻度",
    "開催曜日",
    "開催日",
    "開催開始時間",
    "開催終了時間",
    "開催日時特記事項",
    "参加条件",
    "参加費_幼児",
    "参加費_小学生",
    "参加費_中学生",
    "参加費_高校生",
    "参加費_大人",
    "参加費特記事項",
    "予約方法",
    "予約特記事項",
    "定員",
    "フードパントリー実施",
    "テイクアウト実施",
    "学区",
    "ネットワークの加入",
    "備考",
]
SCHED = ["開催頻度", "開催曜日", "開催日", "開催開始時間", "開催終了時間", "開催日時特記事項"]
FEES = [
    "参加費_幼児",
    "参加費_小学生",
    "参加費_中学生",
    "参加費_高校生",
    "参加費_大人",
    "参加費特記事項",
]
BOOK = ["予約方法", "予約特記事項"]

# Stations used by "near" queries: coordinates of the station building (WGS84) from a public
# list of Tokyo stations (the Ekistamp project's station seeder), checked against a map from
# memory (all 14 are read from that list). "Near" = within NEAR_KM of the station, or an
# address in the town named after it.
STATIONS = {
    "荻窪": (35.704611, 139.619968),
    "大井町": (35.607123, 139.734574),
    "蒲田": (35.562155, 139.715550),
    "西馬込": (35.587264, 139.706327),
    "亀戸": (35.697587, 139.826090),
    "高島平": (35.788824, 139.661321),
    "祐天寺": (35.637618, 139.691048),
    "中延": (35.605706, 139.712714),
    "荏原中延": (35.609927, 139.711964),
    "国領": (35.650253, 139.558615),
    "石神井公園": (35.743745, 139.606107),
    "ひばりヶ丘": (35.751576, 139.545527),
    "拝島": (35.721132, 139.343657),
    "武蔵五日市": (35.732240, 139.228083),
}
NEAR_KM = 1.0


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "").strip()


def flat(s: str) -> str:
    """NFKC, every kind of whitespace removed: for matching."""
    return re.sub(r"\s+", "", nfkc(s))


def _lg():
    out = {}
    with open(LG_PATH, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["市区町村名"]:
                out[r["団体コード"]] = r["市区町村名"]
    return out


LG = _lg()
BY5 = {code[:5]: code for code in LG}
BYNAME = {name: code for code, name in LG.items()}


def resolve_city(r: dict) -> str:
    """The municipality code, as docs/data.md describes the importer's order."""
    code = flat(r["全国地方公共団体コード"])
    if re.fullmatch(r"\d{5,6}", code):
        return BY5.get(code[:5], code)
    m = re.search(r"/(\d{6})_", r["_取得元URL"])
    if m:
        return BY5.get(m.group(1)[:5], m.group(1))
    if flat(r["市区町村名"]) in BYNAME:
        return BYNAME[flat(r["市区町村名"])]
    if flat(r["_自治体名"]) in BYNAME:
        return BYNAME[flat(r["_自治体名"])]
    addr = re.sub(r"^東京都", "", flat(r["住所"]))
    for name, code in BYNAME.items():
        if addr.startswith(name):
            return code
    return ""


def _addr_key(r: dict, city: str) -> str:
    a = flat(r["住所"])
    a = re.sub(r"^東京都", "", a)
    if city and a.startswith(city):
        a = a[len(city) :]
    a = re.sub(r"(\d+)(丁目|番地|番|号)", r"\1-", a)
    m = re.match(r"^(.*?\d+(?:[-‐−ー－]\d+)*)", a)
    return (m.group(1) if m else a).rstrip("-")


def load():
    with open(CSV_PATH, encoding="utf-8-sig", newline="") as f:
        recs = list(csv.reader(f))
    head = recs[0]
    rows = []
    for i, rec in enumerate(recs[1:], start=2):
        r = dict(zip(head, rec, strict=True))
        r["row"] = i
        r["city_code"] = resolve_city(r)
        r["city"] = LG.get(r["city_code"], "")
        r["all"] = " ".join(flat(r[c]) for c in TEXT_COLS)
        r["town"] = re.sub(r"^東京都", "", flat(r["住所"]))
        if r["city"] and r["town"].startswith(r["city"]):
            r["town"] = r["town"][len(r["city"]) :]
        try:
            r["lat"], r["lon"] = float(nfkc(r["緯度"])), float(nfkc(r["経度"]))
        except ValueError:
            r["lat"] = r["lon"] = None
        r["skip"] = ""
        if not flat(r["名称"]):
            r["skip"] = "no name"
        elif not r["city_code"]:
            r["skip"] = "no municipality"
        elif re.search(r"活動を終了|活動終了", r["all"]):
            r["skip"] = "says it has ended"
        r["dup_of"] = None
        rows.append(r)
    seen = {}
    for r in rows:
        if r["skip"] or not flat(r["住所"]):
            continue
        key = (r["city_code"], flat(r["名称"]).casefold(), _addr_key(r, r["city"]))
        if key in seen:
            r["dup_of"] = seen[key]
        else:
            seen[key] = r["row"]
    return rows


ROWS = load()
BYROW = {r["row"]: r for r in ROWS}


def live(rows=None):
    """Rows that become listings: not skipped, not a later duplicate."""
    return [r for r in (ROWS if rows is None else rows) if not r["skip"] and not r["dup_of"]]


def grep(pattern: str, cols=None, rows=None):
    rx = re.compile(pattern)
    out = []
    for r in live(rows):
        text = r["all"] if cols is None else " ".join(flat(r[c]) for c in cols)
        if rx.search(text):
            out.append(r)
    return out


def city(*names):
    codes = {BYNAME[n] for n in names}
    return [r for r in live() if r["city_code"] in codes]


def town(pattern: str, rows=None):
    rx = re.compile(pattern)
    return [r for r in live(rows) if rx.search(r["town"]) or rx.search(flat(r["方書"]))]


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    dx = (lo2 - lo1) * 111.32 * math.cos(math.radians((la1 + la2) / 2))
    dy = (la2 - la1) * 110.57
    return math.hypot(dx, dy)


def near(station: str, radius=NEAR_KM):
    p = STATIONS[station]
    out = []
    for r in live():
        if r["lat"] is not None:
            d = km(p, (r["lat"], r["lon"]))
            if d <= radius:
                out.append((d, r))
    return [r for d, r in sorted(out, key=lambda t: t[0])]


def cell(r, cols):
    bits = []
    for c in cols:
        v = flat(r[c])
        if v:
            bits.append(f"{c}={v[:90]}")
    return " | ".join(bits)


def show(rows, cols=(), title="", station=None):
    print(f"--- {title} ({len(rows)})")
    for r in sorted(rows, key=lambda r: r["row"]):
        d = f" {km(STATIONS[station], (r['lat'], r['lon'])):.2f}km" if station and r["lat"] else ""
        print(
            f"{r['row']:>4} {r['city']:<6} {flat(r['名称'])[:30]:<30} "
            f"[{r['town'][:22]}]{d} {cell(r, cols)}"
        )


def dump(n: int):
    r = BYROW[n]
    print(
        f"row {n}  city={r['city_code']} {r['city']}  skip={r['skip'] or '-'}  dup_of={r['dup_of']}"
    )
    for c in [*TEXT_COLS, "ID", "緯度", "経度", "_自治体名"]:
        if flat(r[c]):
            print(f"  {c}: {nfkc(r[c])!r}")


def hits(r, pattern, n=3, width=28):
    """Where the pattern occurs in the row, column by column, with some context."""
    rx = re.compile(pattern)
    out = []
    for c in TEXT_COLS:
        v = flat(r[c])
        for m in rx.finditer(v):
            a, b = max(0, m.start() - width), min(len(v), m.end() + width)
            out.append(f"{c}:…{v[a:b]}…")
            break
        if len(out) >= n:
            break
    return " || ".join(out)


def run(q):
    fn = LOOKUPS[q]
    rows = list({r["row"]: r for r in fn()}.values())
    station = next(
        (s for s in STATIONS if q.startswith(s) or (q == "五日市" and s == "武蔵五日市")), None
    )
    hl = getattr(fn, "hl", None)
    if getattr(fn, "cols", None):
        print(f"--- {q} ({len(rows)})")
        for r in sorted(rows, key=lambda r: r["row"]):
            print(f"{r['row']:>4} {r['city']:<5} {flat(r['名称'])[:20]:<20} {cell(r, fn.cols)}")
        return
    if getattr(fn, "sched", False):
        print(f"--- {q} ({len(rows)})")
        for r in sorted(rows, key=lambda r: r["row"]):
            sc = " | ".join(flat(r[c])[:60] for c in SCHED)
            flag = "?" if r.pop("_other", False) else " "
            print(
                f"{r['row']:>4}{flag}{r['city']:<5} {flat(r['名称'])[:20]:<20} "
                f"{''.join(sorted(days(r), key=DAYCH.index)):<7} {sc}"
            )
        return
    if not hl:
        show(rows, ["方書", "運営団体名"], title=q, station=station)
        return
    print(f"--- {q} ({len(rows)})")
    for r in sorted(rows, key=lambda r: r["row"]):
        print(f"{r['row']:>4} {r['city']:<5} {flat(r['名称'])[:24]:<24} {hits(r, hl)}")


def g(pattern, cols=None):
    """A look-up by regex whose matches are shown in context."""
    fn = lambda: grep(pattern, cols)  # noqa: E731
    fn.hl = pattern
    return fn


# --- per-query candidate look-ups (class place) --------------------------------------------
# Each returns candidate rows to read; what is relevant is decided by reading them.
A = ["住所", "方書"]


def _town_or_text(pat):
    """Town in the address (or 方書), or the word anywhere in the row (names often carry it)."""
    rows = {r["row"]: r for r in town(pat)}
    rows.update({r["row"]: r for r in grep(pat)})
    return list(rows.values())


LOOKUPS = {
    "深大寺": lambda: _town_or_text("深大寺"),
    "大泉": lambda: _town_or_text("大泉"),
    "石神井": lambda: _town_or_text("石神井|しゃくじい|シャクジイ"),
    "池袋": lambda: _town_or_text("池袋"),
    "蒲田": lambda: _town_or_text("蒲田|かまた|カマタ"),
    "馬込": lambda: _town_or_text("馬込|まごめ|マゴメ"),
    "糀谷": lambda: _town_or_text("糀谷|麹谷|こうじや|コウジヤ"),
    "恵比寿": lambda: _town_or_text("恵比寿|恵比須|えびす|エビス"),
    "砂町": lambda: _town_or_text("砂町|北砂|南砂|東砂|新砂|西砂"),
    "日暮里": lambda: _town_or_text("日暮里|にっぽり"),
    "吉祥寺": lambda: _town_or_text("吉祥寺|きちじょうじ|キチジョウジ"),
    "常盤台": lambda: _town_or_text("常[盤磐]台|ときわだい|トキワダイ"),
    "和泉 狛江": lambda: [r for r in _town_or_text("和泉|いずみ|イズミ")],
    "荻窪": lambda: _town_or_text("荻窪|荻久保|おぎくぼ|オギクボ|西荻|上荻"),
    "阿佐ヶ谷": lambda: _town_or_text("阿佐|あさがや|アサガヤ"),
    "幡ケ谷": lambda: _town_or_text("幡[ヶケが]?谷|はたがや|ハタガヤ"),
    "光ヶ丘": lambda: _town_or_text("光[ヶケが]?丘|ひかりがおか|ヒカリガオカ"),
    "ひばりヶ丘": lambda: _town_or_text("ひばり|雲雀|ヒバリ"),
    "緑が丘 調布": lambda: _town_or_text("緑[ヶケが]?丘|みどりがおか|ミドリガオカ"),
    "聖が丘": lambda: _town_or_text("聖[ヶケが]?丘|ひじりがおか|ヒジリガオカ"),
    "つつじケ丘": lambda: _town_or_text("つつじ|躑躅|ツツジ"),
    "常磐台": lambda: _town_or_text("常[盤磐]台|ときわだい|トキワダイ"),
    "髙島平": lambda: _town_or_text("[高髙]島平|たかしまだいら|タカシマダイラ"),
    "柳澤": lambda: _town_or_text("柳[沢澤]|やぎさわ|ヤギサワ"),
    "荻久保": lambda: _town_or_text("荻窪|荻久保|おぎくぼ|オギクボ"),
    "恵比須": lambda: _town_or_text("恵比[寿須]|えびす|エビス"),
    "きちじょうじ": lambda: _town_or_text("吉祥寺|きちじょうじ|キチジョウジ"),
    "こうえんじ": lambda: _town_or_text("高円寺|こうえんじ|コウエンジ"),
    "荻窪駅": lambda: near("荻窪", 1.2) + _town_or_text("荻窪"),
    "大井町駅": lambda: near("大井町", 1.2) + _town_or_text("大井"),
    "蒲田駅 子ども食堂": lambda: near("蒲田", 1.2) + _town_or_text("蒲田"),
    "西馬込駅": lambda: near("西馬込", 1.2) + _town_or_text("西馬込"),
    "亀戸駅": lambda: near("亀戸", 1.2) + _town_or_text("亀戸"),
    "高島平駅": lambda: near("高島平", 1.2) + _town_or_text("高島平"),
    "祐天寺駅": lambda: near("祐天寺", 1.2) + _town_or_text("祐天寺"),
    "中延": lambda: near("中延", 1.0) + near("荏原中延", 1.0) + _town_or_text("中延"),
    "国領駅": lambda: near("国領", 1.2) + _town_or_text("国領"),
    "石神井公園駅": lambda: near("石神井公園", 1.2) + _town_or_text("石神井"),
    "ひばりヶ丘駅": lambda: near("ひばりヶ丘", 1.2) + _town_or_text("ひばり"),
    "拝島駅": lambda: near("拝島", 1.5) + _town_or_text("拝島"),
    "五日市": lambda: near("武蔵五日市", 1.5) + _town_or_text("五日市"),
    "ちょうふ": lambda: city("調布市") + _town_or_text("調布"),
    "江東": lambda: city("江東区") + grep("江東"),
    "ねりまく": lambda: city("練馬区"),
    "はちおうじ 子ども食堂": lambda: city("八王子市") + grep("八王子"),
    "あきるの": lambda: city("あきる野市") + grep("あきる|秋留"),
    "日の出町": lambda: city("日の出町") + grep("日の出"),
    "武蔵村山": lambda: city("武蔵村山市") + grep("村山"),
    "世田谷区": lambda: city("世田谷区") + grep("世田谷"),
}


# --- class columns: venue words, remarks, conditions, names, 学区 -----------------------------
LOOKUPS.update(
    {
        "児童館": g("児童館|児童センター|児童会館"),
        "集会所": g("集会所|集会室|会館"),
        "区民センター": g("区民センター|区民活動センター|区民会館|区民館"),
        "地区センター": g("地区センター|地域センター|地区会館|コミュニティセンター"),
        "公民館": g("公民館"),
        "アレルギー": g("アレルギ|アレルゲン|除去食"),
        "ボランティア募集": g("ボランティア|募集|スタッフ"),
        "ボランティア": g("ボランティア|ボランテイア"),
        "寄付": g("寄付|寄附|寄贈|カンパ|募金|ご支援"),
        "休止中": g("休止|中止|休み中|お休み"),
        "コロナ": g("コロナ|感染"),
        "保護者同伴": g("保護者|同伴|付き添|付添|親子"),
        "未就学児": g(
            "未就学|幼児|乳幼児|就学前|園児|赤ちゃん|0歳|０歳|[1-6]歳",
            [c for c in TEXT_COLS if c != "参加費_幼児"],
        ),
        "区内在住": g("在住|在学|在勤|区内|区民"),
        "先着": g("先着|定員|なくなり次第|無くなり次第"),
        "WAKUWAKU": g("(?i)wakuwaku|わくわく|ワクワク"),
        "要町": lambda: _town_or_text("要町|かなめちょう"),
        "だんだん": g("だんだん|ダンダン"),
        "あさやけ子ども食堂": g("あさやけ|朝焼け|アサヤケ"),
        "笹塚小": g("笹塚"),
        "中幡小": g("中幡"),
        "インスタ": g("(?i)instagram|インスタ"),
        "高齢者会館": g("高齢者会館|老人会館|シニア|高齢者センター|老人いこいの家"),
        "野菜": g("野菜|八百屋|やおや"),
    }
)


# --- class when: the six schedule columns (and the name / 備考, which sometimes carry it) ------
WHEN = [*SCHED, "名称", "備考", "参加条件", "予約特記事項"]


def sched(pattern, rows=None):
    fn = lambda: grep(pattern, WHEN, rows)  # noqa: E731
    fn.hl = pattern
    fn.sched = True
    return fn


def timed(lo, hi):
    """Rows whose 開催開始時間 falls in [lo, hi) hours, or whose text has a start time there."""

    def fn():
        out = []
        for r in live():
            t = (
                flat(r["開催開始時間"])
                + " "
                + flat(r["開催日時特記事項"])
                + " "
                + flat(r["開催頻度"])
            )
            for m in re.finditer(r"(\d{1,2})[:時]", t):
                if lo <= int(m.group(1)) < hi:
                    out.append(r)
                    break
        return out

    fn.sched = True
    return fn


def either(*fns):
    def fn():
        rows = {}
        for f in fns:
            rows.update({r["row"]: r for r in f()})
        return list(rows.values())

    fn.sched = True
    fn.hl = "|".join(getattr(f, "hl", "") for f in fns if getattr(f, "hl", ""))
    return fn


DAYCH = "月火水木金土日"


def days(r):
    """Weekdays a row names: the 開催曜日 cell, and weekday words in the schedule text and name."""
    cell = flat(r["開催曜日"])
    out = set()
    t = " ".join(flat(r[c]) for c in ["開催頻度", "開催日", "開催日時特記事項", "名称", "備考"])
    if re.fullmatch(r"[月火水木金土日・、,/]*", cell):
        out |= set(cell) & set(DAYCH)
    else:  # a sentence such as 毎月第3水曜日 in the 曜日 cell
        t = cell + " " + t
    out |= set(re.findall(r"([月火水木金土日])曜", t))
    for m in re.finditer(r"第[0-9一二三四五・,、~～または第]+([月火水木金土日])", t):
        out.add(m.group(1))
    for m in re.finditer(r"(?<![0-9])[月火水木金土日]{2,}", t):
        if m.group(0) not in ("月日",):
            out |= set(m.group(0))
    for m in re.finditer(r"([月火水木金土日])曜?日?[~〜～-]([月火水木金土日])", t):
        a, b = DAYCH.index(m.group(1)), DAYCH.index(m.group(2))
        out |= set(DAYCH[a : b + 1])
    out |= set(re.findall(r"[(（]([月火水木金土日])[)）]", t))
    if re.search(r"平日", t):
        out |= set("月火水木金")
    elif re.search(r"毎日", t):
        out |= set(DAYCH)
    return out


def _hm(h, m):
    return int(h) * 60 + int(m or 0)


def times(r):
    """(start, end) minute pairs a row gives: the time columns, and times written in the text."""
    out = []
    a, b = flat(r["開催開始時間"]), flat(r["開催終了時間"])
    ma = re.match(r"(\d{1,2}):(\d{2})", a)
    mb = re.match(r"(\d{1,2}):(\d{2})", b)
    if ma:
        out.append((_hm(*ma.groups()), _hm(*mb.groups()) if mb else None))
    t = " ".join(flat(r[c]) for c in ["開催頻度", "開催日", "開催日時特記事項"])
    t = re.sub(r"午後(\d{1,2})時", lambda m: f"{int(m.group(1)) + 12}時", t)
    t = re.sub(
        r"から(\d{1,2})時",
        lambda m: f"~{int(m.group(1)) + 12 if int(m.group(1)) < 8 else m.group(1)}時",
        t,
    )
    rx = r"(\d{1,2})(?::|時)(\d{2})?分?\s*[~〜～-]\s*(?:(\d{1,2})(?::|時)(\d{2})?)?"
    for m in re.finditer(rx, t):
        st = _hm(m.group(1), m.group(2))
        en = _hm(m.group(3), m.group(4)) if m.group(3) else None
        if st < 24 * 60:
            out.append((st, en))
    return out


def fmt_times(r):
    return ",".join(
        f"{s // 60}:{s % 60:02d}-" + (f"{e // 60}:{e % 60:02d}" if e else "") for s, e in times(r)
    )


# Meal windows used to propose candidates for time-of-day queries (minutes after midnight).
def lunch(r):
    """A start between 10:30 and 12:30, or an earlier start that runs past 12:00."""
    return any((630 <= s <= 750) or (s < 630 and e and e >= 720) for s, e in times(r))


def dinner(r):
    """A start between 16:00 and 20:00, a 15:00 start running to 18:00, or open until 19:00+."""
    return any(
        (960 <= s <= 1200) or (s >= 900 and e and e >= 1080) or (s < 900 and e and e >= 1140)
        for s, e in times(r)
    )


def afterschool(r):
    """A start between 14:00 and 18:00, or open through 16:00 (with a weekday: 放課後)."""
    return any((840 <= s <= 1080) or (s < 840 and e and e >= 960) for s, e in times(r))


def on_day(d, extra=None):
    """Rows held on weekday d by days(); and rows that only mention d somewhere (to read)."""

    def fn():
        hit = [r for r in live() if d in days(r)]
        seen = {r["row"] for r in hit}
        more = [r for r in grep(extra or d, WHEN) if r["row"] not in seen]
        for r in more:
            r["_other"] = True
        return hit + more

    fn.sched = True
    return fn


SAT, SUN = "土", "日曜|日[・、,/]|[月火水木金土]日$|^日$|日祝|\\(日\\)|\\b日\\b|（日）|\\(日\\)"
LOOKUPS.update(
    {
        "土曜日": on_day("土"),
        "日曜": on_day("日", "日曜|にちよう"),
        "週末": either(on_day("土"), on_day("日"), sched("週末|土日")),
        "平日": either(
            on_day("月"), on_day("火"), on_day("水"), on_day("木"), on_day("金"), sched("平日")
        ),
        "毎日": either(
            sched("毎日|週[5-7５-７]|平日"),
            lambda: [r for r in live() if len(days(r) & set("月火水木金")) >= 4],
        ),
        "毎週": sched("毎週|週[1-7１-７一二三]回|週に"),
        "月曜": on_day("月", "月曜"),
        "水曜日 夕方": on_day("水"),
        "金曜の夜": on_day("金"),
        "木曜日": on_day("木"),
        "朝ごはん": either(sched("朝|モーニング"), timed(5, 11)),
        "ランチ": either(sched("昼|ランチ"), timed(10, 14)),
        "夕食": either(sched("夕|夜|晩"), timed(15, 21)),
        "晩ごはん": either(sched("夕|夜|晩"), timed(15, 21)),
        "夏休み": sched("夏休|長期休|春休|冬休|休暇|夏季"),
        "第3土曜": sched("第[3３三]|3土|３土"),
        "月2回": sched(
            "月[2２二]回|月に[2２二]回|隔週|2回|第[1-5一二三四五][・、,と]?第?[1-5一二三四五]|第[1-5一二三四五].{1,3}曜日?[、・,]第"
        ),
        "放課後": either(sched("放課後"), timed(14, 18)),
        "祝日": sched("祝"),
        "不定期": sched("不定期|随時|未定"),
    }
)


# --- classes cost, booking, vocabulary: the cells to read ----------------------------------
def fee_rows():
    """Every row that states a fee: the five fee cells and the fee note, to read one by one."""
    fn = lambda: [r for r in live() if any(flat(r[c]) for c in FEES)]  # noqa: E731
    fn.cols = FEES
    return fn


def booking_rows():
    """Every row with a booking cell, and rows that speak of booking in another column."""
    other = [c for c in TEXT_COLS if c not in BOOK]
    pat = "予約|申込|申し込|登録制|会員|フォーム|LINE|直接|当日|先着"
    fn = lambda: [r for r in live() if any(flat(r[c]) for c in BOOK)] + grep(pat, other)  # noqa: E731
    fn.cols = [*BOOK, "参加条件", "開催日時特記事項", "備考"]
    return fn


NOURL = [c for c in TEXT_COLS if c not in ("URL", "名称_カナ")]
VOCAB = {
    "お寺": "寺|院|お寺|おてら|仏|宗|真宗|神社",
    "教会": "教会|キリスト|チャペル|カトリック|聖|協会",
    "宗教法人": "宗教法人|神社|天理|寺|院|教会|チャペル|おてら",
    "生協": "生協|生活協同組合|コープ|パルシステム|生活クラブ|ワーカーズ|協同組合",
    "NPO": "(?i)NPO|特定非営利|非営利",
    "特定非営利活動法人": "(?i)NPO|特定非営利|非営利",
    "一般社団法人": "一般社団|一社|社団法人",
    "社協": "社協|社会福祉協議会",
    "社会福祉法人": "社会福祉法人|社福",
    "株式会社": "株式会社|有限会社|\\(株\\)|企業|会社|SOMPO|そんぽ",
    "お店": (
        "店|飲食|カフェ|[Cc]af[eé]|CAFE|レストラン|居酒屋|ビストロ|商店|八百屋|やきとん|ホルモン|パン|shop"
    ),
    "大学": "大学|学生",
    "学校": "学校|小学|中学|高校|学園|学院|大学",
    "町会": "町会|自治会|町内会",
    "フードパントリー": (
        "パントリー|フードバンク|食料|食品|食材|配布|フードドライブ|おすそわけ|お米"
    ),
    "フードバンク": "パントリー|フードバンク|食料|食品|食材|配布|フードドライブ",
    "食料配布": "パントリー|フードバンク|食料|食品|食材|配布|フードドライブ",
    "学習支援": "学習|勉強|宿題|寺子屋|塾|学び|まなび|英語",
    "宿題": "学習|勉強|宿題|寺子屋|塾|学び|まなび|英語",
    "お弁当": "弁当|テイクアウト|持ち帰り|持帰",
    "持ち帰り": "弁当|テイクアウト|持ち帰り|持帰",
    "テイクアウト": "弁当|テイクアウト|持ち帰り|持帰",
    "配食": "配食|宅配|配達|配送|届け",
    "ひとり親": "ひとり親|一人親|シングル|母子|父子",
    "シングルマザー": "ひとり親|一人親|シングル|母子|父子",
    "母子家庭": "ひとり親|一人親|シングル|母子|父子",
    "高齢者": "高齢|お年寄り|シニア|老人|70歳|60歳|年配|多世代|世代",
    "お年寄り": "高齢|お年寄り|シニア|老人|70歳|60歳|年配|多世代|世代",
    "障害のある子": "障害|障がい|障碍|ハンディ|発達|特別支援|療育|医療的ケア",
    "誰でも": "どなたでも|誰でも|だれでも|どなた|制限なし|関係なく|問いません|開放",
    "多世代": "多世代|世代|高齢|シニア|おとな|大人|老若男女|どなた",
    "地域の方": "地域の方|地域住民|近隣|地域の|近所|地元",
    "親子": "親子|おやこ|保護者と|家族|ファミリー",
    "居場所": "居場所|いばしょ",
    "子供食堂": "(子供|子ども|こども|コドモ)食堂",
}
LOOKUPS.update({q: g(p, NOURL) for q, p in VOCAB.items()})
for q in [
    "無料",
    "子ども無料",
    "大人300円",
    "100円",
    "安い",
    "大人も無料",
    "0円",
    "中学生 無料",
    "高校生",
    "大人500円",
    "大人 200円",
    "子ども100円",
    "参加費",
    "カンパ",
    "無料 練馬",
    "大田区 無料",
    "幼児無料",
    "小学生 50円",
    "お金かからない",
    "大人 有料",
]:
    LOOKUPS[q] = fee_rows()
for q in [
    "予約不要",
    "予約なし",
    "予約いらない",
    "要予約",
    "予約制",
    "電話で予約",
    "メールで予約",
    "LINE 予約",
    "申し込みフォーム",
    "事前申込",
    "当日参加",
    "直接来てください",
    "予約 締切",
    "初回 予約",
    "登録制",
    "ネット予約",
]:
    LOOKUPS[q] = booking_rows()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--row"]:
        for a in sys.argv[2:]:
            dump(int(a))
    elif sys.argv[1:2] == ["--status"]:
        for r in ROWS:
            if r["skip"] or r["dup_of"]:
                print(
                    r["row"],
                    r["city"],
                    flat(r["名称"])[:30],
                    r["skip"] or f"duplicate of {r['dup_of']}",
                )
        print(len(ROWS), "records,", len(live()), "listings")
    elif sys.argv[1] in LOOKUPS:
        run(sys.argv[1])
    else:
        pat = sys.argv[1]
        show(grep(pat), ["住所", "運営団体名"], title=f"any column matches {pat}")
