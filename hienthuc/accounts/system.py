from django.contrib.auth import get_user_model


def system_user():
    """An unsaved superuser that acts for set-up commands; audit rows show it as "hệ thống"."""
    return get_user_model()(username="hệ thống", is_superuser=True, is_active=True)
