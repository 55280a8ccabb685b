"""The staff desk's reads."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q, QuerySet

from listings.models import Area, ListingPage

from .models import ImportJob
from .services.jobs import RUNNABLE, progress_key, stale_before


def recent_jobs(limit: int = 20) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").defer("data")[:limit]


def waiting_job_ids() -> list[int]:
    """Jobs a runner should take now: waiting ones, and those whose runner died."""
    return list(
        ImportJob.objects.filter(status__in=RUNNABLE)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before()))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def progress(job: ImportJob) -> dict | None:
    """{done, total} of the running phase, when this process can see it (see services.jobs)."""
    return cache.get(progress_key(job.pk)) if job.is_active else None


def listings_for_export(
    *, kind: str = "", area: Area | None = None, include_offline: bool = False
) -> QuerySet[ListingPage]:
    """The listings an export writes: live ones (or all), of a kind, located in an area."""
    listings = ListingPage.objects.all() if include_offline else ListingPage.objects.live()
    if kind:
        listings = listings.filter(kind=kind)
    if area is not None:
        listings = listings.filter(location_area__path__startswith=area.path)
    return listings.order_by("path")
