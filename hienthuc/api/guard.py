"""What stands in front of the API: a rate limit, and a brake on guessed tokens.

django-ninja checks authentication before its own throttles, so a client sending wrong tokens
would never be slowed; this middleware counts before the API runs. Counts live in Django's
cache, which is the database by default (settings.CACHES), so several app servers share them.
Windows are fixed (per minute, and per LOCKOUT window for failures): simple, and enough to stop
a loop or a guessing run; the answers are JSON in Vietnamese, with Retry-After."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, the proxy must pass the client's address as REMOTE_ADDR (README,
    # "Running on PostgreSQL"): otherwise every client counts as the proxy.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(message: str, retry_after: int) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _bump(key: str, window: int) -> int:
    # add() creates the counter with its expiry only if it is missing; incr() is atomic on the
    # database and Redis backends.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        return 1


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith("/api/") or request.path.startswith(("/api/docs", "/api/openapi.json")):
            return self.get_response(request)
        address = client_address(request)
        now = int(time.time())
        fail_window = settings.API_AUTH_FAILURE_WINDOW_SECONDS
        failures_key = f"api-auth-failures:{address}:{now // fail_window}"
        if (cache.get(failures_key) or 0) >= settings.API_AUTH_FAILURE_LIMIT:
            return too_many(
                _(
                    "Quá nhiều lần xác thực sai từ địa chỉ này; API tạm từ chối. Hãy kiểm tra mã truy cập rồi thử "
                    "lại sau."
                ),
                fail_window - now % fail_window,
            )
        rate_key = f"api-rate:{address}:{now // 60}"
        if _bump(rate_key, 60) > settings.API_RATE_PER_MINUTE:
            return too_many(
                _("Quá %(API_RATE_PER_MINUTE)s yêu cầu mỗi phút từ địa chỉ này; hãy gửi chậm lại.")
                % {"API_RATE_PER_MINUTE": settings.API_RATE_PER_MINUTE},
                60 - now % 60,
            )
        response = self.get_response(request)
        if response.status_code == 401:
            _bump(failures_key, fail_window)
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
