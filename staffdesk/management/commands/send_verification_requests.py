from django.conf import settings
from django.core.management.base import BaseCommand

from staffdesk import selectors
from staffdesk.services import verification


class Command(BaseCommand):
    help = (
        "最終確認日が古い掲載の連絡先に、確認のお願い（署名付きリンク）をメールで送ります。"
        "cron などで定期的に（例：毎週）動かします。最近依頼したものには送りません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="送らずに件数だけ表示します")
        parser.add_argument(
            "--base-url",
            default=settings.SUBMISSION_PUBLIC_BASE_URL,
            help="リンクの先頭（公開サイトのURL）",
        )

    def handle(self, *args, dry_run: bool, base_url: str, **options):
        listings = selectors.listings_to_ask()
        self.stdout.write(
            f"確認が古い掲載のうち依頼するもの: {len(listings)}件"
            f"（{selectors.stale_months()}か月以上確認なし）"
        )

        def progress(done: int, total: int) -> None:
            if done % 20 == 0 or done == total:
                self.stdout.write(f"  {done}/{total} 宛先…")

        summary = verification.send_requests(
            listings, base_url=base_url, dry_run=dry_run, progress=progress
        )
        self.stdout.write(("（試行・送信なし）" if dry_run else "") + str(summary))
        for address in summary.failed:
            self.stderr.write(f"送信失敗: {address}")
