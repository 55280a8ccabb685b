from django.db import migrations

CATEGORIES = [
    ("高齢の方へ", "senior"),
    ("子育て中の方へ", "parenting"),
    ("子ども・若者へ", "youth"),
    ("障がいのある方へ", "disability"),
    ("ボランティアしたい方へ", "volunteer"),
    ("活動団体の方へ", "organisations"),
    ("相談したい方へ", "consultation"),
]


def seed(apps, schema_editor):
    NewsCategory = apps.get_model("news", "NewsCategory")
    for order, (name, slug) in enumerate(CATEGORIES):
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("news", "0001_news_events_notices")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
