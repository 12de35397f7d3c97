"""The REST API (OpenAPI at /api/openapi.json, docs at /api/docs).

Same scoping as the pages: every object is fetched through its model's visible_to(user),
so anything outside the caller's subtrees is a 404, exactly like a missing one.
"""

import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from hienthuc.accounts import actions as account_actions
from hienthuc.accounts.backends import demo_refused
from hienthuc.accounts.models import ApiToken, ServiceScope, hash_token
from hienthuc.api import errors
from hienthuc.api.common import ErrorOut, Text


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if len(token) > 200:
            return None
        # Every API call passes here: the unique hash alone, and the token's life judged in
        # Python, compose in half the time of the active() filter (docs/performance.md).
        found = next(
            iter(
                ApiToken.objects.select_related("user", "user__service_account").filter(key_hash=hash_token(token))[:1]
            ),
            None,
        )
        now = timezone.now()
        if found is None or not found.is_live(now) or not found.user.is_active or demo_refused(found.user):
            return None
        service = getattr(found.user, "service_account", None)
        if service is not None:
            if not service.is_live(timezone.localdate(now)):
                return None
            # Logged by the API guard once the answer is known (api/guard.py).
            request.service_account = service
            if service.scope == ServiceScope.READ and request.method not in ("GET", "HEAD", "OPTIONS"):
                raise HttpError(403, _("Tài khoản dịch vụ này chỉ được đọc; yêu cầu ghi bị từ chối."))
        # Avoid a write per request: the last-use time is only needed to the minute.
        if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class BrowserSession(SessionAuth):
    """The logged-in browser's session (the API docs page, htmx). A request carrying a token is
    the token's to decide: a wrong one is 401, never a CSRF refusal; without a session cookie
    there is nothing to check CSRF for, so that too is 401."""

    def _get_key(self, request):
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(
                403,
                _("Kiểm tra CSRF không đạt: gửi kèm tiêu đề X-CSRFToken của phiên đăng nhập, hoặc dùng mã truy cập."),
            ) from None

    def authenticate(self, request, key):
        # ninja's SessionAuth accepts any logged-in request, even one whose token was refused.
        return super().authenticate(request, key) if key is not None else None


class HienThucAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return errors.document_errors(super().get_openapi_schema(**kwargs))


api = HienThucAPI(
    title="Hiện Thực API",
    version="1",
    description="API của Hiện Thực: đơn vị, cán bộ đảng viên, nhiệm kỳ, cấp ủy. "
    "Xác thực bằng mã truy cập: `Authorization: Bearer <mã>` (lấy mã qua POST /api/auth/token). "
    "Mỗi yêu cầu ghi nhận tiêu đề `Idempotency-Key`: gửi lại cùng khóa (khi mất kết nối) nhận lại đúng kết quả "
    "lần đầu, không ghi thêm.",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)
errors.install(api)


class TokenIn(Schema):
    username: Text = Field(..., max_length=150)
    password: Text = Field(..., max_length=200)
    name: Text = Field("API", max_length=100)


class TokenOut(Schema):
    token: str
    name: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, tags=["auth"])
def create_token(request, payload: TokenIn):
    """Exchange a username and password for a revocable API token (shown only once)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa.")})
    _token, raw = account_actions.do_create_api_token(user, name=payload.name, acting_user=user)
    return Status(200, {"token": raw, "name": payload.name})


@api.delete("/auth/token", response={204: None, 400: ErrorOut}, tags=["auth"])
def revoke_token(request):
    """Revoke the token this request was made with."""
    token = getattr(request, "api_token", None)
    if token is None:
        return Status(400, {"detail": _("Yêu cầu này không dùng mã truy cập API.")})
    account_actions.do_revoke_api_token(token, acting_user=request.user)
    return Status(204, None)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    """An action refused: 400 with the Vietnamese messages, by field where it names one."""
    body: dict[str, object] = {"detail": " ".join(exc.messages)}
    if hasattr(exc, "error_dict"):
        body["errors"] = exc.message_dict
    return api.create_response(request, body, status=400)


# One router per app; each holds its schemas and endpoints (docs/architecture.md).
from hienthuc.api.committees import router as committees_router  # noqa: E402
from hienthuc.api.documents import router as documents_router  # noqa: E402
from hienthuc.api.elections import router as elections_router  # noqa: E402
from hienthuc.api.evaluations import router as evaluations_router  # noqa: E402
from hienthuc.api.incoming import router as incoming_router  # noqa: E402
from hienthuc.api.indicators import router as indicators_router  # noqa: E402
from hienthuc.api.inspections import router as inspections_router  # noqa: E402
from hienthuc.api.meetings import router as meetings_router  # noqa: E402
from hienthuc.api.orgs import router as orgs_router  # noqa: E402
from hienthuc.api.people import router as people_router  # noqa: E402
from hienthuc.api.plans import router as plans_router  # noqa: E402
from hienthuc.api.reorgs import router as reorgs_router  # noqa: E402
from hienthuc.api.urging import router as urging_router  # noqa: E402

for router in (
    orgs_router,
    people_router,
    committees_router,
    documents_router,
    plans_router,
    indicators_router,
    reorgs_router,
    incoming_router,
    meetings_router,
    inspections_router,
    evaluations_router,
    urging_router,
    elections_router,
):
    api.add_router("", router)
