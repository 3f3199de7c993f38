"""Routes of the inspections API, mounted under ``/api/v1/`` by ``config.urls``."""

urlpatterns = []
