"""Replace Wagtail's placeholder page with our home page and a listing index under it."""

from django.db import migrations

HOME_TITLE = "居場所ポータル"
INDEX_TITLE = "居場所・窓口をさがす"


def create_site_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("pages", "HomePage")
    ListingIndexPage = apps.get_model("listings", "ListingIndexPage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    locale = Locale.objects.order_by("pk").first()

    home_type, _ = ContentType.objects.get_or_create(app_label="pages", model="homepage")
    index_type, _ = ContentType.objects.get_or_create(
        app_label="listings", model="listingindexpage"
    )
    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        body=[],
    )
    ListingIndexPage.objects.create(
        title=INDEX_TITLE,
        draft_title=INDEX_TITLE,
        slug="listings",
        content_type=index_type,
        path="000100010001",
        depth=3,
        numchild=0,
        url_path="/home/listings/",
        locale=locale,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": HOME_TITLE},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("listings", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_site_tree, migrations.RunPython.noop)]
