import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from hienthuc.accounts import actions, oidc
from hienthuc.accounts.access import access_account, administered_users
from hienthuc.accounts.backends import LoginForm
from hienthuc.accounts.forms import (
    GrantRoleForm,
    PersonLinkForm,
    ServiceAccountForm,
    ServiceRenewForm,
    TokenForm,
    UserCreateForm,
)
from hienthuc.accounts.models import ApiToken, Role, RoleKind, ServiceAccount
from hienthuc.forms import person_label, submit
from hienthuc.people.access import readable_people
from hienthuc.people.actions import do_link_person
from hienthuc.scope import can_admin, root_paths

User = get_user_model()


def require_some_admin(user) -> None:
    if not user.is_superuser and not root_paths(user, (RoleKind.ADMIN,)):
        raise PermissionDenied(_("Chỉ quản trị đơn vị mới quản lý được tài khoản."))


def user_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser and not root_paths(request.user, (RoleKind.ADMIN,)):
        # Non-admins see their own account and roles only.
        return redirect("user_detail", pk=request.user.pk)
    users = (
        administered_users(request.user)
        .filter(service_account__isnull=True)
        .order_by("username")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("organization")))
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


def user_create(request: HttpRequest) -> HttpResponse:
    require_some_admin(request.user)
    form = UserCreateForm(request.POST or None, user=request.user)
    account = submit(
        request,
        form,
        lambda data: actions.do_create_user(acting_user=request.user, **data),
        lambda account: _("Đã tạo tài khoản “%(username)s”.") % {"username": account.username},
    )
    if account:
        return redirect("user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if pk == request.user.pk:
        account = request.user
    else:
        account = access_account(request.user, pk)
    action = request.POST.get("action", "grant")
    linking = action == "link-person"
    form = GrantRoleForm(request.POST if action == "grant" else None, user=request.user)
    # An admin sets a new password for an account of their subtree (a forgotten one); one's
    # own is changed on its own page, with the old password.
    can_reset = account.pk != request.user.pk
    password_form = SetPasswordForm(account, request.POST if action == "set-password" and can_reset else None)
    person = getattr(account, "person", None)
    link_form = PersonLinkForm(
        request.POST if linking else None,
        user=request.user,
        prefix="link",
        initial={"person": person_label(person) if person else ""},
    )
    if request.method == "POST":
        require_some_admin(request.user)
        if action == "set-password":
            if can_reset and submit(
                request,
                password_form,
                lambda data: actions.do_set_password(account, password=data["new_password1"], acting_user=request.user),
                _("Đã đặt mật khẩu mới; hãy báo cho người dùng và đề nghị họ đổi mật khẩu khi đăng nhập."),
            ):
                return redirect("user_detail", pk=account.pk)
        elif linking:
            if submit(
                request,
                link_form,
                lambda data: do_link_person(account, data["person"], acting_user=request.user),
                _("Đã cập nhật hồ sơ cán bộ của tài khoản."),
            ):
                return redirect("user_detail", pk=account.pk)
        elif submit(
            request,
            form,
            lambda data: actions.do_grant_role(account, acting_user=request.user, **data),
            _("Đã cấp vai trò."),
        ):
            return redirect("user_detail", pk=account.pk)
    roles = Role.objects.filter(user=account).select_related("organization")
    rows = [(role, can_admin(request.user, role.organization)) for role in roles]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "rows": rows,
            "form": form,
            "person": person,
            "person_readable": bool(person and readable_people(request.user, [person.pk])),
            "link_form": link_form,
            "password_form": password_form if can_reset else None,
            "is_admin": bool(root_paths(request.user, (RoleKind.ADMIN,))) or request.user.is_superuser,
        },
    )


@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(Role.objects.visible_to(request.user).select_related("organization", "user"), pk=pk)
    try:
        actions.do_revoke_role(role, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("user_detail", pk=role.user_id)


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = actions.do_create_api_token(
            request.user, name=form.cleaned_data["name"], acting_user=request.user
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    actions.do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("Đã thu hồi mã truy cập API."))
    return redirect("token_list")


def access_service_account(user, pk: int) -> ServiceAccount:
    return get_object_or_404(ServiceAccount.objects.visible_to(user).select_related("unit", "user"), pk=pk)


def service_list(request: HttpRequest) -> HttpResponse:
    """Other systems' clients of the units the user administers, and a new one."""
    require_some_admin(request.user)
    form = ServiceAccountForm(request.POST or None, user=request.user)
    created = submit(
        request,
        form,
        lambda data: actions.do_create_service_account(acting_user=request.user, **data),
        _("Đã tạo tài khoản dịch vụ; hãy chép khóa ngay, khóa chỉ hiện một lần."),
    )
    accounts = ServiceAccount.objects.visible_to(request.user).select_related("unit").order_by("unit__path", "name")
    return render(
        request,
        "accounts/services.html",
        {
            "form": ServiceAccountForm(user=request.user) if created else form,
            "accounts": accounts,
            "created": created[0] if created else None,
            "raw": created[1] if created else None,
            "today": timezone.localdate(),
        },
    )


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access_service_account(request.user, pk)
    form = ServiceRenewForm(request.POST or None)
    raw = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            actions.do_revoke_service_account(account, acting_user=request.user)
            messages.success(request, _("Đã thu hồi tài khoản dịch vụ; mọi khóa của nó ngừng ngay."))
            return redirect("service_detail", pk=account.pk)
        raw = submit(
            request,
            form,
            lambda data: actions.do_renew_service_key(account, acting_user=request.user, **data),
            _("Đã cấp khóa mới; khóa cũ ngừng ngay. Hãy chép khóa mới, khóa chỉ hiện một lần."),
        )
    calls = Paginator(account.calls.order_by("-at", "-id"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/service_detail.html",
        {"account": account, "form": form, "raw": raw, "calls": calls, "today": timezone.localdate()},
    )


def second_factor(request: HttpRequest) -> HttpResponse:
    """The code of the admin's authenticator app: set up at the first login (a QR code to scan,
    the key to type), asked at every login after."""
    import segno
    from django.utils.http import url_has_allowed_host_and_scheme
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=_("Ứng dụng xác thực"), confirmed=False
        )
    error = ""
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        if not code.isdigit() or len(code) != device.digits:
            error = _("Mã gồm %(digits)s chữ số, lấy từ ứng dụng xác thực.") % {"digits": device.digits}
        elif device.verify_token(code):
            if setting_up:
                actions.do_confirm_second_factor(device, acting_user=user)
            otp_login(request, device)
            return redirect(next_url)
        else:
            error = _("Mã không đúng hoặc đã hết hạn (mỗi mã dùng trong 30 giây); hãy nhập mã đang hiện.")
    context = {"setting_up": setting_up, "error": error, "next": next_url}
    if setting_up:
        import base64

        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "accounts/second_factor.html", context)


def password_change(request: HttpRequest) -> HttpResponse:
    """One's own password, the old one asked first; the session stays logged in."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if submit(
        request,
        form,
        lambda data: actions.do_set_password(request.user, password=data["new_password1"], acting_user=request.user),
        _("Đã đổi mật khẩu."),
    ):
        update_session_auth_hash(request, request.user)
        return redirect("user_detail", pk=request.user.pk)
    return render(request, "registration/password_change.html", {"form": form})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        refused = self.request.session.pop(oidc.SESSION_REASON, None) if "sso" in self.request.GET else None
        return {
            **super().get_context_data(**kwargs),
            "password_reset_by_mail": settings.PASSWORD_RESET_BY_MAIL,
            "password_login": settings.PASSWORD_LOGIN,
            "sso": oidc.enabled(),
            "sso_name": settings.OIDC_PROVIDER_NAME,
            "sso_refused": oidc.REFUSED.get(refused or "", "")
            or (_("Đăng nhập qua cổng định danh không thành công; hãy thử lại.") if "sso" in self.request.GET else ""),
        }


def _sso_only(view):
    """The provider's login pages exist only where OpenID Connect is configured."""

    @login_not_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not oidc.enabled():
            raise Http404(_("Chưa cấu hình đăng nhập qua cổng định danh."))
        return view(request, *args, **kwargs)

    return wrapped


sso_start = _sso_only(OIDCAuthenticationRequestView.as_view())
sso_callback = _sso_only(OIDCAuthenticationCallbackView.as_view())


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out here, and where the session came from the provider, there too (its end-session
    endpoint), so that the one login really ends."""
    from django.contrib.auth import logout as end_session

    target = oidc.provider_logout_url(request) if request.session.get("oidc_id_token") else None
    end_session(request)
    return redirect(target or settings.LOGOUT_REDIRECT_URL)


# ---- a forgotten password, by mail (only where mail is configured: settings) ----------------


def _when_mail_resets(view):
    """The reset pages are for people who cannot log in, and exist only with real mail."""

    @login_not_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PASSWORD_RESET_BY_MAIL:
            raise Http404(_("Chưa cấu hình thư điện tử; hãy nhờ quản trị đơn vị đặt lại mật khẩu."))
        return view(request, *args, **kwargs)

    return wrapped


class _ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        # Through the action, so the new password is audited like any other change.
        actions.do_set_password(form.user, password=form.cleaned_data["new_password1"], acting_user=form.user)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


password_reset = _when_mail_resets(
    auth_views.PasswordResetView.as_view(
        template_name="registration/password_reset_form.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = _when_mail_resets(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
)
password_reset_confirm = _when_mail_resets(_ResetConfirmView.as_view())
password_reset_complete = _when_mail_resets(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
)
