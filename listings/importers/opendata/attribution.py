"""The credit open data keeps (CC BY 4.0): who published it, in which dataset, under which
license, from where. Each listing keeps its own (``source_*`` fields), since one compiled file
mixes many sources."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Attribution:
    """Attribution for rows without ``_自治体名`` … columns (a city's own published file)."""

    municipality: str = ""
    dataset: str = ""
    license: str = ""
    url: str = ""
    # How current the data is: the dataset's own date, else the day it was fetched.
    date: datetime.date | None = None
