"""Validate tokyo_opendata.json against the CSV it was judged on.

    python3 devtools/eval/sets/check_tokyo_opendata.py [SET.json] [kodomo_shokudo.csv]

Standard library only. Checks the schema, that every judged row exists in the file and that its
名称, ID and municipality code match it, that `first` rows are among the relevant ones, that no
relevant row is one the importer drops (no name, no municipality, or a later duplicate of the same
place), and the coverage the set promises (>= 150 queries, >= 12 per class). Exit status 1 on any
error.
"""

from __future__ import annotations

import collections
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLASSES = {
    "place",
    "columns",
    "when",
    "cost",
    "booking",
    "vocabulary",
    "ranking",
    "relaxation",
    "english",
}
MIN_QUERIES, MIN_PER_CLASS = 150, 12


def find_data() -> Path:
    for base in [HERE, *HERE.parents]:
        p = base / "shared/data/tokyo-kodomo-shokudo/kodomo_shokudo.csv"
        if p.exists():
            return p
    return Path("/work/shared/data/tokyo-kodomo-shokudo/kodomo_shokudo.csv")


def flat(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def load(csv_path: Path):
    with open(csv_path.parent / "lg_codes.csv", encoding="utf-8-sig", newline="") as f:
        lg = {r["団体コード"]: r["市区町村名"] for r in csv.DictReader(f) if r["市区町村名"]}
    by5 = {c[:5]: c for c in lg}
    byname = {n: c for c, n in lg.items()}
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        recs = list(csv.reader(f))
    head, rows = recs[0], {}
    for i, rec in enumerate(recs[1:], start=2):  # spreadsheet numbering: header = 1
        rows[i] = dict(zip(head, rec, strict=True))

    def city(r):  # the order docs/data.md gives for the importer
        code = flat(r["全国地方公共団体コード"])
        if re.fullmatch(r"\d{5,6}", code):
            return by5.get(code[:5], code)
        m = re.search(r"/(\d{6})_", r["_取得元URL"])
        if m:
            return by5.get(m.group(1)[:5], m.group(1))
        for name in (flat(r["市区町村名"]), flat(r["_自治体名"])):
            if name in byname:
                return byname[name]
        addr = re.sub(r"^東京都", "", flat(r["住所"]))
        return next((c for n, c in byname.items() if addr.startswith(n)), "")

    seen, dropped = {}, {}
    for i, r in rows.items():
        r["_city"] = city(r)
        if not flat(r["名称"]):
            dropped[i] = "no 名称"
        elif not r["_city"]:
            dropped[i] = "no municipality"
        elif re.search(r"活動を終了|活動終了", " ".join(r.values())):
            dropped[i] = "says it has ended"
        elif flat(r["住所"]):
            a = re.sub(r"^東京都", "", flat(r["住所"]))
            a = a[len(lg[r["_city"]]) :] if a.startswith(lg.get(r["_city"], "\0")) else a
            a = re.sub(r"(\d+)(丁目|番地|番|号)", r"\1-", a)
            m = re.match(r"^(.*?\d+(?:[-‐−ー－]\d+)*)", a)
            key = (r["_city"], flat(r["名称"]).casefold(), (m.group(1) if m else a).rstrip("-"))
            if key in seen:
                dropped[i] = f"duplicate of row {seen[key]}"
            else:
                seen[key] = i
    return rows, dropped


def main(argv):
    set_path = Path(argv[1]) if len(argv) > 1 else HERE / "tokyo_opendata.json"
    csv_path = Path(argv[2]) if len(argv) > 2 else find_data()
    rows, dropped = load(csv_path)
    doc = json.loads(set_path.read_text(encoding="utf-8"))
    errors = []

    def err(msg):
        errors.append(msg)

    for key in ("source", "written", "method", "queries"):
        if key not in doc:
            err(f"top level: missing {key!r}")
    if not str(doc.get("source", "")).endswith("kodomo_shokudo.csv"):
        err("top level: source should name kodomo_shokudo.csv")
    queries = doc.get("queries", [])
    seen_q = set()
    for n, q in enumerate(queries):
        where = f"query {n} {q.get('q')!r}"
        for key, typ in (
            ("q", str),
            ("ui_lang", str),
            ("class", str),
            ("intent", str),
            ("relevant", list),
        ):
            if not isinstance(q.get(key), typ) or (typ is str and not q.get(key).strip()):
                err(f"{where}: {key!r} missing or not a non-empty {typ.__name__}")
        extra = set(q) - {"q", "ui_lang", "class", "intent", "relevant", "first", "note"}
        if extra:
            err(f"{where}: unknown keys {sorted(extra)}")
        if q.get("ui_lang") not in ("ja", "en"):
            err(f"{where}: ui_lang must be ja or en")
        if q.get("class") not in CLASSES:
            err(f"{where}: class {q.get('class')!r} not one of {sorted(CLASSES)}")
        if (q.get("q"), q.get("ui_lang")) in seen_q:
            err(f"{where}: the same query appears twice")
        seen_q.add((q.get("q"), q.get("ui_lang")))
        rel = q.get("relevant") or []
        if not rel:
            err(f"{where}: no relevant row")
        nums = []
        for e in rel:
            row = e.get("row")
            if not isinstance(row, int) or row not in rows:
                err(f"{where}: row {row!r} is not a record of the CSV (2..{max(rows)})")
                continue
            nums.append(row)
            r = rows[row]
            if e.get("name") != r["名称"].strip():
                err(f"{where}: row {row} name {e.get('name')!r} != 名称 {r['名称'].strip()!r}")
            if e.get("source_id") != r["ID"].strip():
                err(
                    f"{where}: row {row} source_id {e.get('source_id')!r} != ID {r['ID'].strip()!r}"
                )
            if e.get("city_code") != r["_city"]:
                err(f"{where}: row {row} city_code {e.get('city_code')!r} != {r['_city']!r}")
            if not str(e.get("why", "")).strip():
                err(f"{where}: row {row} has no why")
            if row in dropped:
                err(f"{where}: row {row} never becomes a listing ({dropped[row]})")
        if len(nums) != len(set(nums)):
            err(f"{where}: a row is listed twice")
        first = q.get("first", [])
        if not isinstance(first, list) or not set(first) <= set(nums):
            err(f"{where}: first must list rows among the relevant ones")
    counts = collections.Counter(q.get("class") for q in queries)
    if len(queries) < MIN_QUERIES:
        err(f"only {len(queries)} queries (at least {MIN_QUERIES})")
    for c in sorted(CLASSES):
        if counts[c] < MIN_PER_CLASS:
            err(f"class {c}: {counts[c]} queries (at least {MIN_PER_CLASS})")

    sizes = sorted(len(q.get("relevant") or []) for q in queries)
    print(
        f"{set_path.name}: {len(queries)} queries, {sum(sizes)} judgements; per class "
        + ", ".join(f"{c} {counts[c]}" for c in sorted(CLASSES))
    )
    if sizes:
        print(
            f"relevant rows per query: min {sizes[0]}, median {sizes[len(sizes) // 2]}, "
            f"max {sizes[-1]}; "
            f"{sum(1 for s in sizes if s <= 3)} queries with 1-3"
        )
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
