"""Logging in: Django's model backend, refusing the demo's accounts outside DEBUG.

The demo's logins and password are in the README; a database that holds them must never serve
a real site. Page logins and API tokens both go through authenticate(), so both are refused
here; tokens made earlier are refused by the API's token check (api/api.py)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from hienthuc.accounts.models import is_demo_account

DEMO_REFUSED = gettext_lazy(
    "Tài khoản mẫu chỉ dùng được khi chạy thử (make run, DEBUG=1). Máy chủ này chạy như thật nên "
    "không cho đăng nhập bằng tài khoản mẫu; hãy dùng tài khoản do quản trị cấp."
)


def demo_refused(user) -> bool:
    return not settings.DEBUG and is_demo_account(user)


class DemoGuardBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        # PASSWORD_LOGIN=0: everyone logs in through the provider (accounts/oidc.py).
        return settings.PASSWORD_LOGIN and super().user_can_authenticate(user) and not demo_refused(user)


class LoginForm(AuthenticationForm):
    """The login form, saying why a demo account is refused instead of "wrong password"."""

    def clean(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data.get("username")
        user = get_user_model().objects.filter(username=username).first() if username else None
        self.demo_refused = user is not None and demo_refused(user)
        if self.demo_refused:
            raise ValidationError(DEMO_REFUSED, code="demo")
        return super().clean()
