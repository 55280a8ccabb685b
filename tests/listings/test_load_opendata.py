"""A real city's portal in one command: ``make run-opendata CITIES=…`` (docs/data.md).

The Makefile's ``opendata`` step (fresh SQLite database, migrate, ``load_opendata``, search
index) is run as it is, on a small city of the real Tokyo file (清瀬市, 4 rows); the pages are
then checked in-process through the same command. Without the real file beside the project (a
clean clone in CI) the 清瀬市 rows, copied verbatim from it (tests/listings/data/tokyo_kiyose.csv),
stand in.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from listings.management.commands.load_opendata import DEFAULT_FILE
from listings.models import ListingPage
from pages.models import SiteIdentity

KIYOSE = "132217"
EXCERPT = Path(__file__).parent / "data" / "tokyo_kiyose.csv"
OPENDATA_FILE = DEFAULT_FILE if DEFAULT_FILE.exists() else EXCERPT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_opendata_builds_a_fresh_portal_for_the_cities_asked(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    command = [
        "make",
        "--no-print-directory",
        "opendata",
        f"CITIES={KIYOSE}",
        f"OPENDATA_DIR={tmp_path}",
        f"OPENDATA_ARGS=--file {OPENDATA_FILE}",
    ]
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "清瀬市" in done.stdout and "サンプル表示なし" in done.stdout

    with sqlite3.connect(tmp_path / "portal.sqlite3") as db:
        kinds = db.execute(
            "SELECT kind, COUNT(*) FROM listings_listingpage GROUP BY kind"
        ).fetchall()
        cities = db.execute("SELECT code FROM listings_area").fetchall()
        identity = db.execute(
            "SELECT show_sample_notice, site_name FROM pages_siteidentity"
        ).fetchall()
        indexed = db.execute("SELECT COUNT(*) FROM search_searchdocument").fetchone()[0]
    assert kinds == [("kodomo_shokudo", 4)]
    assert cities == [(KIYOSE,)]
    assert identity == [(0, "清瀬市 子ども食堂・居場所ポータル")]
    assert indexed == 4

    # Without CITIES the target says what to give and stops.
    refused = subprocess.run(
        ["make", "--no-print-directory", "opendata", f"OPENDATA_DIR={tmp_path}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "CITIES" in refused.stderr


@pytest.mark.django_db
def test_load_opendata_serves_real_data_without_the_sample_notice(client):
    # As the demo leaves it: the sample notice on.
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    SiteIdentity.objects.update_or_create(site=site, defaults={"show_sample_notice": True})
    out = io.StringIO()

    call_command(
        "load_opendata",
        "--cities",
        KIYOSE,
        "--file",
        str(OPENDATA_FILE),
        stdout=out,
        stderr=io.StringIO(),
    )

    listings = ListingPage.objects.live()
    assert listings.count() == 4
    assert {p.location_area.code for p in listings} == {KIYOSE}
    assert all(p.source_date for p in listings)
    home = client.get("/").content.decode()
    assert "サンプルのポータル" not in home
    assert "清瀬市 子ども食堂・居場所ポータル" in home
    assert "東京都オープンデータ" in home
    # The home page offers only the kind there is.
    assert re.findall(r'class="kind-link kind-link--(\w+)"', home) == ["kodomo_shokudo"]
    page = client.get(listings.first().url).content.decode()
    assert "サンプルのポータル" not in page and "出典" in page


@pytest.mark.django_db
@pytest.mark.parametrize("cities", ["", "13221", "999999"])
def test_load_opendata_refuses_bad_or_absent_cities(cities):
    with pytest.raises(CommandError):
        call_command(
            "load_opendata",
            "--cities",
            cities,
            "--file",
            str(OPENDATA_FILE),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
