"""The 「気になる人の連絡受付」 group: may reach the admin, read concerns and change their status
and note. Nothing else; only superusers may delete one by hand (purge_concerns deletes them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "気になる人の連絡受付"
CODENAMES = ["view_concern", "change_concern"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("concerns")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="concerns", codename__in=CODENAMES),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0001_private_concerns"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
