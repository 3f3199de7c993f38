"""Routes of the inspections API, mounted under ``/api/v1/`` by ``config.urls``: the router's
checklists, inspections (with sign, amendments, record.pdf) and cases (``api.views``), and the two
routes the officer's form writes through at the factory gate, answers and photos (``api.field``)."""

from django.urls import path

from inspections.api import field, plan, views

urlpatterns = [
    path("inspections/<int:pk>/answers/", field.AnswersView.as_view(), name="api-inspection-answers"),
    path("inspections/<int:pk>/photos/", field.PhotosView.as_view(), name="api-inspection-photos"),
    path("inspection-plan/", plan.InspectionPlanView.as_view(), name="api-inspection-plan"),
    *views.router.urls,
]
