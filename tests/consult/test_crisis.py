"""Crisis lines first (issue 15, item 3), tested like a safety feature: every crisis phrase of
the judged set shows the block, no ordinary phrase does; on the page and in the API.

The categories, trigger words and lines are the reviewed defaults the migration seeds (the
real data a new site starts with), matched with the real Sudachi analysis.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.cache import cache

from consult.crisis import match, variants
from consult.models import CrisisCategory, CrisisLine
from consult.selectors import crisis_categories, crisis_for
from consult.services import seed_crisis_defaults

SET = Path(__file__).resolve().parents[2] / "devtools" / "eval" / "sets" / "troubles.json"
JUDGED = json.loads(SET.read_text(encoding="utf-8"))
# Lines of the judged set → the seeded line that is that service (the set names them briefly).
LINE_NAMES = {
    "いのちの電話": "いのちの電話",
    "こころの健康相談統一ダイヤル": "こころの健康相談統一ダイヤル",
    "よりそいホットライン": "よりそいホットライン",
    "TELL": "TELL Lifeline（英語）",
    "チャイルドライン": "チャイルドライン",
    "24時間子供SOSダイヤル": "24時間子供SOSダイヤル",
    "189": "児童相談所虐待対応ダイヤル「189」",
    "#8008": "DV相談ナビ",
    "DV相談＋": "DV相談＋（プラス）",
    "#8891": "性犯罪・性暴力被害者のためのワンストップ支援センター",
    "#8103": "性犯罪被害相談電話",
    "110": "110（警察）",
    "119": "119（救急・消防）",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def defaults(crisis_defaults):
    return crisis_defaults


@pytest.fixture(scope="module")
def seeded(django_db_blocker):
    with django_db_blocker.unblock():
        seed_crisis_defaults()
        cache.clear()
        return crisis_categories()


@pytest.mark.parametrize("case", JUDGED["crisis"], ids=lambda c: c["phrase"])
def test_every_crisis_phrase_shows_the_block(case, seeded):
    found = match(case["phrase"], seeded)
    assert found, case["phrase"]


@pytest.mark.parametrize("case", JUDGED["crisis"], ids=lambda c: c["phrase"])
def test_the_most_urgent_line_of_each_crisis_phrase_is_shown(case, seeded):
    """The first line the judges listed (119 for an overdose just taken, 110 for violence in
    progress, 189 for a child…) is among the lines shown; elder abuse has no national line
    and its block names the local 地域包括支援センター instead."""
    found = match(case["phrase"], seeded)
    first = case["lines"][0]
    if first == "地域包括支援センター":
        assert any("地域包括支援センター" in note for note in found.local_window_notes)
    else:
        assert LINE_NAMES[first] in [line.name for line in found.lines]


@pytest.mark.parametrize("case", JUDGED["ordinary"], ids=lambda c: c["phrase"])
def test_no_false_alarm_on_ordinary_phrases(case, seeded):
    assert not match(case["phrase"], seeded), case["why_tricky"]


@pytest.mark.parametrize(
    "phrase",
    [
        "首がつる",  # a cramp, not 首をつる
        "ペットが死んだ",
        "和太鼓をたたく体験",
        "息が止まるほど美しい景色",
        "わたしにたいして",  # しにたい inside 私に対して
        "4年生の子ども",
    ],
)
def test_homophones_and_verbs_alone_do_not_alarm(phrase, seeded):
    assert not match(phrase, seeded)


@pytest.mark.parametrize(
    "phrase",
    ["もう死にたいよ", "死にたかった", "しにたくなる", "ｼﾆﾀｸﾅﾙ", "首を吊りたい", "旦那が暴れる"],
)
def test_inflections_and_spellings_not_in_the_set(phrase, seeded):
    assert match(phrase, seeded)


def test_query_variants_fold_width_small_kana_and_net_spellings():
    assert "しにたい" in variants("ｼﾆﾀｲ")
    assert "死にたい" in variants("死にたぃ")
    assert "死にたい" in variants("タヒにたい")
    assert "4年" in variants("4年")  # a number before 年 stays a number


def test_lines_come_most_urgent_first_and_dial_as_tel_links():
    found = crisis_for("薬をたくさん飲んでしまった")
    assert found.lines[0].name == "119（救急・消防）"
    dv = crisis_for("夫に殴られる")
    assert "%238008" in [line.tel for line in dv.lines]  # # is escaped in a tel: URI


def test_every_seeded_line_names_its_source():
    assert CrisisLine.objects.count() >= 13
    assert not CrisisLine.objects.filter(source="").exists()


def test_staff_edits_show_at_once():
    assert not crisis_for("たすけてほしい")
    category = CrisisCategory.objects.get(code="suicide")
    category.triggers += "\nたすけてほしい"
    category.save()
    assert crisis_for("たすけてほしい").codes == ["suicide"]
    line = CrisisLine.objects.get(name="いのちの電話")
    line.hours = "新しい受付時間"
    line.save()
    assert "新しい受付時間" in [x.hours for x in crisis_for("死にたい").lines]


def test_search_page_shows_the_block_above_the_results(client, areas):
    response = client.get("/search/", {"q": "死にたい"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="crisis"' in html
    assert 'href="tel:0570783556"' in html
    assert html.index('id="crisis"') < html.index('id="results-heading"')


def test_search_page_without_danger_has_no_block(client, areas):
    html = client.get("/search/", {"q": "死亡届の出し方"}).content.decode()
    assert 'id="crisis"' not in html


def test_block_shows_even_when_another_parameter_is_invalid(client, areas):
    response = client.get("/search/", {"q": "消えたい", "radius": "abc"})
    assert response.status_code == 400
    assert 'id="crisis"' in response.content.decode()


def test_api_returns_the_crisis_field(client, areas):
    body = client.get("/api/v1/listings/", {"q": "夫に殴られる"}).json()
    assert [c["code"] for c in body["crisis"]["categories"]] == ["dv"]
    tels = [line["tel"] for line in body["crisis"]["lines"]]
    assert "tel:%238008" in tels
    assert client.get("/api/v1/listings/", {"q": "DVD"}).json()["crisis"] is None
