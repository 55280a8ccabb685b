from django.db import migrations


class Migration(migrations.Migration):
    """The organiser's homepage field was called ``url``, hiding Wagtail's ``Page.url``."""

    dependencies = [("listings", "0002_age_groups")]
    operations = [migrations.RenameField("listingpage", "url", "website")]
