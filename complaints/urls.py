"""Pages of 信访投诉/举报 (R-CMP-1), mounted under ``/complaints/`` by ``config.urls``."""

from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="complaint-list"),
    path("export.xlsx", views.complaint_export, name="complaint-export"),
    path("new/", views.complaint_new, name="complaint-new"),
    path("reporter-access/", views.reporter_access_list, name="reporter-access"),
    path("<int:pk>/edit/", views.complaint_edit, name="complaint-edit"),
    path("<int:pk>/rectification/", views.complaint_record_rectification, name="complaint-rectification"),
    path("<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("<int:pk>/print.pdf", views.complaint_pdf, name="complaint-pdf"),
    path("<int:pk>/task/", views.complaint_start_task, name="complaint-task"),
    path("<int:pk>/answer/", views.complaint_answer, name="complaint-answer"),
    path("<int:pk>/reward/", views.complaint_reward_propose, name="complaint-reward"),
    path("<int:pk>/reward/decision/", views.complaint_reward_decide, name="complaint-reward-decision"),
    path("<int:pk>/handler/", views.complaint_assign_handler, name="complaint-handler"),
    path("<int:pk>/close/", views.complaint_close, name="complaint-close"),
    path("<int:pk>/reporter/", views.complaint_reporter_correct, name="complaint-reporter"),
]
