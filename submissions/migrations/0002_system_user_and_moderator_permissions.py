"""The system user that starts workflows for submitters, and the moderators' permissions.

``community-submission`` owns the draft pages made from submissions and is the "requested by"
of their workflows (the submitter has no account). It is inactive with an unusable password:
nobody can log in as it. The "Moderators" group (made by Wagtail) may view, act on and delete
submissions in the admin queue.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.management import create_permissions
from django.db import migrations

SYSTEM_USERNAME = "community-submission"
MODERATOR_GROUP = "Moderators"
CODENAMES = ["view_submission", "change_submission", "delete_submission"]


def forwards(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "地域からの投稿",
            "last_name": "（システム）",
            "is_active": False,
            "password": make_password(None),
        },
    )
    # Permissions are normally made after all migrations; make them now to grant them.
    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MODERATOR_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="submissions", codename__in=CODENAMES
            )
        )


def backwards(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.filter(username=SYSTEM_USERNAME, is_active=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
