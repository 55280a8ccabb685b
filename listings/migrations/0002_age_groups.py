from django.db import migrations

AGE_CODES = ["infant", "elementary", "teen", "youth", "adult", "senior", "everyone"]


def create_age_groups(apps, schema_editor):
    AgeGroup = apps.get_model("listings", "AgeGroup")
    for order, code in enumerate(AGE_CODES):
        AgeGroup.objects.update_or_create(code=code, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]
    operations = [migrations.RunPython(create_age_groups, migrations.RunPython.noop)]
