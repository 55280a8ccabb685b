from django.core.management.base import BaseCommand

from concerns import selectors, services


class Command(BaseCommand):
    help = (
        "保存期間を過ぎた「気になる人・困りごとの連絡」を削除します"
        "（対応終了から CONCERN_KEEP_CLOSED_DAYS 日、受付から CONCERN_KEEP_MAX_DAYS 日）。"
        "毎日 cron などで実行してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="件数を数えるだけで、削除しません。"
        )

    def handle(self, *args, dry_run: bool, **options):
        count = services.purge(dry_run=dry_run)
        verb = "削除の対象" if dry_run else "削除しました"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {count}件（対応終了から{selectors.keep_closed_days()}日、"
                f"受付から{selectors.keep_max_days()}日で削除）"
            )
        )
