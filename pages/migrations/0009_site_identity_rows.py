"""A SiteIdentity row for every existing site (new sites get theirs in pages.signals), so no
request ever has to create it (two at once raced to a 500 on SQLite)."""

from django.db import migrations


def create_rows(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    SiteIdentity = apps.get_model("pages", "SiteIdentity")
    for site in Site.objects.all():
        SiteIdentity.objects.get_or_create(site=site)


class Migration(migrations.Migration):
    dependencies = [("pages", "0008_yasashii_body_video_block"), ("wagtailcore", "0001_initial")]
    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
