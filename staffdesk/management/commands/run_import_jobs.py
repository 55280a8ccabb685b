import time

from django.core.management.base import BaseCommand

from staffdesk import selectors
from staffdesk.services import jobs


class Command(BaseCommand):
    help = (
        "管理画面から登録されたCSV取り込み（試行と本番）のうち、待っているもの・途中で止まった"
        "ものを実行します。cron などで定期的に動かします（--loop で待ち続けます）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="終わらずに、この秒数ごとに待っている取り込みを探します",
        )

    def handle(self, *args, loop: float | None, **options):
        while True:
            ran = self.run_waiting()
            if loop is None:
                self.stdout.write(f"{ran}件を実行しました。")
                return
            time.sleep(loop)

    def run_waiting(self) -> int:
        ran = 0
        for pk in selectors.waiting_job_ids():
            job = jobs.run_job(pk)
            if job is None:
                continue  # another process took it
            ran += 1
            result = job.report or job.preview
            self.stdout.write(f"#{job.pk} {job.file_name}: {result.get('summary', '')}")
        return ran
