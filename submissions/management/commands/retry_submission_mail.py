from django.core.management.base import BaseCommand

from submissions import selectors, services


class Command(BaseCommand):
    help = (
        "送れなかった投稿のメール（失敗したもの、送信待ちのまま残ったもの）をもう一度送ります。"
        "cron などで定期的に実行できます。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stuck-after",
            type=int,
            default=10,
            metavar="MINUTES",
            help="送信待ちのまま、この分数より古いメールも送り直す（既定 10 分）",
        )

    def handle(self, *args, stuck_after: int, **options):
        sent, failed = services.retry_failed_mail(selectors.retryable_emails(stuck_after))
        self.stdout.write(f"送信 {sent}通、失敗 {failed}通。")
        if failed:
            self.stderr.write("送れなかったメールは管理画面「地域からの投稿」で確認できます。")
