"""Idempotency keys on the API's writes: a client that retries gets one result.

A client sends `Idempotency-Key: <its own unique value>` with a POST, PUT, PATCH or DELETE.
The first request with the key runs, and its answer is stored in the same transaction as the
write it made (api.IdempotentRequest); a retry with the same key — the connection dropped, the
client did not see the answer — gets that stored answer back (header `Idempotent-Replayed`)
and writes nothing. Two requests with the same key at the same moment: the second waits on the
first's row and then replays its answer. The same key with another body is refused (422).

Only answers that wrote something are kept (2xx): a refused or failed request wrote nothing
(writes are all-or-nothing), so retrying it runs it again. Keys are kept for KEEP_HOURS.
"""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
KEEP_HOURS = 24
MAX_KEY = 100


def _owner(request: HttpRequest) -> str:
    credentials = request.headers.get("Authorization") or request.COOKIES.get("sessionid", "")
    return hashlib.sha256(credentials.encode()).hexdigest()


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        key = request.headers.get(HEADER)
        # The token endpoints stay out: a refused login must keep counting towards the lockout.
        if (
            key is None
            or request.method not in WRITES
            or not request.path.startswith("/api/")
            or request.path.startswith("/api/auth/")
        ):
            return self.get_response(request)
        if not 1 <= len(key) <= MAX_KEY or not key.isascii() or not key.isprintable():
            return JsonResponse(
                {"detail": _("Tiêu đề Idempotency-Key phải gồm 1–%(max)s ký tự ASCII in được.") % {"max": MAX_KEY}},
                status=400,
            )
        owner, fingerprint = _owner(request), _fingerprint(request)
        with transaction.atomic():
            IdempotentRequest.objects.filter(
                owner=owner, key=key, created_at__lt=timezone.now() - datetime.timedelta(hours=KEEP_HOURS)
            ).delete()
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(
                        owner=owner, key=key, fingerprint=fingerprint, status=0, content_type="", body=b""
                    )
            except IntegrityError:
                # Another request with this key committed (on PostgreSQL the insert waited for it).
                row = IdempotentRequest.objects.filter(owner=owner).get(key=key)  # the caller's own keys only
                if row.fingerprint != fingerprint:
                    return JsonResponse(
                        {
                            "detail": _(
                                "Khóa Idempotency-Key này đã dùng cho một yêu cầu khác; mỗi yêu cầu ghi cần một khóa "
                                "riêng."
                            )
                        },
                        status=422,
                    )
                return _replay(row)
            response = self.get_response(request)
            if not 200 <= response.status_code < 300:
                # Nothing was written (writes are all or nothing): forget the key so a retry runs again.
                transaction.set_rollback(True)
                return response
            if response.streaming:
                # The write stands, but a stream cannot be stored to replay: the key is not kept.
                row.delete()
                return response
            row.status = response.status_code
            row.content_type = response.get("Content-Type", "")
            row.body = response.content
            row.save(update_fields=["status", "content_type", "body"])
        return response
