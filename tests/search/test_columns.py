"""Every text column of the open-data layout is searchable (issue 13, class 2), on real rows
(the excerpt of tests/search/test_places.py)."""

from search.documents import site_words

from .test_places import found, tokyo  # noqa: F401  (the fixture)


def test_site_words_name_the_host():
    assert "インスタ" in site_words("https://www.instagram.com/x/")
    assert site_words("https://example.jp/") == ""
    assert site_words("") == ""


# (query, a listing it must find, the column the word is in)
COLUMNS = [
    ("笹塚小", "いるかのテーブル", "学区"),
    ("加計塚小", "恵比寿じもと食堂", "学区"),
    ("インスタ", "ハナこども食堂", "URL (instagram.com)"),
]


def test_a_word_in_one_column_finds_the_row(tokyo):  # noqa: F811
    for query, title, column in COLUMNS:
        assert title in found(query), (query, column)
