"""Pages of the 固定污染源信息库 (HTML), mounted at the site root by ``config.urls``. The REST API lives
in ``permits.api.urls``, the import's pages in ``permits.imports.urls``."""

from django.urls import path

from permits.reports.views import board, facility, notices, review
from permits.views import facilities, issuing, ledger, permit_events, records

app_name = "permits"
urlpatterns = [
    path("facilities/", facilities.facility_list, name="facility-list"),
    path("facilities/search.json", facilities.facility_search, name="facility-search"),
    path("facilities/new/", facilities.facility_create, name="facility-create"),
    path("facilities/export.xlsx", facilities.facility_export, name="facility-export"),
    path("facilities/<int:pk>/", facilities.facility_detail, name="facility-detail"),
    path("facilities/<int:pk>/edit/", facilities.facility_update, name="facility-update"),
    path("facilities/<int:pk>/permits/new/", issuing.permit_issue, name="permit-issue"),
    path("quality-checks/owed/", issuing.quality_owed, name="quality-owed"),
    path("facilities/<int:pk>/events/", permit_events.permit_event_create, name="permit-event-create"),
    path("facilities/<int:pk>/quality-checks/", records.quality_check_create, name="quality-check-create"),
    path("facilities/<int:pk>/registrations/", records.registration_create, name="registration-create"),
    path("facilities/<int:pk>/outlets/", records.outlet_create, name="outlet-create"),
    path("facilities/<int:pk>/limits/", records.emission_limit_create, name="emission-limit-create"),
    path("facilities/<int:pk>/penalties/", records.penalty_create, name="penalty-create"),
    # Execution reports (R-REP-1…4): permits.reports.views.
    path("execution-reports/", board.report_board, name="report-board"),
    path("execution-reports/export.xlsx", board.board_export, name="report-board-export"),
    path("execution-reports/settings/", board.report_settings, name="report-settings"),
    path("execution-reports/samples/", board.report_samples, name="report-samples"),
    path("execution-reports/samples/<int:pk>/", board.report_sample, name="report-sample"),
    path("facilities/<int:pk>/execution-reports/", facility.facility_reports, name="facility-reports"),
    path("execution-reports/<int:pk>/", facility.report_detail, name="report-detail"),
    path(
        "execution-reports/<int:pk>/versions/<int:number>/file",
        facility.report_version_file,
        name="report-version-file",
    ),
    path("execution-reports/<int:pk>/review/", review.review_open, name="review-open"),
    path("execution-reports/reviews/open/", review.reviews_open_many, name="reviews-open-many"),
    path("execution-reports/reviews/<int:pk>/", review.review_detail, name="review-detail"),
    path("execution-reports/notices/", notices.notice_list, name="notice-list"),
    path("execution-reports/notices/export.xlsx", notices.notice_export, name="notice-export"),
    path("execution-reports/notices/<int:pk>/", notices.feedback_notice, name="feedback-notice"),
    path("execution-reports/notices/<int:pk>/notice.pdf", notices.notice_pdf, name="feedback-notice-pdf"),
    path("rectifications/", ledger.ledger, name="ledger"),
    path("rectifications/export.xlsx", ledger.ledger_export, name="ledger-export"),
    path("rectifications/<int:pk>/progress/", ledger.rectification_progress, name="rectification-progress"),
    path("rectifications/<int:pk>/close/", ledger.rectification_close, name="rectification-close"),
    path("rectifications/<int:pk>/file/", ledger.rectification_file, name="rectification-file"),
]
