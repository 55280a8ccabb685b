"""Importers for open-data layouts that municipalities already publish (docs/data.md).

Unlike our own CSV contract (``listings.importing``), these files are not written for us: the
importers cope with messy cells, place each row under its municipality's city-tier area, keep
the source's attribution on every listing, and report what they could not use instead of
refusing the whole file.

- ``schedule_text``: Japanese schedule text (第３土曜日, 毎月第2・4火曜日 …) → schedule rules.
- ``tokyo_kodomo_shokudo``: the Tokyo 子ども食堂一覧 layout.
- ``report``: the per-city import report.
"""
