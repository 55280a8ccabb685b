"""The labelled query set of ``make eval``: what residents type, and which demo listings they want.

Relevance was judged by reading ``demo/data/listings.csv`` (the sample city), before looking at
any engine's output: for each query, the listings a resident typing it would clearly want. Where
a listing is only arguably relevant it is left out (a label is a claim, not a hedge). A query's
``relevant`` set holds demo external IDs (``DEMO-…``); nonsense queries have an empty set and are
expected to find nothing.

Groups used below (from the CSV):

- 子ども食堂: every row of kind ``kodomo_shokudo`` (K01–K18), whatever its name (食卓, キッチン…).
- 居場所: every row of kind ``ibasho`` (I01–I19); all are run by an NPO法人.
- 地域包括支援センター: W07–W10; ほっとネットステーション (地域福祉コーディネーター): W02–W05.
- Topic sets (テーマ column) where the query names a topic: staff assigned those on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EvalQuery:
    q: str
    relevant: frozenset[str]
    category: str
    note: str = ""
    lang: str = "ja"  # the UI language the query is typed under
    first: frozenset[str] = frozenset()  # relevant listings that must rank above the others

    @property
    def nonsense(self) -> bool:
        return not self.relevant


# Categories (what a query exercises); the runner reports each separately.
CATEGORIES = {
    "plain": "kanji as written in the data",
    "variant": "variant spellings (子供/こども/子ども, 障害/障がい, ご飯/ごはん, 引きこもり)",
    "kana": "kana-only input, readings (こどもしょくどう, いばしょ, ふとうこう)",
    "width": "half-width / full-width (ｿｳﾀﾞﾝ, ＤＶ)",
    "romaji": "romaji (kodomo shokudo, ibasho)",
    "phrase": "short phrases with particles and verbs (家賃が払えない)",
    "compound": "compounds and their parts (包括, 食堂)",
    "synonym": "words from the seeded synonym list (たまり場, シニア, 家庭内暴力)",
    "area": "area names, alone or with a kind (北東部 子ども食堂)",
    "latin": "Latin abbreviations and numbers (DV, NPO, 8050)",
    "nonsense": "deliberate nonsense: nothing is relevant, zero results expected",
}


def _ids(*specs: str) -> frozenset[str]:
    """``_ids("K01-K18", "W02")`` → DEMO-K01 … DEMO-K18, DEMO-W02."""
    out: set[str] = set()
    for spec in specs:
        if "-" in spec:
            start, end = spec.split("-")
            prefix = start[0]
            for n in range(int(start[1:]), int(end[1:]) + 1):
                out.add(f"DEMO-{prefix}{n:02d}")
        else:
            out.add(f"DEMO-{spec}")
    return frozenset(out)


KODOMO_SHOKUDO = _ids("K01-K18")
IBASHO = _ids("I01-I19")
FUREMACHI = _ids("F01-F19")
WINDOWS = _ids("W01-W32")
HOKATSU = _ids("W07-W10")
HOTNET = _ids("W02-W05")
# テーマ 見守り
MIMAMORI = _ids(
    "W01-W05", "W07-W10", "W12", "W15", "W17", "W21", "W24", "K02", "K09", "I12",
    "F01", "F03", "F08", "F10", "F13", "F17", "F19",
)  # fmt: skip
# テーマ 子育て
KOSODATE = _ids("W12", "W13", "W14", "W30", "K03", "K08", "K11", "K15", "I02", "I10", "I17", "F18")
# テーマ 障害
SHOGAI = _ids("W11", "W15", "W20", "W23", "W30", "I11")
# テーマ ひきこもり
HIKIKOMORI = _ids("W01-W06", "W25", "I07")
# テーマ 不登校
FUTOKO = _ids("W18", "I04", "I08")
# テーマ 防災
BOSAI = _ids("K14", "F04", "F06", "F08", "F14", "F17", "F19")
# テーマ 多文化
TABUNKA = _ids("K06", "I09", "I17", "W29")
# テーマ 学習支援
GAKUSHU = _ids("W18", "K05", "K17", "I03", "I08", "I13", "I18")
# For elders only: 地域包括 and the activities whose only audience is 高齢の方.
SENIOR = HOKATSU | _ids("I05", "I16", "F02", "F03", "F07", "F10", "F12", "F16")

Q = EvalQuery

QUERIES: list[EvalQuery] = [
    # ---- 子ども食堂 in every spelling
    Q("子ども食堂", KODOMO_SHOKUDO, "plain"),
    Q("こども食堂", KODOMO_SHOKUDO, "variant"),
    Q("子供食堂", KODOMO_SHOKUDO, "variant"),
    Q("こどもしょくどう", KODOMO_SHOKUDO, "kana"),
    Q("コドモショクドウ", KODOMO_SHOKUDO, "kana"),
    Q("ｺﾄﾞﾓｼｮｸﾄﾞｳ", KODOMO_SHOKUDO, "width"),
    Q("kodomo shokudo", KODOMO_SHOKUDO, "romaji"),
    Q("ｋｏｄｏｍｏ　ｓｈｏｋｕｄｏｕ", KODOMO_SHOKUDO, "width", "full-width, ideographic space"),
    Q("食堂", KODOMO_SHOKUDO, "compound", "every 子ども食堂 row, named 食堂 or not"),
    Q("ご飯", KODOMO_SHOKUDO, "variant"),
    Q("ごはん", KODOMO_SHOKUDO, "variant"),
    Q("ご飯が食べられるところ", KODOMO_SHOKUDO, "phrase"),
    Q("お弁当", _ids("K18"), "plain"),
    Q("食べ物がもらえる", _ids("K07", "K18"), "phrase", "food pantry and お弁当配布"),
    Q("フードパントリー", _ids("K07"), "plain"),
    Q("キッチン", _ids("K03", "K14"), "compound"),
    # ---- 居場所
    Q("居場所", IBASHO, "plain"),
    Q("いばしょ", IBASHO, "kana", "mis-split by tokenizers: い/ば/しょ"),
    Q("ibasho", IBASHO, "romaji"),
    Q("たまり場", IBASHO, "synonym"),
    Q(
        "子どもの居場所",
        _ids("I03", "I04", "I08", "I13", "I14", "I18"),
        "phrase",
        "居場所 for school-age children; 子育てひろば (infants) left out as debatable",
    ),
    Q("子供の居場所", _ids("I03", "I04", "I08", "I13", "I14", "I18"), "variant"),
    Q("中高生の居場所", _ids("I04", "I08", "I13", "I18"), "phrase"),
    Q("若者の居場所", _ids("I07"), "phrase"),
    Q("フリースペース", _ids("I08"), "plain"),
    Q("放課後", _ids("I03", "I13", "I14"), "plain"),
    Q("ほうかご", _ids("I03", "I13", "I14"), "kana"),
    Q("カフェ", _ids("I01", "I03", "I06", "I09", "I11", "I14", "I15", "I19"), "compound"),
    Q("コミュニティカフェ", _ids("I01", "I06", "I15"), "plain"),
    Q("こみゅにてぃかふぇ", _ids("I01", "I06", "I15"), "kana", "katakana word typed in hiragana"),
    Q("サロン", _ids("I05", "I12", "I16", "F02", "F12", "F16", "F18"), "compound"),
    Q("ｼﾆｱ ｻﾛﾝ", _ids("I05", "I16"), "width"),
    Q("お年寄りのサロン", _ids("I05", "I16", "F02", "F12", "F16"), "synonym"),
    Q("シニア", SENIOR, "synonym", "for elders only; mixed-age listings left out"),
    Q("NPO", IBASHO, "latin", "every 居場所 is run by an NPO法人"),
    Q("ＮＰＯ法人", IBASHO, "width"),
    # ---- 相談窓口
    Q("相談窓口", WINDOWS, "plain"),
    Q("ｿｳﾀﾞﾝ ﾏﾄﾞｸﾞﾁ", WINDOWS, "width"),
    Q("地域包括", HOKATSU, "compound"),
    Q("包括支援センター", HOKATSU | _ids("W13"), "compound"),
    Q("ちいきほうかつしえんせんたー", HOKATSU, "kana"),
    Q("認知症", HOKATSU, "plain"),
    Q("にんちしょう", HOKATSU, "kana"),
    Q("物忘れが心配", HOKATSU, "phrase"),
    Q("介護", HOKATSU | _ids("W16"), "plain"),
    Q("一人暮らしのお年寄り", HOKATSU | _ids("F03"), "phrase"),
    Q("虐待", HOKATSU | _ids("W12", "W26"), "plain"),
    Q("お金がない", _ids("W01", "W06", "K07"), "synonym"),
    Q("家賃が払えない", _ids("W06", "W20"), "phrase"),
    Q("借金", _ids("W06"), "plain"),
    Q("仕事が見つからない", _ids("W06", "I07"), "phrase"),
    Q("部屋を借りたい", _ids("W20"), "phrase"),
    Q("空き家", _ids("W20"), "plain"),
    Q("どこに相談すればいいかわからない", _ids("W01"), "phrase"),
    Q("8050", _ids("W01"), "latin"),
    Q("ほっとネット", HOTNET, "compound"),
    Q("地域福祉コーディネーター", HOTNET, "plain"),
    Q("孤立", HOTNET, "plain"),
    Q("ゴミ出しを手伝ってほしい", HOTNET | _ids("F13", "W24"), "phrase"),
    Q("ボランティアをしたい", HOTNET | _ids("F03", "W24"), "phrase"),
    Q("ヤングケアラー", HOTNET | _ids("W12"), "plain"),
    Q("家族の世話", HOTNET | _ids("W12"), "synonym"),
    Q("障害", SHOGAI, "plain"),
    Q("障がい", SHOGAI, "variant"),
    Q("しょうがい者", SHOGAI, "kana"),
    Q("発達障害", _ids("W11", "W30"), "compound"),
    Q("手話", _ids("I11"), "plain"),
    Q("ひきこもり", HIKIKOMORI, "kana"),
    Q("引きこもり", HIKIKOMORI, "variant"),
    Q("不登校", FUTOKO, "plain"),
    Q("ふとうこう", FUTOKO, "kana"),
    Q("学校に行けない", FUTOKO, "phrase"),
    Q("いじめ", _ids("W18"), "kana"),
    Q("塾に行けない", _ids("I18"), "phrase"),
    Q("学習支援", GAKUSHU, "plain"),
    Q("宿題", _ids("K05", "I03"), "plain"),
    Q("子育て", KOSODATE, "plain"),
    Q("育児", KOSODATE, "synonym"),
    Q("子育てひろば", _ids("I02", "I10", "I17", "W14"), "compound"),
    Q("子どもを預けたい", _ids("W12", "W14"), "phrase"),
    Q("夜泣き", _ids("W14"), "plain"),
    Q("妊娠", _ids("W13"), "plain"),
    Q("にんしん", _ids("W13"), "kana"),
    Q("母子手帳", _ids("W13"), "compound"),
    Q("産後うつ", _ids("W13"), "compound"),
    Q("DV", _ids("W19"), "latin"),
    Q("ＤＶ", _ids("W19"), "width"),
    Q("家庭内暴力", _ids("W19"), "synonym"),
    Q("夫の暴力", _ids("W19"), "phrase"),
    Q("詐欺にあった", _ids("W17", "W27"), "phrase"),
    Q("ｸｰﾘﾝｸﾞｵﾌ", _ids("W17"), "width"),
    Q("成年後見", _ids("W15"), "plain"),
    Q("せいねんこうけん", _ids("W15"), "kana"),
    Q("訪問看護", _ids("W16"), "plain"),
    Q("退院", _ids("W16"), "plain"),
    Q("外国人", TABUNKA, "synonym"),
    Q("見守り", MIMAMORI, "plain"),
    Q("みまもり", MIMAMORI, "kana"),
    Q("防災", BOSAI, "plain"),
    Q("ぼうさい", BOSAI, "kana"),
    Q("体操", _ids("F07", "I05", "I16"), "plain"),
    Q("脳トレ", _ids("I16"), "plain"),
    Q("ふれまち", FUREMACHI | _ids("W24"), "kana"),
    Q("住民懇談会", _ids("F01", "F06", "F11", "F15"), "plain"),
    Q("ふれあいサロン", _ids("F02", "F16"), "plain"),
    # ---- areas
    Q("北東部 子ども食堂", _ids("K01-K04"), "area"),
    Q("西部 こども食堂", _ids("K13-K17"), "area"),
    Q("南部圏域 居場所", _ids("I11-I14"), "area"),
    Q("中部 地域包括", _ids("W08"), "area"),
    Q("南部 ほっとネット", _ids("W04"), "area"),
    Q("あおば", _ids("W01", "W06", "W18", "W20-W32", "K05", "I06", "F06", "F07", "F19"), "area"),
    Q("みどり", _ids("K01", "I01", "F01", "F02"), "area"),
    # ---- nonsense: nothing is relevant
    Q("ｘｙｚｚｙ", frozenset(), "nonsense"),
    Q("宇宙船の修理", frozenset(), "nonsense"),
    Q("qwrtplk", frozenset(), "nonsense"),
    Q("恐竜の化石", frozenset(), "nonsense"),
]
