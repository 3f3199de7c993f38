"""Pages that read across apps for staff (R-INS-9 coverage), mounted under ``/reports/``."""

from django.urls import path

from reports.views import coverage

app_name = "reports"
urlpatterns = [path("coverage/", coverage.coverage, name="coverage")]
