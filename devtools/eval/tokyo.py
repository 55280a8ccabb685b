"""The real-data set of ``make eval``: the Tokyo 子ども食堂 open data and its judged queries.

``sets/tokyo_opendata.json`` names relevant rows by their CSV record number (header = 1,
first record = 2) with the municipality code, ID and name (``sets/tokyo_opendata.md``). The
eval imports the file itself with the open-data importer (``listings.importers``), then maps
each judged row to the listing the importer made from it by running the importer's own row
reading (city resolution, duplicate merging, external IDs) over the file again — so a judged
row becomes exactly the ``external_id`` its listing carries.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings

from listings.importers import tokyo_kodomo_shokudo as tks
from listings.importers.opendata.attribution import Attribution
from listings.importers.opendata.report import OpenDataImportResult
from listings.importers.registry import import_listing_file
from listings.importers.table import read_table
from listings.models import ListingPage

from .queries import EvalQuery

SET_PATH = Path(__file__).resolve().parent / "sets" / "tokyo_opendata.json"
DATA_DIR = Path(
    os.environ.get(
        "TOKYO_OPENDATA_DIR",
        Path(settings.BASE_DIR).parent / "shared" / "data" / "tokyo-kodomo-shokudo",
    )
)
CSV_PATH = DATA_DIR / "kodomo_shokudo.csv"
# What the classes of the set exercise (tokyo_opendata.md); the runner reports each apart.
CATEGORIES = {
    "place": "towns inside longer names, spelling variants, stations, municipalities",
    "columns": "words living in one column (venue, remarks, 学区, organiser, URL)",
    "when": "weekdays, 週末/平日, times of day, meals",
    "cost": "free, cheap, amounts, per audience",
    "booking": "reservation needed or not, how to book",
    "vocabulary": "residents' words for organisers, services and people",
    "ranking": "rare words weigh more, full matches first",
    "relaxation": "nothing has every word: drop the right one",
    "english": "English queries under the English UI",
}


class TokyoDataMissing(Exception):
    """The open-data file is not where the eval expects it."""


def csv_path() -> Path:
    if not CSV_PATH.exists():
        raise TokyoDataMissing(f"東京の子ども食堂データがありません: {CSV_PATH}")
    return CSV_PATH


def import_data(say) -> str:
    """Import the file into this (throwaway) database unless its listings are already there."""
    path = csv_path()
    if ListingPage.objects.filter(external_id__startswith=tks.EXTERNAL_ID_PREFIX).exists():
        return "present"
    say(f"東京の子ども食堂データを取り込んでいます: {path.name}")
    report = import_listing_file(path, format=tks.NAME, progress=None)
    if not report.ok:
        raise TokyoDataMissing(f"取り込みに失敗しました: {report.summary()}")
    return "loaded"


def external_ids_by_record() -> dict[int, str]:
    """CSV record number (header = 1) → the external ID of the listing made from that row.

    Runs the importer's row reading (not its writing) over the file, as ``_import`` does.
    """
    table = read_table(csv_path(), tks.COLUMNS, tks.REQUIRED_COLUMNS)
    cities = tks._CityDirectory.build(table.rows)
    result = OpenDataImportResult(tks.LABEL, dry_run=True)
    places, record_of_line = [], {}
    for record, row in enumerate(table.rows, start=2):
        record_of_line[row.line] = record
        place = tks._read_row(row, cities, Attribution())
        result.city(place.city_code, place.city_name)
        if not place.skip_reason:
            places.append(place)
    kept = tks._without_duplicates(places, result)
    tks._assign_external_ids(kept)
    return {record_of_line[p.line]: p.external_id for p in kept}


def load_queries(path: Path = SET_PATH) -> list[EvalQuery]:
    data = json.loads(path.read_text(encoding="utf-8"))
    by_record = external_ids_by_record()
    queries = []
    for entry in data["queries"]:
        relevant = frozenset(by_record[r["row"]] for r in entry["relevant"])
        first = frozenset(by_record[r] for r in entry.get("first", ()))
        queries.append(
            EvalQuery(
                entry["q"],
                relevant,
                entry["class"],
                entry.get("note", ""),
                lang=entry.get("ui_lang", "ja"),
                first=first,
            )
        )
    return queries


def check_database() -> None:
    """Every judged listing must be live here (the set was judged on this file)."""
    live = set(ListingPage.objects.live().values_list("external_id", flat=True))
    missing = {ext for q in load_queries() for ext in q.relevant} - live
    if missing:
        raise TokyoDataMissing(
            f"判定済みの居場所 {len(missing)} 件がデータベースにありません"
            f"（例: {sorted(missing)[0]}）。"
        )
