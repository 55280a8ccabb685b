"""Searching from many threads at once (issue 12, item 1).

A web server with threads (``gunicorn --threads``, ``runserver``) runs several searches in one
process at the same time. SudachiPy refuses concurrent use of one tokenizer, so every shared
analysis object must be safe under threads: these tests run the real analyser, the real API
view behind a real threaded HTTP server (pytest-django's live server, a ThreadedWSGIServer),
and expect every answer to equal the one given to a single caller.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from listings.vocabulary import Age, Kind, Tier
from search import synonyms
from search.analysis import SynonymTable, analyze_query, document_terms, word_keys
from search.models import SearchQueryLog, Synonym
from tests.factories import ensure_site_tree, make_listing
from tests.servers import Session, database_url, load_sqlite_file, runservers

THREADS = 8
PER_THREAD = 25

QUERIES = [
    "子ども食堂",
    "こどもしょくどう",
    "ｺﾄﾞﾓｼｮｸﾄﾞｳ",
    "kodomo shokudo",
    "家賃が払えない",
    "こどものいばしょ",
    "高齢者 サロン",
    "相談したい",
    "たまり場",
    "みどり",
]


def _analyse(text: str) -> tuple:
    table = SynonymTable.build([(1, ["居場所", "たまり場"]), (2, ["子ども食堂", "地域食堂"])])
    query = analyze_query(text, table)
    return (
        tuple(sorted(query.all_terms())),
        tuple(sorted(document_terms(f"{text}のお知らせ", table))),
        tuple(sorted(word_keys(text))),
    )


def test_the_analyser_gives_every_thread_the_same_answer():
    texts = [f"{q} 第{n}土曜" for n in range(PER_THREAD) for q in QUERIES[:4]]
    expected = {text: _analyse(text) for text in texts}
    start = threading.Barrier(THREADS)

    def work(offset: int) -> list[str]:
        start.wait()  # all threads tokenise at the same moment
        problems = []
        for text in texts[offset:] + texts[:offset]:
            try:
                if _analyse(text) != expected[text]:
                    problems.append(f"{text}: different terms")
            except Exception as exc:  # a SudachiError here was issue 12's 500
                problems.append(f"{text}: {type(exc).__name__}: {exc}")
        return problems

    with ThreadPoolExecutor(THREADS) as pool:
        problems = [p for found in pool.map(work, range(THREADS)) for p in found]
    total = THREADS * len(texts)
    assert problems == [], f"{len(problems)} of {total} analyses failed: {problems[:3]}"


def test_the_synonym_table_is_built_once_per_version_for_all_threads(transactional_db):
    Synonym.objects.create(words="居場所\nたまり場")
    synonyms.bump_version()
    start = threading.Barrier(THREADS)

    def work(_n: int) -> SynonymTable:
        start.wait()  # every thread finds the new version at the same moment
        try:
            return synonyms.synonym_table()
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        tables = list(pool.map(work, range(THREADS)))
    assert len({id(t) for t in tables}) == 1, "threads built (and used) different tables"
    assert tables[0].lookup("たまり場")


@pytest.fixture
def listings(transactional_db, areas):
    ensure_site_tree()
    make_listing(
        "みどり子ども食堂",
        kind=Kind.KODOMO_SHOKUDO,
        area=areas.north_a,
        service_tier=Tier.ELEMENTARY,
        name_kana="ミドリコドモショクドウ",
        ages=(Age.ELEMENTARY,),
        topics=("食事",),
    )
    make_listing(
        "ふれあいサロン ひだまり",
        kind=Kind.FUREAI,
        area=areas.south_a_1,
        ages=(Age.SENIOR,),
        name_kana="フレアイサロンヒダマリ",
        description="<p>高齢者のたまり場です。</p>",
    )
    make_listing(
        "なんでも相談窓口",
        kind=Kind.WINDOW,
        area=areas.south_a,
        service_tier=Tier.CITY,
        ages=(Age.EVERYONE,),
        consultation_keywords="お金、家賃、介護",
    )


def _get(base: str, path: str, query: str) -> tuple[int, object]:
    url = f"{base}{path}?{urllib.parse.urlencode({'q': query})}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        return error.code, None
    if path.startswith("/api/"):
        data = json.loads(body)
        return status, (data["count"], [item["id"] for item in data["results"]])
    return status, None


@pytest.mark.parametrize("path", ["/api/v1/listings/", "/search/"])
def test_a_threaded_server_answers_every_concurrent_search(live_server, listings, path):
    expected = {q: _get(live_server.url, path, q) for q in QUERIES}
    assert all(status == 200 for status, _ in expected.values())
    if path.startswith("/api/"):
        assert expected["子ども食堂"][1][0] == 1
    start = threading.Barrier(THREADS)

    def work(offset: int) -> list[str]:
        start.wait()
        problems = []
        for n in range(PER_THREAD):
            query = QUERIES[(offset + n) % len(QUERIES)]
            answer = _get(live_server.url, path, query)
            if answer != expected[query]:
                problems.append(f"{query}: {answer} instead of {expected[query]}")
        return problems

    with ThreadPoolExecutor(THREADS) as pool:
        problems = [p for found in pool.map(work, range(THREADS)) for p in found]
    total = THREADS * PER_THREAD
    assert problems == [], f"{len(problems)} of {total} searches went wrong: {problems[:3]}"


def test_a_search_answers_while_a_long_write_holds_the_lock(listings, tmp_path):
    """SQLite has one write lock; a publish or an import may hold it for seconds. The search
    must answer meanwhile (its log row waits, then goes in with the next search)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock: inserts do not queue")
    database = database_url(tmp_path)
    with runservers(1, {"DATABASE_URL": database}, tmp_path) as (url,):
        session = Session(url)
        assert session.request("/api/v1/listings/?q=%E5%B1%85%E5%A0%B4%E6%89%80").status == 200
        writer = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # what a long publish holds
        try:
            with ThreadPoolExecutor(1) as pool:
                search = pool.submit(_get, url, "/api/v1/listings/", "子ども食堂")
                # Well under the connection's 20 s lock timeout that publishes wait for.
                status, found = search.result(timeout=15)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert (status, found[0]) == (200, 1)
        assert _get(url, "/api/v1/listings/", "サロン")[0] == 200
    load_sqlite_file(tmp_path / "db.sqlite3")
    logged = sorted(SearchQueryLog.objects.values_list("query", flat=True))
    assert logged == sorted(["居場所", "子ども食堂", "サロン"])
