import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from search.models import SearchQueryLog


class Command(BaseCommand):
    help = (
        "保存期間（SEARCH_LOG_RETENTION_DAYS、既定365日）より古い検索の記録を削除します。"
        "cron などで毎日動かします。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="この日数より古い記録を削除します（省略時は設定の値）",
        )
        parser.add_argument("--dry-run", action="store_true", help="削除せずに件数だけ表示します")

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        days = days if days is not None else settings.SEARCH_LOG_RETENTION_DAYS
        if days < 1:
            self.stderr.write("--days は1以上にしてください。")
            return
        before = timezone.localdate() - datetime.timedelta(days=days)
        old = SearchQueryLog.objects.filter(searched_on__lt=before)
        count = old.count()
        if not dry_run:
            old.delete()
        verb = "削除します（試行）" if dry_run else "削除しました"
        self.stdout.write(f"{before:%Y-%m-%d} より前の検索の記録 {count}件を{verb}。")
