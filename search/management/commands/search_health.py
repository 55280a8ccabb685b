"""``manage.py search_health``: which engine answers searches, and is it well?

Reports the configured engine, whether the Elasticsearch cluster is reachable (version,
status), this process's circuit breaker, the alias and the index behind it, document counts
against the database, listings waiting to be re-sent, and the last outage any app server
reported (shared through the cache when REDIS_URL is set). ``--check`` exits with status 1
when anything is wrong (for monitoring); ``--send-pending`` re-sends waiting listings;
``--index-body`` prints the Elasticsearch index settings and mapping a rebuild uses.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search.engines import get_engine
from search.indexing import indexable_listings
from search.models import SearchDocument, SearchIndexState, SearchTerm


class Command(BaseCommand):
    help = "Report the search engine's state: cluster, breaker, alias, counts vs the database."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="exit with status 1 when degraded")
        parser.add_argument(
            "--send-pending",
            action="store_true",
            help="re-send listings whose last change did not reach the cluster",
        )
        parser.add_argument(
            "--index-body",
            action="store_true",
            help="print the Elasticsearch index settings and mapping (JSON) and stop",
        )

    def handle(self, *args, **options):
        if options["index_body"]:
            from search.es.mapping import index_body

            self.stdout.write(json.dumps(index_body(), ensure_ascii=False, indent=2))
            return
        engine = get_engine()
        live = indexable_listings().count()
        embedded = SearchDocument.objects.count()
        problems: list[str] = []
        out = self.stdout.write

        health = engine.health() if hasattr(engine, "health") else {}
        fallback = health.get("fallback")
        out(f"engine: {engine.name}" + (f" (fallback: {fallback})" if fallback else ""))
        if health:
            if options["send_pending"] and hasattr(engine, "flush_pending"):
                out(f"sent: {engine.flush_pending()} pending listings")
                health = engine.health()
            self._cluster(health, live, problems)
        out(f"documents: database {live} live, embedded index {embedded}")
        state = SearchIndexState.objects.filter(pk=1).first()
        written = (
            f", written {timezone.localtime(state.changed_at):%Y-%m-%d %H:%M %Z}" if state else ""
        )
        version = state.version if state else "(none)"
        out(f"embedded index: {SearchTerm.objects.count()} terms, version {version}{written}")
        if embedded != live:
            problems.append(f"embedded index has {embedded} documents for {live} live listings")

        if problems:
            out("status: DEGRADED")
            for problem in problems:
                out(f"  - {problem}")
            if options["check"]:
                raise CommandError("search is degraded: " + "; ".join(problems))
        else:
            out("status: OK")

    def _cluster(self, health: dict, live: int, problems: list[str]) -> None:
        out = self.stdout.write
        urls = ", ".join(health.get("urls", []))
        if health.get("reachable"):
            out(
                f"cluster: {urls} reachable — Elasticsearch {health.get('version')}, "
                f"cluster {health.get('cluster_name', '')!r}, status {health.get('status')}"
            )
            if health.get("status") == "red":
                problems.append("cluster status is red")
        else:
            out(f"cluster: {urls} UNREACHABLE — {health.get('error', 'no answer')}")
            problems.append("cluster unreachable: searches are answered by the fallback")

        breaker = health.get("breaker")
        if breaker is not None:
            line = f"breaker: {breaker.state} (consecutive failures {breaker.failures}"
            if breaker.retry_in is not None:
                line += f", next trial in {breaker.retry_in:.0f}s"
            line += ")"
            if breaker.last_error:
                line += f" last error: {breaker.last_error}"
            out(line)
            if breaker.state != "closed":
                problems.append(f"circuit breaker {breaker.state} in this process")

        indices = health.get("indices")
        alias = health.get("alias", "")
        if indices:
            out(f"alias: {alias} → {', '.join(indices)}")
            documents = health.get("documents")
            out(f"documents: elasticsearch {documents}")
            if documents != live:
                problems.append(
                    f"elasticsearch has {documents} documents for {live} live listings "
                    "(manage.py rebuild_search_index)"
                )
        elif health.get("reachable"):
            out(f"alias: {alias} missing — run manage.py rebuild_search_index")
            problems.append(f"alias {alias} missing")
        else:
            out(f"alias: {alias} (unknown: cluster unreachable)")

        pending = health.get("pending", 0)
        out(f"pending: {pending} listings waiting to be re-sent to the cluster")
        if pending:
            problems.append(f"{pending} listings missed the cluster (--send-pending)")
        outage = health.get("outage")
        if outage:
            out(
                f"outage: since {outage.get('since')} on {outage.get('process')} — "
                f"{outage.get('error')}"
            )
            problems.append("an app server reported a cluster outage")
        else:
            out("outage: none reported")
        if health.get("in_outage"):
            problems.append("this process is answering from the fallback")
