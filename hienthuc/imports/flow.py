"""The upload → preview → apply flow every spreadsheet import follows.

An import module supplies `plan(data, user=...)` (checks everything, writes nothing, returns
an object with `.ok`) and `apply(data, acting_user=...)` (re-checks and writes all-or-nothing).
Between the two the file waits in the database, so any app server can apply it.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import FileField, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hienthuc.imports import background
from hienthuc.imports.models import ImportStatus, PendingImport
from hienthuc.lib.sheets import FileProblem, check_size


class ImportForm(Form):
    file = FileField(label="Tệp Excel (.xlsx)")


def upload(
    request: HttpRequest, *, kind: str, plan: Callable, form_template: str, preview_template: str, context: dict
) -> HttpResponse:
    """Show the upload form; on a posted file, check it and show the preview (nothing written)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            # Refuse an oversized upload before reading it into memory.
            check_size(uploaded.size, settings.UPLOAD_MAX_BYTES)
            data = uploaded.read()
            result = plan(data, user=request.user)
        except FileProblem as exc:
            problem = str(exc)
        else:
            # Only a clean file is kept, to be applied after the preview.
            pending = None
            if result.ok:
                PendingImport.objects.stale().delete()  # each upload clears the forgotten ones
                pending = PendingImport.objects.create(
                    kind=kind,
                    created_by=request.user,
                    filename=uploaded.name[:255],
                    payload=data,
                    rows=getattr(result, "row_count", 0),
                )
            preview = {**context, "plan": result, "pending": pending, "filename": uploaded.name}
            return render(request, preview_template, preview)
    return render(request, form_template, {**context, "form": form, "problem": problem})


def previewed(request: HttpRequest, pk: int, kind: str) -> PendingImport | None:
    """The user's file waiting to be applied, if it still waits."""
    return (
        PendingImport.objects.visible_to(request.user).filter(pk=pk, kind=kind, status=ImportStatus.PREVIEWED).first()
    )


def gone(request: HttpRequest, upload_url: str) -> HttpResponse:
    """Back to the upload page: the preview was applied already, cleared after a day (see
    PendingImportQuerySet.stale) or is not the user's — the same answer for all three."""
    messages.warning(
        request, "Bản xem trước này không còn: tệp đã được nhập, hoặc quá một ngày chưa nhập. Hãy tải tệp lên lại."
    )
    return redirect(upload_url)


def apply(
    request: HttpRequest,
    pk: int,
    *,
    kind: str,
    plan: Callable,
    apply: Callable,
    preview_template: str,
    upload_url: str,
    context: dict | None = None,
):
    """Apply a previewed file. Returns the applied plan, or the response showing why it was not
    (the data changed since the preview: the fresh check, with nothing written; or the preview
    is gone: back to `upload_url`)."""
    pending = previewed(request, pk, kind)
    if pending is None:
        return gone(request, upload_url)
    if pending.rows > background.BACKGROUND_ROWS and background.kind_of(kind) is not None:
        background.queue(pending)
        return redirect("import_status", pk=pending.pk)
    data = bytes(pending.payload)
    try:
        result = apply(data, acting_user=request.user)
    except (ValidationError, FileProblem):
        fresh = plan(data, user=request.user)
        preview = {**(context or {}), "plan": fresh, "pending": pending, "filename": pending.filename, "stale": True}
        return render(request, preview_template, preview)
    pending.status = ImportStatus.DONE
    pending.payload = b""
    pending.save(update_fields=["status", "payload"])
    return result
