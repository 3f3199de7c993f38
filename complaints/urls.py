"""Pages of 信访投诉/举报 (R-CMP-1), mounted under ``/complaints/`` by ``config.urls``."""

from django.urls import path

from complaints.views import detail, lists

app_name = "complaints"
urlpatterns = [
    path("", lists.complaint_list, name="complaint-list"),
    path("export.xlsx", lists.complaint_export, name="complaint-export"),
    path("new/", lists.complaint_new, name="complaint-new"),
    path("reporter-access/", lists.reporter_access_list, name="reporter-access"),
    path("<int:pk>/edit/", lists.complaint_edit, name="complaint-edit"),
    path("<int:pk>/rectification/", detail.complaint_record_rectification, name="complaint-rectification"),
    path("<int:pk>/", detail.complaint_detail, name="complaint-detail"),
    path("<int:pk>/print.pdf", detail.complaint_pdf, name="complaint-pdf"),
    path("<int:pk>/task/", detail.complaint_start_task, name="complaint-task"),
    path("<int:pk>/answer/", detail.complaint_answer, name="complaint-answer"),
    path("<int:pk>/reward/", detail.complaint_reward_propose, name="complaint-reward"),
    path("<int:pk>/reward/decision/", detail.complaint_reward_decide, name="complaint-reward-decision"),
    path("<int:pk>/handler/", detail.complaint_assign_handler, name="complaint-handler"),
    path("<int:pk>/close/", detail.complaint_close, name="complaint-close"),
    path("<int:pk>/reporter/", detail.complaint_reporter_correct, name="complaint-reporter"),
]
