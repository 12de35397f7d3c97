"""Fetching accounts for a request: an admin sees the accounts holding a role in a subtree they
administer; any other account is the same 404 as a missing one."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from hienthuc.accounts.models import Role, RoleKind
from hienthuc.scope import AnyUser, root_paths

User = get_user_model()


def administered_users(user: AnyUser):
    """Accounts holding a role inside a subtree the user administers."""
    if user.is_superuser:
        return User.objects.all()
    paths = root_paths(user, (RoleKind.ADMIN,))
    if not paths:
        return User.objects.none()
    roles = Role.objects.none()
    for path in paths:
        roles = roles | Role.objects.filter(organization__path__startswith=path)
    return User.objects.filter(pk__in=roles.values("user_id"))


def access_account(user: AnyUser, pk: int):
    return get_object_or_404(administered_users(user), pk=pk)
