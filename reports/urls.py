"""Pages that read across apps for staff (R-INS-9 coverage), mounted under ``/reports/``."""

app_name = "reports"
urlpatterns = []
