"""One login for all systems: OpenID Connect against the office's own identity server.

Configured by environment variables (settings.py, docs/deploy.md); mozilla-django-oidc runs the
authorization-code flow, this module decides who the provider's account is here:

- an account already linked to the provider's subject (`ExternalIdentity`) is that account;
- otherwise the account with the provider's user name, then the one with its e-mail address
  (when exactly one has it), is linked — an office moving to single sign-on keeps its accounts
  and their roles;
- otherwise, if OIDC_CREATE_USERS is on, a new account is made with no role: an admin assigns
  them, unless the provider says (next point);
- where the provider sends roles (the claim named by OIDC_ROLES_CLAIM, entries "kind:UNIT
  CODE", e.g. "editor:TB"), the account's provider-given roles are made to match at every login;
  roles an admin granted here are never touched.

Refused, with the reason on the login page: an account switched off here, a service account or
demo account, and an unknown person when accounts are not created automatically.
"""

import logging
import re
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from hienthuc.accounts.backends import demo_refused
from hienthuc.accounts.models import ExternalIdentity, Role, RoleKind
from hienthuc.audit.record import record

logger = logging.getLogger(__name__)
User = get_user_model()

REFUSED = {
    "inactive": gettext_lazy("Tài khoản của bạn trong Hiện Thực đang bị khóa; hãy liên hệ quản trị đơn vị."),
    "unknown": gettext_lazy(
        "Cổng định danh đã xác nhận bạn, nhưng bạn chưa có tài khoản trong Hiện Thực; hãy nhờ quản trị đơn vị "
        "tạo tài khoản (cùng tên đăng nhập hoặc thư điện tử với cổng định danh)."
    ),
    "service": gettext_lazy("Tài khoản dịch vụ không đăng nhập được trên trang."),
    "demo": gettext_lazy("Tài khoản mẫu không đăng nhập được trên máy chủ chạy như thật."),
    "ambiguous": gettext_lazy(
        "Có nhiều tài khoản cùng thư điện tử này; hãy nhờ quản trị đơn vị gắn tài khoản với cổng định danh."
    ),
}
SESSION_REASON = "oidc_refused"
USERNAME_CLEAN = re.compile(r"[^a-z0-9._-]+")


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def _username_from(claims: dict) -> str:
    raw = str(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email", "").split("@")[0] or "nguoidung")
    ascii_name = unicodedata.normalize("NFKD", raw.replace("đ", "d").replace("Đ", "D"))
    base = USERNAME_CLEAN.sub("", ascii_name.encode("ascii", "ignore").decode().lower())[:140] or "nguoidung"
    base = base if len(base) >= 3 else f"{base}-oidc"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def parse_roles(entries) -> list[tuple[str, str]]:
    """("kind", "UNIT CODE") pairs out of the provider's claim; malformed entries are skipped."""
    if not isinstance(entries, list):
        return []
    pairs = []
    for entry in entries:
        kind, _sep, code = str(entry).partition(":")
        if kind.strip() in RoleKind.values and code.strip():
            pairs.append((kind.strip(), code.strip()))
    return pairs


class ProviderBackend(OIDCAuthenticationBackend):
    def refuse(self, reason: str) -> list:
        self.request.session[SESSION_REASON] = reason
        return []

    def filter_users_by_claims(self, claims):
        subject = str(claims.get("sub", ""))
        self.request.session.pop(SESSION_REASON, None)
        linked = ExternalIdentity.objects.filter(subject=subject).select_related("user").first()
        if linked is not None:
            return self.checked(linked.user)
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        candidates = list(User.objects.filter(username=username, external_identity__isnull=True)) if username else []
        if not candidates and claims.get("email") and claims.get("email_verified", True):
            candidates = list(User.objects.filter(email__iexact=claims["email"], external_identity__isnull=True))
            if len(candidates) > 1:
                return self.refuse("ambiguous")
        if candidates:
            return self.checked(candidates[0])
        if not settings.OIDC_CREATE_USERS:
            return self.refuse("unknown")
        return []

    def checked(self, user) -> list:
        if hasattr(user, "service_account"):
            return self.refuse("service")
        if demo_refused(user):
            return self.refuse("demo")
        if not user.is_active:
            return self.refuse("inactive")
        return [user]

    @transaction.atomic
    def create_user(self, claims):
        if self.request.session.get(SESSION_REASON):
            return None
        user = User.objects.create_user(
            username=_username_from(claims),
            email=claims.get("email", "") or "",
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(user, "create", user, after={"username": user.username, "by": "oidc"})
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        ExternalIdentity.objects.get_or_create(user=user, defaults={"subject": str(claims.get("sub", ""))})
        if settings.OIDC_ROLES_CLAIM in claims:
            self.sync_roles(user, parse_roles(claims[settings.OIDC_ROLES_CLAIM]))
        return user

    def sync_roles(self, user, wanted: list[tuple[str, str]]) -> None:
        # The unit model through the role's own relation: accounts sit below the tree (docs/architecture.md).
        Unit = Role._meta.get_field("organization").related_model
        units = {o.code: o for o in Unit.objects.filter(code__in={code for _kind, code in wanted})}
        for _kind, code in wanted:
            if code not in units:
                logger.warning("OIDC role for unknown unit code %s (user %s) ignored", code, user.username)
        wanted_keys = {(kind, units[code].pk) for kind, code in wanted if code in units}
        current = {
            (r.kind, r.organization_id): r for r in Role.objects.filter(user=user).select_related("organization")
        }
        for key, role in current.items():
            if role.from_provider and key not in wanted_keys:
                before = {"user": user.username, "organization": role.organization.code, "kind": role.kind}
                record(None, "revoke", role, organization=role.organization, before={**before, "by": "oidc"})
                role.delete()
        for kind, unit_id in wanted_keys - set(current):
            unit = next(u for u in units.values() if u.pk == unit_id)
            role = Role.objects.create(user=user, organization=unit, kind=kind, from_provider=True)
            record(
                None, "grant", role, organization=unit,
                after={"user": user.username, "organization": unit.code, "kind": kind, "by": "oidc"},
            )  # fmt: skip


def provider_logout_url(request) -> str:
    """Where logging out sends the browser: the provider's end-session endpoint, so that the
    one login ends everywhere, then back to our login page (OIDC_OP_LOGOUT_URL_METHOD)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if not endpoint:
        return reverse("login")
    params = {"post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))}
    if request.session.get("oidc_id_token"):
        params["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}?{urlencode(params)}"
