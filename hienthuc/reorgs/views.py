"""Pages of reorganizations: the list, a decision's page (its changes, what carries forward, the
preview of what applying would do), and the buttons that apply and undo it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.documents.access import resolve_target
from hienthuc.forms import add_action_errors, split_entries, submit
from hienthuc.lib.text import clean, fold
from hienthuc.orgs.models import Organization, OrgKind, Succession
from hienthuc.orgs.succession import registered
from hienthuc.reorgs import actions, background
from hienthuc.reorgs.access import access_operation, access_reorganization
from hienthuc.reorgs.forms import ChoicesForm, OperationForm, ReorganizationForm
from hienthuc.reorgs.models import Reorganization, ReorgStatus
from hienthuc.scope import admins_anywhere, can_admin

PER_PAGE = 50


def reorg_list(request: HttpRequest) -> HttpResponse:
    reorgs = Reorganization.objects.visible_to(request.user).select_related("unit", "decision__kind")
    page = Paginator(reorgs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reorgs/list.html", {"page": page, "can_create": admins_anywhere(request.user)})


def reorg_create(request: HttpRequest) -> HttpResponse:
    if not admins_anywhere(request.user):
        raise PermissionDenied(_("Chỉ quản trị đơn vị mới lập quyết định sắp xếp đơn vị."))
    form = ReorganizationForm(request.POST or None, user=request.user)

    def create(data):
        decision = resolve_target(request.user, data["decision"]) if data["decision"] else None
        return actions.do_create_reorganization(
            unit=data["unit"],
            title=data["title"],
            effective_on=data["effective_on"],
            decision=decision,
            acting_user=request.user,
        )

    reorg = submit(request, form, create, _("Đã lập dự thảo quyết định sắp xếp; hãy thêm các thay đổi."))
    if reorg:
        return redirect(reorg)
    return render(request, "reorgs/form.html", {"form": form})


def reorg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision's page; while the worker applies or undoes it, it polls its progress line
    (htmx) and reloads itself once the run is over."""
    reorg = access_reorganization(request.user, pk)
    if reorg.is_running and Reorganization.objects.filter(pk=reorg.pk).fail_stalled():
        reorg = access_reorganization(request.user, pk)
    if request.htmx:
        if reorg.is_running:
            return render(request, "reorgs/detail.html#progress", {"reorg": reorg})
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "reorgs/detail.html", _detail(request, reorg, OperationForm(user=request.user)))


def _detail(request: HttpRequest, reorg: Reorganization, operation_form: OperationForm) -> dict:
    may_change = can_admin(request.user, reorg.unit)
    operations = reorg.operations.select_related("target", "new_kind", "new_parent").prefetch_related(
        "units__unit", "parts__kind", "parts__children"
    )
    choices = ChoicesForm(
        initial={
            "move_roles": reorg.move_roles,
            "reports_confirmed": reorg.reports_confirmed,
            **{f"carry_{c.key}": reorg.carries(c.key) for c in registered()},
        }
    )
    context = {
        "reorg": reorg,
        "operations": operations,
        "may_change": may_change and reorg.status == ReorgStatus.DRAFT,
        "may_undo": may_change and reorg.status == ReorgStatus.APPLIED and timezone.localdate() < reorg.effective_on,
        "operation_form": operation_form,
        "choices": choices,
        "successions": Succession.objects.filter(reorganization_id=reorg.pk).select_related("predecessor", "successor")[
            : actions.PREVIEW_LINES
        ],
    }
    # A change may name a unit that itself ceases in the decision (a district dissolved into a
    # province that merges): the page says where it really goes.
    if reorg.status == ReorgStatus.DRAFT:
        context["preview"] = actions.preview(reorg, request.user)
        onward = {unit.pk: "; ".join(successors) for unit, successors in context["preview"].ceasing}
    else:
        named = {pk for op in context["operations"] for pk in (op.target_id, op.new_parent_id) if pk}
        links = Succession.objects.filter(reorganization_id=reorg.pk, predecessor_id__in=named)
        found: dict[int, list[str]] = {}
        for link in links.select_related("successor"):
            found.setdefault(link.predecessor_id, []).append(link.successor.name)
        onward = {pk: "; ".join(names) for pk, names in found.items()}
    operations = list(context["operations"])
    for op in operations:
        op.target_onward, op.parent_onward = onward.get(op.target_id), onward.get(op.new_parent_id)
    context["operations"] = operations
    return context


@require_POST
def operation_add(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access_reorganization(request.user, pk, write=True)
    form = OperationForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            parts = _parts(data["parts"], data["units"][0] if data["units"] else None)
            actions.do_add_operation(
                reorg,
                kind=data["kind"],
                units=data["units"],
                target=data["target"],
                new_code=data["new_code"],
                new_name=data["new_name"],
                new_kind=data["new_kind"],
                new_parent=data["new_parent"],
                parts=parts,
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm thay đổi."))
            return redirect(reorg)
    return render(request, "reorgs/detail.html", _detail(request, reorg, form))


def _parts(text: str, split_unit: Organization | None) -> list[dict]:
    """Lines "code | name | kind code | child codes" of a split, resolved."""
    parts = []
    kinds = {}
    for kind in OrgKind.objects.all():
        kinds[fold(kind.code)] = kind
        kinds[fold(kind.name)] = kind
    children = {}
    if split_unit is not None:
        children = {fold(c.code): c for c in Organization.objects.children_of(split_unit).current()}
    for number, line in enumerate(filter(None, (clean(x) for x in (text or "").splitlines())), start=1):
        cells = [clean(c) for c in line.split("|")]
        if len(cells) < 3 or not all(cells[:3]):
            raise ValidationError({"parts": _("Dòng %(n)s: cần ghi mã | tên | loại đơn vị.") % {"n": number}})
        kind = kinds.get(fold(cells[2]))
        if kind is None:
            raise ValidationError(
                {"parts": _("Dòng %(n)s: không có loại đơn vị “%(kind)s”.") % {"n": number, "kind": cells[2]}}
            )
        picked = []
        for code in split_entries(cells[3] if len(cells) > 3 else ""):
            child = children.get(fold(code))
            if child is None:
                raise ValidationError(
                    {
                        "parts": _("Dòng %(n)s: “%(code)s” không phải đơn vị trực thuộc đơn vị chia tách.")
                        % {"n": number, "code": code}
                    }  # fmt: skip
                )
            picked.append(child)
        parts.append({"code": cells[0], "name": cells[1], "kind": kind, "children": picked, "takes_work": number == 1})
    return parts


def _flash(request: HttpRequest, action, success: str, refused: str = "%(why)s") -> None:
    """Run a button's action: its success, or why it was refused (nothing written)."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, refused % {"why": " ".join(exc.messages)})
    else:
        messages.success(request, success)


@require_POST
def operation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    operation = access_operation(request.user, pk, write=True)
    remove = lambda: actions.do_remove_operation(operation, acting_user=request.user)  # noqa: E731
    _flash(request, remove, _("Đã bỏ thay đổi."))
    return redirect(operation.reorganization)


@require_POST
def reorg_choices(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access_reorganization(request.user, pk, write=True)
    form = ChoicesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_carry_choices(
                reorg,
                carry={c.key: data[f"carry_{c.key}"] for c in registered()},
                move_roles=data["move_roles"],
                reports_confirmed=data["reports_confirmed"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu lựa chọn."))
    return redirect(reorg)


@require_POST
def reorg_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _hand_over(
        request,
        access_reorganization(request.user, pk, write=True),
        undo=False,
        done=_("Đã áp dụng quyết định sắp xếp."),
        refused=_("Chưa áp dụng, không có dữ liệu nào được ghi: %(why)s"),
    )


@require_POST
def reorg_undo(request: HttpRequest, pk: int) -> HttpResponse:
    return _hand_over(
        request,
        access_reorganization(request.user, pk, write=True),
        undo=True,
        done=_("Đã hủy áp dụng; quyết định trở lại dự thảo."),
        refused=_("Chưa hủy áp dụng, không có dữ liệu nào thay đổi: %(why)s"),
    )


def _hand_over(request: HttpRequest, reorg: Reorganization, *, undo: bool, done: str, refused: str) -> HttpResponse:
    """Give the apply or the undo to the worker and say where it stands: over already (a small
    decision, a quick worker), refused, or running — the page then follows it."""
    try:
        reorg = background.queue(reorg, undo=undo, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, refused % {"why": " ".join(exc.messages)})
    else:
        if reorg.is_running:
            messages.info(request, _("Đã chuyển sang xử lý trong nền; trang tự cập nhật khi xong."))
        elif not reorg.message:  # else the page says why, as it does for a run that failed later
            messages.success(request, done)
    return redirect(reorg)
