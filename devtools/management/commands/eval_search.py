"""``python manage.py eval_search [--set demo|tokyo] [--json PATH] [--beside PATH…] [--verbose]``.

Scores search on a labelled set, our engine beside Wagtail's stock search:

- ``--set demo`` (default): loads the demo into an empty database (refuses a database holding
  other listings), queries ``devtools.eval.queries``;
- ``--set tokyo``: imports the real Tokyo 子ども食堂 open data with the open-data importer
  (unless already imported) and queries ``devtools/eval/sets/tokyo_opendata.json``.

Rebuilds both indexes, prints the side-by-side report and writes it as JSON. ``--beside`` adds
a one-line-per-set comparison with earlier JSON reports (``make eval`` runs both sets, each on
its own throwaway SQLite database, and prints them side by side).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devtools.eval import runner, tokyo

TOKYO_SET = runner.EvalSet(
    "tokyo",
    "make eval: 232 judged resident queries over the real Tokyo 子ども食堂 open data "
    "(devtools/eval/sets/tokyo_opendata.md), our engine against Wagtail's stock search.",
    tokyo.CATEGORIES,
    runner.TOKYO_TARGETS,
)
DEFAULT_JSON = {
    "demo": runner.DEFAULT_JSON,
    "tokyo": runner.DEFAULT_JSON.with_name("latest-tokyo.json"),
}


class Command(BaseCommand):
    help = "ラベル付きクエリで検索の質を測り、標準の Wagtail 検索と並べて表示します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--set",
            dest="set_name",
            choices=sorted(DEFAULT_JSON),
            default="demo",
            help="demo（デモの市）または tokyo（東京の子ども食堂オープンデータ）。",
        )
        parser.add_argument(
            "--json",
            dest="json_path",
            default="",
            metavar="PATH",
            help="結果の JSON を書く場所（既定: devtools/eval/results/latest[-tokyo].json）。"
            "'-' で書きません。",
        )
        parser.add_argument(
            "--beside",
            nargs="*",
            default=[],
            metavar="PATH",
            help="並べて比較する、以前の結果の JSON。",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="Wagtail 標準検索の上位10件もクエリごとに表示します。",
        )

    def handle(self, *args, set_name: str, json_path: str, beside, verbose: bool, **options):
        say = self.stderr.write
        try:
            if set_name == "tokyo":
                tokyo.import_data(say)
                queries = tokyo.load_queries()
                tokyo.check_database()
                evalset = TOKYO_SET
            else:
                runner.ensure_demo(say)
                queries, evalset = None, runner.DEMO_SET
        except (runner.EvalError, tokyo.TokyoDataMissing) as exc:
            raise CommandError(str(exc)) from exc
        say("検索インデックス（ours と Wagtail 標準）を作り直しています…")
        runner.build_indexes()
        say("クエリを実行しています…")
        results = runner.run(queries)
        titles = runner.titles_by_external_id()
        for line in runner.report_lines(results, titles, verbose=verbose, evalset=evalset):
            self.stdout.write(line)
        data = runner.to_json(results, titles, evalset)
        path = Path(json_path or DEFAULT_JSON[set_name])
        if json_path != "-":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dumps(data), encoding="utf-8")
            self.stdout.write(f"\nJSON: {path}")
        if beside:
            summaries = {}
            for other in beside:
                try:
                    earlier = json.loads(Path(other).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"--beside {other}: 読めません（{exc}）") from exc
                summaries[earlier.get("set", Path(other).stem)] = earlier
            summaries[set_name] = data
            for line in runner.side_by_side(summaries):
                self.stdout.write(line)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
