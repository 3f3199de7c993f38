"""Pages of enforcement monitoring (R-MON-1), mounted under ``/monitoring/`` by ``config.urls``."""

from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("plans/make/", views.plan_make, name="plan-make"),
    path("plans/<int:year>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:year>/dispatch/", views.plan_dispatch, name="plan-dispatch"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/export.xlsx", views.task_export, name="task-export"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/sampling/", views.task_sampling, name="task-sampling"),
    path("tasks/<int:pk>/results/", views.task_result, name="task-result"),
    path("tasks/<int:pk>/conclude/", views.task_conclude, name="task-conclude"),
    path("tasks/<int:pk>/withdraw/", views.task_withdraw, name="task-withdraw"),
    path("tasks/<int:pk>/acknowledge/", views.task_acknowledge, name="task-acknowledge"),
]
