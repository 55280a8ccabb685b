"""``python manage.py eval_search [--json PATH] [--verbose]``: score search on the labelled set.

Loads the demo into an empty database (refuses a database holding other listings), rebuilds
both indexes, runs every query of ``devtools.eval.queries`` through our engine and Wagtail's
stock search, prints the side-by-side report and writes it as JSON. ``make eval`` does this on
a throwaway SQLite database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools.eval import runner


class Command(BaseCommand):
    help = "ラベル付きクエリで検索の質を測り、標準の Wagtail 検索と並べて表示します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            dest="json_path",
            default=str(runner.DEFAULT_JSON),
            metavar="PATH",
            help=f"結果の JSON を書く場所（既定: {runner.DEFAULT_JSON}）。'-' で書きません。",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="Wagtail 標準検索の上位10件もクエリごとに表示します。",
        )

    def handle(self, *args, json_path: str, verbose: bool, **options):
        say = self.stderr.write
        try:
            runner.ensure_demo(say)
        except runner.EvalError as exc:
            raise CommandError(str(exc)) from exc
        say("検索インデックス（ours と Wagtail 標準）を作り直しています…")
        runner.build_indexes()
        say("クエリを実行しています…")
        results = runner.run()
        titles = runner.titles_by_external_id()
        for line in runner.report_lines(results, titles, verbose=verbose):
            self.stdout.write(line)
        if json_path != "-":
            path = Path(json_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dumps(runner.to_json(results, titles)), encoding="utf-8")
            self.stdout.write(f"\nJSON: {path}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
