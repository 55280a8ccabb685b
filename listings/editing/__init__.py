"""The write side of a listing (see docs/architecture.md, 「The write side」)."""
