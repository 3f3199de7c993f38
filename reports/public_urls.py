"""Public pages without login (R-PUB-1), mounted under ``/public/``: nothing confidential ever appears."""

app_name = "public"
urlpatterns = []
