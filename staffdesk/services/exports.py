"""What the admin can export listings as: a registry of formats.

Each format is a label, a file extension, a content type and a writer
``(stream, queryset) -> count`` on a text stream. CSV (the exchange contract, UTF-8 with BOM for
Excel) is always there; HSDS 3 (``listings.hsds``, the same writer as
``export_listings --format hsds``) is the open-data standard. A new format is one line here and
the export page offers it with no other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet

from listings.exporting import export_listings_csv
from listings.hsds import export_listings_hsds
from listings.models import ListingPage


@dataclass(frozen=True)
class ExportFormat:
    label: str
    extension: str
    content_type: str
    write: Callable[[IO[str], QuerySet[ListingPage]], int]


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat(
        "CSV（Excelで開けます・UTF-8 BOM付き）",
        "csv",
        "text/csv; charset=utf-8",
        export_listings_csv,
    ),
    "hsds": ExportFormat(
        "HSDS 3（JSON・福祉サービス情報の国際標準形式）",
        "json",
        "application/json; charset=utf-8",
        export_listings_hsds,
    ),
}
