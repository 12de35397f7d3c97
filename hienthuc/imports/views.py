"""The page of an import running in the background: its progress, then its outcome."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hienthuc.imports import background
from hienthuc.imports.access import access_import
from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The page polls itself (htmx) while the import runs."""
    item = access_import(request.user, pk)
    if item.is_stalled:
        # Written once, when the page first finds the worker gone — not on every poll.
        PendingImport.objects.filter(pk=item.pk).fail_stalled()
        item.refresh_from_db()
    found = background.kind_of(item.kind)
    context = {
        "item": item,
        "done_url": found[0].done_url(found[1]) if found else "/",
        "retry": item.status == ImportStatus.FAILED and item.message == STALLED_MESSAGE and bool(item.payload),
    }
    template = "imports/status.html#progress" if request.htmx else "imports/status.html"
    return render(request, template, context)


@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run again an import whose worker died (its file was kept; nothing had been written)."""
    item = access_import(request.user, pk)
    if item.status == ImportStatus.FAILED and item.payload:
        background.queue(item)
    return redirect("import_status", pk=item.pk)
