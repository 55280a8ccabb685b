from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.opportunity_index, name="index"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
]
