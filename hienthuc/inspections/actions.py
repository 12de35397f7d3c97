"""Inspections and supervisions, their teams, findings, conclusions, recommendations and
discipline: one function per change, atomic and audited (docs/architecture.md, "Inspection
and supervision").

Who writes: the conducting committee's side — those who may issue in its name (its editors
and admins, its office by mandate; scope.can_issue), since decisions and conclusions are its
documents. Inspectors read across their subtree (models.Inspection.findings_readable)."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.documents.models import Document
from hienthuc.documents.models import Status as DocumentStatus
from hienthuc.inspections.models import (
    PERSON_PENALTIES,
    UNIT_PENALTIES,
    Body,
    Discipline,
    Form,
    Inspection,
    Penalty,
    Recommendation,
    Status,
    TeamMember,
    TeamRole,
)
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person
from hienthuc.plans.actions import do_add_task, do_open_directions, do_record_progress
from hienthuc.plans.models import Plan, PlanKind
from hienthuc.scope import can_issue

FIELDS = ["unit", "body", "form", "subject_unit", "subject_person", "content", "period_text", "task", "decision",
          "status", "started_on", "confidential", "conclusion", "concluded_on"]  # fmt: skip
DISCIPLINE_FIELDS = ["unit", "inspection", "subject_unit", "subject_person", "penalty", "decision", "decided_on",
                     "reason"]  # fmt: skip
CONTENT_MAX = 4000


def _require_conductor(user: User, unit: Organization) -> None:
    if not can_issue(user, unit):
        raise ValidationError(
            _(
                "Chỉ %(unit)s (người có quyền ban hành văn bản nhân danh cấp ủy) mới ghi được việc kiểm tra, "
                "giám sát này."
            )
            % {"unit": unit.name}
        )


def subject_path(unit: Organization, subject_unit: Organization | None, subject_person: Person | None) -> str:
    """The subject's path, refused unless exactly one subject is named and it lies under the
    conducting committee: a committee inspects the organizations below it and its members."""
    if (subject_unit is None) == (subject_person is None):
        raise ValidationError({"subject_unit": _("Hãy chọn một đối tượng: một tổ chức đảng hoặc một đảng viên.")})
    if subject_unit is not None:
        if subject_unit.pk == unit.pk or not subject_unit.path.startswith(unit.path):
            raise ValidationError(
                {
                    "subject_unit": _(
                        "“%(subject)s” không thuộc phạm vi của %(unit)s: chỉ kiểm tra, giám sát tổ chức đảng cấp dưới."
                    )
                    % {"subject": subject_unit.name, "unit": unit.name}
                }
            )
        return subject_unit.path
    assert subject_person is not None
    home = subject_person.home_unit
    if not home.path.startswith(unit.path):
        raise ValidationError(
            {
                "subject_person": _(
                    "Đảng viên “%(person)s” (%(home)s) không thuộc phạm vi của %(unit)s: chỉ kiểm tra, giám sát "
                    "đảng viên thuộc đảng bộ."
                )
                % {"person": subject_person.full_name, "home": home.name, "unit": unit.name}
            }
        )
    return home.path


def _check_choices(body: str, form: str) -> None:
    if body not in Body.values:
        raise ValidationError({"body": _("Chủ thể tiến hành không hợp lệ.")})
    if form not in Form.values:
        raise ValidationError({"form": _("Hình thức không hợp lệ.")})


def _check_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Hãy ghi nội dung kiểm tra, giám sát.")})
    if len(content) > CONTENT_MAX:
        raise ValidationError({"content": _("Nội dung dài tối đa %(max)s ký tự.") % {"max": CONTENT_MAX}})
    return content


def _check_document(document: Document | None, unit: Organization, field: str, what: str) -> None:
    """A decision or conclusion is an issued document of the committee or of one of its bodies."""
    if document is None or document.issued_within(unit):
        return
    if document.status != DocumentStatus.ISSUED or document.issued_on is None:
        raise ValidationError({field: _("%(what)s phải là văn bản đã ban hành.") % {"what": what}})
    raise ValidationError(
        {field: _("%(what)s phải do %(unit)s hoặc cơ quan của cấp ủy ban hành.") % {"what": what, "unit": unit.name}}
    )


@transaction.atomic
def do_create_inspection(
    unit: Organization,
    *,
    body: str,
    form: str,
    content: str,
    subject_unit: Organization | None = None,
    subject_person: Person | None = None,
    period_text: str = "",
    decision: Document | None = None,
    acting_user: User,
) -> Inspection:
    """An inspection or supervision outside the program (on signs of a violation, say)."""
    _require_conductor(acting_user, unit)
    _check_choices(body, form)
    path = subject_path(unit, subject_unit, subject_person)
    _check_document(decision, unit, "decision", _("Quyết định kiểm tra, giám sát"))
    inspection = Inspection.objects.create(
        unit=unit, body=body, form=form, subject_unit=subject_unit, subject_person=subject_person,
        subject_path=path, content=_check_content(content), period_text=clean(period_text)[:100], decision=decision,
    )  # fmt: skip
    record(acting_user, "create", inspection, organization=unit, after=snapshot(inspection, FIELDS))
    return inspection


@transaction.atomic
def do_add_program_item(
    plan: Plan,
    *,
    body: str,
    form: str,
    content: str,
    period_text: str,
    subject_unit: Organization | None = None,
    subject_person: Person | None = None,
    amendment_reason: str | None = None,
    acting_user: User,
) -> Inspection:
    """An item of an inspection and supervision program: its task in the plan (the period as its
    deadline, "Quý III/2022") and the planned inspection carrying the subject, form and body."""
    plan = Plan.objects.select_related("unit").get(pk=plan.pk)
    if plan.kind != PlanKind.INSPECTION_PROGRAM:
        raise ValidationError(_("Chỉ thêm được mục kiểm tra, giám sát vào chương trình kiểm tra, giám sát."))
    _require_conductor(acting_user, plan.unit)
    _check_choices(body, form)
    path = subject_path(plan.unit, subject_unit, subject_person)
    content = _check_content(content)
    if not clean(period_text):
        raise ValidationError({"period_text": _("Hãy ghi thời gian tiến hành, ví dụ Quý III/2022.")})
    subject = subject_person.full_name if subject_person else subject_unit.name  # type: ignore[union-attr]
    task = do_add_task(
        plan,
        content=_("%(form)s %(subject)s: %(content)s")
        % {"form": Form(form).label, "subject": subject, "content": content},
        lead_unit=plan.unit,
        deadline_text=period_text,
        output=_("Thông báo kết luận"),
        notes=_("Chủ thể tiến hành: %(body)s.") % {"body": Body(body).label},
        amendment_reason=amendment_reason,
        acting_user=acting_user,
    )
    inspection = Inspection.objects.create(
        unit=plan.unit, body=body, form=form, subject_unit=subject_unit, subject_person=subject_person,
        subject_path=path, content=content, period_text=task.deadline_text, task=task,
    )  # fmt: skip
    record(acting_user, "create", inspection, organization=plan.unit, after=snapshot(inspection, FIELDS))
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    # of=self: the program item is an outer join, which PostgreSQL will not lock.
    return Inspection.objects.select_for_update(of=("self",)).select_related("unit", "task").get(pk=inspection.pk)


@transaction.atomic
def do_start_inspection(
    inspection: Inspection, *, decision: Document | None, started_on: datetime.date, acting_user: User
) -> Inspection:
    """The decision is signed and the team starts: from here the inspection is under way."""
    inspection = _locked(inspection)
    _require_conductor(acting_user, inspection.unit)
    if inspection.status == Status.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra, giám sát đã kết luận."))
    if decision is None and inspection.decision_id is None:
        raise ValidationError({"decision": _("Hãy ghi quyết định kiểm tra, giám sát (số hiệu đã đăng ký).")})
    _check_document(decision, inspection.unit, "decision", _("Quyết định kiểm tra, giám sát"))
    if started_on is None or started_on > timezone.localdate():
        raise ValidationError({"started_on": _("Ngày bắt đầu không được sau hôm nay.")})
    before = snapshot(inspection, FIELDS)
    inspection.decision = decision or inspection.decision
    inspection.started_on = started_on
    inspection.status = Status.ONGOING
    inspection.save()
    record(acting_user, "update", inspection, organization=inspection.unit, before=before,
           after=snapshot(inspection, FIELDS))  # fmt: skip
    return inspection


@transaction.atomic
def do_add_team_member(inspection: Inspection, *, person: Person, role: str, acting_user: User) -> TeamMember:
    inspection = _locked(inspection)
    _require_conductor(acting_user, inspection.unit)
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Nhiệm vụ trong đoàn không hợp lệ.")})
    if inspection.team.filter(person=person).exists():
        raise ValidationError({"person": _("%(person)s đã có trong đoàn.") % {"person": person.full_name}})
    if role == TeamRole.HEAD and inspection.team.filter(role=TeamRole.HEAD).exists():
        raise ValidationError({"role": _("Đoàn đã có trưởng đoàn.")})
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(inspection=inspection, person=person, role=role)
    except IntegrityError:  # another request added them in between
        raise ValidationError({"person": _("%(person)s đã có trong đoàn.") % {"person": person.full_name}}) from None
    record(acting_user, "create", member, organization=inspection.unit, after={"person": person.pk, "role": role})
    return member


@transaction.atomic
def do_record_findings(inspection: Inspection, *, findings: str, confidential: bool, acting_user: User) -> Inspection:
    inspection = _locked(inspection)
    _require_conductor(acting_user, inspection.unit)
    if inspection.status == Status.PLANNED:
        raise ValidationError(_("Cuộc kiểm tra, giám sát chưa bắt đầu: hãy ghi quyết định trước."))
    before = snapshot(inspection, FIELDS)
    inspection.findings = (findings or "").strip()
    inspection.confidential = bool(confidential)
    inspection.save()
    after = snapshot(inspection, FIELDS)
    # The audit row says that the findings changed, never what they say: the trail is read more
    # widely than confidential findings.
    record(acting_user, "update", inspection, organization=inspection.unit, before=before,
           after={**after, "findings_length": len(inspection.findings)})  # fmt: skip
    return inspection


@transaction.atomic
def do_conclude_inspection(
    inspection: Inspection, *, conclusion: Document, concluded_on: datetime.date | None = None, acting_user: User
) -> Inspection:
    """The conclusion notice (thông báo kết luận) is registered: the inspection is concluded, and
    its program item done, with the notice as its output."""
    inspection = _locked(inspection)
    _require_conductor(acting_user, inspection.unit)
    if inspection.status == Status.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra, giám sát đã kết luận."))
    if inspection.status == Status.PLANNED:
        raise ValidationError(_("Cuộc kiểm tra, giám sát chưa bắt đầu: hãy ghi quyết định trước."))
    if conclusion is None:
        raise ValidationError({"conclusion": _("Hãy ghi thông báo kết luận (số hiệu đã đăng ký).")})
    _check_document(conclusion, inspection.unit, "conclusion", _("Thông báo kết luận"))
    if not inspection.findings.strip():
        raise ValidationError({"findings": _("Hãy ghi kết quả kiểm tra, giám sát trước khi kết luận.")})
    concluded_on = concluded_on or conclusion.issued_on
    assert concluded_on is not None
    if inspection.started_on and concluded_on < inspection.started_on:
        raise ValidationError({"concluded_on": _("Ngày kết luận không được trước ngày bắt đầu.")})
    before = snapshot(inspection, FIELDS)
    inspection.conclusion, inspection.concluded_on, inspection.status = conclusion, concluded_on, Status.CONCLUDED
    inspection.save()
    task = inspection.task
    if task is not None and task.completed_on is None:
        done_on = min(concluded_on, timezone.localdate())
        do_record_progress(
            task, percent=100, version=task.version, complete=True, completed_on=done_on,
            evidence_document=conclusion, text=_("Đã kết luận."), acting_user=acting_user,
        )  # fmt: skip
    record(acting_user, "conclude", inspection, organization=inspection.unit, before=before,
           after=snapshot(inspection, FIELDS))  # fmt: skip
    return inspection


@transaction.atomic
def do_add_recommendation(
    inspection: Inspection,
    *,
    content: str,
    deadline_text: str,
    lead_unit: Organization | None = None,
    acting_user: User,
) -> Recommendation:
    """A recommendation of the conclusion becomes a task with its deadline in the conducting
    unit's register of directions for the year, led by the subject's unit (or the one named),
    and is tracked, reminded and counted like any task."""
    inspection = _locked(inspection)
    _require_conductor(acting_user, inspection.unit)
    if inspection.status != Status.CONCLUDED:
        raise ValidationError(_("Kiến nghị được ghi sau khi có thông báo kết luận."))
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Hãy ghi nội dung kiến nghị.")})
    if not clean(deadline_text):
        raise ValidationError({"deadline_text": _("Hãy ghi thời hạn thực hiện kiến nghị, ví dụ 31/12/2022.")})
    if lead_unit is None:
        lead_unit = inspection.subject_unit or inspection.subject_person.home_unit  # type: ignore[union-attr]
    assert inspection.concluded_on is not None
    register = do_open_directions(inspection.unit, year=inspection.concluded_on.year, acting_user=acting_user)
    conclusion = inspection.conclusion
    task = do_add_task(
        register,
        content=_("Thực hiện kiến nghị sau %(form)s %(subject)s: %(content)s")
        % {"form": inspection.get_form_display().lower(), "subject": inspection.subject_label, "content": content},
        lead_unit=lead_unit,
        deadline_text=deadline_text,
        output=_("Báo cáo kết quả khắc phục"),
        notes=_("Kiến nghị tại thông báo kết luận số %(number)s.") % {"number": conclusion.number_text}
        if conclusion is not None
        else "",
        acting_user=acting_user,
    )
    recommendation = Recommendation.objects.create(inspection=inspection, task=task)
    record(acting_user, "create", recommendation, organization=inspection.unit, after={"task": task.pk})
    return recommendation


@transaction.atomic
def do_record_discipline(
    unit: Organization,
    *,
    penalty: str,
    decision: Document | None,
    reason: str,
    subject_unit: Organization | None = None,
    subject_person: Person | None = None,
    inspection: Inspection | None = None,
    acting_user: User,
) -> Discipline:
    """Discipline of an organization or a member, always by its decision."""
    _require_conductor(acting_user, unit)
    path = subject_path(unit, subject_unit, subject_person)
    if penalty not in Penalty.values:
        raise ValidationError({"penalty": _("Hình thức kỷ luật không hợp lệ.")})
    allowed = PERSON_PENALTIES if subject_person is not None else UNIT_PENALTIES
    if penalty not in allowed:
        raise ValidationError(
            {
                "penalty": _("Hình thức “%(penalty)s” không áp dụng cho %(who)s; chỉ có: %(allowed)s.")
                % {
                    "penalty": Penalty(penalty).label,
                    "who": _("đảng viên") if subject_person is not None else _("tổ chức đảng"),
                    "allowed": ", ".join(str(Penalty(p).label) for p in allowed),
                }
            }
        )
    if decision is None:
        raise ValidationError(
            {"decision": _("Kỷ luật phải có quyết định: hãy ghi số hiệu quyết định kỷ luật đã đăng ký.")}
        )
    _check_document(decision, unit, "decision", _("Quyết định kỷ luật"))
    assert decision.issued_on is not None  # checked: an issued document
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi nội dung vi phạm.")})
    if inspection is not None and inspection.unit_id != unit.pk:
        raise ValidationError({"inspection": _("Cuộc kiểm tra phải do chính cấp ủy quyết định kỷ luật tiến hành.")})
    discipline = Discipline.objects.create(
        unit=unit, inspection=inspection, subject_unit=subject_unit, subject_person=subject_person,
        subject_path=path, penalty=penalty, decision=decision, decided_on=decision.issued_on, reason=reason,
    )  # fmt: skip
    record(acting_user, "create", discipline, organization=unit, after=snapshot(discipline, DISCIPLINE_FIELDS))
    return discipline
