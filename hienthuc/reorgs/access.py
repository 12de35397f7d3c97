"""Fetching reorganizations for a request: one 404 for missing and foreign; changing one takes
an admin role on its unit (docs/architecture.md, "Who sees what")."""

from django.shortcuts import get_object_or_404

from hienthuc.reorgs.models import Operation, Reorganization
from hienthuc.scope import AnyUser, require_admin


def access_reorganization(user: AnyUser, pk: int, *, write: bool = False) -> Reorganization:
    reorg = get_object_or_404(
        Reorganization.objects.visible_to(user).select_related("unit", "decision__kind", "created_by"), pk=pk
    )
    if write:
        require_admin(user, reorg.unit)
    return reorg


def access_operation(user: AnyUser, pk: int, *, write: bool = False) -> Operation:
    operation = get_object_or_404(
        Operation.objects.filter(reorganization__in=Reorganization.objects.visible_to(user)).select_related(
            "reorganization__unit"
        ),
        pk=pk,
    )
    if write:
        require_admin(user, operation.reorganization.unit)
    return operation
