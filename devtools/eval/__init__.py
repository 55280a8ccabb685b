"""``make eval``: a labelled Japanese query set over the demo city, and a side-by-side report.

- ``queries``: the labelled set (query → relevant demo listing IDs)
- ``metrics``: recall@k, R-precision, reciprocal rank
- ``runner``: loads/indexes the demo, runs our engine and Wagtail's stock search, reports

Run with ``python manage.py eval_search`` or ``make eval`` (a throwaway database).
"""
