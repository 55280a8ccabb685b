"""Placeholder search page: a plain name/reading match until the Japanese engine lands."""

from django.shortcuts import render

from .selectors import placeholder_search


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = placeholder_search(query) if query else []
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results},
    )
