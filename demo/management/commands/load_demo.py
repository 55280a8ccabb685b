"""``python manage.py load_demo [--if-empty]``: load the sample city (demo/data, demo/content)."""

from django.core.management.base import BaseCommand, CommandError

from demo.services import DemoLoadError, load_demo
from listings.models import ListingPage


class Command(BaseCommand):
    help = "サンプル市（架空）の地域・居場所・窓口・情報ページと管理ユーザーを読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="居場所・窓口がすでに1件でもあれば何もしません（make run 用）。",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and ListingPage.objects.exists():
            self.stdout.write(
                "居場所・窓口がすでに登録されているため、デモデータは読み込みません。"
            )
            return
        try:
            summary = load_demo(stdout=self.stdout)
        except DemoLoadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        for line in summary.lines():
            self.stdout.write(line)
