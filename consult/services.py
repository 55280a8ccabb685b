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
