from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.documents.access import resolve_target
from hienthuc.documents.models import Document
from hienthuc.forms import add_action_errors, submit
from hienthuc.lib import deadlines
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.routes import url_template
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.orgs.access import access_organization, breadcrumbs, children_of, past_day, tree_day
from hienthuc.orgs.models import FormerName, Organization
from hienthuc.people.access import readable_people
from hienthuc.plans import actions, importing, tallies
from hienthuc.plans.access import access_explanation, access_plan, access_task
from hienthuc.plans.coverage import coverage_documents, coverage_rows, requirement_rows
from hienthuc.plans.forms import BulkTaskForm, IssueForm, PlanForm, ProgressForm, RequireForm, TaskFilter, TaskForm
from hienthuc.plans.models import ExplanationRequest, Plan, PlanRequirement, PlanStatus, Reminder, ReminderMute, Task
from hienthuc.plans.panel import task_panel_context
from hienthuc.plans.wordexport import export_plan
from hienthuc.scope import can_issue, covers, require_edits_somewhere, root_paths, subtree_q


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related(
        "unit", "document", "source_document__kind", "source_document__issuing_unit"
    )
    page = Paginator(plans.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_list.html", {"page": page})


def plan_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới lập kế hoạch."))
    initial = {"unit": request.GET.get("unit", ""), "parent": request.GET.get("parent")}
    parent = None
    if (request.POST or request.GET).get("parent", "").isdigit():
        parent = access_plan(request.user, int((request.POST or request.GET)["parent"]))
        initial.update(
            kind="implementation_plan",
            title=_("Kế hoạch thực hiện %(kind)s%(title)s")
            % {"kind": parent.title[:1].lower(), "title": parent.title[1:]},
        )
        # Prefill the user's own unit among those required to implement the parent plan.
        mine = [r.unit for r in parent.requirements.select_related("unit") if can_issue(request.user, r.unit)]
        if mine and not initial["unit"]:
            initial["unit"] = mine[0].code
    form = PlanForm(request.POST or None, initial=initial, user=request.user)

    def create(data):
        source = resolve_target(request.user, data["source"]) if data["source"] else None
        return actions.do_create_plan(
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            source_document=source,
            parent_plan=parent,
            acting_user=request.user,
        )

    plan = submit(request, form, create, lambda plan: _("Đã lập dự thảo “%(title)s”.") % {"title": plan.title})
    if plan:
        return redirect("plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "parent": parent})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    editable = can_issue(request.user, plan.unit)
    visible = Task.objects.visible_to(request.user).filter(plan=plan)
    # Pages of 100 rows: a plan imported with thousands of tasks stays a page, not megabytes.
    page = Paginator(
        visible.with_status().select_related("lead_unit").prefetch_related("cooperating_units").order_by("order", "id"),
        100,
    ).get_page(request.GET.get("page"))
    sections: list[tuple[str, list[Task]]] = []
    for task in page:
        if not sections or sections[-1][0] != task.section:
            sections.append((task.section, []))
        sections[-1][1].append(task)
    counts = visible.status_counts()
    task_form = TaskForm(user=request.user, prefix="task", plan=plan)
    issue_form = IssueForm(prefix="issue")
    require_form = RequireForm(prefix="req")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bạn chỉ có quyền xem kế hoạch này."))
        if "req-mode" in request.POST:
            require_form = RequireForm(request.POST, prefix="req")
            added = submit(
                request,
                require_form,
                lambda data: actions.do_require_plans(
                    plan, units=require_form.units_below(plan.unit), due_on=data["due_on"], acting_user=request.user
                ),
                lambda n: (
                    _("Đã giao %(count)s đơn vị ban hành kế hoạch thực hiện.") % {"count": n}
                    if n
                    else _("Các đơn vị này đã được giao.")
                ),
            )
            if added is not None:  # 0 is a result too: every unit named was already required
                return redirect("plan_detail", pk=plan.pk)
        elif "task-content" in request.POST:
            task_form = TaskForm(request.POST, user=request.user, prefix="task", plan=plan)
            if submit(
                request,
                task_form,
                lambda data: actions.do_add_task(plan, acting_user=request.user, **data),
                _("Đã thêm nhiệm vụ."),
            ):
                return redirect("plan_detail", pk=plan.pk)
        else:
            issue_form = IssueForm(request.POST, prefix="issue")
            if submit(
                request,
                issue_form,
                lambda data: actions.do_issue_plan(plan, acting_user=request.user, **data),
                _("Đã ban hành kế hoạch."),
            ):
                return redirect("plan_detail", pk=plan.pk)
    context = {
        "plan": plan,
        "crumb_current": plan.title,
        "sections": sections,
        "page": page,
        "counts": [(deadlines.STATUS_LABELS[code], code, n) for code, n in counts.items()],
        "can_edit": editable,
        "task_form": task_form,
        "issue_form": issue_form,
        "require_form": require_form,
        "coverage": coverage_rows(plan, timezone.localdate()) if plan.is_issued else [],
        "coverage_labels": tallies.COVERAGE_LABELS,
        # A unit of the user's must issue its own plan for this one.
        "required_here": plan.is_issued
        and any(can_issue(request.user, r.unit) for r in plan.requirements.select_related("unit")),
    }
    return render(request, "plans/plan_detail.html", context)


def task_context(request: HttpRequest, task: Task, form: ProgressForm) -> dict:
    """What the task page shows; also rendered again, with the errors, after a refused report."""
    can_report = task.plan.is_issued and (
        can_issue(request.user, task.lead_unit) or can_issue(request.user, task.plan.unit)
    )
    # A leader of a unit above the lead body may ask it to explain an overdue task.
    can_ask = task.current_status() == deadlines.OPEN_OVERDUE and any(
        covers(request.user, path) for path in task.lead_unit.ancestor_paths
    )
    return {
        "task": task,
        "leader_readable": bool(task.leader_id and readable_people(request.user, [task.leader_id])),
        "can_ask": can_ask,
        "explanations": task.explanations.select_related("requested_by__person", "answered_by__person"),
        "crumb_current": str(task),
        "updates": task.updates.select_related("created_by__person", "evidence_document"),
        "cooperating": task.cooperating_units.all(),
        "subtasks": task.subtasks.with_status().order_by("order", "id"),
        # Tasks below that carry this one out, as far as the user may see them.
        "derived": Task.objects.visible_to(request.user)
        .with_status()
        .filter(from_task=task)
        .select_related("lead_unit"),
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
            messages.success(request, _("Đã ghi báo cáo tiến độ."))
            return redirect("task_detail", pk=task.pk)
    return render(request, "plans/task_detail.html", task_context(request, task, form), status=400)


def filtered_tasks(request: HttpRequest, form: TaskFilter):
    """The task list's rows: visible tasks narrowed by the filter form (when valid)."""
    tasks = Task.objects.visible_to(request.user).with_status()
    if not form.is_valid():
        return tasks
    data = form.cleaned_data
    today = timezone.localdate()
    if data["scope"] == "mine":
        person = getattr(request.user, "person", None)
        tasks = tasks.filter(leader=person) if person else tasks.none()
    elif data["scope"]:
        units = Organization.objects.filter(path__in=root_paths(request.user))
        if data["scope"] == "unit":
            tasks = tasks.filter(lead_unit__in=units)
        else:
            tasks = tasks.filter(subtree_q(request.user, "lead_path"))
    if data["state"] == "overdue":
        tasks = tasks.overdue(today)
    elif data["state"] == "month":
        tasks = tasks.due_in_month(today)
    if data["status"]:
        tasks = tasks.filter(status_code=data["status"])
    if data["under"]:
        tasks = tasks.led_in_subtree(data["under"])
    if data["lead"]:
        tasks = tasks.filter(lead_unit=data["lead"])
    if data["plan"]:
        tasks = tasks.filter(plan_id=data["plan"])
    if data["document"]:
        tasks = tasks.filter(Q(plan__source_document_id=data["document"]) | Q(plan__document_id=data["document"]))
    if data["issued"]:
        tasks = tasks.filter(plan__status=PlanStatus.ISSUED)
    return tasks


def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilter(request.GET or None, user=request.user)
    tasks = filtered_tasks(request, form).select_related("plan__document", "plan__unit", "lead_unit", "leader")
    page = Paginator(tasks.order_by("deadline_last_day", "id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Bulk actions are offered on the rows the user may change (their own plans' tasks).
    editable = {t.pk for t in page if can_issue(request.user, t.plan.unit)}
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "editable": editable,
        "bulk_form": BulkTaskForm(),
        "path": request.get_full_path(),
    }
    return render(request, "plans/task_list.html", context)


@require_POST
def task_bulk(request: HttpRequest) -> HttpResponse:
    """One change applied to several tasks at once, all or nothing: a new deadline, or an
    explanation request on each overdue task. Each checkbox carries the version the user saw."""
    form = BulkTaskForm(request.POST)
    back = request.POST.get("next", "")
    back = back if back.startswith("/tasks/") else reverse("task_list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    picked = dict(data["tasks"])
    tasks = {t.pk: t for t in Task.objects.visible_to(request.user).select_related("lead_unit").filter(pk__in=picked)}
    try:
        with transaction.atomic():
            for pk, version in picked.items():
                task = tasks.get(pk)
                if task is None:
                    raise ValidationError(_("Không tìm thấy nhiệm vụ số %(pk)s trong phạm vi của bạn.") % {"pk": pk})
                try:
                    if data["action"] == "deadline":
                        actions.do_update_task(
                            task,
                            version=version,
                            deadline_text=data["deadline_text"],
                            amendment_reason=data["amendment_reason"],
                            acting_user=request.user,
                        )
                    else:
                        actions.do_request_explanation(
                            unit=task.lead_unit, task=task, question=data["question"], acting_user=request.user
                        )
                except ValidationError as exc:
                    raise ValidationError(
                        _("Nhiệm vụ “%(content)s”: %(list)s")
                        % {"content": task.content[:60], "list": " ".join(exc.messages)}
                    ) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + _(" Chưa thay đổi nhiệm vụ nào."))
    else:
        done = _("đã đổi thời hạn") if data["action"] == "deadline" else _("đã yêu cầu giải trình")
        messages.success(request, _("%(count)s nhiệm vụ %(done)s.") % {"count": len(picked), "done": done})
    return redirect(back)


def plan_tasks_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    response = HttpResponse(importing.export_tasks(plan, request.user), content_type=XLSX_CONTENT_TYPE)
    name = file_name(
        "nhiem vu", plan.get_kind_display(), plan.document.number_normalized, plan.unit.name, extension="xlsx"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def task_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's task panel: its fragment for htmx, a page of its own otherwise."""
    org = access_organization(request.user, pk)
    if request.htmx:
        return render(request, "plans/dashboard.html#tasks", task_panel_context(request, org))
    context = {**task_panel_context(request, org), "crumbs": breadcrumbs(request.user, org), "crumb_current": org.name}
    return render(request, "plans/dashboard.html", context)


def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Which units below `org` have issued their plan for a source document, which are late,
    which have not: counts per child unit, each a link one level down, and the units required
    right below it. Without a document: every cascade that reached the subtree."""
    org = access_organization(request.user, pk)
    today = timezone.localdate()
    # A past day (?on=) is read from the rows, on the tree of that day (tallies.requirements_on).
    day = past_day(tree_day(request))
    past = day is not None
    today = day or today
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "labels": tallies.COVERAGE_LABELS,
        "day": day,
        "on_query": f"&on={day.isoformat()}" if day else "",
    }
    document_id = request.GET.get("document", "")
    if not document_id.isdigit():
        context["documents"] = coverage_documents(org, today, request.user, past=past)
        return render(request, "plans/coverage.html", context)
    document = get_object_or_404(Document.objects.visible_to(request.user).select_related("kind"), pk=document_id)
    child_rows = list(children_of(org, include_inactive=True))
    if past:
        by_path = tallies.coverage_rollup_on(org, today, document_id=document.pk).get(document.pk, {})
        by_child = tallies.by_unit_id(by_path, child_rows)
        FormerName.objects.name_rows_on(child_rows, today)
    else:
        by_child = tallies.coverage_rollup(org, today, document_id=document.pk).get(document.pk, {})
    children = []
    for child in child_rows:
        counts = by_child.get(child["pk"])
        if counts:
            required = sum(counts.values())
            issued = counts[tallies.COVERAGE_ON_TIME] + counts[tallies.COVERAGE_LATE]
            children.append(
                {"unit": child, "counts": counts, "required": required, "share": round(100 * issued / required)}
            )
    children.sort(key=lambda c: (c["share"], c["unit"]["name"]))
    coverage_url = url_template("unit_coverage")
    for c in children:
        c["coverage_url"] = f"{coverage_url.format(c['unit']['pk'])}?document={document.pk}{context['on_query']}"
    plan_url = url_template("plan_detail")
    if past:
        requirements = tallies.requirements_on(org, day, document_id=document.pk).annotate(day_depth=Length("day_path"))
        requirements = requirements.filter(day_depth__lte=(org.depth + 1) * tallies.STEP)
    else:
        requirements = PlanRequirement.objects.filter(
            Q(plan__source_document=document) | Q(plan__source_document__isnull=True, plan__document=document),
            unit__path__startswith=org.path,
            unit__depth__lte=org.depth + 1,
        ).order_by("unit__depth", "unit__search_text")
    rows = requirement_rows(requirements, today, past=past)
    if past:  # by the units that owed them that day
        rows.sort(key=lambda r: (r["unit"].depth, r["unit"].search_text))
    for r in rows:
        r["state_label"] = tallies.COVERAGE_LABELS[r["state"]]
        r["required_by_url"] = plan_url.format(r["required_by"].pk)
        r["plan_url"] = plan_url.format(r["plan"].pk) if r["plan"] else ""
    context.update(
        document=document,
        children=children,
        summary=tallies.add_up(by_child.values(), tallies.COVERAGE_LABELS),
        rows=rows,
    )
    return render(request, "plans/coverage.html", context)


def plan_word_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    response = HttpResponse(export_plan(plan, request.user), content_type=DOCX_CONTENT_TYPE)
    name = file_name(plan.get_kind_display(), plan.document.number_normalized, plan.unit.name, extension="docx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def explanation_list(request: HttpRequest) -> HttpResponse:
    items = (
        ExplanationRequest.objects.visible_to(request.user)
        .select_related("task", "unit", "requested_by__person", "answered_by__person")
        .order_by("answered_at", "-requested_at")
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    rows = [(item, can_issue(request.user, item.unit) and not item.answer) for item in page]
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
        messages.success(request, _("Đã yêu cầu %(unit)s giải trình.") % {"unit": task.lead_unit.name})
    return redirect("task_detail", pk=task.pk)


@require_POST
def unit_explanation_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader above a unit asks it to explain its results (not one task): from its dashboard."""
    org = access_organization(request.user, pk)
    try:
        actions.do_request_explanation(unit=org, question=request.POST.get("question", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã yêu cầu %(org)s giải trình.") % {"org": org.name})
    return redirect("unit_dashboard", pk=org.pk)


@require_POST
def explanation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_explanation(request.user, pk)
    try:
        actions.do_answer_explanation(item, answer=request.POST.get("answer", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gửi giải trình."))
    return redirect("explanation_list")


def reminder_list(request: HttpRequest) -> HttpResponse:
    reminders = Reminder.objects.filter(user=request.user).select_related("task__lead_unit")
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    mutes = set(ReminderMute.objects.filter(user=request.user).values_list("task_id", flat=True))
    unread = [r.pk for r in page if r.read_at is None]
    context = {"page": page, "muted_all": None in mutes, "muted_tasks": mutes, "unread": unread}
    return render(request, "plans/reminders.html", context)


@require_POST
def reminder_read(request: HttpRequest) -> HttpResponse:
    """Mark the reminders shown as read (a page view changes nothing: GET never writes)."""
    ids = [int(pk) for pk in request.POST.getlist("reminder") if pk.isdigit()]
    actions.do_mark_reminders_read(ids, acting_user=request.user)
    return redirect("reminder_list")


@require_POST
def reminder_mute(request: HttpRequest) -> HttpResponse:
    """Mute or unmute reminders: of one task (task=<id>) or of all."""
    task = None
    if request.POST.get("task", "").isdigit():
        task = access_task(request.user, int(request.POST["task"]))
    created = actions.do_toggle_reminder_mute(task=task, acting_user=request.user)
    messages.success(request, _("Đã tắt nhắc việc.") if created else _("Đã bật lại nhắc việc."))
    return redirect("reminder_list")
