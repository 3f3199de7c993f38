"""Pages of the facility import (数据导入), mounted at ``/imports/``. Importing the views also puts
数据导入 into the navigation of the approval section."""

from django.urls import path

from permits import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("template.xlsx", import_views.template, name="template"),
    path("<int:pk>/", import_views.detail, name="detail"),
    path("<int:pk>/progress/", import_views.progress, name="progress"),
    path("<int:pk>/confirm/", import_views.confirm, name="confirm"),
    path("<int:pk>/cancel/", import_views.cancel, name="cancel"),
]
