"""Reorganizations are applied and undone by the background worker, as large imports are.

A country-wide decision resolves in about 20 s and applies in minutes (docs/architecture.md,
"Reorganizations"), longer than a web request may run. The page's button (and the API) hand the
decision over (`actions.do_queue_reorganization`: status "applying" or "undoing"), the worker
runs the same atomic action as the shell command, and the decision's page polls until it is over.

A refusal (the resolution found a problem meanwhile, the admin lost the right) or a crash puts the
decision back where it was with the reason in its message: the run is one transaction, so nothing
was written. A worker that dies leaves the status running; `Reorganization.objects.fail_stalled()`
puts it back.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from hienthuc.reorgs import actions
from hienthuc.reorgs.models import RUNNING_FROM, Reorganization, ReorgStatus


def queue(reorg: Reorganization, *, undo: bool = False, acting_user) -> Reorganization:
    """Hand the decision to the worker; returns it as it stands afterwards (already applied where
    tasks run at once, as in the tests)."""
    actions.do_queue_reorganization(reorg, undo=undo, acting_user=acting_user)
    run_reorganization.enqueue(reorg.pk)
    return Reorganization.objects.get(pk=reorg.pk)


@task()
def run_reorganization(reorg_id: int) -> str:
    reorg = Reorganization.objects.filter(pk=reorg_id).select_related("queued_by").first()
    # Put back meanwhile (taken for stalled) or run already by an earlier hand-over.
    if reorg is None or not reorg.is_running or reorg.queued_by is None:
        return "skipped"
    back = RUNNING_FROM[ReorgStatus(reorg.status)]
    user = get_user_model().objects.get(pk=reorg.queued_by_id)
    try:
        if reorg.status == ReorgStatus.APPLYING:
            actions.do_apply_reorganization(reorg, acting_user=user)
        else:
            actions.do_undo_reorganization(reorg, acting_user=user)
    except ValidationError as exc:
        _put_back(reorg_id, back, " ".join(exc.messages))
        return "refused"
    except Exception:
        _put_back(
            reorg_id,
            back,
            _("Gặp lỗi khi xử lý; chưa có dữ liệu nào được ghi. Hãy bấm lại hoặc báo quản trị hệ thống."),
        )
        raise
    return "done"


def _put_back(reorg_id: int, status: str, message: str) -> None:
    Reorganization.objects.filter(pk=reorg_id).running().update(status=status, message=message[:5000])
