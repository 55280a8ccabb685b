from django.core.management.base import BaseCommand, CommandError

from devtools import synthetic


class Command(BaseCommand):
    help = (
        "ベンチマーク用の合成データ（地域 syn-*、居場所・窓口 SYN-*）を作成します。"
        "同じ --seed なら同じ内容になります。作成後に検索インデックスを作り直してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="作成する件数（既定 1000）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（既定 1）")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="作成前に、生成済みの合成データ（syn-/SYN-）を削除します。",
        )
        parser.add_argument("--every", type=int, default=5000, help="進み具合を表示する間隔（件）")

    def handle(self, *args, count: int, seed: int, clear: bool, every: int, **options):
        if count < 0:
            raise CommandError("--count は 0 以上にしてください。")
        if clear:
            report = synthetic.clear(self._progress("削除", every))
            self.stdout.write(report.summary())
        if count == 0:
            return
        try:
            report = synthetic.generate(count, seed, self._progress("作成", every))
        except synthetic.SyntheticDataExists as exists:
            raise CommandError(str(exists)) from exists
        self.stdout.write(self.style.SUCCESS(report.summary()))
        self.stdout.write(
            "検索: python manage.py rebuild_search_index でインデックスを作り直します。"
        )

    def _progress(self, verb: str, every: int):
        step = {"next": every}

        def report(done: int, total: int) -> None:
            if done >= step["next"] or done == total:
                self.stderr.write(f"  {verb} {done}/{total} 件…")
                while step["next"] <= done:
                    step["next"] += every

        return report
