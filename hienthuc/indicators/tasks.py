"""Large value imports run in the background worker, with their progress on the page."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport
from hienthuc.indicators import importing
from hienthuc.lib.sheets import FileProblem

# Files with more rows than this are applied by the worker, not in the web request.
BACKGROUND_ROWS = 20_000


@task()
def apply_value_import(pending_id: int) -> str:
    pending = PendingImport.objects.get(pk=pending_id)
    user = get_user_model().objects.get(pk=pending.created_by_id)
    data = bytes(pending.payload)

    def progress(done: int, total: int) -> None:
        # Each update commits on its own, so the page polling it sees it move.
        PendingImport.objects.filter(pk=pending_id).update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )

    try:
        rows = importing.read_rows(data)
        checked = importing.check_rows(rows, user=user, progress=progress)
        progress(len(rows), len(rows))
        result = importing.do_import_values(data, acting_user=user, checked=checked)
    except (ValidationError, FileProblem) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=message[:5000])
        return "failed"
    except Exception:
        # Anything else (the database, a bug): the import's transaction rolled back; say so on
        # the page, keep the file for "Chạy lại", and let the worker log the error and go on.
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=STALLED_MESSAGE)
        raise
    PendingImport.objects.filter(pk=pending_id).update(
        status=ImportStatus.DONE,
        payload=b"",
        message=result.summary,
    )
    return "done"
