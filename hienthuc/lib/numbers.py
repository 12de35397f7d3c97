"""Numbers as Vietnamese offices type them: "1.234,5", "1234,5", "3,23", "3.23", "-12".

A comma is the decimal mark. A dot is a thousands separator when it groups digits by three
("1.234", "12.345.678"), otherwise a decimal mark ("3.23", as spreadsheets export it).
Django-free.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
# Digits with at most a decimal comma, as most cells are: read without the general rules below
# (an import reads millions).
_PLAIN = re.compile(r"[+-]?\d+(?:,\d+)?")


class NumberError(ValueError):
    pass


def parse_number(text) -> Decimal:
    if type(text) is str and _PLAIN.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return Decimal(str(text))
    written = str(text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not written:
        raise NumberError(_("Chưa nhập số."))
    if _GROUPED.match(written):
        normal = written.replace(".", "").replace(",", ".")
    elif "," in written:
        if "." in written or written.count(",") > 1:
            raise NumberError(_("“%(text)s” không phải một số; ví dụ hợp lệ: 1.234,5 hoặc 3,23.") % {"text": text})
        normal = written.replace(",", ".")
    else:
        normal = written
    try:
        value = Decimal(normal)
    except InvalidOperation:
        raise NumberError(
            _("“%(text)s” không phải một số; ví dụ hợp lệ: 1.234,5 hoặc 3,23.") % {"text": text}
        ) from None
    if not value.is_finite():
        raise NumberError(_("“%(text)s” không phải một số.") % {"text": text})
    return value


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal | None, decimals: int = 0) -> str:
    """Vietnamese notation: dots between thousands, a comma before decimals."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
