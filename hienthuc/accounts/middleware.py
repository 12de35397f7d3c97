from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from hienthuc.scope import admins_anywhere


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login, except the API, which answers 401 with its own token auth."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecondFactorMiddleware:
    """ADMIN_SECOND_FACTOR=1: whoever administers a unit (or the whole system) confirms each login
    with a code from an authenticator app before any page (accounts/views.second_factor). The API
    is not concerned: it takes tokens, which are not logins."""

    EXEMPT = ("/accounts/second-factor/", "/accounts/logout/", "/static/", "/api/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ADMIN_SECOND_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT)
            and (user.is_superuser or admins_anywhere(user))
        ):
            return redirect(f"{reverse('second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
