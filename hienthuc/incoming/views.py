from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.documents.access import resolve_target
from hienthuc.forms import submit
from hienthuc.incoming import actions, exports
from hienthuc.incoming.access import access_incoming
from hienthuc.incoming.forms import AnswerForm, DirectionForm, IncomingFilter, IncomingForm
from hienthuc.incoming.models import IncomingDocument, IncomingStatus
from hienthuc.incoming.panel import incoming_panel
from hienthuc.lib import docnumbers
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.orgs.access import access_organization, breadcrumbs
from hienthuc.scope import can_issue, require_edits_somewhere

PER_PAGE = 50


def filtered(request: HttpRequest):
    form = IncomingFilter(request.GET or None)
    rows = IncomingDocument.objects.visible_to(request.user).select_related(
        "unit", "assigned_unit", "task", "document__kind", "document__issuing_unit"
    )
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == "overdue":
            rows = rows.overdue(today)
        elif data["status"]:
            rows = rows.filter(status=data["status"])
        if data["year"]:
            rows = rows.filter(year=data["year"])
        if data["q"]:
            text = data["q"].strip()
            try:
                rows = rows.filter(number_normalized=docnumbers.parse(text).normalized)
            except docnumbers.NumberError:
                rows = rows.filter(Q(summary__icontains=text) | Q(sender__icontains=text))
    return form, rows.order_by("-year", "-receipt_number", "unit__path")


def incoming_list(request: HttpRequest) -> HttpResponse:
    """The register of incoming documents (sổ văn bản đến) of the user's units."""
    form, rows = filtered(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    context = {"form": form, "page": page, "query": query.urlencode(), "today": today}
    if request.htmx:
        return render(request, "incoming/list.html#results", context)
    # What waits for a direction today or since before: the urgent ones the day they came.
    context["due"] = (
        IncomingDocument.objects.visible_to(request.user).unprocessed().filter(processing_due__lte=today).count()
    )
    return render(request, "incoming/list.html", context)


def incoming_export(request: HttpRequest) -> HttpResponse:
    _form, rows = filtered(request)
    response = HttpResponse(exports.register_xlsx(rows[:20_000], request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="so-van-ban-den.xlsx"'
    return response


def incoming_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới vào sổ văn bản đến."))
    form = IncomingForm(request.POST or None, initial={"unit": request.GET.get("unit", "")}, user=request.user)
    incoming = submit(
        request,
        form,
        lambda data: actions.do_receive_document(data.pop("unit"), acting_user=request.user, **data),
        lambda incoming: _("Đã vào sổ văn bản đến số %(number)s.") % {"number": incoming.receipt_number},
    )
    if incoming:
        return redirect("incoming_detail", pk=incoming.pk)
    return render(request, "incoming/form.html", {"form": form})


def _detail(request: HttpRequest, incoming: IncomingDocument, direction_form=None, status: int = 200) -> HttpResponse:
    editable = can_issue(request.user, incoming.unit)
    answering = editable or (incoming.assigned_unit is not None and can_issue(request.user, incoming.assigned_unit))
    context = {
        "incoming": incoming,
        "answers": incoming.answers.select_related("kind", "issuing_unit"),
        "editable": editable,
        "answering": answering and incoming.status != IncomingStatus.FILED,
        "direction_form": direction_form or (DirectionForm(user=request.user) if editable else None),
        "answer_form": AnswerForm(),
        "today": timezone.localdate(),
    }
    return render(request, "incoming/detail.html", context, status=status)


def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_incoming(request.user, pk))


@require_POST
def incoming_direct(request: HttpRequest, pk: int) -> HttpResponse:
    incoming = access_incoming(request.user, pk)
    form = DirectionForm(request.POST, user=request.user)
    done = submit(
        request,
        form,
        lambda data: actions.do_direct_incoming(incoming, acting_user=request.user, **data),
        _("Đã ghi ý kiến chỉ đạo."),
    )
    if done:
        return redirect("incoming_detail", pk=incoming.pk)
    return _detail(request, incoming, direction_form=form, status=400)


@require_POST
def incoming_answer(request: HttpRequest, pk: int) -> HttpResponse:
    incoming = access_incoming(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn văn bản trả lời."))
        return redirect("incoming_detail", pk=incoming.pk)
    try:
        document = resolve_target(request.user, form.cleaned_data["document"])
        actions.do_answer_incoming(incoming, document, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi văn bản trả lời %(document)s.") % {"document": document})
    return redirect("incoming_detail", pk=incoming.pk)


def unit_incoming_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's incoming-documents panel (htmx), or a page of its own."""
    org = access_organization(request.user, pk)
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        **incoming_panel(org, request.user, timezone.localdate()),
    }
    template = "incoming/panel.html#panel" if request.htmx else "incoming/panel.html"
    return render(request, template, context)
