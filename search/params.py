"""Reading search parameters from a request: one place that validates them for the API and
the search page, so a bad value always becomes a named error, never a 500."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.http import QueryDict

from listings.models import Area
from listings.vocabulary import AGE_ALIASES, KIND_ALIASES, Age, Kind, code_for

from .contract import SORTS, SearchParams

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 1000
MAX_RADIUS_M = 100_000
MAX_VALUES = 50


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


def parse_search_params(
    data: QueryDict, *, truncate_query: bool = False, default_page_size: int = DEFAULT_PAGE_SIZE
) -> SearchParams:
    """Validate every parameter; raise ``InvalidParams`` listing each bad one."""
    errors: list[ParamError] = []

    q = data.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        if truncate_query:
            q = q[:MAX_QUERY_CHARS]
        else:
            errors.append(ParamError("q", f"検索語は{MAX_QUERY_CHARS}文字以内にしてください。"))

    def codes(name, choices, aliases):
        found = []
        for value in _values(data, name):
            try:
                found.append(code_for(choices, value, aliases))
            except ValueError as err:
                errors.append(ParamError(name, str(err)))
        return tuple(dict.fromkeys(found))

    kinds = codes("kind", Kind, KIND_ALIASES)
    ages = codes("age", Age, AGE_ALIASES)
    topics = tuple(dict.fromkeys(_values(data, "topic")))
    if any(len(t) > 100 for t in topics):
        errors.append(ParamError("topic", "テーマは100文字以内で指定してください。"))

    area_codes = tuple(dict.fromkeys(_values(data, "area")))
    if area_codes:
        known = set(Area.objects.filter(code__in=area_codes).values_list("code", flat=True))
        unknown = [c for c in area_codes if c not in known]
        if unknown:
            errors.append(ParamError("area", f"地区コード「{'、'.join(unknown)}」はありません。"))

    for name, values in (("kind", kinds), ("age", ages), ("topic", topics), ("area", area_codes)):
        if len(values) > MAX_VALUES:
            errors.append(ParamError(name, f"指定できる値は{MAX_VALUES}個までです。"))

    near = None
    if data.get("near"):
        near = _parse_point(data["near"], errors)
    radius = None
    if data.get("radius"):
        radius = _parse_number(data["radius"], "radius", errors, 1, MAX_RADIUS_M)
        if near is None and not any(e.parameter == "near" for e in errors):
            errors.append(ParamError("radius", "radius は near と一緒に指定してください。"))

    open_on = None
    if data.get("open_on"):
        try:
            open_on = datetime.date.fromisoformat(data["open_on"].strip())
        except ValueError:
            errors.append(ParamError("open_on", "日付は YYYY-MM-DD の形で指定してください。"))

    sort = data.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        errors.append(ParamError("sort", f"sort は {', '.join(SORTS)} のどれかです。"))

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
        near=near,
        radius=radius,
        open_on=open_on,
        sort=sort,
        page=page,
        page_size=page_size,
    )


def _parse_number(raw: str, name: str, errors: list[ParamError], low: float, high: float):
    try:
        value = float(raw.strip())
    except ValueError:
        errors.append(ParamError(name, f"{name} は数値で指定してください。"))
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors.append(ParamError(name, f"{name} は {low:g}〜{high:g} の範囲で指定してください。"))
        return None
    return value


def _parse_int(raw: str, name: str, errors: list[ParamError], low: int, high: int):
    try:
        value = int(raw.strip())
    except ValueError:
        errors.append(ParamError(name, f"{name} は整数で指定してください。"))
        return 1
    if not low <= value <= high:
        errors.append(ParamError(name, f"{name} は {low}〜{high} の範囲で指定してください。"))
        return 1
    return value


def _parse_point(raw: str, errors: list[ParamError]) -> tuple[float, float] | None:
    parts = raw.split(",")
    if len(parts) != 2:
        errors.append(ParamError("near", "near は「緯度,経度」の形で指定してください。"))
        return None
    lat = _parse_number(parts[0], "near", errors, -90, 90)
    lng = _parse_number(parts[1], "near", errors, -180, 180)
    if lat is None or lng is None:
        return None
    return (lat, lng)


def describe_filters(params: SearchParams) -> str:
    """A short, personal-data-free description of the filters, for the query log."""
    parts = []
    for name, values in (
        ("kind", params.kinds),
        ("age", params.ages),
        ("topic", params.topics),
        ("area", params.areas),
    ):
        if values:
            parts.append(f"{name}={','.join(values)}")
    if params.near:
        # Rounded to ~1 km: enough to see demand by area, not enough to locate a person.
        parts.append(f"near={params.near[0]:.2f},{params.near[1]:.2f}")
    if params.open_on:
        parts.append(f"open_on={params.open_on.isoformat()}")
    return " ".join(parts)[:500]
