"""Read queries for concerns."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from community.models import Coordinator
from community.selectors import coordinators_for
from listings.models import Area
from listings.vocabulary import Tier
from submissions.tokens import hash_token

from .models import Concern


def keep_closed_days() -> int:
    return int(getattr(settings, "CONCERN_KEEP_CLOSED_DAYS", 90))


def keep_max_days() -> int:
    return int(getattr(settings, "CONCERN_KEEP_MAX_DAYS", 365))


def area_choices() -> QuerySet[Area]:
    """Areas a sender may pick: 圏域 and ふれまち地区 (町丁目 would say too much)."""
    return Area.objects.filter(tier__in=[Tier.JUNIOR_HIGH, Tier.ELEMENTARY])


def route(area: Area | None) -> Coordinator | None:
    """The coordinator who receives it: the area's nearest one with a notify address."""
    if area is not None:
        for coordinator in coordinators_for(area):
            if coordinator.notify_email:
                return coordinator
    return (
        Coordinator.objects.filter(area__tier=Tier.CITY)
        .exclude(notify_email="")
        .order_by("pk")
        .first()
    )


def by_link(reference: str, token: str) -> Concern | None:
    if len(token) > 128:
        return None
    return Concern.objects.filter(reference=reference, token_hash=hash_token(token)).first()


def expired(now: datetime.datetime | None = None) -> QuerySet[Concern]:
    """Concerns past their retention: closed long enough ago, or received too long ago."""
    now = now or timezone.now()
    closed_before = now - datetime.timedelta(days=keep_closed_days())
    received_before = now - datetime.timedelta(days=keep_max_days())
    return Concern.objects.filter(
        Q(status=Concern.Status.CLOSED, closed_at__lt=closed_before)
        | Q(created_at__lt=received_before)
    )
