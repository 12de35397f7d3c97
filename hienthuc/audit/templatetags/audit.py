from django import template

from hienthuc.audit.describe import who as name_of

register = template.Library()


@register.filter
def who(user) -> str:
    """A user as people are named on the pages: their name (and login), "hệ thống" for none."""
    return name_of(user)
