"""The pages of every file import: upload, preview, apply, and the progress of a background run.

One pair of views serves every kind; what differs between kinds is declared by the app that owns
it (an Importer, imports/importers.py). The flow: upload → check (nothing written) → preview →
apply (all or nothing, here or in the worker). Between preview and apply the file waits in the
database (PendingImport), so any app server can apply it.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.imports import background, importers
from hienthuc.imports.access import access_import
from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected
from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport
from hienthuc.lib.sheets import FileProblem, check_size


class ImportForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args, importer: Importer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = importer.file_label
        self.fields["file"].widget.attrs["accept"] = importer.accept


def _key(pk: int | None) -> str:
    return "" if pk is None else str(pk)


def _upload_url(importer: Importer, key: str) -> str:
    return reverse(importer.url_name, args=[int(key)] if key else [])


def _prepare(request: HttpRequest, kind: str, key: str) -> tuple[Importer, object]:
    importer = importers.get(kind)
    if not importer.allowed(request.user):
        raise PermissionDenied(importer.denied)
    return importer, importer.target(request.user, key)


def _preview(request: HttpRequest, importer: Importer, key: str, target, result, **extra) -> HttpResponse:
    errors, error_count = importer.errors_of(result) if result is not None else ([], 0)
    context = {
        "importer": importer,
        "target": target,
        "result": result,
        "preview": importer.describe(result) if result is not None and result.ok else None,
        "errors": errors,
        "error_count": error_count,
        "preview_rows": PREVIEW_ROWS,
        "upload_url": _upload_url(importer, key),
        "done_url": importer.done_url(target),
        **extra,
    }
    pending = extra.get("pending")
    if pending is not None:
        args = [int(key), pending.pk] if key else [pending.pk]
        context["apply_url"] = reverse(f"{importer.url_name}_apply", args=args)
    return render(request, "imports/preview.html", context)


def import_upload(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """The upload form; on a posted file, the check and its preview (nothing written)."""
    key = _key(pk)
    importer, target = _prepare(request, kind, key)
    form = ImportForm(request.POST or None, request.FILES or None, importer=importer)
    problem = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            # Refuse an oversized upload before reading it into memory.
            check_size(uploaded.size, settings.UPLOAD_MAX_BYTES)
            data = uploaded.read()
            result = importer.check(data, user=request.user, target=target)
        except FileProblem as exc:
            problem = str(exc)
        else:
            pending = None
            if result.ok:  # only a clean file is kept, to be applied after the preview
                pending = PendingImport.objects.previewed(
                    kind=importer.pending_kind(key), user=request.user, filename=uploaded.name, data=data,
                    rows=result.row_count,
                )  # fmt: skip
            return _preview(request, importer, key, target, result, pending=pending, filename=uploaded.name)
    context = {
        "importer": importer,
        "target": target,
        "form": form,
        "problem": problem,
        "done_url": importer.done_url(target),
        **importer.context(request.user, target),
    }
    return render(request, "imports/upload.html", context)


@require_POST
def import_apply(request: HttpRequest, kind: str, pending: int, pk: int | None = None) -> HttpResponse:
    """Apply a previewed file: a small one here and now, a large one in the background worker.
    If the data changed since the preview, the fresh check is shown and nothing is written."""
    key = _key(pk)
    importer, target = _prepare(request, kind, key)
    item = (
        PendingImport.objects.visible_to(request.user)
        .filter(pk=pending, kind=importer.pending_kind(key), status=ImportStatus.PREVIEWED)
        .first()
    )
    if item is None:
        # Applied already, cleared after a day (PendingImportQuerySet.stale) or not the user's:
        # the same answer for all three.
        messages.warning(
            request,
            _("Bản xem trước này không còn: tệp đã được nhập, hoặc quá một ngày chưa nhập. Hãy tải tệp lên lại."),
        )
        return redirect(_upload_url(importer, key))
    # The preview counted the rows (PendingImport.rows): the file is not read again to decide.
    if item.rows > importer.background_rows:
        background.queue(item)
        return redirect("import_status", pk=item.pk)
    try:
        result = importer.apply(bytes(item.payload), acting_user=request.user, target=target, progress=None)
    except ImportRejected as exc:
        return _preview(request, importer, key, target, exc.checked, pending=item, filename=item.filename, stale=True)
    except (ValidationError, FileProblem) as exc:
        problem = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return _preview(request, importer, key, target, None, filename=item.filename, problem=problem)
    item.mark_done(importer.summary(result))
    messages.success(request, importer.summary(result))
    return redirect(importer.done_url(target))


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import's page; it polls itself (htmx) while the import runs."""
    item = access_import(request.user, pk)
    if item.is_stalled:
        # Written once, when the page first finds the worker gone — not on every poll.
        PendingImport.objects.filter(pk=item.pk).fail_stalled()
        item.refresh_from_db()
    context = {
        "item": item,
        "done_url": background.done_url(item, request.user),
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
