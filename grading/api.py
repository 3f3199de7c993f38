"""The grading API (placeholder until built): /api/v1/gradings/, /api/v1/positive-list/."""

urlpatterns = []
