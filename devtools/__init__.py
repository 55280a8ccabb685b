"""Development tooling, never installed in production: synthetic listings for benchmarks
(``synthetic``, ``manage.py generate_listings``), the search evaluation (``eval``,
``manage.py eval_search``, ``make eval``), the latency benchmark (``bench/run.py``,
``make bench``) and the Lighthouse run (``lighthouse.py``, ``make lighthouse``).

A Django app only so that its management commands exist: ``portal/settings/dev.py`` and
``test.py`` install it, ``base.py`` and ``production.py`` do not. The portal's apps never
import it (tests/test_layout.py checks); it uses their public APIs.
"""
