"""Writes that must not be lost while others use the site (issue 12, items 2 and 7).

The load test runs real server processes (threaded ``runserver``, like ``gunicorn -w 2
--threads``) on a file database shared with the test: staff publish listings through the
Wagtail admin and residents send the submission form while other threads search (every
search writes a query-log row). Every publish and every submission must succeed and every
stored submission must get its draft. The sizes are small so the test takes seconds; the
numbers it prints (``-s``) are the report, not assertions.
"""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from listings.models import ListingPage
from listings.vocabulary import Kind
from search.models import SearchQueryLog
from submissions.models import Submission
from tests.factories import ensure_site_tree, make_listing
from tests.servers import Session, database_url, load_sqlite_file, runservers, server_errors

from .helpers import valid_post

SERVERS = 2
SEARCHERS = 3
PUBLISHES = 6
SUBMITTERS = 2
SUBMISSIONS_EACH = 4
STAFF_PASSWORD = "staff-password-for-load"
QUERIES = ["子ども食堂", "こどもしょくどう", "家賃が払えない", "いばしょ", "サロン", "相談"]


@pytest.fixture
def site(transactional_db, areas):
    """The site tree and the moderation workflow that migrations made (an earlier transactional
    test may have flushed them), so drafts go through the workflow as in production."""
    ensure_site_tree()
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    if not Workflow.objects.exists():
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.set([moderators])
        workflow = Workflow.objects.create(name="Moderators approval")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=Page.get_first_root_node())
    return areas


def test_publishes_and_submissions_survive_concurrent_searches(
    site, areas, tmp_path: Path, django_user_model
):
    pages = [
        make_listing(f"負荷テストの居場所{n}", kind=Kind.IBASHO, area=areas.north_a_1)
        for n in range(3)
    ]
    django_user_model.objects.create_superuser("staff", "staff@example.jp", STAFF_PASSWORD)
    env = {
        "DATABASE_URL": database_url(tmp_path),
        "SUBMISSION_FILES_ROOT": str(tmp_path / "private"),
        "SUBMISSION_RATE_LIMIT": "1000/h",
    }
    searches: list[tuple[int, float]] = []
    published: dict[int, str] = {}
    publish_answers: list[str] = []
    submit_answers: list[str] = []
    writers_done = threading.Event()

    with runservers(SERVERS, env, tmp_path) as urls:

        def search(n: int) -> None:
            session = Session(urls[n % SERVERS])
            count = 0
            while not writers_done.is_set():
                query = f"{QUERIES[count % len(QUERIES)]} {n}-{count}"
                started = time.perf_counter()
                answer = session.request(f"/api/v1/listings/?{urlencode({'q': query})}")
                searches.append((answer.status, time.perf_counter() - started))
                count += 1

        def publish() -> None:
            session = Session(urls[0])
            session.log_in("staff", STAFF_PASSWORD)
            for n in range(PUBLISHES):
                page = pages[n % len(pages)]
                path = f"/admin/pages/{page.pk}/edit/"
                title = f"負荷テストの居場所{n % len(pages)} 改訂{n}"
                fields = [
                    (name, title if name == "title" else value)
                    for name, value in session.form(path, "page-edit-form")
                ]
                answer = session.request(path, [*fields, ("action-publish", "action-publish")])
                # Wagtail answers a publish with a redirect to the explorer; an error re-renders
                # the editor (200) or is a 500.
                if answer.status == 302 and "/admin/pages/" in answer.location:
                    published[page.pk] = title
                    publish_answers.append("ok")
                else:
                    publish_answers.append(f"{answer.status} {_message(answer.body)}")

        def submit(n: int) -> None:
            session = Session(urls[(n + 1) % SERVERS])
            for k in range(SUBMISSIONS_EACH):
                token = dict(session.form("/submit/", "submission-form"))["csrfmiddlewaretoken"]
                data = valid_post(areas, title=f"負荷テスト食堂{n}-{k}")
                answer = session.request("/submit/", {**data, "csrfmiddlewaretoken": token})
                ok = answer.status == 302 and "/submit/status/" in answer.location
                submit_answers.append("ok" if ok else f"{answer.status} {_message(answer.body)}")

        with ThreadPoolExecutor(SEARCHERS + 1 + SUBMITTERS) as pool:
            readers = [pool.submit(search, n) for n in range(SEARCHERS)]
            time.sleep(0.5)  # searches are already running when the writes start
            writers = [pool.submit(publish)] + [pool.submit(submit, n) for n in range(SUBMITTERS)]
            try:
                for writer in writers:
                    writer.result()
            finally:
                writers_done.set()
                for reader in readers:
                    reader.result()

    if connection.vendor == "sqlite":
        load_sqlite_file(tmp_path / "db.sqlite3")
    errors = server_errors(tmp_path)
    _report(searches, publish_answers, submit_answers)

    assert publish_answers == ["ok"] * PUBLISHES, errors
    for page in pages:
        assert ListingPage.objects.get(pk=page.pk).title == published[page.pk]
    assert submit_answers == ["ok"] * (SUBMITTERS * SUBMISSIONS_EACH), errors
    stored = list(Submission.objects.all())
    assert len(stored) == SUBMITTERS * SUBMISSIONS_EACH
    undrafted = [(s.reference, s.processing_error) for s in stored if s.revision_id is None]
    assert undrafted == [], errors
    assert all(s.page.current_workflow_state is not None for s in stored)
    statuses = [status for status, _ in searches]
    assert statuses and set(statuses) == {200}, errors
    assert SearchQueryLog.objects.exists()


def _message(body: str) -> str:
    """The first error message of an admin or form page, for the assertion text."""
    for marker in ('class="error"', "help-critical", 'class="field-error"', "<title>"):
        if marker in body:
            return body.split(marker, 1)[1][:200].replace("\n", " ")
    return body[:200].replace("\n", " ")


def _report(searches, publish_answers, submit_answers) -> None:
    seconds = sorted(s for _, s in searches) or [0.0]
    p95 = seconds[int(len(seconds) * 0.95) - 1] if len(seconds) > 1 else seconds[0]
    print(
        f"\n[{connection.vendor}] searches {len(searches)} "
        f"(non-200: {sum(1 for status, _ in searches if status != 200)}), "
        f"median {statistics.median(seconds) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {seconds[-1] * 1000:.0f} ms; query-log rows {SearchQueryLog.objects.count()}; "
        f"publishes ok {publish_answers.count('ok')}/{len(publish_answers)}; "
        f"submissions ok {submit_answers.count('ok')}/{len(submit_answers)}; "
        f"drafted {Submission.objects.exclude(revision=None).count()}"
        f"/{Submission.objects.count()}"
    )


LIMIT = 10
CONCURRENT_POSTS = 20


def test_concurrent_posts_never_pass_the_rate_limit(site, areas, tmp_path: Path):
    """20 residents' posts from one address at the same moment, limit 10: exactly 10 stored,
    the others get 429 with Retry-After and their input back."""
    env = {
        "DATABASE_URL": database_url(tmp_path),
        "SUBMISSION_FILES_ROOT": str(tmp_path / "private"),
        "SUBMISSION_RATE_LIMIT": f"{LIMIT}/h",
    }
    with runservers(1, env, tmp_path) as (url,):
        sessions = [Session(url) for _ in range(CONCURRENT_POSTS)]
        forms = [dict(s.form("/submit/", "submission-form")) for s in sessions]
        tokens = [form["csrfmiddlewaretoken"] for form in forms]
        start = threading.Barrier(CONCURRENT_POSTS)

        def post(n: int):
            data = {**valid_post(areas, title=f"同時投稿{n}"), "csrfmiddlewaretoken": tokens[n]}
            start.wait()
            return sessions[n].request("/submit/", data)

        with ThreadPoolExecutor(CONCURRENT_POSTS) as pool:
            answers = list(pool.map(post, range(CONCURRENT_POSTS)))

    if connection.vendor == "sqlite":
        load_sqlite_file(tmp_path / "db.sqlite3")
    statuses = sorted(a.status for a in answers)
    assert statuses == [302] * LIMIT + [429] * (CONCURRENT_POSTS - LIMIT), server_errors(tmp_path)
    assert Submission.objects.count() == LIMIT
    for n, answer in enumerate(answers):
        if answer.status == 429:
            assert 0 < int(answer.headers["Retry-After"]) <= 3600
            assert f'value="同時投稿{n}"' in answer.body


def test_a_submission_blocked_by_a_held_lock_comes_back_with_its_input(site, areas, tmp_path):
    """A real SQLite write lock held by another process past the timeout: 503 and the form with
    everything typed; sent again once the lock is gone: stored."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    env = {
        "DATABASE_URL": database_url(tmp_path),
        "SUBMISSION_FILES_ROOT": str(tmp_path / "private"),
        "SQLITE_TIMEOUT": "1",
    }
    with runservers(1, env, tmp_path) as (url,):
        session = Session(url)
        token = dict(session.form("/submit/", "submission-form"))["csrfmiddlewaretoken"]
        data = {**valid_post(areas, title="ロック中の食堂"), "csrfmiddlewaretoken": token}
        writer = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            blocked = session.request("/submit/", data)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        again = session.request("/submit/", data)

    load_sqlite_file(tmp_path / "db.sqlite3")
    assert blocked.status == 503, server_errors(tmp_path)
    assert int(blocked.headers["Retry-After"]) > 0
    assert "保存できませんでした" in blocked.body
    assert 'value="ロック中の食堂"' in blocked.body
    assert again.status == 302
    assert [s.title for s in Submission.objects.all()] == ["ロック中の食堂"]
    assert Submission.objects.get().revision_id is not None
