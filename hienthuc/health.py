"""/health/: what a load balancer or a monitor asks every few seconds (docs/deploy.md).

200 when the database answers and the task worker keeps up; 503 otherwise, naming what failed.
The worker keeps up when no task has waited past HEALTH_WORKER_STALE_SECONDS; the checks queue
a no-op ping once a minute, so a dead worker shows even when no one works."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import task


@task()
def ping() -> str:
    return "ok"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _worker() -> str:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return "ok"  # tasks run in the request (tests); there is no worker to wait for
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = DBTaskResult.objects.ready()
    pings = DBTaskResult.objects.filter(task_path=ping.module_path)
    # One ping a minute however often the monitor asks, and the answered ones do not pile up.
    if not pings.filter(enqueued_at__gte=now - datetime.timedelta(seconds=60)).exists():
        pings.filter(status="SUCCESSFUL", enqueued_at__lt=now - datetime.timedelta(hours=1)).delete()
        ping.enqueue()
    stale = now - datetime.timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS)
    late = waiting.filter(Q(enqueued_at__lt=stale, run_after__gt=now) | Q(run_after__lt=stale))
    # run_after is "the end of time" for a task not deferred: it counts from its enqueueing.
    oldest = late.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is not None:
        return f"stalled: a task has waited since {oldest.isoformat()}"
    return "ok"


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _database), ("worker", _worker)):
        try:
            checks[name] = check()
        except Exception as error:
            checks[name] = f"error: {type(error).__name__}: {error}"[:300]
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503)
