"""Warming a web process before it serves, and saying whether it is warm (``/readyz``).

A process's first search pays for loading Sudachi's dictionary (about half a second) and the
index snapshot (search.memory). The production server (portal/gunicorn_conf.py) calls
``warm_up`` once at boot: in the master before forking with ``--preload`` (workers then share
those pages), else in each worker before it takes requests.
"""

from __future__ import annotations

import logging
import time

from .contract import SearchParams
from .engines import get_engine

logger = logging.getLogger(__name__)

# A real resident's query: it loads the analyser, the synonyms, the snapshot and a few
# posting lists, exactly what the first request would.
WARM_QUERY = "子ども食堂"

_analyser_warm = False


def warm_up() -> bool:
    """Run one search; return whether the index snapshot is now loaded. Never raises: a
    server whose database is not up yet still starts (``/readyz`` says it is not ready)."""
    global _analyser_warm
    started = time.perf_counter()
    from .analysis import analyse

    analyse(WARM_QUERY)
    _analyser_warm = True
    try:
        get_engine().search(SearchParams(q=WARM_QUERY))
    except Exception:
        logger.warning("search warm-up: the index could not be loaded", exc_info=True)
        return False
    logger.info("search warm-up done in %.2f s", time.perf_counter() - started)
    return True


def readiness() -> dict[str, bool]:
    """What ``/readyz`` reports: each part of the warm-up, true when done in this process."""
    from .memory import snapshot_loaded

    return {"analyser": _analyser_warm, "index": snapshot_loaded()}
