from django.core.management.base import BaseCommand

from community.importing import import_area_lookup
from listings.importers.results import progress_printer
from listings.management.commands.import_areas import report


class Command(BaseCommand):
    help = "「自分の地域を探す」の検索語CSV（種類, 名称, 名称_カナ, 地区コード）を取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むCSVファイル（UTF-8 または Shift_JIS）")
        parser.add_argument(
            "--dry-run", action="store_true", help="確認だけして、何も書き込みません。"
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        result = import_area_lookup(
            file, dry_run=dry_run, progress=progress_printer(self.stderr.write)
        )
        report(self, result)
