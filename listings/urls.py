from django.urls import path

from . import views

app_name = "listings"
urlpatterns = [
    path("", views.area_index, name="area_index"),
    path("<str:code>/", views.area_detail, name="area_detail"),
]
