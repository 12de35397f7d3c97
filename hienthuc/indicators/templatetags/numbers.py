from django import template
from django.utils.translation import gettext_lazy as _

from hienthuc.lib.numbers import format_number

register = template.Library()

LIGHTS = {"green": _("Đạt"), "orange": _("Gần đạt"), "red": _("Nguy cơ không đạt"), "grey": _("Chưa đánh giá")}


@register.filter
def vn(value, decimals=0):
    """A number in Vietnamese notation (1.234,5) with the indicator's decimals; blank for None."""
    return format_number(value, int(decimals)) if value is not None else ""


@register.filter
def light_label(code: str) -> str:
    return LIGHTS.get(code, "")
