"""Unmet needs: searches that found little, grouped by normalised query and counted per week,
with 「同義語を追加」 and 「対応済み」; the raw log read-only; the retention period."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from search.models import SearchQueryLog, Synonym
from staffdesk import selectors

pytestmark = pytest.mark.django_db

URL = "/admin/staff/unmet-needs/"


def searched(query: str, results: int, days_ago: int = 0) -> None:
    row = SearchQueryLog.objects.create(query=query, result_count=results, source="page")
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    SearchQueryLog.objects.filter(pk=row.pk).update(searched_on=day)


@pytest.fixture
def log(db):
    searched("ＦＰ相談", 0)
    searched("fp相談", 0, days_ago=7)
    searched("FP相談", 1, days_ago=8)
    searched("たまり場", 0)
    searched("食堂", 12)  # found plenty: not an unmet need
    searched("", 0)  # filters only
    searched("昔の言葉", 0, days_ago=200)  # outside the weeks shown


def test_grouped_by_normalised_query_and_counted_per_week(log):
    starts, needs = selectors.unmet_needs(weeks=4)
    assert [need.key for need in needs] == ["fp相談", "たまり場"]
    fp = needs[0]
    assert fp.total == 3 and fp.fewest == 0
    assert sum(fp.weekly) == 3 and fp.weekly[-1] == 1  # one this week
    assert set(fp.spellings) == {"ＦＰ相談", "fp相談", "FP相談"}
    assert len(starts) == 4 and starts[-1].weekday() == 0


def test_add_a_synonym_group_and_mark_handled(client, searcher, log):
    client.force_login(searcher)
    page = client.get(URL).content.decode()
    assert 'data-query="fp相談"' in page and 'data-query="たまり場"' in page
    assert "食堂" not in page

    form = {"action": "synonym", "key": "たまり場", "shown": "たまり場", "words": "居場所、サロン"}
    client.post(URL, form)
    synonym = Synonym.objects.latest("pk")
    assert synonym.word_list == ["たまり場", "居場所", "サロン"]
    client.post(URL, {"action": "handled", "key": "fp相談"})
    assert selectors.unmet_needs()[1] == []
    # Searched again after it was handled: it is back.
    searched("ＦＰ 相談".replace(" ", ""), 0)
    assert [need.key for need in selectors.unmet_needs()[1]] == ["fp相談"]


def test_bad_actions_are_400s(client, searcher, log):
    client.force_login(searcher)
    assert client.post(URL, {"action": "nope", "key": "x"}).status_code == 400
    response = client.post(URL, {"action": "synonym", "key": "たまり場", "words": ""})
    assert response.status_code == 400 and "words" in response.content.decode()


def test_the_raw_log_is_read_only_even_for_superusers(client, django_user_model, log):
    chief = django_user_model.objects.create_superuser("chief", "", "pw")
    client.force_login(chief)
    index = client.get("/admin/search_query_log/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "/admin/search_query_log/new/" not in html
    assert client.get("/admin/search_query_log/new/")["Location"] == "/admin/"
    row = SearchQueryLog.objects.first()
    assert client.get(f"/admin/search_query_log/edit/{row.pk}/")["Location"] == "/admin/"
    assert client.post(f"/admin/search_query_log/delete/{row.pk}/").status_code == 302
    assert SearchQueryLog.objects.filter(pk=row.pk).exists()


def test_purge_keeps_the_retention_period(log, settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 100
    out = io.StringIO()
    call_command("purge_search_log", stdout=out)
    assert "1件を削除しました" in out.getvalue()
    assert not SearchQueryLog.objects.filter(query="昔の言葉").exists()
    assert SearchQueryLog.objects.count() == 6
    call_command("purge_search_log", "--days", "5", "--dry-run", stdout=out)
    assert SearchQueryLog.objects.count() == 6


def test_only_permitted_staff(client, editor):
    client.force_login(editor)
    assert client.get(URL)["Location"] == "/admin/"
