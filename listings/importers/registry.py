"""The listings file formats the portal reads, and how a file's format is told.

Each format has a name (``import_listings --format NAME``), a label, a test of a file's header
line and its importer. A file without ``--format`` is in the first format whose header test it
passes, else the contract (whose importer then says what the header lacks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import ListingIndexPage
from . import contract, tokyo_kodomo_shokudo
from .opendata.attribution import Attribution
from .results import Progress, Report
from .table import Source, TableError, read_bytes, read_header


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    matches: Callable[[list[str]], bool]
    # (source, *, dry_run, parent, progress, attribution) → the import's result.
    run: Callable[..., Report]


def _import_contract(
    source: Source,
    *,
    dry_run: bool,
    parent: ListingIndexPage | None,
    progress: Progress | None,
    attribution: Attribution | None = None,
) -> Report:
    del attribution  # the contract carries its own 出典_* columns
    return contract.import_listings(source, dry_run=dry_run, parent=parent, progress=progress)


CONTRACT = Format(contract.NAME, contract.LABEL, contract.matches_header, _import_contract)
TOKYO_KODOMO_SHOKUDO = Format(
    tokyo_kodomo_shokudo.NAME,
    tokyo_kodomo_shokudo.LABEL,
    tokyo_kodomo_shokudo.matches_header,
    tokyo_kodomo_shokudo.import_file,
)
# In the order a header is tried: the contract first (a file with both sets of columns is ours).
FORMATS: tuple[Format, ...] = (CONTRACT, TOKYO_KODOMO_SHOKUDO)


def listing_formats() -> dict[str, str]:
    """Format name → label, for ``import_listings --format`` and anything listing formats."""
    return {known.name: known.label for known in FORMATS}


def format_named(name: str) -> Format:
    for known in FORMATS:
        if known.name == name:
            return known
    raise ValueError(f"unknown listings format: {name}")


def detect_format(data: bytes) -> Format:
    """The format a listings file is in, told by its header; the contract when unsure."""
    try:
        header = read_header(data)
    except TableError:
        return CONTRACT  # the contract importer reports what is wrong with the file
    return next((known for known in FORMATS if known.matches(header)), CONTRACT)


def import_listing_file(
    source: Source,
    *,
    format: str | None = None,
    dry_run: bool = False,
    parent: ListingIndexPage | None = None,
    progress: Progress | None = None,
    attribution: Attribution | None = None,
) -> Report:
    """Import a listings file in any known format (``format=None``: told by its header).

    ``attribution`` is used by the open-data formats for rows without their own credit.
    """
    data: Any
    try:
        data = read_bytes(source)
    except TableError:
        data = source  # the chosen importer reports it as it always does
    if format is not None:
        chosen = format_named(format)
    elif isinstance(data, bytes):
        chosen = detect_format(data)
    else:
        chosen = CONTRACT
    return chosen.run(
        data, dry_run=dry_run, parent=parent, progress=progress, attribution=attribution
    )
