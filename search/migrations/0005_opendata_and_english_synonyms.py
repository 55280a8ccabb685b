"""Synonym groups seeded from the wording of the real Tokyo 子ども食堂 open data (issue 13).

Each group gathers the ways the file's own rows (運営団体名, 名称, 設置目的, 備考, 参加条件) and
residents name one thing — kinds of organiser, services, people — plus the English words a
resident types under the English UI (class 7). Staff review and edit them in the admin
(検索 > 同義語); a group only widens a word, it never narrows one.
"""

from django.db import migrations

NEW_GROUPS = [
    # organisers
    ("寺、お寺、寺院、temple", "運営団体: お寺（宗教法人の寺院）"),
    ("教会、キリスト教会、チャーチ、church", "運営団体: 教会"),
    ("宗教法人、宗教団体", "運営団体: 宗教法人"),
    ("生協、生活協同組合、コープ、パルシステム、生活クラブ、co-op", "運営団体: 生協"),
    ("NPO、NPO法人、特定非営利活動法人、非営利", "運営団体: NPO"),
    ("一般社団法人、一社、社団法人", "運営団体: 一般社団法人"),
    ("社協、社会福祉協議会", "運営団体: 社会福祉協議会"),
    ("株式会社、有限会社、合同会社、企業、会社、company", "運営団体: 会社・お店"),
    ("大学、大学生、university", "運営団体: 大学・学生"),
    ("町会、町内会、自治会", "運営団体: 町会・自治会"),
    # services
    (
        "フードバンク、フードパントリー、食料配布、食品配布、食材配布、食料支援、"
        "food bank、food pantry、foodbank",
        "食べ物を配る",
    ),
    ("学習支援、勉強、宿題、学習、tutoring、homework、study", "勉強をみてもらえる"),
    ("弁当、お弁当、テイクアウト、持ち帰り、bento、takeout、take-away、to go", "持ち帰りの食事"),
    ("配食、宅配、配達、配送、delivery", "食事を届ける"),
    ("朝ごはん、朝食、モーニング、breakfast", "朝の食事"),
    ("ランチ、昼食、昼ごはん、お昼、lunch", "昼の食事"),
    ("夕食、晩ごはん、夕ごはん、夜ごはん、晩御飯、夕飯、dinner、supper", "夜の食事"),
    ("無料、0円、タダ、free、free meal、no charge", "参加費がかからない"),
    ("予約不要、予約なし、予約いらない、当日参加、no reservation", "予約がいらない"),
    ("予約、申し込み、申込、reservation、booking", "予約"),
    ("子ども食堂、こども食堂、kids cafeteria、children's cafeteria、kodomo shokudo", "英語で"),
    # people
    (
        "ひとり親、ひとり親家庭、母子家庭、父子家庭、シングルマザー、シングルファザー、"
        "single parent、single mother",
        "ひとり親家庭",
    ),
    ("高齢者、お年寄り、シニア、elderly、senior", "高齢の方"),
    ("障害、障がい、障碍、発達障害、disability、disabled", "障害のある方"),
    ("誰でも、どなたでも、どなたも、制限なし、anyone、everyone、anyone welcome", "どなたでも"),
    ("多世代、全世代、世代間、地域の方、all generations", "世代を問わず"),
    # days (English under the English UI)
    ("土曜、土曜日、saturday", "曜日"),
    ("日曜、日曜日、sunday", "曜日"),
]


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for words, note in NEW_GROUPS:
        if not Synonym.objects.filter(words=words).exists():
            Synonym.objects.create(words=words, note=note)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_compact_postings")]
    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
