"""Fetching plans, tasks and explanation requests for a request: the same 404 for a missing
object and one the user may not see (a secret plan without a grant included); 403 for a change
their role does not allow. Pages and the API both call these."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.plans.models import ExplanationRequest, Plan, Task
from hienthuc.scope import AnyUser, require_issue


def access_plan(user: AnyUser, pk: int, *, write: bool = False) -> Plan:
    plan = get_object_or_404(
        Plan.objects.visible_to(user).select_related(
            "unit", "document", "source_document__kind", "source_document__issuing_unit"
        ),
        pk=pk,
    )
    if write:
        require_issue(user, plan.unit, _("Bạn chỉ có quyền xem kế hoạch này."))
    return plan


def access_task(user: AnyUser, pk: int, *, write: bool = False) -> Task:
    """A task; `write` is the plan's unit's to change (progress is the lead's too: see the action)."""
    task = get_object_or_404(
        Task.objects.visible_to(user)
        .with_status()
        .select_related("plan__unit", "plan__document", "lead_unit", "leader", "parent", "from_task"),
        pk=pk,
    )
    if write:
        require_issue(user, task.plan.unit, _("Bạn chỉ có quyền xem nhiệm vụ này."))
    return task


def access_explanation(user: AnyUser, pk: int) -> ExplanationRequest:
    return get_object_or_404(ExplanationRequest.objects.visible_to(user), pk=pk)
