"""Read queries for volunteering: the public list (filters) and the coordinators' matching view."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from listings.models import Area

from .models import VolunteerInquiry, VolunteerOpportunity


def open_opportunities(
    *, q: str = "", area: Area | None = None, network: str = ""
) -> QuerySet[VolunteerOpportunity]:
    """Open opportunities; ``area``: in it or below, or covering it (DESIGN.md §3's rule)."""
    queryset = VolunteerOpportunity.objects.filter(is_open=True).select_related(
        "area", "network", "coordinator"
    )
    for word in q.split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(role__icontains=word)
            | Q(who_can__icontains=word)
            | Q(description__icontains=word)
            | Q(place__icontains=word)
        )
    if area is not None:
        queryset = queryset.filter(
            Q(area__path__startswith=area.path) | Q(area__code__in=area.ancestor_codes)
        )
    if network:
        queryset = queryset.filter(network__code=network)
    return queryset


def keep_days() -> int:
    return int(getattr(settings, "VOLUNTEER_INQUIRY_KEEP_DAYS", 365))


def expired_inquiries(now: datetime.datetime | None = None) -> QuerySet[VolunteerInquiry]:
    """Inquiries received more than ``VOLUNTEER_INQUIRY_KEEP_DAYS`` ago (names, contacts)."""
    now = now or timezone.now()
    return VolunteerInquiry.objects.filter(
        created_at__lt=now - datetime.timedelta(days=keep_days())
    )


def matching() -> list[VolunteerOpportunity]:
    """Every opportunity with its inquiries (who asked for what), newest inquiries first."""
    inquiries = VolunteerInquiry.objects.order_by("-created_at")
    return list(
        VolunteerOpportunity.objects.select_related("area", "coordinator").prefetch_related(
            Prefetch("inquiries", queryset=inquiries)
        )
    )
