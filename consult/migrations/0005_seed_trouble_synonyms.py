"""Synonym groups for the plan's problem areas in residents' words (issue 15, item 5).

Added to the staff-edited ``search.Synonym`` list (admin → 同義語（検索）) so search itself meets
residents' words; the trouble finder's own trigger words are in ``consult.Trouble``. Only adds
groups that are not there yet; never changes or removes staff's groups.
"""

from django.db import migrations

NOTE = "困りごと（consult）: "
GROUPS = [
    ("生活困窮、生活苦、困窮、生活に困る", "お金・くらし"),
    ("借金、債務、借入、借り入れ、しゃっきん", "借金"),
    ("滞納、未納、支払いの遅れ", "滞納"),
    ("光熱費、公共料金、電気代、ガス代、水道代", "電気・ガス・水道"),
    ("求職、職探し、仕事探し、就職活動", "仕事さがし"),
    ("障害、障がい、障碍、しょうがい", "障害の書き方"),
    (
        "障害者手帳、障がい者手帳、身体障害者手帳、療育手帳、愛の手帳、精神障害者保健福祉手帳",
        "障害者手帳",
    ),
    ("発達障害、発達障がい、発達の遅れ、自閉症、自閉スペクトラム症、ADHD、学習障害", "発達"),
    ("こころの病気、心の病気、精神疾患、メンタル不調、心の不調", "こころの健康"),
    ("孤独、孤立、ひとりぼっち、一人ぼっち", "孤独・孤立"),
    ("ひきこもり、引きこもり、ヒキコモリ、閉じこもり", "ひきこもり"),
    ("8050、8050問題、はちまるごーまる", "8050"),
    ("ごみ屋敷、ゴミ屋敷、ためこみ、汚部屋", "ごみ屋敷"),
    ("不登校、登校拒否、登校しぶり", "不登校"),
    ("ヤングケアラー、子どもの介護者、若者ケアラー", "ヤングケアラー"),
    (
        "DV、ドメスティックバイオレンス、ドメスティック・バイオレンス、配偶者暴力、デートDV",
        "家庭内の暴力",
    ),
    ("特殊詐欺、振り込め詐欺、オレオレ詐欺、還付金詐欺", "詐欺"),
    ("悪質商法、押し売り、悪質な訪問販売", "悪質商法"),
    ("成年後見、成年後見制度、後見制度", "成年後見"),
    ("金銭管理、お金の管理、財産管理", "お金の管理"),
    ("外国人、外国籍、在住外国人、外国にルーツ", "外国から来た方"),
    ("通訳、通訳者、ことばの手伝い", "通訳"),
    ("物忘れ、もの忘れ、ものわすれ", "物忘れ"),
    ("退院、退院支援、退院後", "退院"),
    ("更生、立ち直り、更生保護", "立ち直り"),
]


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for words, note in GROUPS:
        if not Synonym.objects.filter(words=words).exists():
            Synonym.objects.create(words=words, note=NOTE + note)


class Migration(migrations.Migration):
    dependencies = [
        ("consult", "0004_troubles_and_their_windows"),
        ("search", "0004_compact_postings"),
    ]
    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
