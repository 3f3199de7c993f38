"""Pages of dispatch meetings, study sessions and the annual meeting of permit holders, mounted under ``/meetings/`` by ``config.urls``."""

from django.urls import path

from meetings import annual_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("export.xlsx", views.meeting_export, name="meeting-export"),
    path("new/", views.meeting_new, name="meeting-new"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/schedule/", views.meeting_schedule, name="meeting-schedule"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("<int:pk>/decisions/", views.decision_create, name="meeting-decision-create"),
    path("<int:pk>/pack.pdf", views.meeting_pdf, name="meeting-pdf"),
    path("<int:pk>/tasks/<int:task_pk>/", views.meeting_task, name="meeting-task"),
    path("decisions/<int:pk>/done/", views.decision_done, name="meeting-decision-done"),
    path("study/", views.study_list, name="study-list"),
    path("study/record/", views.study_create, name="study-create"),
    path("annual/", annual_views.annual_list, name="annual-list"),
    path("annual/new/", annual_views.annual_new, name="annual-new"),
    path("annual/<int:year>/", annual_views.annual_detail, name="annual-detail"),
    path("annual/<int:year>/export.xlsx", annual_views.annual_export, name="annual-export"),
    path("annual/<int:year>/plan/", annual_views.annual_plan, name="annual-plan"),
    path("annual/<int:year>/held/", annual_views.annual_held, name="annual-held"),
    path("annual/<int:year>/attendance/", annual_views.annual_attendance, name="annual-attendance"),
    path("annual/<int:year>/notice.pdf", annual_views.annual_notice_pdf, name="annual-notice-pdf"),
]
