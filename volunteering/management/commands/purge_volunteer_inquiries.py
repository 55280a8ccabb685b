from django.core.management.base import BaseCommand

from volunteering import selectors, services


class Command(BaseCommand):
    help = (
        "受付から VOLUNTEER_INQUIRY_KEEP_DAYS 日（既定 365日）を過ぎた参加の問い合わせ"
        "（お名前・連絡先）を削除します。毎日 cron などで実行してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="件数を数えるだけで、削除しません。"
        )

    def handle(self, *args, dry_run: bool, **options):
        count = services.purge(dry_run=dry_run)
        verb = "削除の対象" if dry_run else "削除しました"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: {count}件（受付から{selectors.keep_days()}日で削除）")
        )
