from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _


def system_user():
    """An unsaved superuser that acts for set-up commands; audit rows show it as "hệ thống"."""
    return get_user_model()(username=_("hệ thống"), is_superuser=True, is_active=True)
