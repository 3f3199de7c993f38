"""Routes of the transfer slip, included under ``linkage/`` in the ``linkage`` namespace."""

from django.urls import path

from linkage import slip_views

urlpatterns = [
    path("tasks/<int:pk>/slip.pdf", slip_views.task_slip, name="task-slip"),
    path("slip/blank.pdf", slip_views.blank_slip, name="blank-slip"),
]
