"""The late units of a unit's subtree with what each owes — as a page, a workbook and an urging
letter — with the unit's urging settings; and the user's notices, counted in the menu."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.forms import submit
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.orgs.access import breadcrumbs, unit_asked
from hienthuc.plans.models import ExplanationRequest
from hienthuc.scope import EDIT_KINDS, can_edit, can_issue, subtree_q
from hienthuc.urging import dues, letter
from hienthuc.urging.actions import (
    DEFAULT,
    LIMITS,
    do_draft_urging_letter,
    do_mark_notices_read,
    do_set_urging,
    setting_for,
)
from hienthuc.urging.forms import UrgingSettingForm
from hienthuc.urging.models import Notice, UrgingSetting


def late_units(request: HttpRequest) -> HttpResponse:
    unit = unit_asked(request.user, request.GET)
    if unit is None:
        raise PermissionDenied(_("Bạn chưa có đơn vị nào."))
    today = timezone.localdate()
    items = dues.late(unit, today, request.user)
    export = request.GET.get("format")
    if export in ("xlsx", "docx"):
        data = letter.to_xlsx(unit, items, today) if export == "xlsx" else letter.to_docx(unit, items, today)
        name = "don vi cham" if export == "xlsx" else "cong van don doc"
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE if export == "xlsx" else DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{file_name(name, unit.name, extension=export)}"'
        return response
    settings = list(
        UrgingSetting.objects.select_related("unit").filter(unit__path__in=[*unit.ancestor_paths, unit.path])
    )
    current = setting_for(unit, settings)
    editable = can_edit(request.user, unit)
    form = UrgingSettingForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(current, name) for name in LIMITS},
    )
    if request.method == "POST" and "draft" in request.POST:
        try:
            document = do_draft_urging_letter(unit, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{request.path}?unit={unit.pk}")
        messages.success(request, _("Đã vào sổ dự thảo công văn đôn đốc; tệp Word đính kèm văn bản."))
        return redirect(document)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bạn chỉ có quyền xem."))
        if submit(request, form, lambda data: do_set_urging(unit, acting_user=request.user, **data),
                  _("Đã lưu cài đặt đôn đốc.")):  # fmt: skip
            return redirect(f"{request.path}?unit={unit.pk}")
    context = {
        "unit": unit,
        "crumbs": breadcrumbs(request.user, unit),
        "rows": letter.rows(items, today),
        "count": len({item.unit.pk for item in items}),
        "setting": current,
        "inherited": current is DEFAULT or current.unit_id != unit.pk,
        "form": form,
        "editable": editable,
        "can_draft": bool(items) and can_issue(request.user, unit),
    }
    return render(request, "urging/late_units.html", context, status=400 if form.errors else 200)


def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(user=request.user).select_related("unit")[:200]
    return render(request, "urging/notice_list.html", {"notices": notices})


@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("notice") if v.isdigit()] or None
    do_mark_notices_read(request.user, ids)
    messages.success(request, _("Đã đánh dấu đã đọc."))
    return redirect("notice_list")


def notice_count(request: HttpRequest) -> HttpResponse:
    """The menu's badge: unread notices and explanations the user's units have yet to give."""
    unread = Notice.objects.filter(user=request.user).unread().count()
    waiting = 0
    if not request.user.is_superuser:
        waiting = ExplanationRequest.objects.filter(
            subtree_q(request.user, "unit__path", EDIT_KINDS), answered_at__isnull=True
        ).count()
    return render(request, "urging/notice_count.html", {"unread": unread, "waiting": waiting})
