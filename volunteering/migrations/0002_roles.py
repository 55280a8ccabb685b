"""Roles: 「地域ページ担当」 also keeps volunteer opportunities; the new 「参加の問い合わせ受付」
group reads inquiries (names and contacts), changes their status and sees the matching view."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "地域ページ担当"
HANDLERS = "参加の問い合わせ受付"
EDITOR_CODENAMES = [f"{a}_volunteeropportunity" for a in ("add", "change", "delete", "view")]
HANDLER_CODENAMES = ["view_volunteerinquiry", "change_volunteerinquiry"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("volunteering")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="volunteering", codename__in=EDITOR_CODENAMES
        ),
        *admin,
    )
    handlers, _ = Group.objects.get_or_create(name=HANDLERS)
    handlers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="volunteering", codename__in=HANDLER_CODENAMES
        ),
        *admin,
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=HANDLERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0001_opportunities_and_inquiries"),
        ("community", "0002_area_editors_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
