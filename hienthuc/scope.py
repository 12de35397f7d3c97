"""Who sees what: a role on a unit covers the unit's whole subtree.

Every model's visible_to(user) is built from subtree_q(), so the rule lives in one place. It
sits below every app (docs/architecture.md, "Layers"): the audit trail and the tree filter by
it as much as documents and plans do, so it knows roles only through the user's `roles`
relation (accounts.models.Role) and units only by their paths.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hienthuc.lib.tree import PATH_STEP

if TYPE_CHECKING:
    from hienthuc.orgs.models import Organization

# Whoever a read is for: pages require a login and the API a token, but the rule answers for an
# anonymous user too (nothing).
AnyUser = User | AnonymousUser


class RoleKind(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    EDITOR = "editor", _("Biên tập")
    VIEWER = "viewer", _("Xem")
    INSPECTOR = "inspector", _("Kiểm tra")


EDIT_KINDS = (RoleKind.ADMIN, RoleKind.EDITOR)


class MandateKind(models.TextChoices):
    """What a body may do on behalf of the unit it serves (orgs.models.Mandate)."""

    OFFICE = "office", _("Làm thay công việc văn bản, kế hoạch của cấp ủy")
    DRAFTING = "drafting", _("Soạn thảo văn bản cho cấp ủy")


@dataclass(frozen=True)
class Acting:
    """An editor of `agent` working for `principal` under a mandate of `kind`."""

    kind: str
    principal_path: str
    agent_name: str
    principal_name: str

    @property
    def label(self) -> str:
        return gettext("%(agent)s thay mặt %(principal)s") % {
            "agent": self.agent_name,
            "principal": self.principal_name,
        }


def _load(user: AnyUser) -> None:
    """The user's roles and the mandates their editing roles carry, in one query per request,
    cached on the user object. A mandate lets its agent's editors read the principal's subtree
    (a viewer's reach, added to the roles) and act on the principal itself (can_edit)."""
    from django.utils import timezone

    roles: list[tuple[str, str]] = []
    acting: list[Acting] = []
    if user.is_authenticated:
        today = timezone.localdate()
        rows = user.roles.values_list(
            "kind", "organization__path", "organization__name", "organization__mandates__kind",
            "organization__mandates__principal__path", "organization__mandates__principal__name",
            "organization__mandates__started_on", "organization__mandates__ended_on",
        )  # fmt: skip
        for kind, path, name, m_kind, m_path, m_name, started, ended in rows:
            if (kind, path) not in roles:
                roles.append((kind, path))
            live = m_kind and started <= today and (ended is None or ended > today)
            if live and kind in EDIT_KINDS:
                acting.append(Acting(m_kind, m_path, name, m_name))
                roles.append((RoleKind.VIEWER, m_path))
    setattr(user, "_hienthuc_roles", roles)  # noqa: B010 (no such attribute on the user type)
    setattr(user, "_hienthuc_acting", acting)  # noqa: B010


def _roles(user: AnyUser) -> list[tuple[str, str]]:
    """(kind, path) of each role the user holds, cached on the user object per request."""
    if getattr(user, "_hienthuc_roles", None) is None:
        _load(user)
    return user._hienthuc_roles  # type: ignore[union-attr]


def actings(user: AnyUser) -> list[Acting]:
    """The mandates the user works under today."""
    if getattr(user, "_hienthuc_acting", None) is None:
        _load(user)
    return user._hienthuc_acting  # type: ignore[union-attr]


def acting_for(user: AnyUser, path: str, kinds=None) -> "Acting | None":
    """The mandate under which the user acts on the unit at `path` itself, if any."""
    for acting in actings(user):
        if acting.principal_path == path and (kinds is None or acting.kind in kinds):
            return acting
    return None


def root_paths(user: AnyUser, kinds=None) -> list[str]:
    """Paths of the units whose subtrees the user holds a role on, minus nested ones."""
    paths = sorted({path for kind, path in _roles(user) if kinds is None or kind in kinds})
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def subtree_q(user: AnyUser, path_field: str = "path", kinds=None) -> Q:
    """A filter matching rows whose unit path lies in one of the user's subtrees."""
    if user.is_superuser:
        return Q()
    paths = root_paths(user, kinds)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def above_q(user: AnyUser, path_field: str) -> Q:
    """Rows whose unit lies above one of the user's units (what comes from above applies below).
    Paths are fixed-width steps, so a unit's ancestors are the prefixes of its path."""
    step = PATH_STEP
    return Q(**{f"{path_field}__in": {root[:i] for root in root_paths(user) for i in range(step, len(root), step)}})


def top_paths(user: AnyUser) -> list[str] | None:
    """The tops of what the user sees, for reads that take paths: None is the whole tree."""
    return None if user.is_superuser else root_paths(user)


def edits_anywhere(user: AnyUser) -> bool:
    """Does the user hold an editing role on some unit (the pages that create things ask)?"""
    return user.is_superuser or bool(root_paths(user, EDIT_KINDS))


def admins_anywhere(user: AnyUser) -> bool:
    return user.is_superuser or bool(root_paths(user, (RoleKind.ADMIN,)))


def require_edits_somewhere(user: AnyUser, message: str) -> None:
    """Before a form that creates something: refuse a user who could not save it anywhere,
    rather than after they filled it in."""
    if not edits_anywhere(user):
        raise PermissionDenied(message)


def covers(user: AnyUser, path: str, kinds=None) -> bool:
    """Does one of the user's roles (of the given kinds) cover the unit at this path?"""
    if user.is_superuser:
        return True
    return any(path.startswith(p) for p in root_paths(user, kinds))


def can_view(user: AnyUser, org: "Organization") -> bool:
    return covers(user, org.path)


def can_edit(user: AnyUser, org: "Organization") -> bool:
    return covers(user, org.path, EDIT_KINDS)


def can_issue(user: AnyUser, org: "Organization") -> bool:
    """May the user register, number and issue documents and plans in `org`'s name: an editing
    role covering it, or the office's mandate for `org` itself. The unit's own records (its
    children, terms, people) stay with its editors (can_edit)."""
    return can_edit(user, org) or acting_for(user, org.path, (MandateKind.OFFICE,)) is not None


def acting_label(user: AnyUser, org: "Organization | None") -> str:
    """ "Văn phòng Tỉnh ủy thay mặt Tỉnh ủy Thái Bình" when the user changes `org` by a mandate
    rather than by a role of their own (the audit trail writes it beside the user's name)."""
    if org is None or not getattr(user, "is_authenticated", False) or covers(user, org.path, EDIT_KINDS):
        return ""
    acting = acting_for(user, org.path)
    return acting.label if acting else ""


def can_admin(user: AnyUser, org: "Organization") -> bool:
    return covers(user, org.path, (RoleKind.ADMIN,))


def require_edit(user: AnyUser, org: "Organization", message: str = "") -> None:
    """Refuse (403) a change by a user who holds no editing role covering `org`. The pages and
    the API call it through each app's access_<thing>(…, write=True)."""
    if not can_edit(user, org):
        raise PermissionDenied(message or gettext("Bạn chỉ có quyền xem đối tượng này."))


def require_issue(user: AnyUser, org: "Organization", message: str = "") -> None:
    """require_edit for the documents and plans issued in `org`'s name (can_issue)."""
    if not can_issue(user, org):
        raise PermissionDenied(message or gettext("Bạn chỉ có quyền xem đối tượng này."))


def require_admin(user: AnyUser, org: "Organization") -> None:
    if not can_admin(user, org):
        raise PermissionDenied(gettext("Bạn không có quyền quản trị đơn vị này."))
