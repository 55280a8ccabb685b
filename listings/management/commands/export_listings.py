import io

from django.core.management.base import BaseCommand

from listings.exporting import export_listings_csv


class Command(BaseCommand):
    help = "公開中の居場所・窓口を書き出します（CSV は DESIGN.md §6 の列、UTF-8 BOM付き）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["csv"], default="csv", help="書き出す形式（今は csv のみ）"
        )
        parser.add_argument("--output", metavar="FILE", help="書き出すファイル（省略時は標準出力）")

    def handle(self, *args, format: str, output: str | None, **options):
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = export_listings_csv(stream)
        else:
            # Through self.stdout so call_command(stdout=...) captures it; written in one piece
            # because OutputWrapper would add a newline after the BOM.
            buffer = io.StringIO(newline="")
            count = export_listings_csv(buffer)
            self.stdout.write(buffer.getvalue(), ending="")
        self.stderr.write(f"{count}件を書き出しました。")
