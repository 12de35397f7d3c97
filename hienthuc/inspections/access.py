"""Fetching inspections for a request: the same 404 for a missing one and one the user may not
see; findings are a second rule on top (models.Inspection.findings_readable)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.inspections.models import Inspection
from hienthuc.scope import AnyUser, can_issue


def access_inspection(user: AnyUser, pk: int, *, write: bool = False) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user)
        .select_related("unit", "subject_unit", "subject_person__home_unit", "task", "decision", "conclusion")
        .prefetch_related("team__person"),
        pk=pk,
    )
    if write and not can_issue(user, inspection.unit):
        raise PermissionDenied(_("Bạn chỉ có quyền xem cuộc kiểm tra, giám sát này."))
    return inspection
