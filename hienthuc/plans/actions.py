"""Writing plans and tasks: one function per change, atomic and audited."""

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.documents.actions import current_data, do_create_document, do_link_documents, do_update_document
from hienthuc.documents.models import Document, DocumentKind, LinkKind, Status
from hienthuc.lib import deadlines
from hienthuc.lib.links import LinkError, web_link
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.plans import tallies
from hienthuc.plans.models import (
    RUNNING_KINDS,
    Plan,
    PlanKind,
    PlanRequirement,
    PlanStatus,
    ProgressUpdate,
    Task,
    TaskCooperation,
)
from hienthuc.scope import can_issue

TASK_FIELDS = [
    "plan", "section", "number_text", "content", "lead_unit", "lead_text", "lead_outside", "cooperating_text", "output",
    "deadline_text", "deadline_last_day", "notes", "progress", "completed_on", "output_document", "output_link",
    "version",
]  # fmt: skip
# The document kind a plan is issued as.
DOCUMENT_KIND: dict[str, str] = {
    PlanKind.ACTION_PROGRAM: "chuong_trinh",
    PlanKind.WORK_PROGRAM: "chuong_trinh",
    PlanKind.INSPECTION_PROGRAM: "chuong_trinh",
    PlanKind.IMPLEMENTATION_PLAN: "ke_hoach",
    PlanKind.STUDY_PLAN: "ke_hoach",
    PlanKind.DIRECTIONS: "so_theo_doi",
}
CONTENT_MAX = 5000


@transaction.atomic
def do_create_plan(
    *,
    unit: Organization,
    kind: str,
    title: str,
    source_document: Document | None = None,
    parent_plan: Plan | None = None,
    acting_user: User,
) -> Plan:
    """A draft plan, registered as a draft document of its unit (numbered when issued)."""
    if not can_issue(acting_user, unit):
        raise ValidationError({"unit": _("Bạn không có quyền lập kế hoạch cho đơn vị này.")})
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Loại kế hoạch không hợp lệ.")})
    title = clean(title)
    if not title:
        raise ValidationError({"title": _("Tên kế hoạch không được để trống.")})
    if len(title) > 500:
        raise ValidationError({"title": _("Tên kế hoạch dài tối đa 500 ký tự.")})
    if parent_plan is not None:
        parent_plan = Plan.objects.select_related("unit").get(pk=parent_plan.pk)  # its status as stored now
        if not parent_plan.is_issued:
            raise ValidationError({"parent": _("Kế hoạch cấp trên chưa ban hành; chưa lập kế hoạch thực hiện được.")})
        if parent_plan.unit_id == unit.pk or not unit.path.startswith(parent_plan.unit.path):
            raise ValidationError({"parent": _("Kế hoạch được thực hiện phải là của một đơn vị cấp trên.")})
        # The cascade follows one source document all the way down, so coverage can be read
        # for it at any depth: the parent's source, or the parent itself when it has none.
        if source_document is None:
            source_document = parent_plan.source_document or parent_plan.document
    document = do_create_document(
        issuing_unit=unit,
        kind=DocumentKind.objects.get(code=DOCUMENT_KIND[kind]),
        number_text="",
        issuing_body="btv",
        issued_on=None,
        summary=title,
        status=Status.DRAFT,
        acting_user=acting_user,
    )
    plan = Plan.objects.create(
        document=document, unit=unit, kind=kind, title=title, source_document=source_document, parent_plan=parent_plan
    )
    record(acting_user, "create", plan, organization=unit, after={"title": title, "kind": kind})
    return plan


def _check_editable(plan: Plan, amendment_reason: str | None, acting_user: User) -> None:
    if not can_issue(acting_user, plan.unit):
        raise ValidationError(_("Bạn không có quyền sửa kế hoạch này."))
    if plan.is_issued and plan.kind not in RUNNING_KINDS and not (amendment_reason or "").strip():
        raise ValidationError(_("Kế hoạch đã ban hành: chỉ thay đổi được bằng một lần sửa đổi, bổ sung có ghi lý do."))


def _record_amendment(plan: Plan, reason: str | None, acting_user: User) -> None:
    if plan.is_issued and plan.kind not in RUNNING_KINDS:
        Plan.objects.filter(pk=plan.pk).update(amendment=F("amendment") + 1)
        plan.refresh_from_db(fields=["amendment"])
        record(
            acting_user, "amend", plan, organization=plan.unit, after={"amendment": plan.amendment, "reason": reason}
        )


def _parse_deadline(text: str) -> deadlines.Deadline:
    try:
        return deadlines.parse(text)
    except deadlines.DeadlineError as exc:
        raise ValidationError({"deadline_text": str(exc)}) from None


def _check_units(plan: Plan, lead_unit: Organization, cooperating: list[Organization]) -> None:
    if not lead_unit.path.startswith(plan.unit.path):
        raise ValidationError(
            {
                "lead_unit": _("Cơ quan chủ trì phải thuộc %(plan_unit)s hoặc đơn vị trực thuộc.")
                % {"plan_unit": plan.unit.name}
            }
        )
    for unit in cooperating:
        if not unit.path.startswith(plan.unit.path):
            raise ValidationError(
                {
                    "cooperating": _("“%(unit)s” không thuộc %(plan_unit)s.")
                    % {"unit": unit.name, "plan_unit": plan.unit.name}
                }
            )


@transaction.atomic
def do_add_task(
    plan: Plan,
    *,
    content: str,
    lead_unit: Organization,
    deadline_text: str,
    cooperating: Sequence[Organization] = (),
    output: str = "",
    section: str = "",
    notes: str = "",
    leader=None,
    parent: Task | None = None,
    from_task: Task | None = None,
    amendment_reason: str | None = None,
    number_text: str = "",
    lead_text: str = "",
    lead_outside: bool = False,
    cooperating_text: str = "",
    order: int | None = None,
    acting_user: User,
) -> Task:
    """Add a task to a plan. From a task table (plans/importing.py): `number_text` is the STT as
    written, `order` the table row (shared by the tasks of one row), `lead_text` the lead cell as
    written when it named several bodies or one outside the tree (`lead_outside`: the plan's unit
    then leads in the tree), `cooperating_text` the cooperating cell as written."""
    plan = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _check_editable(plan, amendment_reason, acting_user)
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Nội dung nhiệm vụ không được để trống.")})
    if len(content) > CONTENT_MAX:
        raise ValidationError(
            {"content": _("Nội dung nhiệm vụ dài tối đa %(CONTENT_MAX)s ký tự.") % {"CONTENT_MAX": CONTENT_MAX}}
        )
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": _("Nhiệm vụ con phải thuộc cùng kế hoạch với nhiệm vụ cha.")})
    if from_task is not None and (plan.parent_plan_id is None or from_task.plan_id != plan.parent_plan_id):
        raise ValidationError(
            {"from_task": _("Nhiệm vụ cấp trên phải thuộc kế hoạch cấp trên mà kế hoạch này thực hiện.")}
        )
    deadline = _parse_deadline(deadline_text)
    cooperating = [u for u in cooperating if u.pk != lead_unit.pk]
    _check_units(plan, lead_unit, cooperating)
    if lead_outside and lead_unit.pk != plan.unit_id:
        raise ValidationError(
            {"lead_unit": _("Nhiệm vụ do cơ quan ngoài cây đơn vị chủ trì được theo dõi tại đơn vị lập kế hoạch.")}
        )
    if lead_outside and not clean(lead_text):
        raise ValidationError({"lead_text": _("Hãy ghi tên cơ quan chủ trì ngoài cây đơn vị.")})
    if order is None:
        order = (plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    task = Task.objects.create(
        plan=plan,
        parent=parent,
        from_task=from_task,
        section=clean(section)[:1000],
        order=order,
        number_text=clean(number_text)[:20],
        content=content,
        lead_unit=lead_unit,
        lead_text=clean(lead_text)[:500],
        lead_outside=lead_outside,
        cooperating_text=clean(cooperating_text)[:1000],
        lead_path=lead_unit.path,
        leader=leader,
        output=clean(output)[:500],
        deadline_text=deadline.text,
        deadline_kind=deadline.kind,
        deadline_last_day=deadline.last_day,
        notes=(notes or "").strip(),
    )
    TaskCooperation.objects.bulk_create([TaskCooperation(task=task, unit=u) for u in dict.fromkeys(cooperating)])
    tallies.count_task(task, +1)
    _record_amendment(plan, amendment_reason, acting_user)
    record(acting_user, "create", task, organization=plan.unit, after=snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def do_update_task(
    task: Task, *, version: int, acting_user: User, amendment_reason: str | None = None, **changes
) -> Task:
    """Change a task's content, units, output or deadline. `version` is the one the editor
    started from: if someone saved in between, nothing is written and they are told."""
    task = Task.objects.select_for_update().select_related("plan__unit", "lead_unit").get(pk=task.pk)
    _check_editable(task.plan, amendment_reason, acting_user)
    if task.version != version:
        raise ValidationError(
            _(
                "Nhiệm vụ vừa được người khác sửa trong lúc bạn đang sửa. Nội dung bạn nhập chưa được lưu; "
                "hãy tải lại trang để xem bản mới rồi sửa lại."
            )
        )
    before = snapshot(task, TASK_FIELDS)
    counted = tallies.task_items(task, -1)
    if "content" in changes:
        content = (changes.pop("content") or "").strip()
        if not content:
            raise ValidationError({"content": _("Nội dung nhiệm vụ không được để trống.")})
        task.content = content[:CONTENT_MAX]
    if "deadline_text" in changes:
        deadline = _parse_deadline(changes.pop("deadline_text"))
        task.deadline_text, task.deadline_kind, task.deadline_last_day = deadline.text, deadline.kind, deadline.last_day
    cooperating = changes.pop("cooperating", None)
    if "lead_unit" in changes:
        task.lead_unit = changes.pop("lead_unit")
        task.lead_path = task.lead_unit.path
    _check_units(task.plan, task.lead_unit, list(cooperating or []))
    for field in ("output", "section", "notes"):
        if field in changes:
            setattr(task, field, (changes.pop(field) or "").strip())
    task.version += 1
    task.save()
    tallies.recount_task(counted, task)
    if cooperating is not None:
        task.cooperations.all().delete()
        TaskCooperation.objects.bulk_create(
            [TaskCooperation(task=task, unit=u) for u in dict.fromkeys(cooperating) if u.pk != task.lead_unit_id]
        )
    _record_amendment(task.plan, amendment_reason, acting_user)
    record(acting_user, "update", task, organization=task.plan.unit, before=before, after=snapshot(task, TASK_FIELDS))
    return task


DIRECTIONS_TITLE = "Sổ theo dõi thực hiện ý kiến chỉ đạo xử lý văn bản đến năm %(year)s"  # not UI text


@transaction.atomic
def do_open_directions(unit: Organization, *, year: int, acting_user: User) -> Plan:
    """The unit's register of directions for `year` (PlanKind.DIRECTIONS), opened on first
    use: a running register counts its tasks from the start, so it is open ("issued") without a
    number — it is no decision of its own; its entries answer the incoming documents."""
    title = DIRECTIONS_TITLE % {"year": year}
    found = Plan.objects.select_for_update().filter(unit=unit, kind=PlanKind.DIRECTIONS, title=title).first()
    if found is not None:
        return found
    plan = do_create_plan(unit=unit, kind=PlanKind.DIRECTIONS, title=title, acting_user=acting_user)
    plan.status = PlanStatus.ISSUED
    plan.issued_at = timezone.now()
    plan.save(update_fields=["status", "issued_at"])
    record(acting_user, "issue", plan, organization=unit, after={"number": ""})
    return plan


@transaction.atomic
def do_issue_plan(plan: Plan, *, number_text: str, issued_on: datetime.date, acting_user: User) -> Plan:
    plan = Plan.objects.select_for_update().select_related("document__kind", "unit").get(pk=plan.pk)
    if not can_issue(acting_user, plan.unit):
        raise ValidationError(_("Bạn không có quyền ban hành kế hoạch này."))
    if plan.is_issued:
        raise ValidationError(_("Kế hoạch đã được ban hành."))
    if not plan.tasks.exists():
        raise ValidationError(_("Kế hoạch chưa có nhiệm vụ nào."))
    document = plan.document
    # Only the number, date and status change: the rest of the document stays as written.
    data = {**current_data(document), "number_text": number_text, "issued_on": issued_on, "status": Status.ISSUED}
    do_update_document(document, acting_user=acting_user, **data)
    source = plan.source_document  # None without a query when there is none
    if source is not None and not document.links_out.filter(target_id=source.pk).exists():
        do_link_documents(document, source, kind=LinkKind.IMPLEMENTS, acting_user=acting_user)
    parent = plan.parent_plan
    if parent is not None and not document.links_out.filter(target_id=parent.document_id).exists():
        do_link_documents(document, parent.document, kind=LinkKind.IMPLEMENTS, acting_user=acting_user)
    document.refresh_from_db()
    # The parent plan's coverage: this unit's requirement turns from open to issued.
    requirements = []
    if parent is not None:
        requirements = list(PlanRequirement.objects.filter(plan_id=parent.pk, unit=plan.unit))
        tallies.count_requirements(parent, requirements, -1)
    plan.status = PlanStatus.ISSUED
    plan.issued_at = timezone.now()
    plan.save(update_fields=["status", "issued_at"])
    tallies.count_plan_tasks(plan, +1)
    if parent is not None:
        tallies.count_requirements(parent, requirements, +1)
    record(acting_user, "issue", plan, organization=plan.unit, after={"number": number_text})
    return plan


@transaction.atomic
def do_require_plans(plan: Plan, *, units: list[Organization], due_on: datetime.date, acting_user: User) -> int:
    """Cascade: require units below to issue their own plan for this one by `due_on`."""
    if not can_issue(acting_user, plan.unit):
        raise ValidationError(_("Bạn không có quyền giao việc ban hành kế hoạch từ kế hoạch này."))
    for unit in units:
        if unit.pk == plan.unit_id or not unit.path.startswith(plan.unit.path):
            raise ValidationError(
                {
                    "units": _("“%(unit)s” không phải đơn vị trực thuộc %(plan_unit)s.")
                    % {"unit": unit.name, "plan_unit": plan.unit.name}
                }
            )
    existing = set(plan.requirements.values_list("unit_id", flat=True))
    new = [PlanRequirement(plan=plan, unit=u, due_on=due_on) for u in units if u.pk not in existing]
    PlanRequirement.objects.bulk_create(new)
    tallies.count_requirements(plan, new, +1)
    record(
        acting_user,
        "require",
        plan,
        organization=plan.unit,
        after={"units": [u.code for u in units], "due_on": due_on.isoformat()},
    )
    return len(new)


@transaction.atomic
def do_record_progress(
    task: Task,
    *,
    percent: int,
    version: int,
    text: str = "",
    evidence_document: Document | None = None,
    evidence_link: str = "",
    complete: bool = False,
    completed_on: datetime.date | None = None,
    acting_user: User,
) -> ProgressUpdate:
    """A progress report by the lead unit (or the plan's unit); completion needs the output."""
    task = Task.objects.select_for_update().select_related("plan__unit", "lead_unit").get(pk=task.pk)
    if not (can_issue(acting_user, task.lead_unit) or can_issue(acting_user, task.plan.unit)):
        raise ValidationError(_("Chỉ cơ quan chủ trì hoặc đơn vị ban hành kế hoạch mới báo cáo tiến độ nhiệm vụ này."))
    if not task.plan.is_issued:
        raise ValidationError(_("Kế hoạch chưa ban hành; chưa báo cáo tiến độ được."))
    if task.version != version:
        raise ValidationError(
            _("Nhiệm vụ vừa được người khác cập nhật. Báo cáo của bạn chưa được lưu; hãy tải lại trang rồi gửi lại.")
        )
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Tiến độ phải là số phần trăm từ 0 đến 100.")})
    if task.completed_on is not None:
        raise ValidationError(_("Nhiệm vụ đã hoàn thành."))
    try:
        evidence_link = web_link(evidence_link)
    except LinkError as exc:
        raise ValidationError({"evidence_link": str(exc)}) from None
    if complete:
        if evidence_document is None and not evidence_link and task.output_document_id is None:
            raise ValidationError(
                {
                    "evidence_document": _(
                        "Chỉ ghi hoàn thành khi có sản phẩm: hãy chọn văn bản sản phẩm hoặc ghi đường dẫn tới sản phẩm."
                    )
                }
            )
        percent = 100
        completed_on = completed_on or timezone.localdate()
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("Ngày hoàn thành không được sau hôm nay.")})
    before = snapshot(task, TASK_FIELDS)
    counted = tallies.task_items(task, -1)
    update = ProgressUpdate.objects.create(
        task=task,
        percent=percent,
        text=(text or "").strip(),
        evidence_document=evidence_document,
        evidence_link=evidence_link,
        completed=complete,
        created_by=acting_user if acting_user.pk else None,
    )
    task.progress = percent
    if complete:
        task.completed_on = completed_on
        task.output_document = evidence_document or task.output_document
        task.output_link = evidence_link or task.output_link
    task.version += 1
    task.save()
    tallies.recount_task(counted, task)
    record(acting_user, "progress", task, organization=task.plan.unit, before=before, after=snapshot(task, TASK_FIELDS))
    return update


@transaction.atomic
def do_request_explanation(*, unit: Organization, question: str, task: Task | None = None, acting_user: User):
    """Ask a unit to explain an overdue task (or its results). Only from a unit above it."""
    from hienthuc.scope import covers

    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Hãy ghi nội dung cần giải trình.")})
    if len(question) > 5000:
        raise ValidationError({"question": _("Nội dung yêu cầu dài tối đa 5000 ký tự.")})
    # The asker leads a unit above the one asked (not the unit itself).
    if not any(covers(acting_user, path) for path in unit.ancestor_paths) and not acting_user.is_superuser:
        raise ValidationError(_("Chỉ lãnh đạo đơn vị cấp trên mới yêu cầu đơn vị này giải trình."))
    if task is not None:
        if (
            task.completed_on is not None
            or task.deadline_last_day is None
            or task.deadline_last_day >= timezone.localdate()
        ):
            raise ValidationError(_("Chỉ yêu cầu giải trình nhiệm vụ đang quá hạn."))
        if not task.lead_unit.path.startswith(unit.path):
            raise ValidationError(
                {"unit": _("Đơn vị giải trình phải là cơ quan chủ trì nhiệm vụ (hoặc đơn vị cấp trên của nó).")}
            )
    from hienthuc.plans.models import ExplanationRequest

    request = ExplanationRequest.objects.create(
        task=task, unit=unit, question=question, requested_by=acting_user if acting_user.pk else None
    )
    record(
        acting_user,
        "request",
        request,
        organization=unit,
        after={"task": task.pk if task else None, "question": question},
    )
    return request


@transaction.atomic
def do_answer_explanation(request, *, answer: str, acting_user: User):
    from hienthuc.plans.models import ExplanationRequest

    request = ExplanationRequest.objects.select_for_update().select_related("unit").get(pk=request.pk)
    if not can_issue(acting_user, request.unit):
        raise ValidationError(_("Chỉ đơn vị được yêu cầu mới giải trình."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Hãy ghi nội dung giải trình.")})
    before = {"answer": request.answer}
    request.answer = answer[:10000]
    request.answered_by = acting_user if acting_user.pk else None
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    record(acting_user, "answer", request, organization=request.unit, before=before, after={"answer": request.answer})
    return request


@transaction.atomic
def do_add_goal(document: Document, *, kind: str, text: str, year: int | None = None, acting_user: User):
    from hienthuc.plans.models import Goal, GoalKind

    if not can_issue(acting_user, document.issuing_unit):
        raise ValidationError(_("Bạn không có quyền sửa nội dung văn bản này."))
    if kind not in GoalKind.values:
        raise ValidationError({"kind": _("Loại mục tiêu không hợp lệ.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nội dung không được để trống.")})
    if year is not None and not 1930 <= year <= 2200:
        raise ValidationError({"year": _("Năm phải từ 1930 đến 2200.")})
    if kind == GoalKind.STAGED and year is None:
        raise ValidationError({"year": _("Mục tiêu theo giai đoạn cần ghi năm (ví dụ 2030).")})
    last = document.goals.order_by("-order").values_list("order", flat=True).first() or 0
    goal = Goal.objects.create(document=document, kind=kind, text=text[:5000], year=year, order=last + 1)
    record(
        acting_user,
        "create",
        goal,
        organization=document.issuing_unit,
        after={"kind": kind, "year": year, "text": goal.text},
    )
    return goal


@transaction.atomic
def do_toggle_reminder_mute(*, task: Task | None = None, acting_user: User) -> bool:
    """Mute the user's reminders of one task (or, without a task, all of them), or unmute them
    if they were muted. Returns True when they are muted now."""
    from hienthuc.plans.models import ReminderMute

    mute, created = ReminderMute.objects.get_or_create(user=acting_user, task=task)
    unit = task.lead_unit if task is not None else None
    record(
        acting_user, "mute" if created else "unmute", mute, organization=unit, after={"task": task.pk if task else None}
    )
    if not created:
        mute.delete()
    return created


@transaction.atomic
def do_set_appendix_title(plan: Plan, *, title: str, acting_user: User) -> Plan:
    """The lines above the task table ("PHỤ LỤC", "(Kèm theo Chương trình … số 01-CTr/TU …)"),
    as an imported table had them; the export writes them back."""
    plan = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not can_issue(acting_user, plan.unit):
        raise ValidationError(_("Bạn không có quyền sửa kế hoạch này."))
    before = plan.appendix_title
    plan.appendix_title = (title or "").strip()[:2000]
    plan.save(update_fields=["appendix_title"])
    record(
        acting_user, "update", plan, organization=plan.unit,
        before={"appendix_title": before}, after={"appendix_title": plan.appendix_title},
    )  # fmt: skip
    return plan


@transaction.atomic
def do_mark_reminders_read(ids: list[int], *, acting_user: User) -> int:
    """Mark the user's own reminders read (others' ids are ignored); returns how many changed."""
    from hienthuc.plans.models import Reminder

    return Reminder.objects.filter(user=acting_user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
