"""Facts beat mentions (issue 13, classes 3 and 5): booking facts read from the booking
columns' own wording, negation-aware, and ranked above listings that only mention the words.

``data/tokyo_booking_excerpt.csv`` holds 8 records copied from
``shared/data/tokyo-kodomo-shokudo/kodomo_shokudo.csv`` (header included): spreadsheet rows 42,
79, 86, 94, 100, 188, 225 and 628 — every way the file says 予約不要, 先着順 and 登録, and one
row that requires booking while its text holds both 予約 and 不要.
"""

import itertools
from pathlib import Path

import pytest
from django.utils import timezone

from listings.importers.tokyo_kodomo_shokudo import import_file
from listings.models import ListingPage
from search.engines import get_engine
from search.facts import booking_clauses, booking_words, fact_keys, query_fact_candidates

from .test_places import found, tokyo  # noqa: F401  (the fixture)

EXCERPT = Path(__file__).parent / "data" / "tokyo_booking_excerpt.csv"
NO_BOOKING = {"NPO法人 狛江子ども食堂", "にじまちキッチン", "おかえりごはん", "ふくちゃん食堂"}
WALK_IN = {"要町あさやけ子ども食堂", "はなぶさ子ども・だれでも食堂"}


@pytest.fixture
def booking_rows(db):
    result = import_file(EXCERPT)
    assert result.ok, result.summary()
    get_engine().rebuild()
    return {p.title: p for p in ListingPage.objects.live()}


def test_clauses_are_read_one_by_one_and_a_negation_stays_with_its_clause(booking_rows):
    both = booking_rows["おかえりごはん"]  # 「テイクアウトは…要予約。会食は不要」
    clauses = booking_clauses(both.how_to_join)
    assert clauses == ["テイクアウトは申込みフォームから要予約", "会食は不要"]
    words = booking_words(both.booking, both.how_to_join)
    assert {"要予約", "予約不要"} <= set(words)
    registered = booking_rows["ふくちゃん食堂"]  # 「事前登録必要；予約不要」
    words = booking_words(registered.booking, registered.how_to_join)
    assert {"予約不要", "登録制"} <= set(words) and "要予約" not in words
    required = booking_rows["こども食堂ゆとろぎ-焼きリンゴ-"]  # 「事前予約必要」
    words = booking_words(required.booking, required.how_to_join)
    assert "要予約" in words and "予約不要" not in words


def test_fee_notes_are_not_booking_clauses():
    assert booking_clauses("予約方法：電話\n参加費について：大人は不要") == ["電話"]
    assert "予約不要" not in booking_words("", "予約方法：電話\n参加費について：大人は不要")


def test_first_come_first_served_in_any_column_means_walk_in(booking_rows):
    for title in WALK_IN:
        listing = booking_rows[title]
        words = booking_words(
            listing.booking,
            listing.how_to_join,
            f"{listing.schedule_text} {listing.schedule_note}",
        )
        assert "当日参加" in words, title


def test_listings_whose_data_says_no_booking_rank_above_mentions(booking_rows):
    # ゆとろぎ requires booking, yet its text holds both 予約 and 不要: it may match, never first.
    for q in ("予約不要", "予約なし"):
        titles = found(q)
        assert set(titles[: len(NO_BOOKING)]) == NO_BOOKING, (q, titles)
    titles = found("当日参加")
    assert set(titles[: len(NO_BOOKING | WALK_IN)]) == NO_BOOKING | WALK_IN


def test_registration_is_a_fact(booking_rows):
    assert {"ふくちゃん食堂", "桜台子育て応援食堂"} <= set(found("登録制"))


def test_fact_keys_of_a_query_include_adjacent_pairs():
    assert query_fact_candidates(["中学生", "無料"]) == ["中学生", "無料", "中学生無料"]
    assert "f:予約不要" in fact_keys("予約不要")


# ------------------------------------------------------------------ tie-breaks (class 5)
def test_equal_scores_rank_the_more_complete_record_then_the_next_date(tokyo):  # noqa: F811
    from search.contract import SearchParams
    from search.memory import snapshot

    result = get_engine().search(SearchParams(q="食堂", page_size=50))
    snap = snapshot()
    today = timezone.localdate()
    position = {int(i): p for p, i in enumerate(snap.ids.tolist())}
    rows = [
        (
            hit.score,
            int(snap.completeness[position[hit.listing_id]]),
            int(snap.next_date_ordinals(today)[position[hit.listing_id]]),
        )
        for hit in result.hits
    ]
    ties = [(a, b) for a, b in itertools.pairwise(rows) if a[0] == b[0]]
    assert any(a[1] != b[1] for a, b in ties)  # the excerpt has ties of unequal completeness
    for a, b in ties:
        assert (-a[1], a[2]) <= (-b[1], b[2])


def test_completeness_counts_where_when_and_who(tokyo):  # noqa: F811
    from search.memory import snapshot

    snap = snapshot()
    bare = ListingPage.objects.get(title="緑ヶ丘こどもフリースペースごりら")  # only a name
    fuller = ListingPage.objects.get(title="石神井ゆうやけ子ども食堂")
    at = {int(i): p for p, i in enumerate(snap.ids.tolist())}
    assert snap.completeness[at[fuller.pk]] > snap.completeness[at[bare.pk]]


def test_booking_online_is_a_form_a_site_or_line_whatever_the_status(booking_rows):
    form = booking_rows["おかえりごはん"]  # 「…申込みフォームから要予約…」, status unknown
    assert "ネット予約" in booking_words(form.booking, form.how_to_join)
    assert "ネット予約" in booking_words("", "予約方法：HP")
    assert "ネット予約" not in booking_words("required", "予約方法：メールまたは電話")
    assert "ネット予約" not in booking_words("", "予約について：okaeri2017@gmail.com")


def test_a_booking_deadline_is_a_fact(booking_rows):
    deadline = booking_rows["にじまちキッチン"]  # 「…できれば前日までに予約希望」
    assert "予約締切" in booking_words(deadline.booking, deadline.how_to_join)
    assert "予約締切" in booking_words("", "予約について：締切:火曜17時まで")
    assert "予約締切" not in booking_words("", "予約方法：電話")


def test_other_columns_count_only_when_they_name_booking_outright():
    assert "要予約" in booking_words("", "", "", "参加条件：現在はお弁当配布、予約制")
    assert "要予約" in booking_words("", "", "", "備考：テイクアウトのみ可(要予約)")
    assert "予約不要" not in booking_words("", "", "", "参加条件：参加費は不要")
    assert "要予約" not in booking_words("", "", "", "備考：予約制ではありません")


def test_a_deadline_means_booking_is_needed_a_wish_does_not():
    assert "要予約" in booking_words("", "予約方法：電話\n予約について：実施月の1日から前日まで")
    assert "要予約" not in booking_words("", "予約について：なるべく事前予約必要")
    assert "要予約" not in booking_words("", "予約について：初回のみ予約必要")
    assert "要予約" in booking_words("", "", "", "ご利用には事前の申し込みが必要です")
