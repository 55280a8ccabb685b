"""The reviewed default crisis lines and trigger words (consult/seeds/crisis.json).

Only fills empty tables: staff edits are never overwritten. Each line carries the official
source its number and hours were checked against.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from consult.services import seed_crisis_defaults

    seed_crisis_defaults(
        apps.get_model("consult", "CrisisLine"), apps.get_model("consult", "CrisisCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("consult", "0001_crisis_lines_and_categories")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
