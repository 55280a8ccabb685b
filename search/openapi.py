"""The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json).

Exact about what the API accepts and answers: tests/search/test_api_schema.py fuzzes the API
against this document (schemathesis) and fails on any answer it does not describe.
"""

from __future__ import annotations

from .contract import SORTS
from .params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_RADIUS_M,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    NEAR_PATTERN,
    OPEN_ON_MAX,
    OPEN_ON_MIN,
)

CRISIS = {
    "type": "object",
    "description": "Crisis lines for what q signals (staff-edited; consult app). Show them "
    "above any result, with the numbers as tappable tel: links.",
    "required": ["categories", "lines", "local_windows"],
    "properties": {
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "lines": {
            "type": "array",
            "description": "Most urgent first (110/119 when they apply).",
            "items": {
                "type": "object",
                "required": ["name", "number", "tel", "hours", "description", "url"],
                "properties": {
                    "name": {"type": "string"},
                    "number": {"type": "string"},
                    "tel": {"type": "string", "description": "A tel: URI."},
                    "hours": {"type": "string"},
                    "description": {"type": "string"},
                    "url": {"type": ["string", "null"]},
                },
            },
        },
        "local_windows": {"type": "array", "items": {"type": "string"}},
    },
}

# Text without control characters (C0, DEL, C1): the API refuses them in every parameter.
NO_CONTROLS = r"^[^\x00-\x1f\x7f-\x9f]*$"


def _text(max_length: int, min_length: int = 1, **extra) -> dict:
    return {
        "type": "string",
        "minLength": min_length,
        "maxLength": max_length,
        "pattern": NO_CONTROLS,
        **extra,
    }


def _list_param(name: str, description: str, items: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description
        + " Repeat the parameter or separate values by commas (OR). An empty value is a 400.",
        "schema": {"type": "array", "items": items, "maxItems": MAX_VALUES},
        "style": "form",
        "explode": True,
    }


def _problem(description: str, codes: list[str], headers: dict | None = None) -> dict:
    response: dict = {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Problem"},
                        {"properties": {"error": {"enum": codes}}},
                    ]
                }
            }
        },
    }
    if headers:
        response["headers"] = headers
    return response


def _error_responses(*, bad_request: bool) -> dict:
    """What any operation may answer besides 200 (the same decorator serves them all)."""
    responses = {
        "405": _problem(
            "Any method but GET or HEAD (the `Allow` header lists them).",
            ["method_not_allowed"],
            headers={"Allow": {"schema": {"type": "string", "const": "GET, HEAD"}}},
        ),
        "429": _problem(
            "Too many requests from this client; try again after `Retry-After` seconds.",
            ["rate_limited"],
            headers={"Retry-After": {"schema": {"type": "integer", "minimum": 0}}},
        ),
        "500": _problem(
            "A server error (logged); the body never carries internals.", ["server_error"]
        ),
    }
    if bad_request:
        responses["400"] = {
            "description": "A parameter is invalid; the error names it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return responses


PROBLEM = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "enum": ["method_not_allowed", "rate_limited", "server_error"],
        },
        "message": {"type": "string", "minLength": 1},
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "parameter", "message", "errors"],
    "properties": {
        "error": {"type": "string", "const": "invalid_parameter"},
        "parameter": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["parameter", "message"],
                "properties": {"parameter": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

LISTING = {
    "type": "object",
    "required": ["id", "external_id", "title", "kind", "url", "area", "distance_m"],
    "properties": {
        "id": {"type": "integer"},
        "external_id": {"type": ["string", "null"]},
        "title": {"type": "string"},
        "name_kana": {"type": "string"},
        "kind": {"type": "string"},
        "kind_label": {"type": "string"},
        "url": {"type": ["string", "null"], "format": "uri"},
        "area": {
            "type": ["object", "null"],
            "properties": {
                "code": {"type": "string"},
                "name": {"type": "string"},
                "tier": {"type": "string"},
            },
        },
        "service_area": {"type": ["string", "null"]},
        "area_match": {
            "type": ["string", "null"],
            "enum": ["located", "serves", None],
            "description": "With an area filter: located in the area, or serving it.",
        },
        "distance_m": {"type": ["number", "null"]},
        "open_on_match": {
            "type": ["string", "null"],
            "enum": ["sure", "maybe", None],
            "description": "With open_on: `sure` when the listing's schedule says it is open "
            "that day; `maybe` when that weekday is one of its days but the dates are to be "
            "confirmed with the group (要確認). Sure matches come first. Null without open_on.",
        },
        "score": {"type": "number"},
        "ages": {"type": "array", "items": {"type": "string"}},
        "topics": {"type": "array", "items": {"type": "string"}},
        "address": {"type": "string"},
        "latitude": {"type": ["number", "null"]},
        "longitude": {"type": ["number", "null"]},
        "next_dates": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "start": {"type": ["string", "null"]},
                    "end": {"type": ["string", "null"]},
                },
            },
        },
        "last_verified": {"type": ["string", "null"], "format": "date"},
        "source": {
            "type": ["object", "null"],
            "description": "Attribution of imported open data (CC BY): show it with the data.",
            "properties": {
                "municipality": {"type": "string"},
                "dataset": {"type": "string"},
                "license": {"type": "string"},
                "url": {"type": "string"},
                "date": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": "How current the data is: the dataset's date, else the "
                    "day it was fetched.",
                },
            },
        },
    },
}

COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}

NOTICE_LIST = {
    "type": "object",
    "required": ["count", "results"],
    "properties": {
        "count": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "level", "title", "message", "starts_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "level": {"type": "string", "enum": ["emergency", "important", "info"]},
                    "level_label": {"type": "string"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                    "url": {"type": ["string", "null"]},
                    "starts_at": {"type": "string", "format": "date-time"},
                    "ends_at": {"type": ["string", "null"], "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}


def openapi_document(*, kinds: list[str], ages: list[str], access: list[str]) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "居場所ポータル API",
            "version": "1.0.0",
            "description": "居場所・子ども食堂・ふれまち活動・相談窓口の検索 (DESIGN.md §5). "
            "Every operation answers GET and HEAD only. Parameters are validated together: "
            "a bad one is a 400 whose body names it.",
        },
        "paths": {
            "/api/v1/listings/": {
                "get": {
                    "operationId": "searchListings",
                    "summary": "Search listings",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "description": "Japanese free text (kanji, kana, romaji); empty "
                            "or absent: every listing.",
                            "schema": _text(MAX_QUERY_CHARS, min_length=0),
                        },
                        _list_param(
                            "kind",
                            "Listing kinds (the codes, or their Japanese names).",
                            {"type": "string", "enum": kinds},
                        ),
                        _list_param(
                            "age",
                            "Age groups; `everyone` matches every age.",
                            {"type": "string", "enum": ages},
                        ),
                        _list_param("topic", "Topic tags.", _text(100)),
                        _list_param(
                            "area",
                            "Area codes (`/api/v1/areas/`): listings located in or inside the "
                            "area, plus those whose service area contains it. An unknown code "
                            "is a 400.",
                            _text(MAX_VALUE_CHARS),
                        ),
                        _list_param(
                            "network",
                            "Network codes (the networks pages, `/networks/`): listings taking "
                            "part in any of them. An unknown code is a 400.",
                            _text(MAX_VALUE_CHARS),
                        ),
                        _list_param(
                            "access",
                            "Ways to reach a window (the codes, or their Japanese or English "
                            "names): 相談窓口 whose access profile offers any of them (外国語, "
                            "手話, 筆談, 訪問, 夜間・休日, 匿名, オンライン). Listings of other "
                            "kinds have none. An unknown value is a 400.",
                            {"type": "string", "enum": access},
                        ),
                        {
                            "name": "near",
                            "in": "query",
                            "description": "A point `LAT,LNG` in decimal degrees (latitude "
                            "-90 to 90, longitude -180 to 180); results carry `distance_m`.",
                            "schema": {"type": "string", "pattern": NEAR_PATTERN},
                        },
                        {
                            "name": "radius",
                            "in": "query",
                            "description": "Metres around `near`. Requires `near`: without it "
                            "the answer is a 400 naming `radius`.",
                            "schema": {"type": "number", "minimum": 1, "maximum": MAX_RADIUS_M},
                        },
                        {
                            "name": "open_on",
                            "in": "query",
                            "description": "Only listings that may be open on this date "
                            f"({OPEN_ON_MIN.isoformat()} to {OPEN_ON_MAX.isoformat()}): "
                            "first those whose schedule says so (`open_on_match: sure`), then "
                            "those whose weekday matches with dates to confirm (`maybe`, "
                            "要確認). Listings with no schedule information are not returned.",
                            "schema": {
                                "type": "string",
                                "format": "date",
                                "pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$",
                            },
                        },
                        {
                            "name": "sort",
                            "in": "query",
                            "schema": {"type": "string", "enum": list(SORTS)},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE_SIZE,
                                "default": DEFAULT_PAGE_SIZE,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Best match first (nearest first for `near` "
                            "without `q`).",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResult"}
                                }
                            },
                        },
                        **_error_responses(bad_request=True),
                    },
                }
            },
            "/api/v1/areas/": {
                "get": {
                    "operationId": "listAreas",
                    "summary": "The area tree",
                    "responses": {
                        "200": {
                            "description": "Every area, root first.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/AreaList"}
                                }
                            },
                        },
                        **_error_responses(bad_request=False),
                    },
                }
            },
            "/api/v1/notices/": {
                "get": {
                    "operationId": "listNotices",
                    "summary": "Site-wide notices showing now",
                    "description": "Staff-scheduled notices between their start and end, "
                    "緊急 (emergency) first, then 重要 (important), then お知らせ (info). "
                    "A change shows here within a minute.",
                    "responses": {
                        "200": {
                            "description": "The notices showing now (often none).",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/NoticeList"}
                                }
                            },
                        },
                        **_error_responses(bad_request=False),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 description of the API.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_error_responses(bad_request=False),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": ERROR,
                "Problem": PROBLEM,
                "Listing": LISTING,
                "Crisis": CRISIS,
                "SearchResult": {
                    "type": "object",
                    "required": ["count", "results", "facets"],
                    "properties": {
                        "count": {"type": "integer"},
                        "page": {"type": "integer"},
                        "page_size": {"type": "integer"},
                        "engine": {"type": "string"},
                        "relaxed": {
                            "type": "boolean",
                            "description": "Few or no listings had every word; after those "
                            "(exact_count), these leave some out.",
                        },
                        "exact_count": {
                            "type": ["integer", "null"],
                            "description": "With relaxed: how many listings have every word "
                            "(they come first, then those doing without set_aside). null "
                            "when not relaxed.",
                        },
                        "set_aside": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "With relaxed: the words (as typed) the best result "
                            'does without, e.g. ["ペット"] for 「亀戸 こども食堂 ペット」.',
                        },
                        "crisis": {
                            "oneOf": [{"$ref": "#/components/schemas/Crisis"}, {"type": "null"}],
                            "description": "q signals danger to life or violence: show these "
                            "lines above the results. null otherwise.",
                        },
                        "understood": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "What the words were read as (a place, a day, "
                            "a fee, booking), one line per word, in the UI language.",
                        },
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Listing"},
                        },
                        "facets": {
                            "type": "object",
                            "properties": {
                                "kind": COUNTS,
                                "age": COUNTS,
                                "topic": COUNTS,
                                "area": COUNTS,
                            },
                        },
                    },
                },
                "NoticeList": NOTICE_LIST,
                "AreaList": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "code": {"type": "string"},
                                    "name": {"type": "string"},
                                    "name_kana": {"type": "string"},
                                    "tier": {"type": "string"},
                                    "parent": {"type": ["string", "null"]},
                                    "latitude": {"type": ["number", "null"]},
                                    "longitude": {"type": ["number", "null"]},
                                },
                            },
                        },
                    },
                },
            }
        },
    }
