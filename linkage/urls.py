from django.urls import include, path

app_name = "linkage"
urlpatterns = [
    path("linkage/", include("linkage.task_urls")),
    path("linkage/", include("linkage.slip_urls")),
    path("meetings/", include("linkage.meeting_urls")),
    path("complaints/", include("linkage.complaint_urls")),
]
