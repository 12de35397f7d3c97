"""Large imports run in the background worker, with their progress on a page of their own.

An app registers each kind of import it offers (`register`, from its AppConfig.ready): how to
apply a file of that kind in the worker and what to say when it is done. flow.apply sends a
previewed file with more than BACKGROUND_ROWS rows here instead of applying it in the request;
the worker applies it all or nothing (one transaction), and the page /imports/<id>/ polls it.

Progress: the worker reports each row through `progress(done, total)`. On PostgreSQL the report
is written through a second connection, so it commits while the import's own transaction is
still open and the page sees it move; SQLite has one writer at a time, so there the page shows
the phases (waiting, writing, done) and the heartbeat is the last phase change. A worker that
dies stops its heartbeat; PendingImport.objects.fail_stalled() then marks the import failed —
nothing was written — and it can be run again from the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from django_tasks import task

from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport
from hienthuc.lib.sheets import FileProblem

# Above this many rows the page would wait seconds (a task row costs ~5 ms with its tallies
# and audit on SQLite): the worker applies it instead.
BACKGROUND_ROWS = 200


@dataclass(frozen=True)
class BackgroundKind:
    # apply(data, acting_user=…, progress=…, key=…) -> the applied plan; `key` is what follows the
    # prefix in PendingImport.kind ("plan-tasks-12" -> "12").
    apply: Callable
    summary: Callable[[object], str]
    done_url: Callable[[str], str]


_KINDS: dict[str, BackgroundKind] = {}


def register(prefix: str, *, apply: Callable, summary: Callable[[object], str], done_url: Callable[[str], str]):
    _KINDS[prefix] = BackgroundKind(apply, summary, done_url)


def kind_of(kind: str) -> tuple[BackgroundKind, str] | None:
    for prefix, spec in _KINDS.items():
        if kind == prefix:
            return spec, ""
        if kind.startswith(prefix + "-"):
            return spec, kind[len(prefix) + 1 :]
    return None


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
    found = kind_of(pending.kind)
    if found is None:
        PendingImport.objects.filter(pk=pending_id).update(
            status=ImportStatus.FAILED, message="Loại tệp nhập này không chạy được trong nền."
        )
        return "failed"
    spec, key = found
    user = get_user_model().objects.get(pk=pending.created_by_id)
    progress = _Progress(pending_id)
    try:
        result = spec.apply(bytes(pending.payload), acting_user=user, progress=progress, key=key)
    except (ValidationError, FileProblem) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=message[:5000])
        return "failed"
    except Exception:
        # The import's transaction rolled back: say so, keep the file for "Chạy lại", and let the
        # worker log the error and go on with its next task.
        PendingImport.objects.filter(pk=pending_id).update(status=ImportStatus.FAILED, message=STALLED_MESSAGE)
        raise
    finally:
        progress.close()
    PendingImport.objects.filter(pk=pending_id).update(
        status=ImportStatus.DONE,
        payload=b"",
        message=spec.summary(result)[:5000],
        progress_done=pending.rows,
        progress_total=pending.rows,
    )
    return "done"
