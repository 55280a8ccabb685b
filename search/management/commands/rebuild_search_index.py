import sys

from django.core.management.base import BaseCommand, CommandError

from portal.response_cache import bump_generation
from search.engines import get_engine
from search.fallback import RebuildError


def _index_is_empty() -> bool:
    from search.indexing import indexable_listings
    from search.models import SearchDocument

    return not SearchDocument.objects.exists() and indexable_listings().exists()


class Command(BaseCommand):
    help = "Rebuild the search index of every live listing from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the embedded index holds nothing while live listings exist "
            "(after a migration that changed the index's tables).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and not _index_is_empty():
            return
        engine = get_engine()
        step = {"next": 0}

        def progress(done: int, total: int) -> None:
            if done >= step["next"] or done == total:
                sys.stderr.write(f"  {done}/{total} 件…\n")
                step["next"] = done + max(total // 20, 500)

        self.stderr.write(f"検索インデックスを作り直します（エンジン: {engine.name}）")
        try:
            report = engine.rebuild(progress)
        except RebuildError as error:
            # Elasticsearch: the alias still points at the previous index (or none).
            raise CommandError(str(error)) from error
        # Every cached search answer predates the new index (portal.response_cache).
        bump_generation()
        self.stdout.write(report.summary())
