import datetime

from django.core.management.base import BaseCommand

from submissions import recovery


class Command(BaseCommand):
    help = (
        "保存したのに下書きを作れなかった投稿（作成待ちのまま残ったもの）の下書きを作り直します。"
        "cron などで定期的に実行できます（1日たっても作れないものは管理画面で対応します）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stuck-after",
            type=int,
            default=int(recovery.STUCK_AFTER.total_seconds() // 60),
            metavar="MINUTES",
            help="作成待ちになってから、この分数より古いものを作り直す（既定 10 分）",
        )

    def handle(self, *args, stuck_after: int, **options):
        due = list(recovery.due(datetime.timedelta(minutes=stuck_after)))
        made = 0
        for number, submission in enumerate(due, start=1):
            ok = recovery.retry(submission.pk)
            made += ok
            result = "作りました" if ok else "作れませんでした"
            self.stdout.write(f"[{number}/{len(due)}] {submission.reference}: {result}")
        self.stdout.write(f"下書き {made}件を作りました（失敗 {len(due) - made}件）。")
        if len(due) - made:
            self.stderr.write("作れなかった投稿は管理画面「地域からの投稿」で確認できます。")
