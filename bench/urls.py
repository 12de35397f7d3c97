"""The application's URLs and, under /api/bench/, the baselines of the HTTP load run: an empty
view and a bare view doing one idempotent insert. They sit under /api/ so that a request to
them crosses the same middleware as the API (the guard's rate counting included)."""

import json

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from hienthuc.urls import urlpatterns as application

BARE_TABLE = "bench_bare_checkin"


@csrf_exempt
@login_not_required
def empty(request: HttpRequest, point_id: int) -> JsonResponse:
    return JsonResponse({"person_id": json.loads(request.body)["person_id"], "created": True})


@csrf_exempt
@login_not_required
def bare_checkin(request: HttpRequest, point_id: int) -> JsonResponse:
    person_id = int(json.loads(request.body)["person_id"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (meeting_id, person_id, at) VALUES (%s, %s, now()::text) "
            "ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING person_id",
            [point_id, person_id],
        )
        created = cursor.fetchone() is not None
    return JsonResponse({"person_id": person_id, "created": created})


@login_not_required
def hello(request: HttpRequest) -> JsonResponse:
    """The page mix's baseline (bench/http_mix.py): a GET through the whole stack, no query."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("api/bench/hello", hello),
    path("api/bench/empty/<int:point_id>", empty),
    path("api/bench/bare/<int:point_id>", bare_checkin),
    *application,
]
