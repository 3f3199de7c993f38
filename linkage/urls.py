"""Pages of the 三监联动 tasks and their transfer slips, mounted under ``/linkage/`` by ``config.urls``
(namespace ``linkage``). Each step of a task posts to its own URL."""

from django.urls import path

from linkage import anomaly_views, slip_views
from linkage.task_views import lists, steps

app_name = "linkage"
urlpatterns = [
    path("", lists.task_list, name="task-list"),
    path("export.xlsx", lists.task_export, name="task-export"),
    path("new/", steps.task_new, name="task-new"),
    path("paper/", steps.task_paper, name="task-paper"),
    path("tasks/<int:pk>/", steps.task_detail, name="task-detail"),
    path("tasks/<int:pk>/confirm/", steps.task_confirm, name="task-confirm"),
    path("tasks/<int:pk>/receive/", steps.task_receive, name="task-receive"),
    path("tasks/<int:pk>/feedback/", steps.task_feedback, name="task-feedback"),
    path("tasks/<int:pk>/close/", steps.task_close, name="task-close"),
    path("tasks/<int:pk>/return/", steps.task_return, name="task-return"),
    path("tasks/<int:pk>/archive/", steps.task_archive, name="task-archive"),
    path("tasks/<int:pk>/paper-row/", steps.task_paper_row, name="task-paper-row"),
    path("tasks/<int:pk>/files/", steps.task_attach, name="task-attach"),
    path("tasks/<int:pk>/files/<int:file_pk>/", slip_views.task_file, name="task-file"),
    path("tasks/<int:pk>/slip.pdf", slip_views.task_slip, name="task-slip"),
    path("anomalies/", anomaly_views.anomaly_list, name="anomaly-list"),
    path("anomalies/export.xlsx", anomaly_views.anomaly_export, name="anomaly-export"),
    path("anomalies/new/", anomaly_views.anomaly_new, name="anomaly-new"),
    path("anomalies/<int:pk>/", anomaly_views.anomaly_detail, name="anomaly-detail"),
    path("anomalies/<int:pk>/close/", anomaly_views.anomaly_close, name="anomaly-close"),
    path("slip/blank.pdf", slip_views.blank_slip, name="blank-slip"),
]
