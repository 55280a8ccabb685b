from django.core.management.base import BaseCommand, CommandError

from listings.importing import import_listings, progress_printer
from listings.models import ListingIndexPage

from .import_areas import report


class Command(BaseCommand):
    help = "居場所・窓口のCSV（DESIGN.md §6 の列）を取り込み、公開します。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むCSVファイル（UTF-8 または Shift_JIS）")
        parser.add_argument(
            "--dry-run", action="store_true", help="確認だけして、何も書き込みません。"
        )
        parser.add_argument(
            "--parent",
            type=int,
            metavar="PAGE_ID",
            help="新しい居場所・窓口を作る一覧ページのID（省略時は最初の一覧ページ）",
        )

    def handle(self, *args, file: str, dry_run: bool, parent: int | None, **options):
        parent_page = None
        if parent is not None:
            parent_page = ListingIndexPage.objects.filter(pk=parent).first()
            if parent_page is None:
                raise CommandError(f"ID {parent} の「居場所・窓口の一覧」ページがありません。")
        result = import_listings(
            file,
            dry_run=dry_run,
            parent=parent_page,
            progress=progress_printer(self.stderr.write),
        )
        report(self, result)
