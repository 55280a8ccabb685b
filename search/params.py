"""Reading search parameters from a request: one place that validates them for the API and
the search page, so a bad value always becomes a named error, never a 500."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from community.selectors import network_listing_ids
from consult.models import ACCESS_ALIASES, Access
from consult.selectors import access_listing_ids
from listings.models import Area
from listings.vocabulary import AGE_ALIASES, KIND_ALIASES, Age, Kind, code_for

from .contract import SORTS, SearchParams

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 1000
MAX_RADIUS_M = 100_000
MAX_VALUES = 50
# Any one raw value but q (which has its own limit): area codes, topics and the rest are short.
MAX_VALUE_CHARS = 500
# open_on outside this window is a mistake, and the date arithmetic of schedules (a week later,
# the next month) must stay inside Python's dates: 9999-12-25 overflowed it.
OPEN_ON_MIN = datetime.date(2000, 1, 1)
OPEN_ON_MAX = datetime.date(2099, 12, 31)
PARAMETERS = ("q", "kind", "age", "topic", "area", "near", "radius", "open_on", "sort", "page")
PARAMETERS += ("page_size", "network", "access")
# A point "LAT,LNG" in decimal degrees, bounds included (the OpenAPI publishes this pattern).
NEAR_PATTERN = (
    r"^-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?),"
    r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)$"
)
# C0 and C1 controls and DEL: no search needs them, and PostgreSQL refuses NUL in any text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class ParamError:
    parameter: str
    message: str

    def as_dict(self) -> dict:
        return {"parameter": self.parameter, "message": self.message}


class InvalidParams(Exception):
    def __init__(self, errors: list[ParamError]):
        super().__init__("; ".join(f"{e.parameter}: {e.message}" for e in errors))
        self.errors = errors


def _values(data: QueryDict, name: str) -> list[str]:
    """Repeated and comma-separated values (``kind=a&kind=b`` or ``kind=a,b``)."""
    values: list[str] = []
    for raw in data.getlist(name):
        values += [v.strip() for v in raw.replace("、", ",").split(",") if v.strip()]
    return values


def _raw_errors(data: QueryDict, *, strict: bool) -> list[ParamError]:
    """What is wrong with the raw values before any of them is read: control characters,
    over-long or too many values, and (``strict``) empty ones."""
    errors: list[ParamError] = []
    for name in PARAMETERS:
        raw_values = data.getlist(name)
        if any(CONTROL_CHARACTERS.search(raw) for raw in raw_values):
            errors.append(ParamError(name, _("%(name)s に制御文字は使えません。") % {"name": name}))
        elif name != "q" and any(len(raw) > MAX_VALUE_CHARS for raw in raw_values):
            errors.append(
                ParamError(
                    name,
                    _("%(name)s は%(limit)d文字以内にしてください。")
                    % {"name": name, "limit": MAX_VALUE_CHARS},
                )
            )
        elif len(raw_values) > MAX_VALUES:
            errors.append(
                ParamError(name, _("指定できる値は%(limit)d個までです。") % {"limit": MAX_VALUES})
            )
        elif strict and name != "q" and any(not raw.strip() for raw in raw_values):
            errors.append(ParamError(name, _("%(name)s の値が空です。") % {"name": name}))
    return errors


def parse_search_params(
    data: QueryDict,
    *,
    truncate_query: bool = False,
    strict: bool = False,
    default_page_size: int = DEFAULT_PAGE_SIZE,
) -> SearchParams:
    """Validate every parameter; raise ``InvalidParams`` listing each bad one.

    ``strict`` (the API) refuses empty values as its OpenAPI says; the search page's own forms
    send empty fields, which mean "not chosen".
    """
    errors = _raw_errors(data, strict=strict)
    if errors:
        # Nothing below (nor the database) should see these values.
        raise InvalidParams(errors)

    q = data.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        if truncate_query:
            q = q[:MAX_QUERY_CHARS]
        else:
            errors.append(
                ParamError(
                    "q", _("検索語は%(limit)d文字以内にしてください。") % {"limit": MAX_QUERY_CHARS}
                )
            )

    def codes(name, choices, aliases):
        found = []
        for value in _values(data, name):
            try:
                found.append(code_for(choices, value, aliases))
            except ValueError as err:
                errors.append(ParamError(name, str(err)))
        return tuple(dict.fromkeys(found))

    kinds = codes("kind", Kind, KIND_ALIASES)
    access = codes("access", Access, ACCESS_ALIASES)
    ages = codes("age", Age, AGE_ALIASES)
    topics = tuple(dict.fromkeys(_values(data, "topic")))
    if any(len(t) > 100 for t in topics):
        errors.append(ParamError("topic", _("テーマは100文字以内で指定してください。")))

    area_codes = tuple(dict.fromkeys(_values(data, "area")))
    if area_codes:
        known = set(Area.objects.filter(code__in=area_codes).values_list("code", flat=True))
        unknown = [c for c in area_codes if c not in known]
        if unknown:
            errors.append(
                ParamError(
                    "area",
                    _("地区コード「%(codes)s」はありません。") % {"codes": "、".join(unknown)},
                )
            )

    network_codes = tuple(dict.fromkeys(_values(data, "network")))
    listing_ids = None
    if network_codes:
        listing_ids, unknown = network_listing_ids(network_codes)
        if unknown:
            errors.append(
                ParamError(
                    "network",
                    _("ネットワーク「%(codes)s」はありません。") % {"codes": "、".join(unknown)},
                )
            )

    for name, values in (
        ("kind", kinds),
        ("age", ages),
        ("topic", topics),
        ("area", area_codes),
        ("network", network_codes),
        ("access", access),
    ):
        if len(values) > MAX_VALUES:
            errors.append(
                ParamError(name, _("指定できる値は%(limit)d個までです。") % {"limit": MAX_VALUES})
            )

    near = None
    if data.get("near"):
        near = _parse_point(data["near"], errors)
    radius = None
    if data.get("radius"):
        radius = _parse_number(data["radius"], "radius", errors, 1, MAX_RADIUS_M)
        if near is None and not any(e.parameter == "near" for e in errors):
            errors.append(ParamError("radius", _("radius は near と一緒に指定してください。")))

    open_on = None
    if data.get("open_on"):
        open_on = _parse_date(data["open_on"], errors)

    sort = data.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        errors.append(
            ParamError(
                "sort", _("sort は %(choices)s のどれかです。") % {"choices": ", ".join(SORTS)}
            )
        )

    page = _parse_int(data.get("page", "1") or "1", "page", errors, 1, MAX_PAGE)
    page_size = _parse_int(
        data.get("page_size", str(default_page_size)) or str(default_page_size),
        "page_size",
        errors,
        1,
        MAX_PAGE_SIZE,
    )

    if errors:
        raise InvalidParams(errors)
    return SearchParams(
        q=q,
        kinds=kinds,
        ages=ages,
        topics=topics,
        areas=area_codes,
        networks=network_codes,
        network_listing_ids=listing_ids,
        access=access,
        access_listing_ids=access_listing_ids(access) if access else None,
        near=near,
        radius=radius,
        open_on=open_on,
        sort=sort,
        page=page,
        page_size=page_size,
    )


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(raw: str, errors: list[ParamError]) -> datetime.date | None:
    try:
        # fromisoformat alone also takes 20261205 and 2026-W49-6.
        if not DATE.match(raw.strip()):
            raise ValueError(raw)
        day = datetime.date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(ParamError("open_on", _("日付は YYYY-MM-DD の形で指定してください。")))
        return None
    if not OPEN_ON_MIN <= day <= OPEN_ON_MAX:
        errors.append(
            ParamError(
                "open_on",
                _("日付は %(first)s から %(last)s の間で指定してください。")
                % {"first": OPEN_ON_MIN.isoformat(), "last": OPEN_ON_MAX.isoformat()},
            )
        )
        return None
    return day


def _parse_number(raw: str, name: str, errors: list[ParamError], low: float, high: float):
    try:
        value = float(raw.strip())
    except ValueError:
        errors.append(ParamError(name, _("%(name)s は数値で指定してください。") % {"name": name}))
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors.append(
            ParamError(
                name,
                _("%(name)s は %(low)s〜%(high)s の範囲で指定してください。")
                % {"name": name, "low": f"{low:g}", "high": f"{high:g}"},
            )
        )
        return None
    return value


def _parse_int(raw: str, name: str, errors: list[ParamError], low: int, high: int):
    try:
        value = int(raw.strip())
    except ValueError:
        errors.append(ParamError(name, _("%(name)s は整数で指定してください。") % {"name": name}))
        return 1
    if not low <= value <= high:
        errors.append(
            ParamError(
                name,
                _("%(name)s は %(low)d〜%(high)d の範囲で指定してください。")
                % {"name": name, "low": low, "high": high},
            )
        )
        return 1
    return value


def _parse_point(raw: str, errors: list[ParamError]) -> tuple[float, float] | None:
    if not re.match(NEAR_PATTERN, raw.strip()):
        errors.append(ParamError("near", _("near は「緯度,経度」の形で指定してください。")))
        return None
    lat, lng = (float(part) for part in raw.strip().split(","))
    return (lat, lng)


def describe_filters(params: SearchParams) -> str:
    """A short, personal-data-free description of the filters, for the query log."""
    parts = []
    for name, values in (
        ("kind", params.kinds),
        ("age", params.ages),
        ("topic", params.topics),
        ("area", params.areas),
        ("network", params.networks),
        ("access", params.access),
    ):
        if values:
            parts.append(f"{name}={','.join(values)}")
    if params.near:
        # Rounded to ~1 km: enough to see demand by area, not enough to locate a person.
        parts.append(f"near={params.near[0]:.2f},{params.near[1]:.2f}")
    if params.open_on:
        parts.append(f"open_on={params.open_on.isoformat()}")
    return " ".join(parts)[:500]
