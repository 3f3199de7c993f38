"""Pages of dispatch meetings and study sessions, mounted under ``/meetings/`` by ``config.urls``."""

from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
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
]
