"""Who sees what: a role on a unit covers the unit's whole subtree.

Every model's visible_to(user) is built from subtree_q(), so the rule lives in one place. It
sits below every app (docs/architecture.md, "Layers"): the audit trail and the tree filter by
it as much as documents and plans do, so it knows roles only through the user's `roles`
relation (accounts.models.Role) and units only by their paths.
"""

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


def _roles(user: AnyUser) -> list[tuple[str, str]]:
    """(kind, path) of each role the user holds, cached on the user object per request."""
    cached = getattr(user, "_hienthuc_roles", None)
    if cached is None:
        if not user.is_authenticated:
            cached = []
        else:
            cached = list(user.roles.values_list("kind", "organization__path"))
        setattr(user, "_hienthuc_roles", cached)  # noqa: B010 (no such attribute on the user type)
    return cached


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


def can_admin(user: AnyUser, org: "Organization") -> bool:
    return covers(user, org.path, (RoleKind.ADMIN,))


def require_edit(user: AnyUser, org: "Organization", message: str = "") -> None:
    """Refuse (403) a change by a user who holds no editing role covering `org`. The pages and
    the API call it through each app's access_<thing>(…, write=True)."""
    if not can_edit(user, org):
        raise PermissionDenied(message or gettext("Bạn chỉ có quyền xem đối tượng này."))


def require_admin(user: AnyUser, org: "Organization") -> None:
    if not can_admin(user, org):
        raise PermissionDenied(gettext("Bạn không có quyền quản trị đơn vị này."))
