"""The residents' search page: one box, facet filters as plain GET forms (no JavaScript).

The view only wires: parse the parameters, search, log, build the page (``search.presenters``)
and render. Anonymous GETs are served from the response cache (``portal.response_cache``) until
the content changes; the query log still records those searches. The page costs the same
number of queries whatever it shows.
"""

from django.shortcuts import render

from community.selectors import network_names
from consult.selectors import (
    FEW_RESULTS,
    crisis_for,
    fallback_windows,
    troubles_for,
    windows_for_troubles,
)
from pages.selectors import information_pages_for
from portal.response_cache import cache_anonymous_get

from .params import MAX_QUERY_CHARS, InvalidParams, parse_search_params
from .presenters import page_context
from .querylog import record_query, replay
from .selectors import search_listings, search_page_areas


@cache_anonymous_get(on_hit=replay)
def search(request):
    errors = []
    try:
        params = parse_search_params(request.GET, truncate_query=True)
    except InvalidParams as invalid:
        errors = invalid.errors
        params = None
    result, items = (None, [])
    logged = None
    if params is not None:
        result, items = search_listings(params)
        logged = record_query(params, result.count, "page")
    status = 400 if errors else 200
    context = page_context(
        request.GET, params, result, items, errors, search_page_areas(), network_names()
    )
    # Danger to life or violence in what was typed: crisis lines above everything (consult).
    context["crisis"] = crisis = crisis_for(request.GET.get("q", "")[:MAX_QUERY_CHARS])
    if crisis:
        local = fallback_windows(params.areas if params else ())
        context["crisis_window"] = local[0] if local else None
    # The windows for the troubles the words describe, above the results (consult).
    if params is not None and params.q.strip():
        matches = troubles_for(params.q)
        context["trouble_matches"] = matches
        context["trouble_windows"] = windows_for_troubles(matches, params.areas)
    # Information pages (how to choose a window…) as their own section of results.
    if params is not None and params.q.strip():
        context["information_pages"] = information_pages_for(params.q)
    # Never a dead end: few or no results also offer the one-stop and local windows (consult).
    if result is not None and result.count < FEW_RESULTS:
        context["fallback_windows"] = fallback_windows(params.areas)
    response = render(request, "pages/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response.cache_meta = logged  # logged again when served from the response cache
    return response
