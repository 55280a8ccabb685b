from django.core.management.base import BaseCommand, CommandError

from listings.importers.areas import import_areas
from listings.importers.results import Report, progress_printer


class Command(BaseCommand):
    help = "地域CSV（コード, 名称, 名称_カナ, 階層, 親コード, 緯度, 経度）を取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むCSVファイル（UTF-8 または Shift_JIS）")
        parser.add_argument(
            "--dry-run", action="store_true", help="確認だけして、何も書き込みません。"
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        result = import_areas(file, dry_run=dry_run, progress=progress_printer(self.stderr.write))
        report(self, result)


def report(command: BaseCommand, result: Report) -> None:
    """Every error on stderr (and a non-zero exit status); else the report, then the summary."""
    for error in result.errors:
        command.stderr.write(str(error))
    if not result.ok:
        raise CommandError(result.summary())
    for line in result.report_lines():
        command.stdout.write(line)
    command.stdout.write(command.style.SUCCESS(result.summary()))
