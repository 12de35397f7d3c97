"""Inspection and supervision pages: the list, one inspection with its stages, a program's
items, the dashboard panel, and what a unit or a member had."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.documents.access import resolve_target
from hienthuc.forms import submit
from hienthuc.inspections import actions, figures
from hienthuc.inspections.access import access_inspection
from hienthuc.inspections.forms import (
    ConcludeForm,
    DisciplineForm,
    FindingsForm,
    InspectionForm,
    ProgramItemForm,
    RecommendationForm,
    StartForm,
    TeamForm,
)
from hienthuc.inspections.models import Discipline, Form, Inspection, Status
from hienthuc.orgs.access import access_organization, breadcrumbs
from hienthuc.people.access import access_person
from hienthuc.plans.access import access_plan
from hienthuc.plans.models import PlanKind
from hienthuc.scope import can_issue, require_edits_somewhere


def _document(request: HttpRequest, text: str):
    return resolve_target(request.user, text) if (text or "").strip() else None


def inspection_list(request: HttpRequest) -> HttpResponse:
    inspections = Inspection.objects.visible_to(request.user).select_related("unit", "subject_unit", "subject_person")
    form, status = request.GET.get("form", ""), request.GET.get("status", "")
    if form in Form.values:
        inspections = inspections.filter(form=form)
    if status in Status.values:
        inspections = inspections.filter(status=status)
    page = Paginator(inspections, 50).get_page(request.GET.get("page"))
    context = {"page": page, "forms": Form.choices, "form": form, "statuses": Status.choices, "status": status}
    return render(request, "inspections/list.html", context)


def inspection_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới ghi cuộc kiểm tra, giám sát."))
    form = InspectionForm(request.POST or None, user=request.user)

    def create(data):
        decision = _document(request, data.pop("decision"))
        return actions.do_create_inspection(data.pop("unit"), decision=decision, acting_user=request.user, **data)

    inspection = submit(request, form, create, _("Đã ghi cuộc kiểm tra, giám sát."))
    if inspection:
        return redirect("inspection_detail", pk=inspection.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("Ghi cuộc kiểm tra, giám sát")})


def program_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk, write=True)
    form = ProgramItemForm(request.POST or None, user=request.user)
    if plan.kind != PlanKind.INSPECTION_PROGRAM:
        form.add_error(None, _("Chỉ thêm được mục kiểm tra, giám sát vào chương trình kiểm tra, giám sát."))
    elif submit(
        request,
        form,
        lambda data: actions.do_add_program_item(plan, acting_user=request.user, **data),
        _("Đã thêm mục vào chương trình."),
    ):
        return redirect("plan_detail", pk=plan.pk)
    context = {"form": form, "plan": plan, "title": _("Thêm mục kiểm tra, giám sát — %(plan)s") % {"plan": plan.title}}
    return render(request, "inspections/form.html", context)


STAGES = {
    "start": (
        StartForm,
        lambda r, i, d: actions.do_start_inspection(
            i, decision=_document(r, d["decision"]), started_on=d["started_on"], acting_user=r.user
        ),
        _("Đã ghi quyết định, bắt đầu kiểm tra, giám sát."),
    ),
    "team": (TeamForm, lambda r, i, d: actions.do_add_team_member(i, acting_user=r.user, **d), _("Đã thêm vào đoàn.")),
    "findings": (
        FindingsForm,
        lambda r, i, d: actions.do_record_findings(i, acting_user=r.user, **d),
        _("Đã ghi kết quả."),
    ),
    "conclude": (
        ConcludeForm,
        lambda r, i, d: actions.do_conclude_inspection(
            i, conclusion=_document(r, d["conclusion"]), concluded_on=d["concluded_on"], acting_user=r.user
        ),
        _("Đã ghi kết luận."),
    ),
    "recommendation": (
        RecommendationForm,
        lambda r, i, d: actions.do_add_recommendation(i, acting_user=r.user, **d),
        _("Đã ghi kiến nghị và giao nhiệm vụ theo dõi."),
    ),
    "discipline": (
        DisciplineForm,
        lambda r, i, d: actions.do_record_discipline(
            i.unit, inspection=i, decision=_document(r, d.pop("decision")), acting_user=r.user, **d
        ),
        _("Đã ghi kỷ luật."),
    ),
}
SCOPED = (TeamForm, RecommendationForm, DisciplineForm)


def _bound(cls, data, user):
    return cls(data, user=user) if cls in SCOPED else cls(data)


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(request.user, pk, write=request.method == "POST")
    forms: dict = {}
    status = 200
    if request.method == "POST":
        stage = request.POST.get("form", "")
        if stage in STAGES:
            cls, action, message = STAGES[stage]
            form = _bound(cls, request.POST, request.user)
            if submit(request, form, lambda d: action(request, inspection, d), message):
                return redirect("inspection_detail", pk=inspection.pk)
            forms[stage] = form
            status = 400
    readable = inspection.findings_readable(request.user)
    conductor = can_issue(request.user, inspection.unit)
    if conductor:
        initial = {
            "findings": FindingsForm(initial={"findings": inspection.findings, "confidential": inspection.confidential})
        }
        for stage, (cls, _action, _message) in STAGES.items():
            forms.setdefault(stage, initial.get(stage) or (cls(user=request.user) if cls in SCOPED else cls()))
    context = {
        "inspection": inspection,
        "conductor": conductor,
        "readable": readable,
        "team": inspection.team.all(),
        "recommendations": inspection.recommendations.select_related("task__lead_unit"),
        "disciplines": inspection.disciplines.select_related("subject_unit", "subject_person", "decision")
        if readable
        else [],
        "forms": forms,
        "crumbs": breadcrumbs(request.user, inspection.unit),
        "crumb_current": str(inspection),
    }
    return render(request, "inspections/detail.html", context, status=status)


def subject_page(request: HttpRequest, inspections, disciplines, context: dict) -> HttpResponse:
    context.update(
        {
            "inspections": inspections.visible_to(request.user)
            .select_related("unit", "subject_unit", "subject_person")
            .order_by("-id")[:200],
            "disciplines": disciplines.visible_to(request.user)
            .select_related("unit", "subject_unit", "subject_person", "decision")
            .order_by("-decided_on")[:200],
        }
    )
    return render(request, "inspections/subject.html", context)


def unit_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspections and supervisions a unit had (and discipline), for those who see it."""
    org = access_organization(request.user, pk)
    context = {"subject": org.name, "crumbs": breadcrumbs(request.user, org), "crumb_current": org.name}
    return subject_page(
        request, Inspection.objects.filter(subject_unit=org), Discipline.objects.filter(subject_unit=org), context
    )


def person_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    context = {
        "subject": person.full_name,
        "crumbs": [*breadcrumbs(request.user, person.home_unit), person.home_unit],
        "crumb_current": person.full_name,
    }
    return subject_page(
        request,
        Inspection.objects.filter(subject_person=person),
        Discipline.objects.filter(subject_person=person),
        context,
    )


def unit_inspections_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's inspection panel (htmx), or a page of its own."""
    org = access_organization(request.user, pk)
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        **figures.inspection_panel(org, request.user, timezone.localdate()),
    }
    template = "inspections/panel.html#panel" if request.htmx else "inspections/panel.html"
    return render(request, template, context)
