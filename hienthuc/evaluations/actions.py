"""Evaluations and commendations: one function per change, atomic and audited.

Who does what: the level above opens its units' (or its members') evaluations for a year and
proposes; the subject's own editors (a member: themself) assess themselves; those who issue in
the evaluating unit's name decide. Every stage may keep the band it is shown or change it, and a
change needs a reason (docs/architecture.md, "Evaluation")."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, record_each, snapshot
from hienthuc.committees.models import Term
from hienthuc.documents.models import Document
from hienthuc.evaluations import evidence as ev
from hienthuc.evaluations.models import (
    DEFAULT_RULE,
    Band,
    Commendation,
    CommendationKind,
    Evaluation,
    EvaluationRule,
    Stage,
    term_years,
)
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person
from hienthuc.scope import EDIT_KINDS, can_edit, can_issue, root_paths

FIELDS = ["unit", "year", "subject_unit", "subject_person", "rule", "computed_score", "computed_band", "self_score",
          "self_band", "self_reason", "proposed_score", "proposed_band", "proposed_reason", "final_score",
          "final_band", "final_reason", "decision", "stage"]  # fmt: skip
RULE_FIELDS = ["name", "source", "excellent_min", "good_min", "complete_min", "late_penalty", "complete_max_late",
               "weight_tasks", "weight_reports", "weight_indicators", "weight_study", "aim_good"]  # fmt: skip
YEAR_MIN = 2000


def active_rule() -> EvaluationRule:
    """The rule in force; the default one (seeded by a migration) if none is."""
    rule = EvaluationRule.objects.filter(is_active=True).first()
    return rule or EvaluationRule.objects.create(**DEFAULT_RULE)


def _check_year(year: int) -> None:
    if year is None or not YEAR_MIN <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Năm đánh giá phải từ %(min)s đến năm nay.") % {"min": YEAR_MIN}})


def _scored(evaluation: Evaluation, evidence: dict, rule: EvaluationRule, today: datetime.date) -> None:
    total, band, parts = ev.score(evidence, rule)
    evaluation.evidence = {**evidence, "parts": ev.as_json(parts)}
    evaluation.rule = rule
    evaluation.computed_score, evaluation.computed_band, evaluation.computed_on = total, band, today


@transaction.atomic
def do_open_evaluations(
    unit: Organization,
    *,
    year: int | None = None,
    term: Term | None = None,
    people: bool = False,
    acting_user: User,
) -> int:
    """The year's (or, with `term`, the term's) evaluations of every unit right below `unit` (its
    bodies excepted: offices and boards are evaluated as agencies, not here) or, with `people`,
    of its own active members, each with its evidence and the rule's proposal. Those already
    open are left as they are."""
    if not can_edit(acting_user, unit):
        raise ValidationError(
            _("Chỉ cấp ủy (người có quyền biên tập) của %(unit)s mới mở đánh giá.") % {"unit": unit.name}
        )
    if term is not None:
        if term.unit_id != unit.pk:
            raise ValidationError({"term": _("Nhiệm kỳ phải là nhiệm kỳ của %(unit)s.") % {"unit": unit.name}})
        if term.start_year > timezone.localdate().year:
            raise ValidationError({"term": _("Nhiệm kỳ chưa bắt đầu.")})
        year, years = term.end_year, term_years(term)
    else:
        if year is None:
            raise ValidationError({"year": _("Hãy ghi năm đánh giá.")})
        _check_year(year)
        years = range(year, year + 1)
    today = timezone.localdate()
    rule = active_rule()
    period = {"term": term} if term is not None else {"year": year, "term__isnull": True}
    fresh: list[Evaluation] = []
    if people:
        done = set(
            Evaluation.objects.filter(subject_person__home_unit=unit, **period).values_list(
                "subject_person_id", flat=True
            )
        )
        members = [
            p
            for p in Person.objects.filter(home_unit=unit, is_active=True).select_related("home_unit")
            if p.pk not in done
        ]
        found = ev.people_evidence(members, years, today)
        for person in members:
            evaluation = Evaluation(unit=unit, year=year, term=term, subject_person=person, subject_path=unit.path)
            _scored(evaluation, found[person.pk], rule, today)
            fresh.append(evaluation)
    else:
        done = set(
            Evaluation.objects.filter(unit=unit, subject_unit__isnull=False, **period).values_list(
                "subject_unit_id", flat=True
            )
        )
        below = [
            u
            for u in Organization.objects.filter(
                path__startswith=unit.path, depth=unit.depth + 1, is_active=True, kind__is_body=False
            )
            if u.pk not in done
        ]
        found = ev.units_evidence(below, years, today)
        for child in below:
            evaluation = Evaluation(unit=unit, year=year, term=term, subject_unit=child, subject_path=child.path)
            _scored(evaluation, found[child.pk], rule, today)
            fresh.append(evaluation)
    Evaluation.objects.bulk_create(fresh, batch_size=1000)
    after = {"year": year, "term": term.pk if term is not None else None}
    record_each(acting_user, "create", fresh, organization=lambda e: unit, after=after)
    return len(fresh)


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        # of=self: the subject's side is an outer join, which PostgreSQL will not lock.
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("unit", "subject_unit", "subject_person__home_unit", "rule", "term")
        .get(pk=evaluation.pk)
    )


def _open(evaluation: Evaluation) -> None:
    if evaluation.stage == Stage.DECIDED:
        raise ValidationError(_("Đánh giá đã có quyết định; không thay đổi được nữa."))


def _check_band(score: Decimal | None, band: str, reason: str, reference: str) -> str:
    if score is not None and not Decimal(0) <= Decimal(score) <= Decimal(100):
        raise ValidationError({"score": _("Điểm phải từ 0 đến 100.")})
    if band not in Band.values:
        raise ValidationError({"band": _("Hãy chọn mức xếp loại.")})
    reason = (reason or "").strip()
    if reference and band != reference and not reason:
        raise ValidationError(
            {
                "reason": _("Xếp loại “%(band)s” khác mức đề xuất “%(reference)s”: hãy ghi lý do thay đổi.")
                % {"band": Band(band).label, "reference": Band(reference).label}
            }
        )
    return reason


@transaction.atomic
def do_refresh_evaluation(evaluation: Evaluation, *, acting_user: User) -> Evaluation:
    """Recompute the evidence and the system's proposal (the human stages stay as they are)."""
    evaluation = _locked(evaluation)
    if not can_edit(acting_user, evaluation.unit):
        raise ValidationError(_("Chỉ cấp đánh giá mới tính lại được."))
    _open(evaluation)
    before = snapshot(evaluation, FIELDS)
    today = timezone.localdate()
    if evaluation.subject_person is not None:
        person = evaluation.subject_person
        found = ev.people_evidence([person], evaluation.years, today)[person.pk]
    else:
        assert evaluation.subject_unit is not None
        found = ev.units_evidence([evaluation.subject_unit], evaluation.years, today)[evaluation.subject_unit.pk]
    _scored(evaluation, found, active_rule(), today)
    evaluation.save()
    record(
        acting_user,
        "update",
        evaluation,
        organization=evaluation.unit,
        before=before,
        after=snapshot(evaluation, FIELDS),
    )
    return evaluation


def may_self_assess(user, evaluation: Evaluation) -> bool:
    """The subject's own editors (a role on the unit itself, not one above it); a member
    themself or the editors of their unit."""
    if user.is_superuser:
        return True
    own = set(root_paths(user, EDIT_KINDS))
    person = evaluation.subject_person
    if person is not None:
        return person.user_id == user.pk or person.home_unit.path in own
    return evaluation.subject_path in own


def _write_stage(
    evaluation: Evaluation,
    prefix: str,
    *,
    score,
    band: str,
    reason: str,
    reference: str,
    stage: str,
    action: str,
    acting_user: User,
) -> Evaluation:
    """One human stage: its score, band and reason (required when the band differs from
    `reference`), audited as `action`."""
    _open(evaluation)
    reason = _check_band(score, band, reason, reference)
    before = snapshot(evaluation, FIELDS)
    setattr(evaluation, f"{prefix}_score", score)
    setattr(evaluation, f"{prefix}_band", band)
    setattr(evaluation, f"{prefix}_reason", reason)
    evaluation.stage = stage
    evaluation.save()
    after = snapshot(evaluation, FIELDS)
    record(acting_user, action, evaluation, organization=evaluation.unit, before=before, after=after)
    return evaluation


@transaction.atomic
def do_self_assess(
    evaluation: Evaluation, *, score: Decimal | None, band: str, reason: str = "", acting_user: User
) -> Evaluation:
    evaluation = _locked(evaluation)
    if not may_self_assess(acting_user, evaluation):
        raise ValidationError(_("Chỉ chính tập thể, cá nhân được đánh giá mới tự đánh giá."))
    # A self-assessment after the proposal does not move the evaluation back a stage.
    stage = Stage.SELF if evaluation.stage == Stage.COMPUTED else evaluation.stage
    return _write_stage(
        evaluation, "self", score=score, band=band, reason=reason, reference=evaluation.computed_band, stage=stage,
        action="self_assess", acting_user=acting_user,
    )  # fmt: skip


@transaction.atomic
def do_propose_evaluation(
    evaluation: Evaluation, *, score: Decimal | None, band: str, reason: str = "", acting_user: User
) -> Evaluation:
    """The level above confirms the system's proposal or changes it, with a reason."""
    evaluation = _locked(evaluation)
    if not can_edit(acting_user, evaluation.unit):
        raise ValidationError(
            _("Chỉ cấp ủy cấp trên (%(unit)s) mới đề xuất xếp loại.") % {"unit": evaluation.unit.name}
        )
    return _write_stage(
        evaluation, "proposed", score=score, band=band, reason=reason, reference=evaluation.computed_band,
        stage=Stage.PROPOSED, action="propose", acting_user=acting_user,
    )  # fmt: skip


@transaction.atomic
def do_decide_evaluation(
    evaluation: Evaluation,
    *,
    band: str,
    score: Decimal | None = None,
    reason: str = "",
    decision: Document | None = None,
    acting_user: User,
) -> Evaluation:
    evaluation = _locked(evaluation)
    if not can_issue(acting_user, evaluation.unit):
        raise ValidationError(_("Chỉ %(unit)s mới quyết định xếp loại.") % {"unit": evaluation.unit.name})
    _open(evaluation)
    reference = evaluation.proposed_band or evaluation.computed_band
    reason = _check_band(score, band, reason, reference)
    if decision is not None and not decision.issued_within(evaluation.unit):
        raise ValidationError({"decision": _("Quyết định phải là văn bản đã ban hành của cấp đánh giá.")})
    before = snapshot(evaluation, FIELDS)
    evaluation.final_score = score if score is not None else evaluation.proposed_score or evaluation.computed_score
    evaluation.final_band, evaluation.final_reason, evaluation.decision = band, reason, decision
    evaluation.stage, evaluation.decided_at = Stage.DECIDED, timezone.now()
    evaluation.decided_by = acting_user if acting_user.pk else None
    evaluation.save()
    record(
        acting_user,
        "decide",
        evaluation,
        organization=evaluation.unit,
        before=before,
        after=snapshot(evaluation, FIELDS),
    )
    return evaluation


@transaction.atomic
def do_update_rule(rule: EvaluationRule, *, acting_user: User, **changes) -> EvaluationRule:
    """Change the scoring rule (a superuser's setting: it applies to every new evaluation)."""
    if not acting_user.is_superuser:
        raise ValidationError(_("Chỉ quản trị hệ thống mới thay đổi cách tính điểm."))
    rule = EvaluationRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    for name, value in changes.items():
        if name not in RULE_FIELDS:
            raise ValidationError(_("Không có thông số “%(name)s”.") % {"name": name})
        setattr(rule, name, value)
    if not (100 >= rule.excellent_min > rule.good_min > rule.complete_min):
        raise ValidationError(
            _("Các mức điểm phải giảm dần: hoàn thành xuất sắc > hoàn thành tốt > hoàn thành, tối đa 100.")
        )
    if rule.late_penalty > 100 or rule.complete_max_late > 100 or rule.aim_good > 100:
        raise ValidationError(_("Tỷ lệ phần trăm phải từ 0 đến 100."))
    if not (rule.weight_tasks + rule.weight_reports + rule.weight_indicators + rule.weight_study):
        raise ValidationError(_("Cần ít nhất một trọng số lớn hơn 0."))
    rule.save()
    record(acting_user, "update", rule, before=before, after=snapshot(rule, RULE_FIELDS))
    return rule


@transaction.atomic
def do_commend(
    unit: Organization,
    *,
    decision: Document | None,
    kind: str,
    year: int,
    entries: list[dict],
    acting_user: User,
) -> list[Commendation]:
    """One decision's commendations: each entry names a unit (collective) or a person
    (individual) of `unit`'s tree, the achievement, and the evaluation it was drawn from."""
    if not can_issue(acting_user, unit):
        raise ValidationError(_("Chỉ %(unit)s mới ghi được khen thưởng của mình.") % {"unit": unit.name})
    if kind not in CommendationKind.values:
        raise ValidationError({"kind": _("Hình thức khen thưởng không hợp lệ.")})
    _check_year(year)
    if decision is None:
        raise ValidationError({"decision": _("Khen thưởng phải có quyết định: hãy ghi số hiệu quyết định đã đăng ký.")})
    if not decision.issued_within(unit):
        raise ValidationError(
            {"decision": _("Quyết định khen thưởng phải là văn bản đã ban hành của %(unit)s.") % {"unit": unit.name}}
        )
    if not entries:
        raise ValidationError(_("Hãy chọn ít nhất một tập thể hoặc cá nhân được khen thưởng."))
    made, seen = [], set()
    existing = set(Commendation.objects.filter(decision=decision).values_list("subject_unit_id", "subject_person_id"))
    for number, entry in enumerate(entries, start=1):
        subject_unit: Organization | None = entry.get("subject_unit")
        person: Person | None = entry.get("subject_person")
        if subject_unit is not None and person is None:
            path, name = subject_unit.path, subject_unit.name
        elif person is not None and subject_unit is None:
            path, name = person.home_unit.path, person.full_name
        else:
            raise ValidationError(_("Dòng %(n)s: hãy ghi một tập thể hoặc một cá nhân.") % {"n": number})
        if not path.startswith(unit.path):
            raise ValidationError(
                _("Dòng %(n)s: “%(name)s” không thuộc %(unit)s.") % {"n": number, "name": name, "unit": unit.name}
            )
        key = (subject_unit.pk if subject_unit else None, person.pk if person else None)
        if key in seen or key in existing:
            raise ValidationError(_("Dòng %(n)s: “%(name)s” đã có trong quyết định này.") % {"n": number, "name": name})
        seen.add(key)
        reason = (entry.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("Dòng %(n)s: hãy ghi thành tích của “%(name)s”.") % {"n": number, "name": name})
        made.append(
            Commendation(
                unit=unit,
                decision=decision,
                kind=kind,
                year=year,
                subject_unit=subject_unit,
                subject_person=person,
                subject_path=path,
                reason=reason,
                evaluation=entry.get("evaluation"),
            )  # fmt: skip
        )
    Commendation.objects.bulk_create(made)
    record_each(acting_user, "create", made, organization=lambda c: unit, after={"decision": decision.pk, "kind": kind})
    return made
