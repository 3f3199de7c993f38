"""Pages of the facility import (数据导入), mounted at ``/imports/`` by ``config.urls``; the navigation
entry is registered in ``PermitsConfig.ready``."""

from django.urls import path

from permits.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("execution-reports-template.xlsx", views.report_template_download, name="report_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
