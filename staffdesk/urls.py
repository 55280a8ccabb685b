from django.urls import path

from . import views

app_name = "staffdesk"
urlpatterns = [
    path("imports/", views.ImportView.as_view(), name="imports"),
    path("imports/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("verification/", views.VerificationView.as_view(), name="verification"),
    path("unmet-needs/", views.UnmetNeedsView.as_view(), name="unmet_needs"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
