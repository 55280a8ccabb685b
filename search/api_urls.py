from django.urls import path

from news import api as news_api

from . import api

app_name = "api"
urlpatterns = [
    path("listings/", api.listings_api, name="listings"),
    path("areas/", api.areas_api, name="areas"),
    path("notices/", news_api.notices_api, name="notices"),
    path("openapi.json", api.openapi, name="openapi"),
]
