"""Accounts, roles and API tokens: one function per change, atomic and audited."""

import datetime
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.accounts.access import administered_users
from hienthuc.accounts.models import ApiToken, Role, RoleKind, hash_token
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
