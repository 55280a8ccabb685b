"""The residents' search page: one box, facet filters as plain GET links and forms."""

from django.shortcuts import render

from .params import InvalidParams, parse_search_params
from .querylog import record_query
from .selectors import search_listings


def search(request):
    errors = []
    try:
        params = parse_search_params(request.GET, truncate_query=True)
    except InvalidParams as invalid:
        errors = invalid.errors
        params = None
    result, items = (None, [])
    if params is not None:
        result, items = search_listings(params)
        record_query(params, result.count, "page")
    status = 400 if errors else 200
    context = {
        "query": params.q if params else request.GET.get("q", "")[:200],
        "params": params,
        "result": result,
        "items": items,
        "results": [item.listing for item in items],
        "errors": errors,
    }
    return render(request, "pages/search.html", context, status=status)
