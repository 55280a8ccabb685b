from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pages.reading import set_reading_aids
from portal import health
from search import views as search_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/ping", health.ping, name="healthz_ping"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("areas/", include("listings.urls")),
    path("api/v1/", include("search.api_urls")),
    path("submit/", include("submissions.urls")),
    path("verify/", include("staffdesk.public_urls")),
    path("reading/", set_reading_aids, name="reading_aids"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
