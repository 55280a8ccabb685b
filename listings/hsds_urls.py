"""The HSDS 3 API (docs/hsds.md), mounted at /api/hsds/."""

from django.urls import path

from . import views

app_name = "hsds"
urlpatterns = [
    path("services", views.hsds_services, name="services"),
    path("services/<str:service_id>", views.hsds_service, name="service"),
]
