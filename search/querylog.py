"""Recording what residents searched for (no personal data: no IP, no user, no exact time)."""

import logging

from django.db import DatabaseError

from .contract import SearchParams
from .models import SearchQueryLog
from .params import describe_filters

logger = logging.getLogger(__name__)


def record_query(params: SearchParams, result_count: int, source: str) -> None:
    if not params.q.strip() and not describe_filters(params):
        return
    if params.page > 1:
        return  # the same search, paged
    try:
        SearchQueryLog.objects.create(
            query=params.q.strip()[:200],
            filters=describe_filters(params),
            result_count=result_count,
            source=source,
        )
    except DatabaseError:
        # Logging must never cost a resident their answer.
        logger.exception("could not record a search query")
