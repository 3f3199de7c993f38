"""Pages that read across apps for staff, mounted under ``/reports/``: coverage (R-INS-9), the
dashboards, the monthly summary (R-SUM-1) and the typical cases 法制科 publishes (R-PUB-1)."""

from django.urls import path

from reports.views import coverage, dashboards, summary, typical

app_name = "reports"
urlpatterns = [
    path("coverage/", coverage.coverage, name="coverage"),
    path("dashboard/", dashboards.section_dashboard, name="dashboard"),
    path("dashboard/leadership/", dashboards.leadership_dashboard, name="dashboard-leadership"),
    path("summaries/", summary.summary_list, name="summary-list"),
    path("summaries/prepare/", summary.summary_prepare, name="summary-prepare"),
    path("summaries/<int:pk>/", summary.summary_detail, name="summary-detail"),
    path("summaries/<int:pk>/pdf/", summary.summary_pdf, name="summary-pdf"),
    path("summaries/<int:pk>/send/", summary.summary_send, name="summary-send"),
    path("summaries/<int:pk>/remarks/", summary.summary_remarks, name="summary-remarks"),
    path("typical-cases/", typical.typical_case_list, name="typical-case-list"),
    path("typical-cases/add/", typical.typical_case_add, name="typical-case-add"),
    path("typical-cases/<int:pk>/withdraw/", typical.typical_case_withdraw, name="typical-case-withdraw"),
]
