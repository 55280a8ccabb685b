from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("find-area/", views.find_area, name="find_area"),
    path("networks/", views.network_index, name="network_index"),
    path("networks/<slug:code>/", views.network_detail, name="network_detail"),
]
