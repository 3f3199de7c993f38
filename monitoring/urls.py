"""Pages of enforcement monitoring (R-MON-1), mounted under ``/monitoring/`` by ``config.urls``."""

app_name = "monitoring"
urlpatterns = []
