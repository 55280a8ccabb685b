"""The Tokyo 子ども食堂一覧 open-data layout: one file, many cities (docs/data.md).

Municipalities on the Tokyo open-data catalogue publish their 子ども食堂 lists in one layout
(全国地方公共団体コード, ID, 市区町村名, 名称 … 備考); compilations of several cities add the
attribution columns ``_自治体名, _データセット名, _ライセンス, _取得元URL``. Every row becomes a
published listing of kind 子ども食堂 under the city-tier area of its municipality.

Unlike the contract importer this never refuses a whole file for one bad row: real data must
load. A row is skipped (with its line and reason) only when it cannot be a listing — it has no
name, or it says the activity has ended. Cells that cannot be used (a malformed URL, unreadable
coordinates) are left out with a note. Only a file that is not this layout at all (required
header columns missing, unreadable) is an error.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from ..editing import References
from ..editing.text import normalize_text, text_to_html
from ..models import AgeGroup, Area, ListingIndexPage, ListingPage
from ..vocabulary import Age, Booking, Kind, Tier
from .listing_rows import (
    ListingContext,
    ListingRow,
    default_listing_parent,
    existing_listings,
    listing_step,
)
from .opendata.attribution import Attribution
from .opendata.cleaning import address_key, multi_line, name_key, nfkc, one_line, tidy_name
from .opendata.report import UNKNOWN_CITY, OpenDataImportResult, RowNote
from .opendata.schedule_text import NONE, PARSED, WEEKDAY, parse_schedule
from .results import Progress, RowError
from .steps import Step, run_steps
from .table import Row, Source, TableError, read_table

NAME = "tokyo-kodomo-shokudo"
LABEL = "子ども食堂一覧（東京都オープンデータの形式）"
EXTERNAL_ID_PREFIX = "tokyo-ks"
DEFAULT_DATASET = "子ども食堂一覧"

COLUMNS: tuple[str, ...] = (
    "全国地方公共団体コード",
    "ID",
    "都道府県",
    "市区町村名",
    "名称",
    "名称_カナ",
    "設置目的",
    "実施支援の主な区分",
    "住所",
    "方書",
    "緯度",
    "経度",
    "URL",
    "法人番号",
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
    "追加情報NO",
    "画像",
    "画像_ライセンス",
    "備考",
    # Added by compilations of several sources: the attribution of each row.
    "_自治体名",
    "_データセット名",
    "_ライセンス",
    "_取得元URL",
)
# Enough to tell this layout from others; every other column may be absent.
REQUIRED_COLUMNS: tuple[str, ...] = ("全国地方公共団体コード", "ID", "市区町村名", "名称", "住所")

SERVICE_TIER = Tier.ELEMENTARY
FEE_COLUMNS = (
    ("幼児", "参加費_幼児"),
    ("小学生", "参加費_小学生"),
    ("中学生", "参加費_中学生"),
    ("高校生", "参加費_高校生"),
    ("大人", "参加費_大人"),
)
# 参加条件 that say for certain who may come (after NFKC, without spaces).
AGE_CONDITIONS: dict[str, tuple[str, ...]] = {
    "なし": (Age.EVERYONE,),
    "特になし": (Age.EVERYONE,),
    "どなたでも": (Age.EVERYONE,),
    "誰でも": (Age.EVERYONE,),
    "誰でもどうぞ": (Age.EVERYONE,),
    "どなたでもどうぞ": (Age.EVERYONE,),
    "子ども": (Age.ELEMENTARY,),
    "子どものみ": (Age.ELEMENTARY,),
    "対象は子どものみ": (Age.ELEMENTARY,),
    "こども": (Age.ELEMENTARY,),
    "小学生": (Age.ELEMENTARY,),
    "小学生のみ": (Age.ELEMENTARY,),
    "小学生まで": (Age.INFANT, Age.ELEMENTARY),
    "中高生": (Age.TEEN,),
    "中学生": (Age.TEEN,),
    "高校生": (Age.TEEN,),
}
_EVERYONE_WORDS = re.compile(r"どなたでも|誰でも")
_TRUE_FLAGS = {"1", "○", "〇", "◯", "●", "有", "有り", "あり", "実施", "はい", "yes", "y", "true"}
_NO_VALUE = {"", "なし", "無し", "-", "該当なし", "非公開"}
_ENDED = re.compile(
    r"(?:活動|運営|開催)を?(?:もって)?終了|閉所しました|閉鎖しました|廃止しました"
    # A date it closed, also in the name: 「うさぎワンダーワールド(令和4年8月閉店）」.
    r"|\d+年\d+月(?:\d+日)?(?:に|で|を|をもって)?(?:閉店|閉所|閉館|閉鎖|終了)"
)
_BOOKING_REQUIRED = re.compile(r"要予約|予約制|予約(?:が)?必要|要申込|申し?込みが必要")
_BOOKING_HEDGED = re.compile(r"不要|なるべく|できれば|優先|初回のみ|テイクアウトは")
_BOOKING_NOT_REQUIRED = re.compile(r"予約不要|予約なし|^不要$")
_URL = re.compile(r"https?://[^\s\u3000、,;；<>\"']+")
_TOPIC_SEPARATORS = re.compile(r"[;；、,，・/／]")
_SOURCE_CODE_IN_URL = re.compile(r"/(\d{6})_")
_url_validator = URLValidator(schemes=["http", "https"])


class LayoutError(Exception):
    """The file (or the database) does not allow importing at all."""


def matches_header(header: list[str]) -> bool:
    return all(column in header for column in REQUIRED_COLUMNS)


# --- the import --------------------------------------------------------------------------------


def import_file(
    source: Source,
    *,
    dry_run: bool = False,
    parent: ListingIndexPage | None = None,
    progress: Progress | None = None,
    attribution: Attribution | None = None,
    cities: Collection[str] | None = None,
) -> OpenDataImportResult:
    """Create or update published 子ども食堂 listings from a Tokyo 子ども食堂一覧 file.

    ``cities``: only rows of these municipalities (6-digit codes, as the rows resolve them:
    corrected check digits, codes told by the source URL or the address); others are left out
    and not reported.

    Rows are matched to listings by external ID (``tokyo-ks:<code>:<ID>``), so importing the
    same file again changes nothing; changed rows update their listing (a new revision).
    """
    result = OpenDataImportResult(LABEL, dry_run=dry_run)
    try:
        table = read_table(source, COLUMNS, REQUIRED_COLUMNS)
    except TableError as exc:
        result.fail([RowError(1, exc.column, exc.message)])
        return result
    attribution = attribution or Attribution()
    if not any(
        column in table.columns for column in ("_自治体名", "_ライセンス", "_取得元URL")
    ) and not (attribution.license and attribution.url):
        result.warnings.append(
            "ファイルに出典の列（_自治体名・_ライセンス・_取得元URL）がありません。"
            "出典のライセンスとURLを指定してください（--source-license, --source-url）。"
        )
    try:
        with transaction.atomic():
            _import(table.rows, result, parent, progress, attribution, cities)
            if not result.ok or dry_run:
                transaction.set_rollback(True)
    except LayoutError as exc:
        result.fail([RowError(1, "", str(exc))])
    return result


def _import(
    rows: list[Row],
    result: OpenDataImportResult,
    parent: ListingIndexPage | None,
    progress: Progress | None,
    attribution: Attribution,
    only: Collection[str] | None = None,
) -> None:
    cities = _CityDirectory.build(rows)
    places = []
    for row in rows:
        place = _read_row(row, cities, attribution)
        if only is not None and place.city_code not in only:
            continue
        report = result.city(place.city_code, place.city_name)
        report.rows += 1
        report.notes += place.notes
        if place.skip_reason:
            report.skipped.append(RowNote(row.line, place.skip_reason))
        else:
            places.append(place)

    areas = _city_areas(places, result)
    for place in places:
        place.area = areas[place.city_code]
        place.values["location_area"] = place.area.code
    kept = _without_duplicates(places, result)
    _assign_external_ids(kept)
    existing = existing_listings([p.external_id for p in kept])
    kept = _without_existing_duplicates(kept, existing, result)

    if parent is None and any(p.external_id not in existing for p in kept):
        parent = default_listing_parent()
        if parent is None:
            raise LayoutError("取り込み先の「居場所・窓口の一覧」ページがありません。")
    references = References(
        areas={area.code: area for area in areas.values()},
        ages={group.code: group for group in AgeGroup.objects.all()},
    )
    context = ListingContext(references, parent)
    if parent is not None:
        context.taken_slugs = set(parent.get_children().values_list("slug", flat=True))

    steps: list[Step] = []
    for place in kept:
        row = ListingRow(place.line, place.external_id, place.values)
        step = listing_step(row, existing.get(place.external_id), context)
        steps.append(step)
        report = result.cities[place.city_code]
        setattr(report, step.action, getattr(report, step.action) + 1)
        if place.schedule_status == PARSED:
            report.schedules_parsed += 1
        elif place.schedule_status == WEEKDAY:
            report.schedules_weekday += 1
        elif place.schedule_status == NONE:
            report.schedules_none += 1
        else:
            report.schedules_text += 1
        if place.values["latitude"] is None:
            report.without_coordinates += 1
    columns_by_field = {"title": "名称", "address": "住所", "website": "URL"}
    run_steps(steps, result, columns_by_field, progress)


# --- cities ------------------------------------------------------------------------------------


def check_digit(code5: str) -> str:
    """The JIS X 0402 check digit of a 5-digit local government code (13229 → 2)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def local_government_code(value: str) -> tuple[str, str]:
    """A cell → (6-digit code or "", a note when it was corrected or unreadable)."""
    text = nfkc(value).replace(" ", "")
    if re.fullmatch(r"\d{6}", text):
        fixed = text[:5] + check_digit(text[:5])
        if fixed != text:
            return (
                fixed,
                f"全国地方公共団体コード「{text}」は検査数字が合わないため {fixed} としました。",
            )
        return text, ""
    if re.fullmatch(r"\d{5}", text):
        return text + check_digit(text), ""
    if text:
        return "", f"全国地方公共団体コード「{value}」は読めません。"
    return "", ""


@dataclass
class _CityDirectory:
    """Codes and names of the municipalities this file (and the database) knows."""

    names_by_code: dict[str, str]
    codes_by_name: dict[str, str]

    @classmethod
    def build(cls, rows: list[Row]) -> _CityDirectory:
        names_by_code: dict[str, str] = {}
        codes_by_name: dict[str, str] = {}
        for area in Area.objects.filter(tier=Tier.CITY).only("code", "name"):
            if re.fullmatch(r"\d{6}", area.code):
                names_by_code.setdefault(area.code, area.name)
                codes_by_name.setdefault(area.name, area.code)
        for row in rows:
            code, _ = local_government_code(row.get("全国地方公共団体コード"))
            name = tidy_name(row.get("市区町村名"))
            if code and name:
                names_by_code.setdefault(code, name)
                codes_by_name.setdefault(name, code)
        return cls(names_by_code, codes_by_name)

    def name_in_address(self, address: str) -> str:
        text = re.sub(r"^(?:東京都|北海道|(?:京都|大阪)府|\S{2,3}県)", "", nfkc(address))
        names = sorted((n for n in self.codes_by_name if text.startswith(n)), key=len)
        return names[-1] if names else ""


def _resolve_city(row: Row, cities: _CityDirectory) -> tuple[str, str, list[str]]:
    """(code, name, notes) of the row's municipality; code "" when it cannot be told."""
    notes = []
    code, note = local_government_code(row.get("全国地方公共団体コード"))
    if note:
        notes.append(note)
    name = tidy_name(row.get("市区町村名"))
    source_municipality = tidy_name(row.get("_自治体名"))
    if not code:
        match = _SOURCE_CODE_IN_URL.search(row.get("_取得元URL"))
        if match and check_digit(match[1][:5]) == match[1][5]:
            code = match[1]
            notes.append(f"全国地方公共団体コードが空のため、出典URLのコード {code} を使いました。")
    if not code and name in cities.codes_by_name:
        code = cities.codes_by_name[name]
        notes.append(
            f"全国地方公共団体コードが空のため、市区町村名「{name}」から {code} としました。"
        )
    if not name and code in cities.names_by_code:
        name = cities.names_by_code[code]
    if not name and source_municipality and re.search(r"[市区町村]$", source_municipality):
        name = source_municipality
    if not code and not name:
        found = cities.name_in_address(row.get("住所"))
        if found:
            code, name = cities.codes_by_name[found], found
            notes.append(f"市区町村の記載がないため、住所から「{name}」（{code}）としました。")
    if code and not name:
        name = code
    return code, name, notes


def _city_areas(places: list[_Place], result: OpenDataImportResult) -> dict[str, Area]:
    """The city-tier area of each code: existing (by code, else by exact name) or new."""
    wanted = {p.city_code: p.city_name for p in places if p.city_code != UNKNOWN_CITY}
    by_code = {a.code: a for a in Area.objects.filter(code__in=list(wanted))}
    conflicts = [a for a in by_code.values() if a.tier != Tier.CITY]
    if conflicts:
        raise LayoutError(
            "地域コード "
            + "、".join(f"{a.code}（{a.name}・{a.get_tier_display()}）" for a in conflicts)
            + " は市区町村ではない地域に使われています。地域の設定を確かめてください。"
        )
    city_by_name: dict[str, list[Area]] = defaultdict(list)
    for area in Area.objects.filter(tier=Tier.CITY):
        city_by_name[area.name].append(area)
    areas: dict[str, Area] = {}
    for code, name in sorted(wanted.items()):
        area = by_code.get(code)
        if area is None and len(city_by_name.get(name, [])) == 1:
            area = city_by_name[name][0]
        if area is None:
            area = Area(code=code, name=name[:100], tier=Tier.CITY)
            try:
                area.full_clean(exclude=["path"])
            except ValidationError as exc:
                raise LayoutError(f"地域 {code}「{name}」を作れません: {exc}") from exc
            if not result.dry_run:
                area.save()
            result.city(code, name).area_created = True
        areas[code] = area
    return areas


# --- one row -----------------------------------------------------------------------------------


@dataclass
class _Place:
    line: int
    city_code: str
    city_name: str
    source_id: str
    values: dict[str, Any] = field(default_factory=dict)  # ``ListingValues`` fields
    area: Area | None = None  # the city-tier area (unsaved in a dry run when new)
    notes: list[RowNote] = field(default_factory=list)
    skip_reason: str = ""
    schedule_status: str = NONE
    name_key: str = ""
    address_key: str = ""
    external_id: str = ""

    def note(self, message: str) -> None:
        self.notes.append(RowNote(self.line, message))


def _read_row(row: Row, cities: _CityDirectory, attribution: Attribution) -> _Place:
    code, city_name, city_notes = _resolve_city(row, cities)
    place = _Place(row.line, code, city_name, nfkc(row.get("ID")))
    title = tidy_name(row.get("名称"))
    if not title:
        place.skip_reason = "名称がありません。"
        return place
    for message in city_notes:
        place.note(message)
    if row.problem:
        place.note(row.problem)
    ended = next(
        (
            one_line(row.get(c))
            for c in ("名称", "開催頻度", "開催日", "開催日時特記事項", "備考")
            if _ENDED.search(nfkc(row.get(c)))
        ),
        "",
    )
    if ended:
        place.skip_reason = f"活動を終了したと書かれています（「{ended[:40]}」）。"
        return place
    if not code:
        # A listing needs a location area, and nothing in the row says which municipality.
        place.skip_reason = (
            "市区町村が分かりません（全国地方公共団体コード・市区町村名・住所が空）。"
            "地域を決められないため載せませんでした。"
        )
        return place

    address = _address(row)
    schedule = parse_schedule(
        row.get("開催頻度"),
        row.get("開催曜日"),
        row.get("開催日"),
        row.get("開催開始時間"),
        row.get("開催終了時間"),
        row.get("開催日時特記事項"),
    )
    website, other_links = _website(row, place)
    fee, fee_overflow = _fee(row)
    values: dict[str, Any] = {
        "title": title,
        "name_kana": tidy_name(row.get("名称_カナ")),
        "kind": Kind.KODOMO_SHOKUDO,
        "service_tier": SERVICE_TIER,
        "address": address,
        **_coordinates(row, place),
        "website": website,
        "organiser": tidy_name(row.get("運営団体名")),
        "description": text_to_html(_description(row, other_links, _link_words(row))),
        "age_groups": _ages(row.get("参加条件")),
        "topics": _topics(row),
        "fee": fee,
        "booking": _booking(row),
        "how_to_join": _how_to_join(row, fee_overflow),
        "capacity": _capacity(row.get("定員")),
        "school_district": nfkc(row.get("学区")),
        "schedule_rules": schedule.rules,
        "schedule_text": schedule.text,
        "holiday_policy": schedule.holiday_policy,
        **_attribution(row, place, city_name, attribution),
    }
    place.values = _fitted(values, place)
    place.schedule_status = schedule.status
    place.name_key = name_key(title)
    place.address_key = address_key(address, city_name)
    return place


def _address(row: Row) -> str:
    address, extra = nfkc(row.get("住所")), nfkc(row.get("方書"))
    if extra and extra not in address:
        return f"{address} {extra}".strip()
    return address


def _coordinates(row: Row, place: _Place) -> dict[str, float | None]:
    none = {"latitude": None, "longitude": None}
    lat_text, lng_text = nfkc(row.get("緯度")), nfkc(row.get("経度"))
    if not lat_text and not lng_text:
        return none
    try:
        lat, lng = float(lat_text), float(lng_text)
    except ValueError:
        place.note(f"緯度・経度（「{lat_text}」「{lng_text}」）は読めないため載せませんでした。")
        return none
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        place.note(f"緯度・経度（{lat_text}, {lng_text}）が範囲外のため載せませんでした。")
        return none
    return {"latitude": lat, "longitude": lng}


def _website(row: Row, place: _Place) -> tuple[str, list[str]]:
    """The first usable URL of the URL cell, and any others (shown in the description)."""
    text = nfkc(row.get("URL"))
    if text in _NO_VALUE:
        return "", []
    urls = []
    for candidate in _URL.findall(text):
        candidate = candidate.rstrip(").,。）")
        try:
            _url_validator(candidate)
        except ValidationError:
            continue
        if len(candidate) <= 500 and candidate not in urls:
            urls.append(candidate)
    if not urls:
        place.note(f"URL「{text[:60]}」はURLとして使えないため載せませんでした。")
        return "", []
    return urls[0], urls[1:]


def _money(value: str) -> str:
    text = nfkc(value).replace(",", "")
    if not text:
        return ""
    if re.fullmatch(r"0+円?", text):
        return "無料"
    if re.fullmatch(r"\d+", text):
        return f"{int(text)}円"
    return text


def _fee(row: Row) -> tuple[str, str]:
    """参加費_幼児 … 参加費_大人 + 参加費特記事項 → (readable fee, note that did not fit)."""
    given = [(label, _money(row.get(column))) for label, column in FEE_COLUMNS]
    given = [(label, money) for label, money in given if money]
    parts: list[str] = []
    children = [money for label, money in given if label != "大人"]
    if len(given) == len(FEE_COLUMNS) and len({m for _, m in given}) == 1:
        parts.append(f"どなたも{given[0][1]}")
    elif len(children) == 4 and len(set(children)) == 1:
        parts.append(f"子ども（高校生まで）{children[0]}")
        parts += [f"大人{money}" for label, money in given if label == "大人"]
    else:
        for label, money in given:
            if parts and parts[-1].endswith(money) and not parts[-1].startswith("大人"):
                head = parts[-1][: -len(money)]
                parts[-1] = f"{head}・{label}{money}"
            else:
                parts.append(f"{label}{money}")
    fee = "、".join(parts)
    note = one_line(nfkc(row.get("参加費特記事項")))
    if not note:
        return fee, ""
    combined = f"{fee}。{note}" if fee else note
    max_length = ListingPage._meta.get_field("fee").max_length
    if len(combined) <= max_length:
        return combined, ""
    return fee, note


def _ages(condition: str) -> tuple[str, ...]:
    text = re.sub(r"\s+", "", nfkc(condition)).rstrip("。")
    if text in AGE_CONDITIONS:
        return tuple(AGE_CONDITIONS[text])
    if _EVERYONE_WORDS.search(text) and not re.search(r"のみ|限り|限定|対象と", text):
        return (Age.EVERYONE,)
    return ()


def _topics(row: Row) -> tuple[str, ...]:
    topics: list[str] = []
    for item in _TOPIC_SEPARATORS.split(nfkc(row.get("実施支援の主な区分"))):
        item = item.strip()
        if item and item not in _NO_VALUE:
            topics.append(item[:100])
    if _flag(row.get("フードパントリー実施")):
        topics.append("フードパントリー")
    if _flag(row.get("テイクアウト実施")):
        topics.append("テイクアウト")
    unique: dict[str, str] = {}
    for topic in topics:
        unique.setdefault(topic.casefold(), topic)
    return tuple(unique.values())


def _flag(value: str) -> bool:
    return nfkc(value).casefold() in _TRUE_FLAGS


def _booking(row: Row) -> str:
    method = nfkc(row.get("予約方法"))
    text = f"{method} {nfkc(row.get('予約特記事項'))}".strip()
    if _BOOKING_REQUIRED.search(text) and not _BOOKING_HEDGED.search(text):
        return Booking.REQUIRED
    required_words = re.search(r"必要|要予約|予約制|要申込", text)
    if (_BOOKING_NOT_REQUIRED.search(method) or "予約不要" in text) and not required_words:
        return Booking.NOT_REQUIRED
    return Booking.UNKNOWN


def _how_to_join(row: Row, fee_overflow: str) -> str:
    paragraphs = []
    method, note = multi_line(row.get("予約方法")), multi_line(row.get("予約特記事項"))
    if method:
        paragraphs.append(f"予約方法：{method}")
    if note:
        paragraphs.append(f"予約について：{note}")
    if fee_overflow:
        paragraphs.append(f"参加費について：{fee_overflow}")
    return "\n".join(paragraphs)


def _capacity(value: str) -> str:
    text = nfkc(value)
    return f"{int(text)}人" if re.fullmatch(r"\d+", text) else text


# Labels that only say what kind of link follows (the site's host is indexed already).
_GENERIC_LINK_LABELS = {
    "hp", "ホームページ", "webサイト", "ウェブサイト", "サイト", "url", "instagram", "インスタ",
    "インスタグラム", "facebook", "フェイスブック", "x", "twitter", "ツイッター", "line", "ブログ",
    "blog", "note", "公式", "公式サイト", "こちら", "詳細", "リンク",
}  # fmt: skip


def _link_words(row: Row) -> str:
    """The words written beside the links of the URL cell (「豊島子どもWAKUWAKUネットワーク
    https://…」): they name who publishes the page, often the organiser's network or the 社協,
    and residents search for them."""
    words = one_line(_URL.sub(" ", nfkc(row.get("URL")))).split()
    words = [w.strip("：:・、,") for w in words]
    words = [w for w in words if w and w.lower() not in _GENERIC_LINK_LABELS]
    text = " ".join(words)
    return "" if text in _NO_VALUE else text


def _description(row: Row, other_links: list[str], link_words: str = "") -> str:
    paragraphs = [multi_line(row.get("設置目的"))]
    for label, column in (("参加条件", "参加条件"), ("備考", "備考")):
        text = multi_line(row.get(column))
        if text:
            paragraphs.append(f"{label}：{text}")
    network = one_line(row.get("ネットワークの加入"))
    if network:
        paragraphs.append(f"加入しているネットワーク：{network}")
    if link_words:
        paragraphs.append(f"リンク先：{link_words}")
    if other_links:
        paragraphs.append("ほかのリンク：\n" + "\n".join(other_links))
    return normalize_text("\n\n".join(p for p in paragraphs if p))


def _attribution(row: Row, place: _Place, city_name: str, defaults: Attribution) -> dict[str, Any]:
    url = one_line(row.get("_取得元URL")) or defaults.url
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            place.note(f"出典URL「{url[:60]}」はURLとして使えないため載せませんでした。")
            url = ""
    return {
        "source_municipality": tidy_name(row.get("_自治体名"))
        or defaults.municipality
        or city_name,
        "source_dataset": one_line(row.get("_データセット名"))
        or defaults.dataset
        or DEFAULT_DATASET,
        "source_license": one_line(row.get("_ライセンス")) or defaults.license,
        "source_url": url,
        "source_date": defaults.date,
    }


def _fitted(values: dict[str, Any], place: _Place) -> dict[str, Any]:
    """Text longer than its field is cut (with …) and noted, rather than failing the import."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        model_field = ListingPage._meta.get_field(name)
        max_length = getattr(model_field, "max_length", None)
        if max_length and len(value) > max_length:
            values[name] = value[: max_length - 1] + "…"
            place.note(f"{model_field.verbose_name}が{max_length}文字を超えるため短くしました。")
    return values


# --- duplicates and IDs ------------------------------------------------------------------------


def _without_duplicates(places: list[_Place], result: OpenDataImportResult) -> list[_Place]:
    """The first row of each place (same city, name and address) wins; later ones are reported.

    Rows with the same name in the same city at a different address are kept, with a note.
    """
    first: dict[tuple[str, str, str], _Place] = {}
    same_name: dict[tuple[str, str], _Place] = {}
    kept = []
    for place in places:
        key = (place.city_code, place.name_key, place.address_key)
        original = first.get(key) if place.address_key else None
        if original is not None:
            result.cities[place.city_code].duplicates.append(
                RowNote(
                    place.line,
                    f"行 {original.line} と同じ場所（同じ市区町村・名称・住所）のため、"
                    f"行 {original.line} の内容で1件にしました。",
                )
            )
            continue
        if place.address_key:
            first[key] = place
        other = same_name.get(key[:2])
        if other is not None:
            place.note(
                f"行 {other.line} と同じ名称ですが住所が違うため、別の場所として載せました。"
            )
        else:
            same_name[key[:2]] = place
        kept.append(place)
    return kept


def _assign_external_ids(places: list[_Place]) -> None:
    """``tokyo-ks:<code>:<ID>``; a hash of name and address when the ID is blank or repeated."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for place in places:
        counts[(place.city_code, place.source_id)] += 1
    for place in places:
        city = place.city_code or "unknown"
        source_id = re.sub(r"[^0-9A-Za-z_.-]", "", place.source_id)[:24]
        if source_id and source_id == place.source_id and counts[(place.city_code, source_id)] == 1:
            place.external_id = f"{EXTERNAL_ID_PREFIX}:{city}:{source_id}"
        else:
            digest = hashlib.sha1(
                f"{place.name_key}|{place.address_key}".encode(), usedforsecurity=False
            ).hexdigest()[:10]
            place.external_id = f"{EXTERNAL_ID_PREFIX}:{city}:{source_id or 'n'}-{digest}"


def _without_existing_duplicates(
    places: list[_Place], existing: dict[str, ListingPage], result: OpenDataImportResult
) -> list[_Place]:
    """Rows new to the portal that repeat a 子ども食堂 already there from another source."""
    areas = {p.area.pk for p in places if p.external_id not in existing}
    areas.discard(None)  # cities new to the portal (dry run) hold no listings yet
    if not areas:
        return places
    in_file = [p.external_id for p in places]
    known: dict[tuple[int, str, str], ListingPage] = {}
    candidates = ListingPage.objects.filter(
        kind=Kind.KODOMO_SHOKUDO, location_area__in=list(areas)
    ).select_related("location_area")
    for page in candidates.exclude(external_id__in=in_file):
        area = page.location_area
        key = (area.pk, name_key(page.title), address_key(page.address, area.name))
        if key[2]:
            known.setdefault(key, page)
    kept = []
    for place in places:
        page = None
        if place.external_id not in existing and place.address_key:
            page = known.get((place.area.pk, place.name_key, place.address_key))
        if page is not None:
            result.cities[place.city_code].duplicates.append(
                RowNote(
                    place.line,
                    f"すでに載っている「{page.title}」（ID {page.external_id}）と同じ場所のため、"
                    "取り込みませんでした。",
                )
            )
            continue
        kept.append(place)
    return kept
