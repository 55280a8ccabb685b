from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from news.urls import site_urlpatterns as discovery_urls
from pages.reading import set_reading_aids
from portal import health
from portal.response_cache import cache_anonymous_get
from search import views as search_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/ping", health.ping, name="healthz_ping"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("areas/", include("listings.urls")),
    path("", include("community.urls")),
    path("concern/", include("concerns.urls")),
    path("consult/", include("consult.urls")),
    path("volunteer/", include("volunteering.urls")),
    path("api/v1/", include("search.api_urls")),
    path("api/hsds/", include("listings.hsds_urls")),
    path("submit/", include("submissions.urls")),
    path("verify/", include("staffdesk.public_urls")),
    path("reading/", set_reading_aids, name="reading_aids"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("news.urls")),
    *discovery_urls,
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's routes: its password and login forms as they are (first: the page pattern matches
# their paths too), then its pages, with anonymous GETs served from the response cache
# (portal/response_cache.py) until the content changes.
urlpatterns += [
    *(route for route in wagtail_urls.urlpatterns if route.name != "wagtail_serve"),
    re_path(
        wagtail_urls.serve_pattern, cache_anonymous_get(wagtail_views.serve), name="wagtail_serve"
    ),
]
