"""The Japanese analyser, run with the real Sudachi dictionary."""

import pytest

from search.analysis import (
    SynonymTable,
    analyze_query,
    document_terms,
    normalize,
    romaji,
    to_hiragana,
    tokenize,
)


def matches(query: str, text: str, synonyms: SynonymTable | None = None) -> bool:
    """True when every required group of the query is satisfied by the text's terms."""
    doc = document_terms(text, synonyms)
    analyzed = analyze_query(query, synonyms)
    for group in analyzed.required_groups:
        by_terms = bool(group.terms & doc)
        by_run = bool(group.reading_run) and all(f"b:{b}" in doc for b in group.reading_run)
        if not (by_terms or by_run):
            return False
    return not analyzed.is_empty


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｿｳﾀﾞﾝ", "ソウダン"),
        ("ＤＶ　相談", "dv 相談"),
        ("  子ども\u3000食堂  ", "子ども 食堂"),
        ("１２３", "123"),
        ("10時〜12時", "10時～12時"),
    ],
)
def test_normalize_folds_width_case_and_space(raw, expected):
    assert normalize(raw) == expected


def test_hiragana():
    assert to_hiragana("イバショ") == "いばしょ"


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("しょくどう", "shokudou"),
        ("そうだん", "soudan"),
        ("ちゃんこ", "chanko"),
        ("きって", "kitte"),
        ("じゅく", "juku"),
        ("イバショ", "ibasho"),
    ],
)
def test_romaji(kana, expected):
    assert romaji(kana) == expected


@pytest.mark.parametrize("variant", ["子ども", "子供", "こども", "コドモ", "ｺﾄﾞﾓ", "kodomo"])
def test_spelling_variants_of_kodomo_meet(variant):
    assert matches(f"{variant}食堂", "みどり子ども食堂")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("障がい", "障害のある方の相談"),
        ("しょうがい者", "障害のある方の相談"),
        ("ごはん", "みんなでご飯を食べる会"),
        ("そうだん", "なんでも相談窓口"),
        ("ｿｳﾀﾞﾝ", "なんでも相談窓口"),
        ("こどもの いばしょ", "子どもの居場所づくり"),
        ("こどもしょくどう", "こども食堂ひまわり"),
        ("家賃が払えない", "家賃や生活費の相談"),
        ("食堂", "子ども食堂"),
        ("法人", "NPO法人みどり"),
        ("npo", "ＮＰＯ法人みどり"),
        ("kodomo shokudo", "子ども食堂"),
        ("soudan", "相談窓口"),
    ],
)
def test_resident_phrasing_finds_the_text(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("食堂", "子育てひろば"),
        ("いばしょ", "しょうがい者の相談"),  # scattered kana must not match
        ("介護", "子ども食堂"),
    ],
)
def test_unrelated_text_does_not_match(query, text):
    assert not matches(query, text)


def test_particles_and_auxiliaries_are_dropped():
    groups = analyze_query("家賃が払えない").groups
    assert [g.text for g in groups] == ["家賃", "払え"]
    assert [g.required for g in groups] == [True, False]


def test_affixes_fold_into_their_word():
    # 者 alone would match every 高齢者; it becomes part of a compound alternative instead.
    (group,) = analyze_query("しょうがい者").groups
    assert group.required and {"n:障害", "n:障害者"} <= group.terms
    (group,) = analyze_query("お年寄り").groups
    assert {"n:年寄り", "s:お年寄り"} <= group.terms


@pytest.mark.parametrize(
    ("query", "texts"),
    [
        ("ぼらんてぃあをしたい", ["ぼらんてぃあ"]),
        ("こどものいばしょ", ["こども", "いばしょ"]),
        ("おかねがない", ["おかね"]),
        ("いばしょ", ["いばしょ"]),  # い/ば/しょ is a mis-split, not a phrase
    ],
)
def test_kana_phrases_split_at_case_particles(query, texts):
    assert [g.text for g in analyze_query(query).groups] == texts


def test_synonym_phrase_widens_only_the_words_it_covers():
    table = SynonymTable.build([(5, ["高齢者", "お年寄り"])])
    groups = analyze_query("一人暮らしのお年寄り", table).groups
    by_text = {g.text: g.terms for g in groups}
    assert "g:5" in by_text["年寄り"]
    assert "g:5" not in by_text["一人暮らし"]


def test_only_optional_words_become_required():
    groups = analyze_query("食べたい").groups
    assert groups and all(g.required for g in groups)


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "AND OR", "'; DROP TABLE", "（）", "!!!", "\\", "%_"]
)
def test_operator_syntax_is_just_text(query):
    analyzed = analyze_query(query)  # never raises
    for group in analyzed.groups:
        assert all(":" in term for term in group.terms)


def test_long_query_is_cut():
    analyzed = analyze_query("相談" * 5000)
    assert len(analyzed.text) <= 200


def test_empty_and_blank_queries():
    assert analyze_query("").is_empty
    assert analyze_query("   \u3000 ").is_empty
    assert analyze_query("の を は").is_empty


def test_compounds_are_indexed_with_their_short_units():
    surfaces = {t.surface for t in tokenize("地域包括支援センター")}
    assert {"地域", "包括", "支援", "センター"} <= surfaces


class TestSynonyms:
    table = SynonymTable.build(
        [
            (1, ["居場所", "たまり場"]),
            (2, ["見守り", "ささえあい"]),
            (3, ["お金がない", "生活困窮"]),
        ]
    )

    @pytest.mark.parametrize(
        ("query", "text"),
        [
            ("たまり場", "地域の居場所"),
            ("居場所", "中高生のたまり場"),
            ("いばしょ", "中高生のたまり場"),
            ("見守り", "ささえあい協力員"),
            ("お金がない", "生活困窮者の自立支援"),
        ],
    )
    def test_synonyms_match_both_ways(self, query, text):
        assert matches(query, text, self.table)

    def test_without_the_table_they_do_not(self):
        assert not matches("たまり場", "地域の居場所")
