"""``python manage.py eval_troubles [--json PATH] [--verbose]``: troubles → windows top-3 hit
rate, dead ends, crisis recall and false alarms on ``devtools/eval/sets/troubles.json``.

Loads the demo into an empty database (refuses one holding other listings) and rebuilds the
index first, like ``eval_search``. ``make eval`` runs both on a throwaway SQLite database.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools.eval import runner, troubles
from search.engines import get_engine


class Command(BaseCommand):
    help = "困りごとの語句から窓口にたどり着けるか、緊急の相談ブロックが出るかを測ります。"

    def add_arguments(self, parser):
        parser.add_argument("--json", dest="json_path", default=str(troubles.DEFAULT_JSON))
        parser.add_argument("--verbose", action="store_true")

    def handle(self, *args, json_path: str, verbose: bool, **options):
        say = self.stdout.write
        try:
            runner.ensure_demo(self.stderr.write)
        except runner.EvalError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("検索インデックスを作り直しています…")
        get_engine().rebuild()
        report = troubles.run(say)
        troubles.print_report(report, say, verbose=verbose)
        if json_path != "-":
            troubles.write_json(report, Path(json_path))
            self.stderr.write(f"JSON: {json_path}")
