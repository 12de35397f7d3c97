"""The API's reorganizations: decisions, what applying one would do, and applying it."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, documented
from hienthuc.reorgs import actions, background
from hienthuc.reorgs.access import access_reorganization
from hienthuc.reorgs.models import OperationKind, Reorganization, ReorgStatus

router = Router()


class OperationOut(Schema):
    id: int
    kind: str = Field(..., json_schema_extra=documented(OperationKind.values))
    unit_ids: list[int]
    target_id: int | None
    new_code: str
    new_name: str
    new_parent_id: int | None


class ReorganizationOut(Schema):
    id: int
    unit_id: int
    title: str
    effective_on: datetime.date
    status: str = Field(..., json_schema_extra=documented(ReorgStatus.values))
    decision_id: int | None
    # Why the last background run wrote nothing (empty once applied).
    message: str


class ReorganizationDetailOut(ReorganizationOut):
    operations: list[OperationOut]


class CeasingOut(Schema):
    unit_id: int
    successors: list[str]


class CarriedOut(Schema):
    key: str
    label: str
    rows: int
    carried: bool


class PreviewOut(Schema):
    errors: list[str]
    ceases_on: datetime.date
    ceasing: list[CeasingOut]
    created: list[str]
    continued: int
    carried: list[CarriedOut]


def _detail(reorg: Reorganization) -> dict:
    operations = reorg.operations.prefetch_related("units")
    return {
        "id": reorg.pk,
        "unit_id": reorg.unit_id,
        "title": reorg.title,
        "effective_on": reorg.effective_on,
        "status": reorg.status,
        "decision_id": reorg.decision_id,
        "message": reorg.message,
        "operations": [
            {
                "id": op.pk,
                "kind": op.kind,
                "unit_ids": [ou.unit_id for ou in op.units.all()],
                "target_id": op.target_id,
                "new_code": op.new_code,
                "new_name": op.new_name,
                "new_parent_id": op.new_parent_id,
            }  # fmt: skip
            for op in operations
        ],
    }


@router.get("/reorgs", response=list[ReorganizationOut], tags=["reorgs"])
@paginate(Pages, page_size=50)
def list_reorganizations(request):
    """Decisions of the caller's subtrees, and those from above that change a unit in them."""
    return Reorganization.objects.visible_to(request.user).order_by("-effective_on", "-pk")


@router.get("/reorgs/{reorg_id}", response=ReorganizationDetailOut, tags=["reorgs"])
def get_reorganization(request, reorg_id: Id):
    return _detail(access_reorganization(request.user, reorg_id))


@router.get("/reorgs/{reorg_id}/preview", response=PreviewOut, tags=["reorgs"])
def preview_reorganization(request, reorg_id: Id):
    """What applying the decision would do, and every reason it cannot yet."""
    reorg = access_reorganization(request.user, reorg_id)
    page = actions.preview(reorg, request.user)
    return {
        "errors": page.errors,
        "ceases_on": page.day_before,
        "ceasing": [{"unit_id": unit.pk, "successors": successors} for unit, successors in page.ceasing],
        "created": page.created,
        "continued": page.continued,
        "carried": [{"key": k, "label": label, "rows": n, "carried": c} for k, label, n, c in page.carried],
    }


@router.post(
    "/reorgs/{reorg_id}/apply", response={200: ReorganizationDetailOut, 202: ReorganizationDetailOut, 400: ErrorOut},
    tags=["reorgs"],
)  # fmt: skip
def apply_reorganization(request, reorg_id: Id):
    """Apply the whole decision or nothing, in the background worker: 200 once applied, 202
    while it runs (poll the decision until its status is "applied", or "draft" with a message
    saying why nothing was written), 400 when refused (the preview's errors)."""
    reorg = access_reorganization(request.user, reorg_id, write=True)
    reorg = background.queue(reorg, acting_user=request.user)
    if reorg.status == ReorgStatus.DRAFT and reorg.message:
        raise ValidationError(reorg.message)
    return Status(202 if reorg.is_running else 200, _detail(access_reorganization(request.user, reorg_id)))
