"""CSV import from the admin: upload → dry-run preview → confirm → the import in the background
(a job row), with its report kept; and who may do it."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from listings.models import ListingPage
from staffdesk import selectors
from staffdesk.models import ImportJob
from staffdesk.services import jobs
from tests.listings.importers.test_contract import listing, listings_csv

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "listings" / "importers" / "data"
URL = "/admin/staff/imports/"


def upload(client, data: bytes, name: str = "listings.csv", format: str = ""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"file": io.BytesIO(data) | _named(name), "format": format})


class _named:
    def __init__(self, name):
        self.name = name

    def __ror__(self, stream):
        stream.name = self.name
        return stream


def act(client, job: ImportJob, action: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{URL}{job.pk}/", {"action": action})


def test_preview_then_confirm_imports_the_file(client, importer, areas):
    client.force_login(importer)
    response = upload(client, (DATA / "listings.csv").read_bytes())
    job = ImportJob.objects.get()
    assert response["Location"] == f"{URL}{job.pk}/"
    # The dry run has run (after the upload's commit) and written nothing.
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.preview["counts"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert not ListingPage.objects.exists()
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "試行の結果（まだ取り込んでいません）" in page
    assert "この内容で取り込む" in page
    assert "K-001 みどりこども食堂" in page

    act(client, job, "confirm")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.report["counts"]["created"] == 3
    assert ListingPage.objects.live().count() == 3
    assert job.started_at and job.finished_at and job.confirmed_at
    report = client.get(f"{URL}{job.pk}/").content.decode()
    assert "取り込みの結果" in report and "この内容で取り込む" not in report
    # Listed among the jobs, with who uploaded it.
    index = client.get(URL).content.decode()
    assert "listings.csv" in index and "完了" in index and "importer" in index


def test_a_changed_row_shows_its_diff_and_errors_block_the_import(client, importer, areas):
    client.force_login(importer)
    upload(client, listings_csv(listing(電話番号="000-000-0001")))
    act(client, ImportJob.objects.get(), "confirm")
    assert ListingPage.objects.get(external_id="T-1").phone == "000-000-0001"

    upload(client, listings_csv(listing(電話番号="000-000-0009"), listing(ID="T-2", 名称="二つ目")))
    job = ImportJob.objects.latest("pk")
    assert job.preview["counts"] == {"created": 1, "updated": 1, "unchanged": 0}
    changed = next(row for row in job.preview["rows"] if row["action"] == "updated")
    assert changed["changes"] == [["電話番号", "000-000-0001", "000-000-0009"]]
    html = client.get(f"{URL}{job.pk}/").content.decode()
    assert "<del>000-000-0001</del> → <ins>000-000-0009</ins>" in html

    upload(client, listings_csv(listing(), listing(ID="T-3", 地区コード="nowhere")))
    bad = ImportJob.objects.latest("pk")
    assert not bad.preview["ok"]
    assert bad.preview["errors"][0]["line"] == 3
    assert bad.preview["errors"][0]["column"] == "地区コード"
    html = client.get(f"{URL}{bad.pk}/").content.decode()
    assert "地区コード「nowhere」の地域がありません" in html
    assert "この内容で取り込む" not in html
    act(client, bad, "confirm")  # refused: nothing is queued
    bad.refresh_from_db()
    assert bad.status == ImportJob.Status.PREVIEWED
    assert ListingPage.objects.get(external_id="T-1").phone == "000-000-0001"


def test_the_tokyo_open_data_layout_is_recognised(client, importer, areas):
    client.force_login(importer)
    upload(client, (DATA / "tokyo_kodomo_shokudo.csv").read_bytes(), name="tokyo.csv")
    job = ImportJob.objects.get()
    assert job.preview["ok"], job.preview["errors"]
    assert job.preview["counts"]["created"] > 0
    assert any("子ども食堂" in line for line in job.preview["lines"])  # the per-city report


def test_cancel_leaves_nothing(client, importer, areas):
    client.force_login(importer)
    upload(client, (DATA / "listings.csv").read_bytes())
    job = ImportJob.objects.get()
    act(client, job, "cancel")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    act(client, job, "confirm")
    assert not ListingPage.objects.exists()


def test_bad_input_is_a_400_naming_the_field(client, importer):
    client.force_login(importer)
    response = client.post(URL, {"format": ""})
    assert response.status_code == 400
    assert "CSVファイル" in response.content.decode()
    response = client.post(URL, {"file": io.BytesIO(b"x") | _named("a.csv"), "format": "nope"})
    assert response.status_code == 400
    job_page = client.post(f"{URL}999999/", {"action": "confirm"})
    assert job_page.status_code == 404


def test_only_staff_allowed_to_import_see_it(client, editor, importer):
    client.force_login(editor)
    # Wagtail turns the refusal into a redirect to the dashboard with its message.
    for url in (URL, "/admin/staff/export/"):
        assert client.get(url)["Location"] == "/admin/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(URL, {"file": io.BytesIO(b"ID\n") | _named("a.csv")})
    assert not ImportJob.objects.exists()
    # The sidebar menu (JSON the admin's script renders) has no 運用 items for them.
    assert URL not in client.get("/admin/").content.decode()
    client.force_login(importer)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/admin/").content.decode()


def test_the_command_runs_waiting_jobs_when_the_web_process_does_not(
    client, importer, areas, settings
):
    settings.IMPORT_JOBS_RUNNER = "command"
    client.force_login(importer)
    upload(client, (DATA / "listings.csv").read_bytes())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWING
    assert "このページは自動で更新されます" in client.get(f"{URL}{job.pk}/").content.decode()
    out = io.StringIO()
    call_command("run_import_jobs", stdout=out)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert "1件を実行しました" in out.getvalue()
    act(client, job, "confirm")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    call_command("run_import_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert ListingPage.objects.count() == 3


def test_a_job_is_claimed_once_and_reclaimed_when_its_runner_died(importer, settings):
    settings.IMPORT_JOBS_RUNNER = "command"
    job = jobs.create_job(file_name="a.csv", data=b"ID\n", format="", user=importer)
    assert jobs.claim(job.pk)
    assert not jobs.claim(job.pk)  # another worker
    assert selectors.waiting_job_ids() == []
    ImportJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=181)
    )
    assert selectors.waiting_job_ids() == [job.pk]
    assert jobs.run_job(job.pk).status == ImportJob.Status.PREVIEWED
    job.refresh_from_db()
    assert job.attempts == 2 and job.claimed_at is None
