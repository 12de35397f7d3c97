"""Large imports run in the background worker, with their progress on a page of their own.

The generic apply view (imports/views.py) sends a previewed file with more rows than its
importer's `background_rows` here instead of applying it in the request; the worker applies it
with the importer's own `apply`, all or nothing (one transaction), and the page /imports/<id>/
polls it.

Progress: the worker reports each row through `progress(done, total)`. On PostgreSQL the report
is written through a second connection, so it commits while the import's own transaction is
still open and the page sees it move; SQLite has one writer at a time, so there the page shows
the phases (waiting, writing, done) and the heartbeat is the last phase change. A worker that
dies stops its heartbeat; PendingImport.objects.fail_stalled() then marks the import failed —
nothing was written — and it can be run again from the page.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hienthuc.imports import importers
from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport
from hienthuc.lib.sheets import FileProblem


def done_url(pending: PendingImport, user) -> str:
    """Where the import's page leads once it is over: the importer's page for its target."""
    found = importers.find(pending.kind)
    if found is None:
        return "/"
    importer, key = found
    try:
        return importer.done_url(importer.target(user, key))
    except (Http404, PermissionDenied):
        return "/"


def queue(pending: PendingImport) -> None:
    PendingImport.objects.filter(pk=pending.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now(), progress_done=0, message=""
    )
    run_import.enqueue(pending.pk)


class _Progress:
    """Writes progress where the page can see it before the import commits (see the module)."""

    def __init__(self, pending_id: int):
        self.pending_id = pending_id
        self.connection = None
        if connections["default"].vendor == "postgresql":
            self.connection = connections.create_connection("default")
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if done - self.last < 50 and done != total:
            return
        connection = self.connection
        if connection is None:
            # SQLite: only outside a transaction (a value import's check phase), where the
            # report commits at once; inside one the page shows the phase.
            connection = connections["default"]
            if connection.in_atomic_block:
                return
        self.last = done
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {PendingImport._meta.db_table} SET progress_done = %s, progress_total = %s, "
                "heartbeat_at = %s WHERE id = %s",
                [done, total, timezone.now(), self.pending_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@task()
def run_import(pending_id: int) -> str:
    pending = PendingImport.objects.get(pk=pending_id)
    found = importers.find(pending.kind)
    user = get_user_model().objects.get(pk=pending.created_by_id)
    progress = _Progress(pending_id)
    try:
        if found is None:
            raise ValidationError(_("Loại tệp nhập này không chạy được trong nền."))
        importer, key = found
        # Checked again here: the person may have lost the right, or the target gone, meanwhile.
        target = importer.target(user, key)
        result = importer.apply(bytes(pending.payload), acting_user=user, target=target, progress=progress)
    except (ValidationError, FileProblem, Http404, PermissionDenied) as exc:
        if isinstance(exc, ValidationError):
            message = " ".join(exc.messages)
        elif isinstance(exc, Http404):
            message = _("Không còn nơi để nhập tệp này (đã bị xóa hoặc không còn trong phạm vi của bạn).")
        else:
            message = str(exc)
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=message[:5000])
        return "failed"
    except Exception:
        # The import's transaction rolled back: say so, keep the file for "Chạy lại", and let the
        # worker log the error and go on with its next task.
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=STALLED_MESSAGE)
        raise
    finally:
        progress.close()
    pending.mark_done(importer.summary(result))
    return "done"
