"""What importers of published open data share (docs/data.md).

Unlike our own CSV contract (``listings.importers.contract``), these files are not written for
us: their importers cope with messy cells, place each row under its municipality's city-tier
area, keep the source's attribution on every listing, and report what they could not use
instead of refusing the whole file.

- ``cleaning``: the three strengths of cell cleaning, and keys for spotting duplicates.
- ``schedule_text``: Japanese schedule text (第３土曜日, 毎月第2・4火曜日 …) → schedule rules.
- ``attribution``: the CC BY credit a listing keeps.
- ``report``: the per-city import report.
"""
