from django.urls import path

from . import public_views

app_name = "verification"
urlpatterns = [
    path("<str:token>/", public_views.confirm, name="confirm"),
    path("<str:token>/correct/", public_views.correct, name="correct"),
]
