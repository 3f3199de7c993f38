"""The project's WSGI application with one URL more, for ``tests/bench/throughput.py``: ``/bench/trivial/``,
a trivial Django JSON view. Same settings module, same middleware, same gunicorn command as the API it is
compared with; only the urlconf gains that one route (in front of the project's own)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

TRIVIAL_URL = "/bench/trivial/"


def trivial(request):
    return JsonResponse({"ok": True})


application = get_wsgi_application()
# The project's urlconf stays what it is, behind the one route; the resolver reads ROOT_URLCONF per request.
urlpatterns = [path(TRIVIAL_URL.strip("/") + "/", trivial), path("", include(settings.ROOT_URLCONF))]
settings.ROOT_URLCONF = __name__
