"""What stands in front of the API: a rate limit, and a brake on guessed tokens.

django-ninja checks authentication before its own throttles, so a client sending wrong tokens
would never be slowed; this middleware counts before the API runs. Counts live in the database
(api.Counter), so several app servers share them. Windows are fixed (per minute, and per LOCKOUT
window for failures): simple, and enough to stop a loop or a guessing run; the answers are JSON
in Vietnamese, with Retry-After.

Every API request passes here, the busiest (a conference's check-ins, docs/performance.md)
included: counting is one statement — an upsert that bumps the address's counter and reads its
failures — not the cache's read-modify-write, which cost a dozen statements and serialized
every request of an address on one locked row for the length of a transaction."""

import os
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from hienthuc.accounts.models import ServiceCall
from hienthuc.api.models import Counter


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, the proxy must pass the client's address as REMOTE_ADDR (README,
    # "Running on PostgreSQL"): otherwise every client counts as the proxy.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(message: str, retry_after: int) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


_TABLE = Counter._meta.db_table
# This process's counter of the kind, started again at 1 in a new window; the RETURNING clause
# reads, in the same statement, the other processes' counts of the kind in this window and the
# address's failures in theirs.
_BUMP = f"""
    INSERT INTO {_TABLE} (kind, address, shard, slot, count) VALUES (%(kind)s, %(address)s, %(shard)s, %(slot)s, 1)
    ON CONFLICT (kind, address, shard) DO UPDATE SET
        count = CASE WHEN {_TABLE}.slot = excluded.slot THEN {_TABLE}.count + 1 ELSE 1 END,
        slot = excluded.slot
    RETURNING count,
        (SELECT COALESCE(SUM(o.count), 0) FROM {_TABLE} o WHERE o.kind = %(kind)s AND o.address = %(address)s
         AND o.slot = %(slot)s AND o.shard <> %(shard)s),
        (SELECT COALESCE(SUM(f.count), 0) FROM {_TABLE} f WHERE f.kind = 'fail' AND f.address = %(address)s
         AND f.slot = %(fail_slot)s)
"""


def bump(kind: str, address: str, slot: int, fail_slot: int) -> tuple[int, int]:
    """Count one more of `kind` for the address in window `slot`: (the address's count of it
    in the window, its failures in window `fail_slot`)."""
    params: dict[str, str | int] = {
        "kind": kind,
        "address": address[:64],
        "shard": os.getpid(),
        "slot": slot,
        "fail_slot": fail_slot,
    }
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, params)
        mine, others, failed = cursor.fetchone()
    return mine + others, failed


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith("/api/") or request.path.startswith(("/api/docs", "/api/openapi.json")):
            return self.get_response(request)
        address = client_address(request)
        now = int(time.time())
        fail_window = settings.API_AUTH_FAILURE_WINDOW_SECONDS
        # A refused request is counted too: a client that keeps going stays stopped.
        requests, failed = bump("rate", address, now // 60, now // fail_window)
        if failed >= settings.API_AUTH_FAILURE_LIMIT:
            return too_many(
                _(
                    "Quá nhiều lần xác thực sai từ địa chỉ này; API tạm từ chối. Hãy kiểm tra mã truy cập rồi thử "
                    "lại sau."
                ),
                fail_window - now % fail_window,
            )
        if requests > settings.API_RATE_PER_MINUTE:
            return too_many(
                _("Quá %(API_RATE_PER_MINUTE)s yêu cầu mỗi phút từ địa chỉ này; hãy gửi chậm lại.")
                % {"API_RATE_PER_MINUTE": settings.API_RATE_PER_MINUTE},
                60 - now % 60,
            )
        response = self.get_response(request)
        if response.status_code == 401:
            bump("fail", address, now // fail_window, now // fail_window)
        service = getattr(request, "service_account", None)
        if service is not None:
            # Every call of another system is on record, reads included (accounts.ServiceCall).
            ServiceCall.objects.create(
                account=service,
                method=request.method or "",
                path=request.get_full_path()[:300],
                status=response.status_code,
                address=address[:64],
            )
        return response


def lockout(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer once a login is locked: JSON for the API, the page for people."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return too_many(
            _(
                "Đăng nhập sai quá nhiều lần; tài khoản tạm khóa %(minutes)s phút. Hãy thử lại sau hoặc liên hệ "
                "quản trị đơn vị."
            )
            % {"minutes": minutes},
            minutes * 60,
        )
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
