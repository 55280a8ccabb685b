import sys

from django.core.management.base import BaseCommand, CommandError

from search.engine import get_engine
from search.fallback import RebuildError


class Command(BaseCommand):
    help = "Rebuild the search index of every live listing from the database."

    def handle(self, *args, **options):
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
        self.stdout.write(report.summary())
