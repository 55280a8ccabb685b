import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from listings.importers.opendata.attribution import Attribution
from listings.importers.registry import import_listing_file, listing_formats
from listings.importers.results import progress_printer
from listings.models import ListingIndexPage

from .import_areas import report


class Command(BaseCommand):
    help = (
        "居場所・窓口のCSVを取り込み、公開します。形式は見出し行で判別します"
        "（DESIGN.md §6 の列、または東京都オープンデータの「子ども食堂一覧」）。"
    )

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
        formats = listing_formats()
        parser.add_argument(
            "--format",
            choices=list(formats),
            help="ファイルの形式（省略時は見出し行で判別）: "
            + "、".join(f"{code}＝{label}" for code, label in formats.items()),
        )
        group = parser.add_argument_group(
            "出典（オープンデータの形式で、ファイルに _自治体名 などの列がないとき）"
        )
        group.add_argument("--source-municipality", default="", help="例：西東京市")
        group.add_argument("--source-dataset", default="", help="例：子ども食堂一覧")
        group.add_argument(
            "--source-license", default="", help="例：クリエイティブ・コモンズ 表示 4.0 国際"
        )
        group.add_argument("--source-url", default="", help="データを取得したURL")
        parser.add_argument(
            "--source-date",
            type=_date,
            metavar="YYYY-MM-DD",
            help="オープンデータの時点（公開日・取得日）。省略時はファイルの更新日。"
            "ページに「データの時点」として表示します。",
        )

    def handle(self, *args, file: str, dry_run: bool, parent: int | None, **options):
        parent_page = None
        if parent is not None:
            parent_page = ListingIndexPage.objects.filter(pk=parent).first()
            if parent_page is None:
                raise CommandError(f"ID {parent} の「居場所・窓口の一覧」ページがありません。")
        attribution = Attribution(
            municipality=options["source_municipality"],
            dataset=options["source_dataset"],
            license=options["source_license"],
            url=options["source_url"],
            date=options["source_date"] or _file_date(file),
        )
        result = import_listing_file(
            file,
            format=options["format"],
            dry_run=dry_run,
            parent=parent_page,
            progress=progress_printer(self.stderr.write),
            attribution=attribution,
        )
        report(self, result)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"日付は YYYY-MM-DD の形で指定してください: {value}"
        ) from exc


def _file_date(file: str) -> datetime.date | None:
    """The day the file was fetched, as far as the file says (its modification date)."""
    try:
        return datetime.date.fromtimestamp(Path(file).stat().st_mtime)
    except OSError:
        return None
