"""Writes for the consult app: the reviewed default crisis lines and trigger words."""

from __future__ import annotations

import json
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
CRISIS_SEED = SEEDS / "crisis.json"


def seed_crisis_defaults(line_model=None, category_model=None) -> bool:
    """Create the reviewed default lines and categories (consult/seeds/crisis.json) when both
    tables are empty; never touches staff edits. The migration passes its historical models.
    Returns whether anything was created."""
    if line_model is None or category_model is None:
        from .models import CrisisCategory, CrisisLine

        line_model, category_model = CrisisLine, CrisisCategory
    if line_model.objects.exists() or category_model.objects.exists():
        return False
    data = json.loads(CRISIS_SEED.read_text(encoding="utf-8"))
    lines = {}
    for row in data["lines"]:
        lines[row["name"]] = line_model.objects.create(
            name=row["name"],
            number=row["number"],
            hours=row.get("hours", ""),
            description=row.get("description", ""),
            url=row.get("url", ""),
            source=row["source"],
            sort_order=row.get("sort_order", 100),
        )
    for row in data["categories"]:
        category = category_model.objects.create(
            code=row["code"],
            name=row["name"],
            message=row["message"],
            triggers="\n".join(row["triggers"]),
            local_window_note=row.get("local_window_note", ""),
            sort_order=row.get("sort_order", 100),
        )
        category.lines.set([lines[name] for name in row["lines"]])
    return True


def set_fallback_windows(one_stop, local) -> int:
    """Make ``one_stop`` then ``local`` (listing pages) the windows offered where a search finds
    little or nothing, if staff have not chosen any yet. Returns how many were added."""
    from .models import FallbackWindow

    if FallbackWindow.objects.exists():
        return 0
    rows = [
        FallbackWindow(listing=page, role=FallbackWindow.Role.ONE_STOP, sort_order=i)
        for i, page in enumerate(one_stop)
    ] + [
        FallbackWindow(listing=page, role=FallbackWindow.Role.LOCAL, sort_order=10 + i)
        for i, page in enumerate(local)
    ]
    FallbackWindow.objects.bulk_create(rows)
    return len(rows)


def seed_troubles(troubles=None) -> int:
    """Create the default 困りごと list (``consult.seeds.troubles``) when there is none, linking
    each to the live windows with the listed external IDs. Returns how many were created."""
    from listings.models import ListingPage

    from .models import Trouble, TroubleWindow

    if Trouble.objects.exists():
        return 0
    if troubles is None:
        from .seeds.troubles import TROUBLES as troubles
    wanted = {i for spec in troubles for i in spec["windows"]}
    pages = dict(
        ListingPage.objects.filter(external_id__in=wanted).values_list("external_id", "pk")
    )
    for order, spec in enumerate(troubles):
        trouble = Trouble.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            group=spec["group"],
            summary=spec.get("summary", ""),
            triggers="\n".join(spec["triggers"]),
            sort_order=order,
        )
        TroubleWindow.objects.bulk_create(
            TroubleWindow(trouble=trouble, listing_id=pages[ext], sort_order=i)
            for i, ext in enumerate(dict.fromkeys(spec["windows"]))
            if ext in pages
        )
    return len(troubles)


def set_window_profiles(profiles: dict) -> int:
    """``{external_id: {"access": [...], "languages": "", "related": [external ids]}}``: create
    the profiles of windows that have none (demo). Returns how many were created."""
    from listings.models import ListingPage

    from .models import WindowProfile

    wanted = set(profiles) | {i for p in profiles.values() for i in p.get("related", ())}
    pages = {p.external_id: p for p in ListingPage.objects.filter(external_id__in=wanted)}
    created = 0
    for external_id, spec in profiles.items():
        page = pages.get(external_id)
        if page is None or WindowProfile.objects.filter(listing=page).exists():
            continue
        profile = WindowProfile(
            listing=page, access=list(spec.get("access", ())), languages=spec.get("languages", "")
        )
        profile.save()
        profile.related.set([pages[i] for i in spec.get("related", ()) if i in pages])
        profile.save()
        created += 1
    return created
