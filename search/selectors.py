from django.db.models import Q

from listings.selectors import public_listings

MAX_RESULTS = 50


def placeholder_search(query: str):
    """Substring match on name, reading and description (no variants, no readings)."""
    terms = query.split()
    queryset = public_listings()
    for term in terms:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(name_kana__icontains=term)
            | Q(description__icontains=term)
            | Q(consultation_keywords__icontains=term)
        )
    return list(queryset.order_by("title")[:MAX_RESULTS])
