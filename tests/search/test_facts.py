"""When, cost and booking words from the structured fields (issue 13, class 3), on the fee
lines and schedules the open-data importer makes from real rows."""

import datetime
from types import SimpleNamespace

from listings.models import ListingPage
from search.contract import SearchParams
from search.engines import get_engine
from search.facts import booking_words, fee_words, schedule_words, time_words

from .test_places import found, tokyo  # noqa: F401  (the fixture)


def rule(frequency, weekday, start=None, end=None, week=None):
    return SimpleNamespace(
        frequency=frequency,
        weekday=weekday,
        week_of_month=week,
        start_time=datetime.time.fromisoformat(start) if start else None,
        end_time=datetime.time.fromisoformat(end) if end else None,
    )


def test_weekdays_weekends_and_meals_from_rules():
    words = schedule_words([rule("monthly", 5, "11:30", "13:30", week=3)])
    assert {"土曜日", "週末", "第3土曜日", "ランチ"} <= set(words)
    assert "平日" not in words and "夕食" not in words
    words = schedule_words([rule("weekly", 2, "17:00", "19:30")])
    assert {"水曜日", "平日", "毎週", "夕食", "夜", "放課後"} <= set(words)
    assert "土曜日" in schedule_words([], "毎月第2土曜日 12時から")


def test_breakfast_needs_an_early_start():
    assert "朝ごはん" in time_words(datetime.time(8), datetime.time(9))
    assert "朝ごはん" not in time_words(datetime.time(10), datetime.time(13))


def test_fee_words_per_audience():
    words = set(fee_words("子ども（高校生まで）無料、大人300円"))
    assert {"中学生無料", "子ども無料", "無料", "大人300円", "大人有料", "安い"} <= words
    assert "大人も無料" in fee_words("どなたも無料")
    assert "子ども無料" not in fee_words("幼児無料、小学生100円")
    assert fee_words("") == []


def test_booking_words():
    assert "予約不要" in booking_words("not_required")
    assert "ネット予約" in booking_words("required", "予約方法：Googleフォーム")
    assert booking_words("") == []


def test_the_fee_line_of_real_rows_is_found_by_audience(tokyo):  # noqa: F811
    free_for_teens = {
        p.title for p in ListingPage.objects.all() if "中学生無料" in fee_words(p.fee)
    }
    assert free_for_teens  # the excerpt has rows free for junior-high students
    assert free_for_teens <= set(found("中学生 無料", page_size=100))


def test_what_was_understood_is_shown_in_the_api_and_the_page(tokyo, client):  # noqa: F811
    result = get_engine().search(SearchParams(q="大泉 土曜 無料"))
    assert result.understood == (
        "「大泉」→ 地名（町名に含む所も）",
        "「土曜」→ 開催日",
        "「無料」→ 参加費",
    )
    data = client.get("/api/v1/listings/", {"q": "調布 予約"}).json()
    assert data["understood"] == ["「調布」→ 市区町村・地域", "「予約」→ 予約"]
    page = client.get("/search/", {"q": "大泉 土曜"}).content.decode()
    assert "次のように読み取りました" in page and "「土曜」→ 開催日" in page


def test_the_schedule_text_the_importer_writes_gives_days_and_meals():
    words = schedule_words([], "開催頻度：2\n開催曜日：金土日\n時間：18:30〜20:00")
    assert {"金曜日", "土曜日", "日曜日", "週末", "平日", "夕食", "夜"} <= set(words)
    assert "ランチ" not in words
    assert "ランチ" in schedule_words([], "開催曜日：土\n時間：11:30〜13:00")


def test_temples_churches_and_schools_are_told_by_how_names_end():
    from search.facts import address_after_number, place_kind_words

    assert address_after_number("東京都大田区北馬込2-5-5宗福寺") == "宗福寺"
    assert address_after_number("東京都武蔵野市吉祥寺本町1-2-3") == ""
    assert "宗教法人" in place_kind_words("宗福寺") and "お寺" in place_kind_words("宗福寺")
    assert "お寺" not in place_kind_words("寺子屋食堂")
    assert "教会" in place_kind_words("日本基督教団 田無教会")
    assert place_kind_words("区立第三小学校") == ["学校"]


def test_fee_audiences_in_the_spellings_of_the_real_file():
    # Wording of the file's fee columns: kana audiences, and a bare 無料 naming no audience.
    for fee in ("こども・おとな無料", "無料", "無料または寄付"):
        assert {"大人も無料", "子ども無料", "中学生無料"} <= set(fee_words(fee)), fee
    words = set(fee_words("こども無料"))
    assert "子ども無料" in words and "大人も無料" not in words
    assert "大人も無料" not in fee_words("無料の日と300円の日あり")
