"""Importing files: one module per format, sharing the row machinery (docs/data.md).

- ``registry``: the listings formats (name, label, header test) and ``import_listing_file``.
- ``contract``: the listings CSV contract (DESIGN.md §6), its columns, cells and importer.
- ``areas``: the Areas CSV.
- ``tokyo_kodomo_shokudo``: the Tokyo 子ども食堂一覧 open-data layout; ``opendata``: what
  open-data importers share (cleaning, schedule text, attribution, the per-city report).
- Row machinery: ``table`` (file → rows), ``cells`` (row → values, errors by line and column),
  ``results`` (what an import did, progress), ``steps`` (the all-or-nothing run) and
  ``listing_rows`` (a row → a listing created, updated or unchanged).

Nothing here imports this package's ``__init__``: import the module you need.
"""
