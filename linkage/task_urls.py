"""Pages of the 三监联动 tasks, under ``/linkage/`` in the ``linkage`` namespace. Each step of a task
posts to its own URL; the transfer slip's URL lives in ``linkage.slip_urls``."""

from django.urls import path

from linkage import task_views

urlpatterns = [
    path("", task_views.task_list, name="task-list"),
    path("new/", task_views.task_new, name="task-new"),
    path("paper/", task_views.task_paper, name="task-paper"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/receive/", task_views.task_receive, name="task-receive"),
    path("tasks/<int:pk>/feedback/", task_views.task_feedback, name="task-feedback"),
    path("tasks/<int:pk>/close/", task_views.task_close, name="task-close"),
    path("tasks/<int:pk>/return/", task_views.task_return, name="task-return"),
    path("tasks/<int:pk>/archive/", task_views.task_archive, name="task-archive"),
    path("tasks/<int:pk>/paper-row/", task_views.task_paper_row, name="task-paper-row"),
]
