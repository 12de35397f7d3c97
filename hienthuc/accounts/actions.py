"""Accounts, roles and API tokens: one function per change, atomic and audited."""

import datetime
import re
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.accounts.access import administered_users
from hienthuc.accounts.models import ApiToken, Role, RoleKind, ServiceAccount, ServiceScope, hash_token
from hienthuc.audit.record import record
from hienthuc.scope import can_admin

if TYPE_CHECKING:
    from hienthuc.orgs.models import Organization

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,150}$")


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    organization: "Organization",
    role: str,
    acting_user: User,
):
    """Create an account together with its first role, so no account exists without a scope."""
    if not can_admin(acting_user, organization):
        raise ValidationError({"organization": _("Bạn không quản trị đơn vị này.")})
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError({"username": _("Tên đăng nhập gồm 3–150 ký tự: chữ thường không dấu, chữ số, . - _")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập đã tồn tại.")})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    first, _space, last = (full_name or "").strip().rpartition(" ")
    user = User(username=username, email=email or "", first_name=first[:150], last_name=last[:150])
    user.set_password(password)
    user.save()
    record(acting_user, "create", user, organization=organization, after={"username": username, "email": email})
    do_grant_role(user, organization=organization, kind=role, acting_user=acting_user)
    return user


@transaction.atomic
def do_grant_role(user: User, *, organization: "Organization", kind: str, acting_user: User) -> Role:
    if not can_admin(acting_user, organization):
        raise ValidationError({"organization": _("Bạn không quản trị đơn vị này.")})
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Vai trò không hợp lệ.")})
    if Role.objects.filter(user=user, organization=organization, kind=kind).exists():
        raise ValidationError({"kind": _("Người dùng đã có vai trò này tại đơn vị này.")})
    granted_by = acting_user if acting_user.pk else None
    role = Role.objects.create(user=user, organization=organization, kind=kind, granted_by=granted_by)
    record(
        acting_user,
        "grant",
        role,
        organization=organization,
        after={"user": user.username, "organization": organization.code, "kind": kind},
    )
    return role


@transaction.atomic
def do_revoke_role(role: Role, *, acting_user: User) -> None:
    if not can_admin(acting_user, role.organization):
        raise ValidationError(_("Bạn không quản trị đơn vị này."))
    if role.user_id == acting_user.pk and role.kind == RoleKind.ADMIN:
        raise ValidationError(_("Không thể tự thu hồi quyền quản trị của chính mình."))
    record(
        acting_user,
        "revoke",
        role,
        organization=role.organization,
        before={"user": role.user.username, "organization": role.organization.code, "kind": role.kind},
    )
    role.delete()


@transaction.atomic
def do_create_api_token(user: User, *, name: str, acting_user: User) -> tuple[ApiToken, str]:
    """Return the token row and its raw value, which is never stored and shown only once."""
    raw = ApiToken.generate()
    expires = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    token = ApiToken.objects.create(
        user=user, name=(name or "API")[:100], prefix=raw[3:9], key_hash=hash_token(raw), expires_at=expires
    )
    record(
        acting_user,
        "create",
        token,
        after={"user": user.username, "name": token.name, "prefix": token.prefix, "expires_at": expires.isoformat()},
    )
    # A client that asks for a token on every run must not pile up live tokens: the oldest
    # beyond the limit are revoked.
    live = ApiToken.objects.active().filter(user=user).order_by("-created_at", "-id")
    for old in live[settings.API_TOKENS_PER_USER :]:
        do_revoke_api_token(old, acting_user=acting_user)
    return token, raw


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(acting_user, "revoke", token, before={"prefix": token.prefix}, after={"revoked": True})
    return token


@transaction.atomic
def do_set_password(user: User, *, password: str, acting_user: User) -> User:
    """A new password: the user's own (their old one checked by the page), or set by an admin
    of a unit where the user holds a role (a forgotten password). The audit row says who set
    it, never the password."""
    if acting_user.pk != user.pk and not administered_users(acting_user).filter(pk=user.pk).exists():
        raise ValidationError(_("Bạn không quản trị tài khoản này."))
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(acting_user, "set_password", user, after={"by": "self" if acting_user.pk == user.pk else "admin"})
    return user


# Service accounts: another system's client, owned by a unit (models.ServiceAccount).
SERVICE_ROLE = {ServiceScope.READ: RoleKind.VIEWER, ServiceScope.WRITE: RoleKind.EDITOR}
SERVICE_MAX_DAYS = 366


def _service_token(account: ServiceAccount) -> tuple[ApiToken, str]:
    raw = ApiToken.generate()
    ends = timezone.make_aware(datetime.datetime.combine(account.expires_on, datetime.time.max))
    token = ApiToken.objects.create(
        user=account.user, name=account.name[:100], prefix=raw[3:9], key_hash=hash_token(raw), expires_at=ends
    )
    return token, raw


def _check_service_expiry(expires_on: datetime.date) -> None:
    today = timezone.localdate()
    if expires_on < today:
        raise ValidationError({"expires_on": _("Ngày hết hạn đã qua.")})
    if expires_on > today + datetime.timedelta(days=SERVICE_MAX_DAYS):
        raise ValidationError(
            {
                "expires_on": _("Khóa dịch vụ có hạn tối đa %(days)s ngày; hãy gia hạn khi gần hết.")
                % {"days": SERVICE_MAX_DAYS}
            }
        )


@transaction.atomic
def do_create_service_account(
    *, unit: "Organization", name: str, scope: str, expires_on: datetime.date, acting_user: User
) -> tuple[ServiceAccount, str]:
    """A client for another system on `unit`; returns it and its key, shown only once."""
    if not can_admin(acting_user, unit):
        raise ValidationError({"unit": _("Bạn không quản trị đơn vị này.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên hệ thống dùng tài khoản này.")})
    if scope not in ServiceScope.values:
        raise ValidationError({"scope": _("Quyền không hợp lệ.")})
    _check_service_expiry(expires_on)
    # An account that can never log in on a page: no password, no e-mail for a login provider to match.
    user = User(username=f"dichvu.{secrets.token_hex(6)}", last_name=name[:150])
    user.set_unusable_password()
    user.save()
    account = ServiceAccount.objects.create(
        user=user, unit=unit, name=name[:100], scope=scope, expires_on=expires_on, created_by=acting_user
    )
    Role.objects.create(user=user, organization=unit, kind=SERVICE_ROLE[ServiceScope(scope)], granted_by=acting_user)
    _token, raw = _service_token(account)
    record(
        acting_user,
        "create",
        account,
        organization=unit,
        after={"name": account.name, "scope": scope, "expires_on": expires_on.isoformat(), "user": user.username},
    )
    return account, raw


@transaction.atomic
def do_renew_service_key(account: ServiceAccount, *, expires_on: datetime.date, acting_user: User) -> str:
    """A new key (the old ones stop at once) valid until `expires_on`."""
    if not can_admin(acting_user, account.unit):
        raise ValidationError(_("Bạn không quản trị đơn vị này."))
    if account.revoked_at is not None:
        raise ValidationError(_("Tài khoản dịch vụ đã bị thu hồi."))
    _check_service_expiry(expires_on)
    before = {"expires_on": account.expires_on.isoformat()}
    ApiToken.objects.active().filter(user=account.user).update(revoked_at=timezone.now())
    account.expires_on = expires_on
    account.save(update_fields=["expires_on"])
    _token, raw = _service_token(account)
    record(
        acting_user,
        "renew",
        account,
        organization=account.unit,
        before=before,
        after={"expires_on": expires_on.isoformat()},
    )
    return raw


@transaction.atomic
def do_revoke_service_account(account: ServiceAccount, *, acting_user: User) -> ServiceAccount:
    if not can_admin(acting_user, account.unit):
        raise ValidationError(_("Bạn không quản trị đơn vị này."))
    if account.revoked_at is None:
        now = timezone.now()
        account.revoked_at = now
        account.save(update_fields=["revoked_at"])
        ApiToken.objects.active().filter(user=account.user).update(revoked_at=now)
        User.objects.filter(pk=account.user_id).update(is_active=False)
        record(acting_user, "revoke", account, organization=account.unit, after={"revoked": True})
    return account


@transaction.atomic
def do_confirm_second_factor(device, *, acting_user: User):
    """The admin's authenticator app, confirmed by its first right code (accounts/views.second_factor)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(acting_user, "create", device, after={"user": device.user.username, "kind": "totp"})
    return device
