"""Place names on real rows (issue 13, class 1): the gazetteer learned from addresses.

``data/tokyo_excerpt.csv`` holds 24 records copied verbatim (header included) from
``shared/data/tokyo-kodomo-shokudo/kodomo_shokudo.csv``: records 2, 3, 4, 7, 23, 39, 40, 43, 44,
53, 181, 182, 194, 195, 349, 350, 410, 411, 464, 465, 498, 499, 518 and 519 (the spreadsheet row
numbers of tokyo_opendata.json), imported with the open-data importer.
"""

from pathlib import Path

import pytest

from listings.importers.tokyo_kodomo_shokudo import import_file
from listings.models import ListingPage
from search import places
from search.contract import SearchParams
from search.engines import get_engine

EXCERPT = Path(__file__).parent / "data" / "tokyo_excerpt.csv"


@pytest.fixture
def tokyo(db):
    result = import_file(EXCERPT)
    assert result.ok, result.summary()
    get_engine().rebuild()
    return {p.title: p.pk for p in ListingPage.objects.live()}


def found(q: str, page_size: int = 50) -> list[str]:
    result = get_engine().search(SearchParams(q=q, page_size=page_size))
    titles = dict(ListingPage.objects.values_list("pk", "title"))
    return [titles[h.listing_id] for h in result.hits]


# ------------------------------------------------------------------ pure parts
def test_fold_unifies_ke_and_old_kanji():
    assert places.fold("光ヶ丘") == places.fold("光が丘") == places.fold("光ケ丘")
    assert places.fold("阿佐ヶ谷") == places.fold("阿佐谷")
    assert places.fold("髙島平") == places.fold("高島平")
    assert places.fold("柳澤") == places.fold("柳沢")


def test_town_of_an_address():
    assert places.town_of("東京都練馬区東大泉5-35-12", ["東京都", "練馬区"]) == "東大泉"
    assert places.town_of("東京都練馬区大泉学園町5-6-17", ["練馬区"]) == "大泉学園町"
    assert places.town_of("板橋区高島平8-21-11", ["板橋区"]) == "高島平"
    assert places.town_of("東京都調布市深大寺東町7-23-2", ["調布市"]) == "深大寺東町"


def test_core_names_drop_one_direction_word_and_a_town_suffix():
    assert {"東大泉", "大泉"} <= places.core_names("東大泉")
    assert "石神井" in places.core_names("石神井台")
    assert "深大寺" in places.core_names("深大寺東町")
    assert "砂町" in places.core_names("北砂")  # 北砂・南砂 are 砂町 to residents
    assert "町町" not in places.core_names("南町")


def test_query_keys_try_the_municipality_before_towns_and_drop_the_station():
    keys = places.query_keys("荻窪駅")
    assert keys[0] == ("P:荻窪",)
    assert ("c:荻窪",) in keys
    assert places.query_keys("世田谷区")[:2] == [("P:世田谷区",), ("P:世田谷",)]
    assert places.query_keys("食")[:1] == []


# ------------------------------------------------------------------ on real rows
def test_a_town_finds_the_towns_that_contain_it(tokyo):
    hits = found("大泉")
    assert {
        "大泉まちの子ども食堂",
        "おおいずみ子ども食堂",
        "太陽の子東大泉保育園こども食堂",
    } <= set(hits)
    assert "石神井ゆうやけ子ども食堂" not in hits


# (query, a listing it must find, why)
VARIANTS = [
    ("幡ケ谷", "いるかのテーブル", "the address says 幡ヶ谷"),
    ("阿佐谷", "リベルタこども食堂", "阿佐ヶ谷北"),
    ("髙島平", "ごはん塾・にじいろぱーく", "高島平 in old kanji"),
    ("恵比須", "景丘の家・こども食堂", "恵比寿, by reading"),
    ("石神井公園駅", "みんなの食堂すまいる", "the station's town"),
]


def test_spelling_variants_readings_and_stations(tokyo):
    for query, title, why in VARIANTS:
        assert title in found(query), (query, why)


def test_a_municipality_finds_its_own_listings_never_a_lookalike(tokyo):
    chofu = found("調布")
    assert "ハナこども食堂" in chofu
    assert "ﾏﾑｱｲﾅ" not in " ".join(chofu) and "嶺町こども食堂みんなでごはん" not in chofu
    assert set(found("ちょうふ")) == set(chofu) == set(found("Chofu")) == set(found("調布市"))
    musashimurayama = found("武蔵村山")
    assert musashimurayama and not {"子ども食堂　リコード", "まちの縁側本町　夕ぐれ食堂"} & set(
        musashimurayama
    )


def test_relaxation_never_sets_the_place_aside(tokyo):
    result = get_engine().search(SearchParams(q="大泉 ハロウィン", page_size=50))
    assert result.relaxed
    titles = dict(ListingPage.objects.values_list("pk", "title"))
    assert result.hits
    assert {titles[h.listing_id] for h in result.hits} <= set(found("大泉"))


def test_a_relaxed_answer_says_which_word_was_set_aside(tokyo, client):
    result = get_engine().search(SearchParams(q="大泉 ハロウィン"))
    assert result.relaxed and result.set_aside == ("ハロウィン",)
    data = client.get("/api/v1/listings/", {"q": "大泉 ハロウィン"}).json()
    assert data["relaxed"] is True and data["set_aside"] == ["ハロウィン"]


def test_relaxation_never_answers_with_the_whole_index(tokyo):
    # Every listing is a 子ども食堂: dropping the unknown word would return them all.
    result = get_engine().search(SearchParams(q="子ども食堂 ハロウィン"))
    assert result.count == 0 and not result.relaxed


def test_rare_words_weigh_more():
    from search.embedded import idf

    assert idf(765, 765) == 1.0
    assert idf(3, 765) > idf(100, 765) > idf(700, 765) >= 1.0
