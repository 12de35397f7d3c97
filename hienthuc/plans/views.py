from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hienthuc.accounts.scoping import can_edit, covers, root_paths, subtree_q
from hienthuc.documents.views import resolve_target
from hienthuc.forms import add_action_errors, submit
from hienthuc.imports import flow
from hienthuc.lib import deadlines
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.orgs.models import Organization
from hienthuc.orgs.views import access_organization, breadcrumbs, children_of
from hienthuc.plans import actions, importing
from hienthuc.plans.forms import IssueForm, PlanForm, ProgressForm, RequireForm, TaskFilter, TaskForm
from hienthuc.plans.models import ExplanationRequest, Plan, Reminder, ReminderMute, Task
from hienthuc.plans.wordexport import export_plan


def access_plan(user, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("unit", "document", "source_document"), pk=pk)


def access_task(user, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user).with_status().select_related("plan__unit", "plan__document", "lead_unit"), pk=pk
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("unit", "document", "source_document")
    page = Paginator(plans.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_list.html", {"page": page})


def plan_create(request: HttpRequest) -> HttpResponse:
    initial = {"unit": request.GET.get("unit", ""), "parent": request.GET.get("parent")}
    parent = None
    if (request.POST or request.GET).get("parent", "").isdigit():
        parent = access_plan(request.user, int((request.POST or request.GET)["parent"]))
        initial.update(
            kind="implementation_plan", title=f"Kế hoạch thực hiện {parent.title[:1].lower()}{parent.title[1:]}"
        )
        # Prefill the user's own unit among those required to implement the parent plan.
        mine = [r.unit for r in parent.requirements.select_related("unit") if can_edit(request.user, r.unit)]
        if mine and not initial["unit"]:
            initial["unit"] = mine[0].code
    form = PlanForm(request.POST or None, initial=initial, user=request.user)

    def create(data):
        source = resolve_target(request.user, data["source"]) if data["source"] else None
        return actions.do_create_plan(
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            source_document=source or (parent.source_document if parent else None),
            parent_plan=parent,
            acting_user=request.user,
        )

    plan = submit(request, form, create, lambda plan: f"Đã lập dự thảo “{plan.title}”.")
    if plan:
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "parent": parent})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    editable = can_edit(request.user, plan.unit)
    tasks = list(
        Task.objects.visible_to(request.user)
        .with_status()
        .filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("order", "id")
    )
    sections: list[tuple[str, list[Task]]] = []
    for task in tasks:
        if not sections or sections[-1][0] != task.section:
            sections.append((task.section, []))
        sections[-1][1].append(task)
    counts = {code: 0 for code in deadlines.STATUS_LABELS}
    for task in tasks:
        counts[task.status_code] += 1
    task_form = TaskForm(user=request.user, prefix="task")
    issue_form = IssueForm(prefix="issue")
    require_form = RequireForm(prefix="req")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Bạn chỉ có quyền xem kế hoạch này.")
        if "req-mode" in request.POST:
            require_form = RequireForm(request.POST, prefix="req")
            added = submit(
                request,
                require_form,
                lambda data: actions.do_require_plans(
                    plan, units=required_units(plan, data), due_on=data["due_on"], acting_user=request.user
                ),
                lambda n: f"Đã giao {n} đơn vị ban hành kế hoạch thực hiện." if n else "Các đơn vị này đã được giao.",
            )
            if added is not None:  # 0 is a result too: every unit named was already required
                return redirect("plan_detail", pk=plan.pk)
        elif "task-content" in request.POST:
            task_form = TaskForm(request.POST, user=request.user, prefix="task")
            if submit(
                request,
                task_form,
                lambda data: actions.do_add_task(plan, acting_user=request.user, **data),
                "Đã thêm nhiệm vụ.",
            ):
                return redirect("plan_detail", pk=plan.pk)
        else:
            issue_form = IssueForm(request.POST, prefix="issue")
            if submit(
                request,
                issue_form,
                lambda data: actions.do_issue_plan(plan, acting_user=request.user, **data),
                "Đã ban hành kế hoạch.",
            ):
                return redirect("plan_detail", pk=plan.pk)
    context = {
        "plan": plan,
        "crumb_current": plan.title,
        "sections": sections,
        "counts": [(deadlines.STATUS_LABELS[code], code, n) for code, n in counts.items()],
        "can_edit": editable,
        "task_form": task_form,
        "issue_form": issue_form,
        "require_form": require_form,
        "coverage": coverage_rows(plan, timezone.localdate()) if plan.is_issued else [],
        "coverage_labels": COVERAGE_LABELS,
        # A unit of the user's must issue its own plan for this one.
        "required_here": plan.is_issued
        and any(can_edit(request.user, r.unit) for r in plan.requirements.select_related("unit")),
    }
    return render(request, "plans/plan_detail.html", context)


def required_units(plan: Plan, data: dict) -> list[Organization]:
    """The units a cascade form names: the direct children, a kind below, or codes."""
    below = Organization.objects.subtree_of(plan.unit).filter(depth__gt=plan.unit.depth, is_active=True)
    if data["mode"] == "children":
        return list(below.filter(depth=plan.unit.depth + 1, kind__is_body=False))
    if data["mode"] == "kind":
        if data["kind"] is None:
            raise ValidationError({"kind": "Hãy chọn loại đơn vị."})
        return list(below.filter(kind=data["kind"]))
    codes = [c.strip() for c in (data["codes"] or "").replace(";", ",").split(",") if c.strip()]
    units = list(below.filter(code__in=codes))
    missing = sorted(set(codes) - {u.code for u in units})
    if not codes or missing:
        raise ValidationError({"codes": f"Không có đơn vị trực thuộc mã: {', '.join(missing) or '(trống)'}."})
    return units


def task_context(request: HttpRequest, task: Task, form: ProgressForm) -> dict:
    """What the task page shows; also rendered again, with the errors, after a refused report."""
    can_report = task.plan.is_issued and (
        can_edit(request.user, task.lead_unit) or can_edit(request.user, task.plan.unit)
    )
    # A leader of a unit above the lead body may ask it to explain an overdue task.
    can_ask = task.current_status() == deadlines.OPEN_OVERDUE and any(
        covers(request.user, path) for path in task.lead_unit.ancestor_paths
    )
    return {
        "task": task,
        "can_ask": can_ask,
        "explanations": task.explanations.select_related("requested_by", "answered_by"),
        "crumb_current": str(task),
        "updates": task.updates.select_related("created_by", "evidence_document"),
        "cooperating": task.cooperating_units.all(),
        "can_report": can_report and task.completed_on is None,
        "form": form,
    }


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    form = ProgressForm(initial={"version": task.version, "percent": task.progress})
    return render(request, "plans/task_detail.html", task_context(request, task, form))


@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_progress(
                task,
                percent=data["percent"],
                version=data["version"],
                text=data["text"],
                evidence_link=data["evidence_link"],
                complete=data["complete"],
                completed_on=data["completed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Đã ghi báo cáo tiến độ.")
            return redirect("task_detail", pk=task.pk)
    return render(request, "plans/task_detail.html", task_context(request, task, form), status=400)


def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilter(request.GET or None)
    tasks = Task.objects.visible_to(request.user).with_status().select_related("plan__document", "lead_unit")
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["scope"]:
            units = Organization.objects.filter(path__in=root_paths(request.user))
            if data["scope"] == "unit":
                tasks = tasks.filter(lead_unit__in=units)
            else:
                tasks = tasks.filter(subtree_q(request.user, "lead_unit__path"))
        if data["state"] == "overdue":
            tasks = tasks.overdue(today)
        elif data["state"] == "month":
            tasks = tasks.due_in_month(today)
        if data["plan"]:
            tasks = tasks.filter(plan_id=data["plan"])
        if data["lead"]:
            tasks = tasks.filter(lead_unit__code__iexact=data["lead"])
    tasks = tasks.order_by("deadline_last_day", "id")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "plans/task_list.html", {"form": form, "page": page, "query": query.urlencode()})


def plan_tasks_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    if not can_edit(request.user, plan.unit):
        raise PermissionDenied("Bạn chỉ có quyền xem kế hoạch này.")
    return flow.upload(
        request,
        kind=f"plan-tasks-{plan.pk}",
        plan=partial(importing.plan_task_import, plan=plan),
        form_template="plans/import.html",
        preview_template="plans/import_preview.html",
        context={"target": plan, "headers": importing.HEADERS},
    )


@require_POST
def plan_tasks_import_apply(request: HttpRequest, pk: int, pending: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    if not can_edit(request.user, plan.unit):
        raise PermissionDenied("Bạn chỉ có quyền xem kế hoạch này.")
    result = flow.apply(
        request,
        pending,
        kind=f"plan-tasks-{plan.pk}",
        plan=partial(importing.plan_task_import, plan=plan),
        apply=partial(importing.do_import_tasks, plan=plan),
        preview_template="plans/import_preview.html",
        context={"target": plan},
    )
    if isinstance(result, HttpResponse):
        return result
    messages.success(request, f"Đã nhập {len(result.tasks)} nhiệm vụ.")
    return redirect("plan_detail", pk=plan.pk)


def plan_tasks_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    response = HttpResponse(importing.export_tasks(plan), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-ke-hoach-{plan.pk}.xlsx"'
    return response


def coverage_rows(plan: Plan, today) -> list[dict]:
    """For each unit required to issue its own plan: issued on time, late, overdue or not yet due."""
    issued = {p.unit_id: p for p in Plan.objects.filter(parent_plan=plan, status="issued").select_related("document")}
    rows = []
    for requirement in plan.requirements.select_related("unit").order_by("unit__search_text"):
        child = issued.get(requirement.unit_id)
        if child is not None:
            state = "on_time" if child.document.issued_on and child.document.issued_on <= requirement.due_on else "late"
        else:
            state = "overdue" if today > requirement.due_on else "pending"
        rows.append({"unit": requirement.unit, "due_on": requirement.due_on, "plan": child, "state": state})
    return rows


COVERAGE_LABELS = {
    "on_time": "Đã ban hành đúng hạn",
    "late": "Đã ban hành muộn",
    "overdue": "Quá hạn, chưa ban hành",
    "pending": "Chưa đến hạn",
}


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's dashboard: tasks led in its subtree by status, per child unit ranked by
    completion, the overdue list and the coverage of its plans' cascades — all live."""
    org = access_organization(request.user, pk)
    today = timezone.localdate()
    tasks = Task.objects.visible_to(request.user).led_in_subtree(org)
    totals = tasks.status_counts(today)
    rollup = tasks.rollup_by_child(org, today)
    children = []
    for child in children_of(org):
        counts = rollup.get(child["path"], dict.fromkeys(deadlines.STATUS_LABELS, 0))
        due = counts[deadlines.DONE_ON_TIME] + counts[deadlines.DONE_LATE] + counts[deadlines.OPEN_OVERDUE]
        done = counts[deadlines.DONE_ON_TIME] + counts[deadlines.DONE_LATE]
        share = round(100 * done / due) if due else None
        children.append({"unit": child, "counts": counts, "total": sum(counts.values()), "share": share})
    children.sort(key=lambda c: (c["share"] is None, -(c["share"] or 0), c["unit"]["name"]))
    overdue = tasks.overdue(today).select_related("lead_unit", "plan").order_by("deadline_last_day")[:20]
    plans = Plan.objects.filter(unit=org, status="issued").order_by("-issued_at")[:5]
    coverage = []
    for plan in plans:
        rows = coverage_rows(plan, today)
        if rows:
            summary = {label: sum(1 for r in rows if r["state"] == key) for key, label in COVERAGE_LABELS.items()}
            coverage.append({"plan": plan, "rows": rows, "summary": summary})
    chart = {
        "labels": [c["unit"]["name"] for c in children if c["total"]],
        "series": [
            {"label": str(label), "code": code, "data": [c["counts"][code] for c in children if c["total"]]}
            for code, label in deadlines.STATUS_LABELS.items()
        ],
    }
    context = {
        "org": org,
        "chart": chart,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "totals": [(deadlines.STATUS_LABELS[code], code, n) for code, n in totals.items()],
        "total": sum(totals.values()),
        "children": children,
        "labels": deadlines.STATUS_LABELS,
        "overdue": overdue,
        "coverage": coverage,
        "coverage_labels": COVERAGE_LABELS,
    }
    return render(request, "plans/dashboard.html", context)


def plan_word_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    response = HttpResponse(
        export_plan(plan), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{plan.pk}.docx"'
    return response


def explanation_list(request: HttpRequest) -> HttpResponse:
    items = (
        ExplanationRequest.objects.visible_to(request.user)
        .select_related("task", "unit", "requested_by", "answered_by")
        .order_by("answered_at", "-requested_at")
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    rows = [(item, can_edit(request.user, item.unit) and not item.answer) for item in page]
    return render(request, "plans/explanations.html", {"page": page, "rows": rows})


@require_POST
def explanation_request(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    try:
        actions.do_request_explanation(
            unit=task.lead_unit, task=task, question=request.POST.get("question", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã yêu cầu {task.lead_unit.name} giải trình.")
    return redirect("task_detail", pk=task.pk)


@require_POST
def explanation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ExplanationRequest.objects.visible_to(request.user), pk=pk)
    try:
        actions.do_answer_explanation(item, answer=request.POST.get("answer", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã gửi giải trình.")
    return redirect("explanation_list")


def reminder_list(request: HttpRequest) -> HttpResponse:
    reminders = Reminder.objects.filter(user=request.user).select_related("task__lead_unit")
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    mutes = set(ReminderMute.objects.filter(user=request.user).values_list("task_id", flat=True))
    context = {"page": page, "muted_all": None in mutes, "muted_tasks": mutes}
    Reminder.objects.filter(user=request.user, read_at__isnull=True, pk__in=[r.pk for r in page]).update(
        read_at=timezone.now()
    )
    return render(request, "plans/reminders.html", context)


@require_POST
def reminder_mute(request: HttpRequest) -> HttpResponse:
    """Mute or unmute reminders: of one task (task=<id>) or of all."""
    task = None
    if request.POST.get("task", "").isdigit():
        task = access_task(request.user, int(request.POST["task"]))
    mute, created = ReminderMute.objects.get_or_create(user=request.user, task=task)
    if not created:
        mute.delete()
    messages.success(request, "Đã tắt nhắc việc." if created else "Đã bật lại nhắc việc.")
    return redirect("reminder_list")
