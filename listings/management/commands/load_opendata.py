"""A real city's portal from the Tokyo 子ども食堂一覧 open data (``make run-opendata CITIES=…``).

Imports the rows of the cities asked for (every row whose municipality resolves to one of the
codes), then says in the site settings that this is real data: the sample-data notice off, a
site name and footer credit when staff have not set their own. The Makefile target runs it on a
fresh database of its own, then builds the search index and serves.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from listings.importers.opendata.attribution import Attribution
from listings.importers.results import progress_printer
from listings.importers.tokyo_kodomo_shokudo import import_file
from listings.models import Area
from pages.models import SiteIdentity

from .import_areas import report
from .import_listings import _date, _file_date

DEFAULT_FILE = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "data"
    / "tokyo-kodomo-shokudo"
    / "kodomo_shokudo.csv"
)
CITY_CODE = re.compile(r"^\d{6}$")


class Command(BaseCommand):
    help = (
        "東京都オープンデータ「子ども食堂一覧」から、指定した市区町村の居場所ポータルを作ります"
        "（サンプルデータの注意書きは出しません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cities",
            required=True,
            help="全国地方公共団体コード（6桁）をカンマ区切りで。例：132292 または 132292,131016",
        )
        parser.add_argument(
            "--file", default=str(DEFAULT_FILE), help=f"子ども食堂一覧のCSV（既定：{DEFAULT_FILE}）"
        )
        parser.add_argument(
            "--source-date",
            type=_date,
            metavar="YYYY-MM-DD",
            help="データの時点（省略時はファイルの更新日）",
        )

    def handle(self, *args, cities: str, file: str, source_date, **options):
        codes = [code.strip() for code in cities.split(",") if code.strip()]
        bad = [code for code in codes if not CITY_CODE.match(code)]
        if not codes or bad:
            raise CommandError(
                f"--cities には6桁の全国地方公共団体コードを指定してください（{', '.join(bad)}）。"
            )
        if not Path(file).exists():
            raise CommandError(f"ファイルがありません: {file}")
        result = import_file(
            file,
            attribution=Attribution(date=source_date or _file_date(file)),
            cities=set(codes),
            progress=progress_printer(self.stderr.write),
        )
        report(self, result)
        found = {area.code: area.name for area in Area.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError(f"ファイルにこの市区町村の行がありません: {', '.join(missing)}")
        names = [found[code] for code in codes]
        for site in Site.objects.all():
            identify_as_real_data(site, names)
        self.stdout.write(f"サイトの情報を設定しました（{'・'.join(names)}、サンプル表示なし）。")


def identify_as_real_data(site: Site, city_names: list[str]) -> SiteIdentity:
    """Real data: no sample notice; a name and the open-data credit unless staff set theirs."""
    identity = SiteIdentity.for_site(site)
    identity.show_sample_notice = False
    if not identity.site_name:
        identity.site_name = f"{'・'.join(city_names)} 子ども食堂・居場所ポータル"
    if not identity.footer_notice:
        identity.footer_notice = (
            "掲載内容は東京都オープンデータ「子ども食堂一覧」（クリエイティブ・コモンズ 表示 4.0）"
            "をもとにしています。出典は各ページに記載しています。"
        )
    identity.save()
    return identity
