from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("listings/", api.listings_api, name="listings"),
    path("areas/", api.areas_api, name="areas"),
    path("openapi.json", api.openapi, name="openapi"),
]
