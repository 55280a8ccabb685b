"""The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from .contract import SORTS
from .params import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_RADIUS_M


def _list_param(name: str, description: str, enum: list[str] | None = None) -> dict:
    items: dict = {"type": "string"}
    if enum:
        items["enum"] = enum
    return {
        "name": name,
        "in": "query",
        "description": description + " Repeat the parameter or separate values by commas (OR).",
        "schema": {"type": "array", "items": items},
        "style": "form",
        "explode": True,
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
            "items": {
                "type": "object",
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
            },
        },
    },
}

COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}


def openapi_document(*, kinds: list[str], ages: list[str]) -> dict:
    bad_request = {
        "description": "A parameter is invalid; the error names it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "居場所ポータル API",
            "version": "1.0.0",
            "description": "居場所・子ども食堂・ふれまち活動・相談窓口の検索 (DESIGN.md §5).",
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
                            "description": "Japanese free text (kanji, kana, romaji).",
                            "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
                        },
                        _list_param("kind", "Listing kinds.", kinds),
                        _list_param("age", "Age groups; `everyone` matches every age.", ages),
                        _list_param("topic", "Topic tags."),
                        _list_param(
                            "area",
                            "Area codes: listings located in or inside the area, plus those "
                            "whose service area contains it.",
                        ),
                        {
                            "name": "near",
                            "in": "query",
                            "description": "A point `LAT,LNG`; results carry `distance_m`.",
                            "schema": {
                                "type": "string",
                                "pattern": r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$",
                            },
                        },
                        {
                            "name": "radius",
                            "in": "query",
                            "description": "Metres around `near`.",
                            "schema": {"type": "number", "minimum": 1, "maximum": MAX_RADIUS_M},
                        },
                        {
                            "name": "open_on",
                            "in": "query",
                            "description": "Only listings open on this date.",
                            "schema": {"type": "string", "format": "date"},
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
                        "400": bad_request,
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
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": ERROR,
                "Listing": LISTING,
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
                            "description": "No listing had every word; these have all but one.",
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
