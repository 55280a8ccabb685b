"""Synonyms the evaluation showed residents need (food, childcare, rubbish, spouse)."""

from django.db import migrations

NEW_GROUPS = [
    ("食べ物、食料、食品、フードパントリー、フードドライブ", "食べ物をもらえる・届ける"),
    ("預ける、預け先、一時預かり、一時保育、ショートステイ", "子どもを預ける"),
    ("ごみ、ゴミ出し、ごみ出し", "ごみ出しの手伝い"),
    ("配偶者、夫、妻、パートナー", "DVの相談で使われる言い方"),
]


def add_groups(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for words, note in NEW_GROUPS:
        if not Synonym.objects.filter(words=words).exists():
            Synonym.objects.create(words=words, note=note)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_seed_synonyms")]
    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
