from django.urls import path

from . import views

app_name = "concerns_public"
urlpatterns = [
    path("", views.concern_new, name="new"),
    path("status/<str:reference>/<str:token>/", views.concern_status, name="status"),
]
