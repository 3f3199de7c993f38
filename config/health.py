"""GET /healthz for the load balancer and docker-compose: the state of the database and the broker.

It lives in ``config`` because it asks the Celery app of ``config.celery``, which ``bureau`` may not
import (DESIGN.md, Layout)."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; names the state of each."""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        state["database"] = f"error: {exc.__class__.__name__}: {exc}"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        state["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        state["broker"] = f"error: {exc.__class__.__name__}: {exc}"
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)
