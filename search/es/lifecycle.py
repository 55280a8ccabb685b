"""Index lifecycle: versioned indices behind one alias, rebuilt from the database and swapped
atomically; single listings are written and removed through the alias.

``<prefix>-listings`` is an alias pointing at exactly one ``<prefix>-listings-<timestamp>``
index. A rebuild bulk-loads a fresh index (no refresh, then one refresh), moves the alias in
one ``update_aliases`` call (readers see the old index until that instant, never an empty one),
deletes the old index, and then catches up with what was published, unpublished or deleted
while it ran. The database stays the source of truth: any index can be rebuilt from it.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers

from listings.models import Area, ListingPage, ScheduleRule

from ..analysis import SynonymTable
from ..documents import build_document
from ..indexing import indexable_listings
from ..synonyms import synonym_table
from .mapping import KUROMOJI_PLUGIN, index_body, to_source

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Bulk loading and alias moves may take longer than a search's short timeout.
ADMIN_TIMEOUT = 120.0


class IndexWriteError(Exception):
    """Some documents of a bulk write were rejected by the cluster."""


def alias_name(prefix: str) -> str:
    return f"{prefix}-listings"


def new_index_name(prefix: str, now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return f"{alias_name(prefix)}-{now:%Y%m%d%H%M%S%f}"


def is_versioned_index(prefix: str, name: str) -> bool:
    return re.fullmatch(re.escape(alias_name(prefix)) + r"-\d{20}", name) is not None


# ---------------------------------------------------------------------------- documents
def listing_sources(
    listings: list[ListingPage],
    areas: dict[str, Area] | None = None,
    synonyms: SynonymTable | None = None,
) -> list[dict[str, Any]]:
    """Documents for these listings (relations prefetched as ``indexable_listings`` does)."""
    if not listings:
        return []
    areas = areas if areas is not None else {a.code: a for a in Area.objects.all()}
    synonyms = synonyms if synonyms is not None else synonym_table()
    rules: dict[int, list[ScheduleRule]] = defaultdict(list)
    for rule in ScheduleRule.objects.filter(listing_id__in=[lst.pk for lst in listings]):
        rules[rule.listing_id].append(rule)
    return [to_source(build_document(lst, areas, synonyms), rules[lst.pk]) for lst in listings]


def _is_harmless(item: dict[str, Any]) -> bool:
    """A delete of something already gone."""
    op, result = next(iter(item.items()))
    return op == "delete" and result.get("status") == 404


def write(
    client: Elasticsearch,
    index: str,
    sources: Iterable[dict[str, Any]],
    delete_ids: Iterable[int] = (),
    *,
    refresh: bool | str = True,
    require_alias: bool = True,
) -> int:
    """Index ``sources`` and delete ``delete_ids`` in one bulk request (through the alias by
    default: a missing alias is an error, never an auto-created index)."""
    actions: list[dict[str, Any]] = [
        {"_op_type": "index", "_index": index, "_id": str(s["listing_id"]), "_source": s}
        for s in sources
    ]
    indexed = len(actions)
    actions += [
        {"_op_type": "delete", "_index": index, "_id": str(pk)} for pk in sorted(set(delete_ids))
    ]
    if not actions:
        return 0
    _ok, errors = helpers.bulk(
        client,
        actions,
        raise_on_error=False,
        refresh=refresh,
        require_alias=require_alias,
    )
    failed = [e for e in errors if not _is_harmless(e)]  # type: ignore[arg-type]
    if failed:
        raise IndexWriteError(f"{len(failed)} bulk item(s) failed; first: {failed[0]}")
    return indexed


# ---------------------------------------------------------------------------- indices
def has_kuromoji(client: Elasticsearch) -> bool:
    """True when every node of the cluster has the analysis-kuromoji plugin."""
    nodes = client.nodes.info(metric="plugins").get("nodes", {})
    return bool(nodes) and all(
        any(p.get("name") == KUROMOJI_PLUGIN for p in node.get("plugins", []))
        for node in nodes.values()
    )


def create_index(
    client: Elasticsearch, name: str, *, kuromoji: bool = False, bulk_loading: bool = False
) -> None:
    body = index_body(kuromoji=kuromoji, bulk_loading=bulk_loading)
    client.options(request_timeout=ADMIN_TIMEOUT).indices.create(
        index=name, settings=body["settings"], mappings=body["mappings"]
    )


def aliased_indices(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def alias_actions(
    alias: str, new_index: str, old_indices: Iterable[str], *, replace_concrete: bool = False
) -> list[dict[str, Any]]:
    """One atomic ``update_aliases``: the alias leaves the old indices and points at the new
    one. ``replace_concrete`` also drops a plain index squatting on the alias's name (one
    auto-created by a write before the first rebuild)."""
    actions: list[dict[str, Any]] = []
    if replace_concrete:
        actions.append({"remove_index": {"index": alias}})
    actions += [
        {"remove": {"index": old, "alias": alias}} for old in old_indices if old != new_index
    ]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions


def _concrete_index_named(client: Elasticsearch, alias: str) -> bool:
    return bool(client.indices.exists(index=alias)) and not aliased_indices(client, alias)


def ensure_index(client: Elasticsearch, prefix: str, *, kuromoji: bool | None = None) -> str:
    """The index behind the alias, creating an empty one (and the alias) if there is none."""
    alias = alias_name(prefix)
    current = aliased_indices(client, alias)
    if current:
        return current[0]
    name = new_index_name(prefix)
    create_index(client, name, kuromoji=_kuromoji(client) if kuromoji is None else kuromoji)
    client.indices.update_aliases(
        actions=alias_actions(
            alias, name, [], replace_concrete=_concrete_index_named(client, alias)
        )
    )
    return name


def drop(client: Elasticsearch, prefix: str) -> list[str]:
    """Delete every index of this prefix (decommissioning, test clean-up). Names are listed
    explicitly: clusters refuse wildcard deletes by default."""
    try:
        names = list(client.indices.get(index=f"{alias_name(prefix)}-*").keys())
    except NotFoundError:
        names = []
    names = [n for n in names if is_versioned_index(prefix, n)]
    for name in names:
        client.options(ignore_status=404).indices.delete(index=name)
    return names


def _kuromoji(client: Elasticsearch) -> bool:
    try:
        return has_kuromoji(client)
    except Exception as error:  # a restricted user may not read node info
        logger.info("kuromoji detection skipped: %s", error)
        return False


# ---------------------------------------------------------------------------- rebuild
@dataclass
class EsRebuildReport:
    documents: int
    index: str
    alias: str
    removed_indices: list[str] = field(default_factory=list)
    caught_up: int = 0
    seconds: float = 0.0
    kuromoji: bool = False

    def summary(self) -> str:
        removed = ", ".join(self.removed_indices) or "なし"
        return (
            f"Elasticsearch: {self.alias} → {self.index} に切り替えました: "
            f"{self.documents}件, 追いつき {self.caught_up}件, 旧インデックス削除 {removed}, "
            f"{self.seconds:.1f}秒"
        )


def rebuild(
    client: Elasticsearch,
    prefix: str,
    progress: Callable[[int, int], None] | None = None,
    *,
    kuromoji: bool | None = None,
) -> EsRebuildReport:
    started = time.monotonic()
    since = timezone.now()
    alias = alias_name(prefix)
    name = new_index_name(prefix)
    kuromoji = _kuromoji(client) if kuromoji is None else kuromoji
    admin = client.options(request_timeout=ADMIN_TIMEOUT)
    create_index(client, name, kuromoji=kuromoji, bulk_loading=True)
    try:
        done = _bulk_load(admin, name, progress)
        admin.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        admin.indices.refresh(index=name)
        old = aliased_indices(client, alias)
        replace = not old and _concrete_index_named(client, alias)
        admin.indices.update_aliases(
            actions=alias_actions(alias, name, old, replace_concrete=replace)
        )
    except BaseException:
        admin.options(ignore_status=404).indices.delete(index=name)
        raise
    for old_index in old:
        admin.options(ignore_status=404).indices.delete(index=old_index)
    caught_up = reconcile(client, alias, since)
    return EsRebuildReport(
        documents=done,
        index=name,
        alias=alias,
        removed_indices=[o for o in old if o != name],
        caught_up=caught_up,
        seconds=time.monotonic() - started,
        kuromoji=kuromoji,
    )


def _bulk_load(
    client: Elasticsearch, index: str, progress: Callable[[int, int], None] | None
) -> int:
    queryset = indexable_listings()
    ids = list(queryset.values_list("pk", flat=True))
    total = len(ids)
    areas = {a.code: a for a in Area.objects.all()}
    synonyms = synonym_table()

    def actions() -> Iterator[dict[str, Any]]:
        for start in range(0, total, BATCH_SIZE):
            batch = list(queryset.filter(pk__in=ids[start : start + BATCH_SIZE]))
            for source in listing_sources(batch, areas, synonyms):
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": str(source["listing_id"]),
                    "_source": source,
                }

    done = 0
    for _ok, _item in helpers.streaming_bulk(
        client, actions(), chunk_size=BATCH_SIZE, raise_on_error=True, max_retries=3
    ):
        done += 1
        if progress and (done % BATCH_SIZE == 0 or done == total):
            progress(done, total)
    return done


def indexed_ids(client: Elasticsearch, index: str) -> set[int]:
    return {
        int(hit["_id"])
        for hit in helpers.scan(
            client.options(request_timeout=ADMIN_TIMEOUT),
            index=index,
            query={"query": {"match_all": {}}, "_source": False},
            size=1_000,
        )
    }


def reconcile(client: Elasticsearch, alias: str, since: datetime.datetime | None = None) -> int:
    """Make the index agree with the database: add missing live listings, re-send those
    published since ``since``, remove what is no longer live. Returns how many changed."""
    live = set(indexable_listings().values_list("pk", flat=True))
    present = indexed_ids(client, alias)
    changed: set[int] = set()
    if since is not None:
        changed = set(
            ListingPage.objects.filter(pk__in=live, last_published_at__gte=since).values_list(
                "pk", flat=True
            )
        )
    to_index = sorted((live - present) | changed)
    to_remove = present - live
    admin = client.options(request_timeout=ADMIN_TIMEOUT)
    for start in range(0, len(to_index), BATCH_SIZE):
        batch = list(indexable_listings().filter(pk__in=to_index[start : start + BATCH_SIZE]))
        write(admin, alias, listing_sources(batch), refresh=False)
    if to_remove:
        write(admin, alias, [], to_remove, refresh=False)
    if to_index or to_remove:
        admin.indices.refresh(index=alias)
    return len(to_index) + len(to_remove)
