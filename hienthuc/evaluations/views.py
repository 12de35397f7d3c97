"""Evaluation and commendation pages: the year's evaluations of a level, one evaluation with its
evidence and stages, the dashboard panel, the commendations per decision and those proposed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.committees.models import Term
from hienthuc.documents.access import resolve_target
from hienthuc.evaluations import actions, figures
from hienthuc.evaluations.access import access_evaluation
from hienthuc.evaluations.forms import BandForm, CommendForm, DecideForm, OpenForm, RuleForm
from hienthuc.evaluations.models import Band, Commendation, Evaluation, Stage
from hienthuc.forms import add_action_errors, submit
from hienthuc.orgs.access import access_organization, breadcrumbs
from hienthuc.scope import can_edit, can_issue


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - 1


def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = Evaluation.objects.visible_to(request.user).select_related(
        "unit", "subject_unit", "subject_person", "term"
    )
    year = _year(request)
    evaluations = evaluations.filter(year=year)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = access_organization(request.user, int(request.GET["unit"]))
        evaluations = evaluations.filter(unit=unit)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        evaluations = evaluations.filter(stage=stage)
    form = OpenForm(request.POST or None, user=request.user, initial={"year": year})

    def open_year(data):
        unit, term = data["unit"], None
        if data["whole_term"]:
            term = Term.objects.current_for(unit)
            if term is None:
                raise ValidationError({"whole_term": _("%(unit)s chưa có nhiệm kỳ.") % {"unit": unit.name}})
        opened = actions.do_open_evaluations(
            unit, year=data["year"], term=term, people=data["people"], acting_user=request.user
        )
        return unit, opened

    opened = submit(request, form, open_year, lambda result: _("Đã mở %(n)s phiếu đánh giá.") % {"n": result[1]})
    if opened:
        return redirect(f"{request.path}?unit={opened[0].pk}&year={form.cleaned_data['year']}")
    context = {
        "page": Paginator(evaluations, 100).get_page(request.GET.get("page")),
        "year": year,
        "unit": unit,
        "stage": stage,
        "stages": Stage.choices,
        "form": form,
    }
    return render(request, "evaluations/list.html", context)


STAGES = {
    "self": (BandForm, actions.do_self_assess, _("Đã ghi tự đánh giá.")),
    "propose": (BandForm, actions.do_propose_evaluation, _("Đã ghi đề xuất xếp loại.")),
    "decide": (DecideForm, actions.do_decide_evaluation, _("Đã ghi quyết định xếp loại.")),
}


def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access_evaluation(request.user, pk)
    forms: dict = {}
    status = 200
    if request.method == "POST":
        stage = request.POST.get("form", "")
        if stage == "refresh":
            try:
                actions.do_refresh_evaluation(evaluation, acting_user=request.user)
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from None
            return redirect("evaluation_detail", pk=pk)
        if stage in STAGES:
            cls, action, message = STAGES[stage]
            form = cls(request.POST, prefix=stage)

            def run(data, action=action):
                if "decision" in data:
                    text = data.pop("decision")
                    data["decision"] = resolve_target(request.user, text) if text.strip() else None
                return action(evaluation, acting_user=request.user, **data)

            if submit(request, form, run, message):
                return redirect("evaluation_detail", pk=pk)
            forms[stage] = form
            status = 400
    band = evaluation.computed_band or Band.COMPLETE
    open_ = evaluation.stage != Stage.DECIDED
    if open_ and actions.may_self_assess(request.user, evaluation):
        forms.setdefault("self", BandForm(initial={"band": band, "score": evaluation.computed_score}, prefix="self"))
    if open_ and can_edit(request.user, evaluation.unit):
        forms.setdefault(
            "propose", BandForm(initial={"band": band, "score": evaluation.computed_score}, prefix="propose")
        )
    if open_ and can_issue(request.user, evaluation.unit):
        proposed = evaluation.proposed_band or band
        forms.setdefault(
            "decide",
            DecideForm(
                initial={"band": proposed, "score": evaluation.proposed_score or evaluation.computed_score},
                prefix="decide",
            ),
        )
    parts = evaluation.evidence.get("parts", {})
    context = {
        "evaluation": evaluation,
        "e": evaluation.evidence,
        "parts": parts,
        "forms": forms,
        "can_refresh": open_ and can_edit(request.user, evaluation.unit),
        "crumbs": breadcrumbs(request.user, evaluation.unit),
        "crumb_current": str(evaluation),
    }
    return render(request, "evaluations/detail.html", context, status=status)


def unit_evaluations_panel(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    year = (
        Evaluation.objects.filter(subject_path__startswith=org.path, stage=Stage.DECIDED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
        or timezone.localdate().year
    )
    context = {
        "org": org,
        "year": year,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "bands": figures.band_counts(org, year),
        "stages": figures.stage_counts(org, year, Evaluation.objects.visible_to(request.user)),
        "can_commend": can_issue(request.user, org),
    }
    template = "evaluations/panel.html#panel" if request.htmx else "evaluations/panel.html"
    return render(request, template, context)


def commendation_list(request: HttpRequest) -> HttpResponse:
    commendations = Commendation.objects.visible_to(request.user)
    decisions = figures.decision_counts(commendations)
    from hienthuc.documents.models import Document

    documents = Document.objects.visible_to(request.user).in_bulk([d["decision_id"] for d in decisions])
    for d in decisions:
        d["decision"] = documents.get(d["decision_id"])
    page = Paginator(
        commendations.select_related("decision", "subject_unit", "subject_person", "unit").order_by(
            "-year", "decision", "subject_person", "subject_path"
        ),
        100,
    ).get_page(request.GET.get("page"))
    return render(request, "evaluations/commendations.html", {"decisions": decisions, "page": page})


def commendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Commend, by one decision of `pk`, those of its tree rated excellent (the proposals)."""
    org = access_organization(request.user, pk, write=True)
    year = _year(request)
    proposals = list(figures.commendation_proposals(org, year, request.user)[:500])
    form = CommendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = {int(x) for x in request.POST.getlist("evaluation") if x.isdigit()}
        entries = [
            {
                "subject_unit": e.subject_unit,
                "subject_person": e.subject_person,
                "evaluation": e,
                "reason": request.POST.get(f"reason-{e.pk}")
                or _("Hoàn thành xuất sắc nhiệm vụ năm %(year)s") % {"year": year},
            }  # fmt: skip
            for e in proposals
            if e.pk in chosen
        ]
        try:
            text = form.cleaned_data["decision"]
            decision = resolve_target(request.user, text) if text.strip() else None
            made = actions.do_commend(
                org,
                decision=decision,
                kind=form.cleaned_data["kind"],
                year=year,
                entries=entries,
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            from django.contrib import messages

            messages.success(request, _("Đã ghi khen thưởng %(n)s tập thể, cá nhân.") % {"n": len(made)})
            return redirect("commendation_list")
    context = {"org": org, "year": year, "proposals": proposals, "form": form,
               "crumbs": breadcrumbs(request.user, org), "crumb_current": org.name}  # fmt: skip
    return render(request, "evaluations/commend.html", context, status=400 if form.errors else 200)


def rule_detail(request: HttpRequest) -> HttpResponse:
    rule = actions.active_rule()
    form = RuleForm(request.POST or None, instance=rule) if request.user.is_superuser else None
    if form is not None and submit(
        request, form,
        lambda d: actions.do_update_rule(rule, acting_user=request.user, **d),
        _("Đã lưu cách tính điểm."),
    ):  # fmt: skip
        return redirect("evaluation_rule")
    return render(
        request, "evaluations/rule.html", {"rule": actions.active_rule() if form is None else rule, "form": form}
    )
