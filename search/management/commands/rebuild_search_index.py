import sys

from django.core.management.base import BaseCommand

from search.engine import get_engine


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
        report = engine.rebuild(progress)
        self.stdout.write(report.summary())
