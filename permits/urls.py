"""Pages of the 固定污染源信息库 (HTML). The REST API lives in ``permits.api_urls``, imports in
``permits.imports.urls``."""

from django.urls import path

from permits import record_views, views

app_name = "permits"
urlpatterns = [
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/export.xlsx", views.facility_export, name="facility-export"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
    path("facilities/<int:pk>/edit/", views.facility_update, name="facility-update"),
    path("facilities/<int:pk>/events/", views.permit_event_create, name="permit-event-create"),
    path(
        "facilities/<int:pk>/quality-checks/", record_views.quality_check_create, name="quality-check-create"
    ),
    path("facilities/<int:pk>/registrations/", record_views.registration_create, name="registration-create"),
    path("facilities/<int:pk>/outlets/", record_views.outlet_create, name="outlet-create"),
    path("facilities/<int:pk>/limits/", record_views.emission_limit_create, name="emission-limit-create"),
    path("facilities/<int:pk>/penalties/", record_views.penalty_create, name="penalty-create"),
    path("rectifications/", views.ledger, name="ledger"),
    path("rectifications/export.xlsx", views.ledger_export, name="ledger-export"),
    path("rectifications/<int:pk>/progress/", views.rectification_progress, name="rectification-progress"),
    path("rectifications/<int:pk>/close/", views.rectification_close, name="rectification-close"),
    path("rectifications/<int:pk>/file/", views.rectification_file, name="rectification-file"),
]
