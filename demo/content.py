"""The sample city's 情報発信 pages, as data (written for the demo from the plan's goals).

Everything here is fictional sample content. StreamField bodies are lists of
``(block_type, value)``; two kinds of value are references resolved by ``demo.services``:

- ``related(heading, "DEMO-W01", ...)``: listings by their external ID (the CSV's ``ID``);
- a callout's ``link_page``: the slug of another page below (or ``None``).
"""

from __future__ import annotations

SAMPLE_MARK = "（サンプル）"

HOME_INTRO = (
    "<p>サンプル市の居場所、子ども食堂、ふれまちの活動、相談窓口をまとめて探せるポータルです。"
    "年齢や目的、お住まいの地区から探せます。"
    "<b>このサイトの市・地区・団体・連絡先はすべて架空のサンプルデータです。</b></p>"
)


# Area fields the Areas CSV does not carry: shown on the area pages (code → values).
AREA_NOTES: dict[str, dict[str, str]] = {
    "sample": {
        "description": "サンプル市は、このポータルの見本として作った架空の市です。"
        "市内は4つの圏域と、約20のふれまち地区に分かれています。",
        "coordinator": "",
    },
    **{
        code: {
            "description": f"{name}は、市の{where}にある圏域です（サンプル）。"
            f"5つのふれまち地区があり、{hub}にほっとネットステーションと"
            "地域包括支援センターがあります。",
            "coordinator": f"{name} ほっとネットステーション（サンプル）",
        }
        for code, name, where, hub in [
            ("ne", "北東部圏域", "北東部", "ひばり小地区"),
            ("ce", "中部圏域", "中ほど", "わかば小地区"),
            ("so", "南部圏域", "南部", "ひまわり小地区"),
            ("we", "西部圏域", "西部", "ゆりのき小地区"),
        ]
    },
}


# Listing descriptions in やさしい日本語 (external ID → text), a field the CSV does not carry.
LISTING_YASASHII: dict[str, str] = {
    "DEMO-W01": (
        "困った ことが ある とき、 どこに 相談すれば いいか わからない とき、 "
        "まず ここに 来てください。\n"
        "あなたの 話を 聞いて、 いっしょに 考えます。 ほかの 窓口にも つなぎます。\n"
        "相談は 無料です。（サンプル）"
    ),
}


def heading(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def paragraph(*paragraphs: str) -> tuple[str, str]:
    """One rich-text block; each argument is a paragraph, or raw HTML when it starts with '<'."""
    html = "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return ("paragraph", html)


def callout(
    title: str,
    body: str,
    *,
    style: str = "info",
    link_page: str | None = None,
    link_text: str = "",
) -> tuple[str, dict]:
    return (
        "callout",
        {
            "style": style,
            "title": title,
            "body": body if body.startswith("<") else f"<p>{body}</p>",
            "link_page": link_page,
            "link_text": link_text,
        },
    )


def related(heading_text: str, *external_ids: str) -> tuple[str, dict]:
    return ("related_listings", {"heading": heading_text, "listings": list(external_ids)})


def sample_notice() -> tuple[str, dict]:
    return callout(
        "このページはサンプルです",
        "ポータルの使い方を示すために用意した架空の内容です。"
        "実在する市の計画・窓口・団体の案内ではありません。",
        style="important",
    )


HOTNET = ("DEMO-W02", "DEMO-W03", "DEMO-W04", "DEMO-W05")
HOUKATSU = ("DEMO-W07", "DEMO-W08", "DEMO-W09", "DEMO-W10")

PAGES: list[dict] = [
    {
        "slug": "plan-and-portal",
        "title": "地域福祉計画とこのポータル",
        "summary": "地域福祉計画がめざすまちと、このポータルが生まれた理由を紹介します。"
        + SAMPLE_MARK,
        "body": [
            sample_notice(),
            heading("計画がめざすまち"),
            paragraph(
                "地域福祉計画は、市に住む人も働く人も、支える側と支えられる側に分かれずに、"
                "おたがいに支え合うまちをめざす計画です。",
                "ご近所や地域の団体のつながりを土台にして、困ったときに必要な支えへ"
                "きちんと届くしくみを、住民と市と社会福祉協議会が一緒に育てていきます。",
            ),
            heading("3つの方針"),
            paragraph(
                "<ul>"
                "<li><b>住民が主役になる</b>：福祉を学ぶ機会やボランティア、NPO・社会福祉法人との"
                "協力を広げます。</li>"
                "<li><b>必要な支えに安心してつながる</b>：ひとりで悩みを抱えている人や、ひきこもり、"
                "ヤングケアラー、生活の苦しさなど、見えにくい困りごとにも手をのばします。</li>"
                "<li><b>安全で暮らしやすい環境</b>：防災・防犯、だれもが使いやすいまちづくり、"
                "移動や働くことの支えに取り組みます。</li>"
                "</ul>"
            ),
            heading("なぜこのポータルをつくったのか"),
            paragraph(
                "計画づくりのなかで、「どこに相談したらよいかわからない」"
                "「自分で調べたいけれど、どこを見ればよいかわからない」"
                "「近くの居場所や活動の情報が入ってこない」という声がたくさん寄せられました。",
                "このポータルは、居場所、子ども食堂、ふれまちの活動、相談窓口を一か所にまとめ、"
                "年齢や目的、住んでいる地区から探せるようにしたものです。"
                "スマートフォンや読み上げソフトでも使いやすいように作っています。",
            ),
            related("まず相談したいときは", "DEMO-W01", "DEMO-W06", *HOTNET),
            callout(
                "どこに相談すればよいかわからないとき",
                "困っていることから相談先を選べるページを用意しました。",
                style="consult",
                link_page="choosing-a-window",
                link_text="相談窓口の選び方を見る",
            ),
        ],
    },
    {
        "slug": "four-tiers",
        "title": "4つの階層で支え合う",
        "summary": "身近な地域から市全域まで、4つの広さで困りごとに気づき、支え合うしくみです。"
        + SAMPLE_MARK,
        "body": [
            sample_notice(),
            heading("身近な地域から市全域まで"),
            paragraph(
                "計画では、地域を4つの広さ（階層）に分けて考えます。"
                "困りごとにはまず身近なところで気づき、そこで解決がむずかしいときは、"
                "ひとつ上の階層へつないでいきます。",
                "このポータルで地区を選んで探すときも、この4つの階層を使っています。",
            ),
            heading("身近な地域（町丁目・自治会）", "h3"),
            paragraph(
                "あいさつや声かけ、ちょっとした手助けなど、毎日の暮らしのなかの支え合いです。"
                "自治会・町内会の活動が中心になります。"
            ),
            related("身近な地域の活動の例", "DEMO-F02", "DEMO-F03", "DEMO-F12", "DEMO-I12"),
            heading("概ね小学校通学区域（ふれまち地区）", "h3"),
            paragraph(
                "市内のおよそ20の地区で、ふれあいのまちづくり住民懇談会（ふれまち）が、"
                "サロンや行事、助け合いの活動をしています。"
                "地域の困りごとに早く気づく役割もになっています。"
            ),
            related("ふれまち住民懇談会", "DEMO-F01", "DEMO-F06", "DEMO-F11", "DEMO-F15"),
            heading("概ね中学校区（圏域）", "h3"),
            paragraph(
                "相談や居場所の拠点を置く広さです。中学校から歩いて行ける範囲"
                "（およそ1,200メートル）を目安にしています。"
                "今は市内を4つの圏域に分け、それぞれに地域福祉コーディネーターがいます。"
            ),
            related("圏域ごとの相談の拠点", *HOTNET),
            heading("市全域", "h3"),
            paragraph(
                "情報発信や福祉教育、新しいサービスづくり、専門職や関係機関のネットワークなど、"
                "市全体で取り組むことです。"
            ),
            related("市全域の相談窓口", "DEMO-W01", "DEMO-W11", "DEMO-W12"),
            callout(
                "地区で探すときの見え方",
                "地区を選ぶと、その地区にある場所のほかに、その地区をふくむ圏域や"
                "市全域を対象にしている窓口も一緒に表示されます。",
            ),
        ],
    },
    {
        "slug": "choosing-a-window",
        "title": "困ったときの相談窓口の選び方",
        "summary": "窓口の名前を知らなくても大丈夫。困っていることから相談先を選べます。"
        + SAMPLE_MARK,
        "body": [
            sample_notice(),
            paragraph(
                "相談窓口の名前を知らなくても大丈夫です。困っていることから相談先を選んでください。",
                "どれに当てはまるかわからないときは、福祉丸ごと相談窓口か、"
                "お住まいの圏域のほっとネットステーションへどうぞ。",
            ),
            callout(
                "どこに相談したらよいかわからない",
                "福祉丸ごと相談窓口がまずお話をうかがい、担当の窓口へ一緒につなぎます。"
                "相談は無料で、秘密は守られます。",
                style="consult",
            ),
            related("まずはここへ", "DEMO-W01", *HOTNET),
            heading("お金・住まい・仕事のこと"),
            paragraph(
                "家賃が払えない、仕事が見つからない、借金が心配といった相談は"
                "生活サポート相談窓口へ。住まい探しは住宅課も案内しています。"
            ),
            related("お金・住まい・仕事の相談", "DEMO-W06", "DEMO-W20"),
            heading("介護・高齢の方のこと"),
            paragraph(
                "介護や認知症、物忘れが心配なときは、お住まいの圏域の地域包括支援センターへ。"
                "自宅で療養を続けたいときは、在宅療養連携支援センターが相談にのります。"
            ),
            related("介護・高齢の方の相談", *HOUKATSU, "DEMO-W16"),
            heading("子ども・子育て・学校のこと"),
            paragraph(
                "妊娠・出産から子育てまでは子育て世代包括支援センターや地域子育て支援センターへ。"
                "子どもと家庭の心配ごとは子ども家庭支援センター、"
                "学校に行きづらいときは教育支援課でも相談できます。"
            ),
            related("子ども・子育て・学校の相談", "DEMO-W13", "DEMO-W14", "DEMO-W12", "DEMO-W18"),
            heading("障害のこと・権利を守ること"),
            paragraph(
                "障害のある方と家族の暮らしの相談は基幹相談支援センターへ。"
                "お金の管理や契約に不安があるときは、権利擁護センターが力になります。"
            ),
            related("障害・権利の相談", "DEMO-W11", "DEMO-W15"),
            heading("暴力・消費者トラブルのこと"),
            paragraph(
                "配偶者や恋人からの暴力、性別による悩みは男女平等推進センターへ。"
                "不安な勧誘や契約のトラブルは消費者センターへ相談してください。"
            ),
            related("暴力・消費者トラブルの相談", "DEMO-W19", "DEMO-W17"),
            callout(
                "命や安全にかかわるときは",
                "今すぐ危険があるときは、ためらわずに110番（警察）か119番（消防・救急）に"
                "電話してください。",
                style="important",
            ),
        ],
        # やさしい日本語: short sentences, everyday words, a space between phrases
        # (docs/news.md, "やさしい日本語").
        "yasashii_summary": "困ったときに 相談する ところの 選び方です。" + SAMPLE_MARK,
        "yasashii_body": [
            sample_notice(),
            paragraph(
                "困ったことが ありますか。 市には 相談できる ところ（窓口）が あります。",
                "どこに 行けば いいか わからない ときは、 まず 福祉丸ごと相談窓口に "
                "来てください。 電話でも いいです。",
                "相談は 無料です。 あなたの 話は ほかの 人に 言いません。",
            ),
            related("まず ここに 相談してください", "DEMO-W01", *HOTNET),
            heading("お金や 家や 仕事に 困ったとき"),
            paragraph("生活サポート相談窓口に 相談してください。"),
            related("お金・家・仕事の 相談", "DEMO-W06", "DEMO-W20"),
            callout(
                "あぶない ときは すぐに 電話",
                "すぐに 助けが 必要な ときは、 110番（警察）か 119番（消防・救急車）に "
                "電話してください。",
                style="important",
            ),
        ],
    },
    {
        "slug": "more-ibasho",
        "title": "居場所を増やす・つなぐ",
        "summary": "だれもが立ち寄れる居場所を増やし、必要な人に届けるための取り組みです。"
        + SAMPLE_MARK,
        "body": [
            sample_notice(),
            heading("居場所の「量」と「質」"),
            paragraph(
                "計画では、気軽に立ち寄れる居場所の数を増やすこと（量）と、"
                "一つひとつの居場所がより良くなるよう支えること（質）の両方をめざしています。",
                "そのために、居場所の情報を集めて、必要な人に届けることを大切にしています。",
            ),
            heading("広がる住民の活動"),
            paragraph(
                "子ども食堂や放課後カフェは、住民が中心になって始めた活動として広がっています。"
                "世代をこえて人が集まる場は、困りごとに早く気づく場にもなります。"
            ),
            related("子ども食堂", "DEMO-K01", "DEMO-K05", "DEMO-K09", "DEMO-K13"),
            related("放課後カフェ・中高生の居場所", "DEMO-I03", "DEMO-I14", "DEMO-I04", "DEMO-I13"),
            heading("参加する・はじめる"),
            paragraph(
                "相談を受けるだけでなく、一人ひとりに合った活動や役割につなぐこと（参加支援）と、"
                "人が出会う場をつくること（地域づくり）にも取り組んでいます。",
                "ボランティアとして関わりたい方や、新しく居場所を始めたい方は、"
                "お住まいの圏域のほっとネットステーションにご相談ください。",
            ),
            related("はじめたいときの相談先", *HOTNET),
            callout(
                "活動の情報をお寄せください",
                "子ども食堂やサロンなどを運営している方は、このポータルに活動の情報を"
                "載せることができます。",
            ),
        ],
    },
    {
        "slug": "news-sample-data",
        "title": "お知らせ：このサイトはサンプルデータで動いています",
        "summary": "掲載している市・地区・団体・連絡先はすべて架空です。" + SAMPLE_MARK,
        "body": [
            callout(
                "サンプルデータについて",
                "このサイトに載っている市、地区、居場所、相談窓口、住所、連絡先はすべて架空の"
                "ものです。電話番号は「000」で始まる、実際には使われない形にしています。",
                style="important",
            ),
            paragraph(
                "サンプル市は、地域福祉計画の考え方にそって作った架空の市です。"
                "4つの圏域、約20のふれまち地区、いくつかの町丁目・自治会があります。",
                "実際の市で使うときは、管理画面や取り込みのコマンドで、"
                "その市の地区と居場所のデータに入れかえてください。",
            ),
            heading("年末年始のイベント（サンプル）"),
            related("これからの催し", "DEMO-K16", "DEMO-F04", "DEMO-F09", "DEMO-F14"),
            callout(
                "ポータルの考え方を知る",
                "地域福祉計画とこのポータルの関係を紹介しています。",
                link_page="plan-and-portal",
                link_text="地域福祉計画とこのポータル",
            ),
        ],
    },
]
