"""Links people give (a task's output, a progress report's evidence): web addresses only.

A `javascript:` or `data:` address in an href runs script when clicked, so every link a user
types is checked here on the way in and again on the way out (templates use |web_link)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SCHEMES = ("http", "https")


class LinkError(ValueError):
    pass


def web_link(text: str, *, max_length: int = 500) -> str:
    """The link cleaned, or LinkError with the Vietnamese message; "" stays ""."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > max_length:
        raise LinkError(_("Đường dẫn dài quá %(max_length)s ký tự.") % {"max_length": max_length})
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in SCHEMES or not parts.netloc or any(c in text for c in ' \t\r\n<>"'):
        raise LinkError(
            _(
                "Đường dẫn phải là địa chỉ web bắt đầu bằng http:// hoặc https:// (ví dụ https://vanban.tinhuy.vn/…); "
                "văn bản đã vào sổ thì chọn ở ô văn bản sản phẩm."
            )
        )
    return text


def is_web_link(text: str) -> bool:
    try:
        return bool(web_link(text, max_length=10_000))
    except LinkError:
        return False
