"""Targets as resolutions write them (chỉ tiêu): a number ("10"), a range ("8,5–9 %",
"từ 8,5 đến 9 %"), a bound ("≥ 90 %", "trên 90 %", "dưới 1 %", "không quá 1 %", "tối thiểu 90"),
a yearly average over the term ("tăng bình quân 7 %/năm") or a total of the term ("cộng dồn cả
nhiệm kỳ 60.000 tỷ đồng"). Django-free apart from gettext.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from hienthuc.lib.numbers import NumberError, parse_number
from hienthuc.lib.text import fold

LEVEL, AVERAGE, TOTAL = "level", "average", "total"


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class WrittenTarget:
    low: Decimal | None
    high: Decimal | None
    basis: str = LEVEL

    def judged_by(self, higher_is_better: bool) -> Decimal:
        """The bound a figure is judged against: the low one where higher is better."""
        if higher_is_better:
            return self.low if self.low is not None else self.high  # type: ignore[return-value]
        return self.high if self.high is not None else self.low  # type: ignore[return-value]


# Folded (no diacritics, lower case) words before a number that bound it.
_AT_LEAST = ("≥", ">=", ">", "tren", "toi thieu", "it nhat", "khong duoi", "khong it hon", "dat tren")
_AT_MOST = ("≤", "<=", "<", "duoi", "toi da", "khong qua", "khong vuot qua", "nho hon", "it hon")
_AVERAGE = re.compile(r"binh quan|/ ?nam|moi nam|hang nam")
_TOTAL = re.compile(r"cong don|luy ke|ca nhiem ky|ca giai doan|tong cong")
_NUMBER = r"[-+]?\d[\d.,]*"
_RANGE = re.compile(rf"({_NUMBER})\s*(?:%|[^\d\s]*)?\s*(?:-|–|—|den|toi)\s*({_NUMBER})")
ACCEPTED = "10; 8,5–9; từ 8,5 đến 9; ≥ 90; trên 90; dưới 1; không quá 1; bình quân 7 %/năm"  # notation, not UI text


def parse(text: str) -> WrittenTarget:
    """The bounds and basis of a target as written; TargetError says what to write instead."""
    written = (text or "").strip()
    if not written:
        raise TargetError(_("Chưa ghi chỉ tiêu."))
    folded = fold(written).replace("%", " ")
    basis = TOTAL if _TOTAL.search(folded) else AVERAGE if _AVERAGE.search(folded) else LEVEL
    # What follows the words describing the basis: "tăng bình quân 7 %/năm" → "7".
    body = re.sub(r"/ ?nam|moi nam|hang nam", " ", folded)
    if match := _RANGE.search(body):
        low, high = _number(match.group(1), written), _number(match.group(2), written)
        if low > high:
            raise TargetError(
                _("Chỉ tiêu “%(text)s”: cận dưới lớn hơn cận trên; hãy ghi số nhỏ trước, ví dụ 8,5–9.")
                % {"text": written}
            )
        return WrittenTarget(low, high, basis)
    numbers = re.findall(_NUMBER, body)
    if len(numbers) != 1:
        raise TargetError(
            _("Không hiểu chỉ tiêu “%(text)s”. Các cách ghi được chấp nhận: %(accepted)s.")
            % {"text": written, "accepted": ACCEPTED}
        )
    value = _number(numbers[0], written)
    before = body[: body.find(numbers[0])].strip()
    if _ends_with(before, _AT_MOST):
        return WrittenTarget(None, value, basis)
    if _ends_with(before, _AT_LEAST) or re.search(r"tro len\b", body):
        return WrittenTarget(value, None, basis)
    if re.search(r"tro xuong\b", body):
        return WrittenTarget(None, value, basis)
    return WrittenTarget(value, value, basis)


def _ends_with(text: str, words) -> bool:
    """`text` ends with one of `words` as a whole word ("đầu tư" does not end with "từ")."""
    return any(text == w or text.endswith(" " + w) or (not w[0].isalpha() and text.endswith(w)) for w in words)


def _number(raw: str, written: str) -> Decimal:
    try:
        return parse_number(raw.rstrip(".,"))
    except NumberError as exc:
        raise TargetError(_("Chỉ tiêu “%(text)s”: %(error)s") % {"text": written, "error": exc}) from None


def describe(low: Decimal | None, high: Decimal | None, format_number) -> str:
    """A target's bounds as an office writes them, when no text was kept."""
    if low is not None and high is not None:
        return format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
    if low is not None:
        return f"≥ {format_number(low)}"
    if high is not None:
        return f"≤ {format_number(high)}"
    return ""
