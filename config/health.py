"""GET /healthz for the load balancer and docker-compose: the state of the database and the broker
(the details only for a signed-in staff member or the administrator).

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
    """200 when the database and the broker answer, 503 otherwise; names the state of each to staff."""
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
            # One quick retry, no 2-second pause: a broker that is down gives 503 at once.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=3)
        state["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        state["broker"] = f"error: {exc.__class__.__name__}: {exc}"
    healthy = all(value == "ok" for value in state.values())
    answer = {"status": "ok" if healthy else "error"}
    if _may_see_details(request):
        answer.update(state)
    return JsonResponse(answer, status=200 if healthy else 503)


def _may_see_details(request) -> bool:
    """What is down and why is for the bureau's administrators, not for anyone who can reach the port
    (ASVS 14.3, 等保 8.1.4.7): anonymous callers learn only ok or not ok."""
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))
    except Exception:  # noqa: BLE001 - the session store is the database, which may be the thing down
        return False
