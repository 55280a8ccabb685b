from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("", views.submit_new, name="new"),
    path("listing/<int:page_id>/", views.submit_change, name="change"),
    path("status/<str:reference>/<str:token>/", views.status, name="status"),
    path("status/<str:reference>/<str:token>/reply/", views.reply, name="reply"),
    path("status/<str:reference>/<str:token>/update/", views.update, name="update"),
]
