from django.urls import path

from . import views

app_name = "consult"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("<slug:slug>/", views.trouble, name="trouble"),
]
