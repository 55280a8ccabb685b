"""Residents' words and English queries (issue 13, classes 4 and 7), with the seeded synonym
groups (search/migrations/0005_…) on the real-row excerpt of tests/search/test_places.py."""

from django.utils import translation

from search.analysis import analyze_query, english_chunks
from search.models import Synonym
from search.synonyms import synonym_table

from .test_places import found, tokyo  # noqa: F401  (the fixture)


def test_seeded_groups_come_from_the_file_and_staff_can_edit_them(db):
    words = {w for s in Synonym.objects.all() for w in s.word_list}
    assert {"社会福祉協議会", "特定非営利活動法人", "フードパントリー", "food bank"} <= words


def test_english_phrases_stay_one_chunk_and_glue_words_go(db):
    table = synonym_table()
    assert english_chunks(["food", "bank"], table) == ["foodbank"]
    assert english_chunks(["near", "kamata", "station"], table) == ["kamata"]
    assert english_chunks(["near"], table) == ["near"]
    for phrase in ("food bank", "food pantry", "single parent", "no reservation"):
        groups = analyze_query(phrase, table).groups
        assert len(groups) == 1 and any(t.startswith("g:") for t in groups[0].terms), phrase


def test_english_queries_reach_the_japanese_words(tokyo):  # noqa: F811
    with translation.override("en"):
        assert "ハナこども食堂" in found("Chofu")
        nerima = set(found("Nerima"))
        assert "大泉まちの子ども食堂" in nerima and nerima == set(found("練馬区"))
        assert set(found("Musashimurayama")) == set(found("武蔵村山"))
