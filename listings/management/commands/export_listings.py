import io

from django.core.management.base import BaseCommand

from listings.exporting import export_listings_csv
from listings.hsds import export_listings_hsds

EXPORTERS = {"csv": export_listings_csv, "hsds": export_listings_hsds}


class Command(BaseCommand):
    help = (
        "公開中の居場所・窓口を書き出します（csv：DESIGN.md §6 の列、UTF-8 BOM付き／"
        "hsds：Open Referral HSDS 3 のサービス一覧 JSON、docs/hsds.md）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=list(EXPORTERS), default="csv", help="書き出す形式（csv か hsds）"
        )
        parser.add_argument("--output", metavar="FILE", help="書き出すファイル（省略時は標準出力）")

    def handle(self, *args, format: str, output: str | None, **options):
        export = EXPORTERS[format]
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = export(stream)
        else:
            # Through self.stdout so call_command(stdout=...) captures it; written in one piece
            # because OutputWrapper would add a newline after the BOM.
            buffer = io.StringIO(newline="")
            count = export(buffer)
            self.stdout.write(buffer.getvalue(), ending="")
        self.stderr.write(f"{count}件を書き出しました。")
