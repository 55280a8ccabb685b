"""A starting synonym list; staff edit it in the admin (検索 > 同義語)."""

from django.db import migrations

GROUPS = [
    ("居場所、たまり場、フリースペース", "居場所の言い換え"),
    ("見守り、ささえあい、安否確認", "見守り活動"),
    ("お金がない、生活困窮、生活費、家計", "お金・暮らしの困りごと"),
    ("子育て、育児", ""),
    ("高齢者、お年寄り、シニア", ""),
    ("不登校、学校に行けない、登校しぶり", ""),
    ("ひきこもり、閉じこもり", ""),
    ("DV、家庭内暴力、ドメスティック・バイオレンス", ""),
    ("認知症、物忘れ", ""),
    ("仕事、就労、就職", ""),
    ("住まい、住居、住宅", ""),
    ("ごはん、食事", ""),
    ("困りごと、悩み", ""),
    ("子ども食堂、地域食堂、みんな食堂", ""),
    ("介護、介助", ""),
    ("外国人、多文化、日本語教室", ""),
    ("ヤングケアラー、家族の世話", ""),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if Synonym.objects.exists():
        return
    Synonym.objects.bulk_create(Synonym(words=w, note=n) for w, n in GROUPS)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
