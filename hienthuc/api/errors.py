"""How the API answers when it cannot do what was asked, and how its schema says so.

Every error is JSON `{"detail": "<Vietnamese sentence>"}` (422 adds `errors`, one per field
with its location), replacing django-ninja's English defaults. `document_errors` adds to each
operation of the OpenAPI schema the 4xx answers it can give, by rule, so that clients and the
conformance fuzz test (tests/test_api_fuzz.py) know every status code to expect:
401/429 on every authenticated operation, 404 where the path names an object, 400/403 on
writes, 422 where there is input to validate."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as InputError

NOT_FOUND = gettext_lazy("Không tìm thấy, hoặc không thuộc phạm vi của bạn.")
UNAUTHENTICATED = gettext_lazy(
    "Chưa xác thực: gửi mã truy cập trong tiêu đề “Authorization: Bearer <mã>” (lấy mã qua POST /api/auth/token); "
    "mã có thể đã hết hạn hoặc bị thu hồi."
)
# Pydantic's error types, said in Vietnamese (the rest keep pydantic's own sentence).
_MESSAGES = {
    "missing": gettext_lazy("thiếu trường bắt buộc"),
    "literal_error": gettext_lazy("giá trị phải là một trong: {expected}"),
    "enum": gettext_lazy("giá trị phải là một trong: {expected}"),
    "string_too_long": gettext_lazy("dài quá {max_length} ký tự"),
    "string_too_short": gettext_lazy("phải có ít nhất {min_length} ký tự"),
    "too_long": gettext_lazy("nhiều quá {max_length} mục"),
    "int_parsing": gettext_lazy("phải là số nguyên"),
    "int_type": gettext_lazy("phải là số nguyên"),
    "float_parsing": gettext_lazy("phải là số"),
    "bool_parsing": gettext_lazy("phải là true hoặc false"),
    "date_from_datetime_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "date_parsing": gettext_lazy("phải là ngày dạng YYYY-MM-DD"),
    "greater_than_equal": gettext_lazy("phải lớn hơn hoặc bằng {ge}"),
    "less_than_equal": gettext_lazy("phải nhỏ hơn hoặc bằng {le}"),
    "string_type": gettext_lazy("phải là chuỗi ký tự"),
    "list_type": gettext_lazy("phải là một danh sách"),
    "model_attributes_type": gettext_lazy("phải là một đối tượng JSON"),
    "json_invalid": gettext_lazy("không phải JSON hợp lệ"),
    "value_error": "{error}",
}


def _say(error: dict) -> str:
    template = _MESSAGES.get(error.get("type", ""))
    if template is None:
        return error.get("msg", _("không hợp lệ"))
    try:
        return str(template).format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return error.get("msg", _("không hợp lệ"))


def install(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        detail = str(exc) or _("Bạn không có quyền làm việc này với đối tượng này.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(InputError)
    def invalid(request, exc):
        errors = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": _say(error)} for error in exc.errors[:50]
        ]
        summary = "; ".join(
            f"{'.'.join(e['loc'][1:]) or e['loc'][0] if e['loc'] else ''}: {e['msg']}" for e in errors[:5]
        )
        return api.create_response(
            request,
            {"detail": _("Dữ liệu gửi lên không hợp lệ — %(summary)s") % {"summary": summary}, "errors": errors},
            status=422,
        )


ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INPUT_ERROR_SCHEMA = {
    "title": "InputErrorOut",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}},
                "required": ["loc", "msg"],
            },
        },
    },
    "required": ["detail", "errors"],
}
_DESCRIPTIONS = {
    "400": "Yêu cầu bị từ chối theo quy tắc nghiệp vụ (thông báo theo trường nếu có)",  # OpenAPI, not UI text
    "401": "Chưa xác thực, mã truy cập sai, hết hạn hoặc bị thu hồi",  # OpenAPI, not UI text
    "403": "Không có quyền (chỉ được xem), hoặc phiên trình duyệt thiếu CSRF",  # OpenAPI, not UI text
    "404": "Không tìm thấy, hoặc không thuộc phạm vi của người gọi",  # OpenAPI, not UI text
    "422": "Dữ liệu gửi lên không đúng kiểu hoặc giới hạn của lược đồ",  # OpenAPI, not UI text
    "429": "Quá nhiều yêu cầu, hoặc quá nhiều lần xác thực sai; xem tiêu đề Retry-After",  # OpenAPI, not UI text
}


def _integer(parameter: dict) -> bool:
    schema = parameter.get("schema", {})
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def document_errors(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ERROR_SCHEMA)
    components["InputErrorOut"] = INPUT_ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {"422"} if (operation.get("parameters") or operation.get("requestBody")) else set()
            codes.add("429")
            if operation.get("security"):
                codes.add("401")
            # A path naming an object, or a filter naming one (?unit=, ?plan=): 404 if it is not the caller's.
            names_object = any(
                p.get("in") == "query" and p.get("name") not in ("page", "page_size", "year") and _integer(p)
                for p in operation.get("parameters", [])
            )
            if "{" in path or names_object:
                codes.add("404")
            if method in ("post", "put", "patch", "delete"):
                # A write's body can name an object out of the caller's reach too (issuing_unit_id).
                codes |= {"400", "403", "404"}
            responses = operation.setdefault("responses", {})
            declared = {str(c) for c in responses}  # django-ninja keys its own by int
            for code in sorted(codes - declared):
                ref = "#/components/schemas/InputErrorOut" if code == "422" else "#/components/schemas/ErrorOut"
                responses.setdefault(
                    code,
                    {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": {"$ref": ref}}}},
                )
    return schema
