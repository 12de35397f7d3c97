import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The access rule's vocabulary, defined below every app (hienthuc/scope.py); kept importable here.
from hienthuc.scope import RoleKind as RoleKind


class RoleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RoleQuerySet":
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self
        return self.filter(subtree_q(user, "organization__path"))

    def editors_by_unit(self, unit_ids) -> dict[int, list]:
        """The active users holding an editor or admin role on each of these units itself —
        whom a reminder about the unit's work goes to."""
        from hienthuc.scope import EDIT_KINDS

        users: dict[int, list] = {}
        for role in self.filter(organization_id__in=set(unit_ids), kind__in=EDIT_KINDS).select_related("user"):
            if role.user.is_active and role.user not in users.setdefault(role.organization_id, []):
                users[role.organization_id].append(role.user)
        return users


class Role(models.Model):
    """A user's role on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(_("vai trò"), max_length=16, choices=RoleKind.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Given by the login provider's claim (accounts/oidc.py), which keeps it in step at each login.
    from_provider = models.BooleanField(default=False)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "kind"], name="role_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in RoleKind]), name="role_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} – {self.get_kind_display()} – {self.organization}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# The demo's accounts (README: published logins and password) carry an address in this
# reserved domain (RFC 2606: .invalid never resolves), so that a server running with DEBUG off
# refuses them whatever database it was pointed at — read from the user row, no extra query.
DEMO_EMAIL_DOMAIN = "tai-khoan-mau.invalid"


def is_demo_account(user) -> bool:
    return (getattr(user, "email", "") or "").endswith("@" + DEMO_EMAIL_DOMAIN)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """A user's own tokens: nobody else's, not even an admin's view of their subtree."""
        return self.filter(user_id=user.pk)

    def active(self) -> "ApiTokenQuerySet":
        # ApiToken.is_live says the same of one token.
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A revocable API token; only its hash is stored, the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Tokens end on their own (settings.API_TOKEN_DAYS): a forgotten one does not open the API for good.
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def generate() -> str:
        return "ht_" + secrets.token_urlsafe(32)


class ServiceAccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ServiceAccountQuerySet":
        """The service accounts of the units a user administers: the admins manage them."""
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "unit__path", kinds=(RoleKind.ADMIN,)))


class ServiceScope(models.TextChoices):
    READ = "read", _("chỉ đọc")
    WRITE = "write", _("đọc và ghi")


class ServiceAccount(models.Model):
    """Another system's client of the API: it belongs to a unit, not to a person.

    Behind it stands an account of its own that cannot log in (no password) and holds one role
    on the unit — viewer for "read", editor for "write" — so every object it reaches is scoped
    by the same visible_to(user) as a person's; the read scope is also refused every write by
    the API's authentication (api/api.py). Its keys end on `expires_on` at the latest, and every
    call it makes is logged (ServiceCall)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_account")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="service_accounts")
    name = models.CharField(_("tên hệ thống"), max_length=100)
    scope = models.CharField(_("quyền"), max_length=5, choices=ServiceScope.choices)
    expires_on = models.DateField(_("hết hạn ngày"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài khoản dịch vụ")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=["read", "write"]), name="service_scope_valid")
        ]

    def __str__(self) -> str:
        return self.name

    def is_live(self, today) -> bool:
        return self.revoked_at is None and self.expires_on >= today


class ServiceCall(models.Model):
    """One API call of a service account: who, when, what, and the answer's status."""

    account = models.ForeignKey(ServiceAccount, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-at"], name="service_call_recent")]


class ExternalIdentity(models.Model):
    """The login provider's subject ("sub") an account is linked to (accounts/oidc.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity")
    subject = models.CharField(max_length=255, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)
