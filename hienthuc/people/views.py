from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.audit.describe import describe
from hienthuc.audit.models import AuditEvent
from hienthuc.audit.redact import redact
from hienthuc.committees.models import Assignment, CommitteeSeat
from hienthuc.forms import resolve_unit, submit
from hienthuc.orgs.access import breadcrumbs
from hienthuc.orgs.models import Organization
from hienthuc.people import actions
from hienthuc.people.access import access_person, access_position
from hienthuc.people.forms import PersonForm, PositionEndForm, PositionForm
from hienthuc.people.models import Person, Position
from hienthuc.scope import can_edit, require_edits_somewhere


def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user).select_related("home_unit")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.search(query)
    unit_code = request.GET.get("unit", "").strip()
    unit, problem = None, ""
    if unit_code:
        try:
            unit = resolve_unit(unit_code, Organization.objects.visible_to(request.user))
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        people = people.in_subtree(unit) if unit else people.none()
    page = Paginator(people.order_by("search_name", "pk"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "unit": unit, "unit_code": unit_code, "problem": problem}
    if request.htmx:
        return render(request, "people/person_list.html#results", context)
    return render(request, "people/person_list.html", context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    context = {
        "person": person,
        "crumbs": [*breadcrumbs(request.user, person.home_unit), person.home_unit],
        "crumb_current": person.full_name,
        "positions": Position.objects.filter(person=person).select_related("unit"),
        "seats": CommitteeSeat.objects.filter(person=person).select_related("term__unit").order_by("-term__start_year"),
        "assignments": Assignment.objects.filter(person=person)
        .select_related("term__unit", "unit")
        .order_by("-term__start_year"),
        "can_edit": can_edit(request.user, person.home_unit),
    }
    return render(request, "people/person_detail.html", context)


def person_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới thêm người."))
    initial = {"home_unit": request.GET.get("unit", "")}
    form = PersonForm(request.POST or None, initial=initial, user=request.user)
    person = submit(
        request,
        form,
        lambda data: actions.do_create_person(acting_user=request.user, **data),
        lambda person: _("Đã thêm “%(full_name)s”.") % {"full_name": person.full_name},
    )
    if person:
        return redirect("person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk, write=True)
    initial = {
        "full_name": person.full_name,
        "birth_year": person.birth_year,
        "gender": person.gender,
        "party_joined_on": person.party_joined_on,
        "home_unit": person.home_unit.code,
    }
    form = PersonForm(request.POST or None, initial=initial, user=request.user)
    if submit(
        request,
        form,
        lambda data: actions.do_update_person(person, acting_user=request.user, **data),
        _("Đã lưu thông tin."),
    ):
        return redirect("person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
def person_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    person = access_person(request.user, pk, write=True)
    actions.do_set_person_active(person, active, acting_user=request.user)
    messages.success(request, _("Đã cập nhật trạng thái công tác."))
    return redirect("person_detail", pk=person.pk)


def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk, write=True)
    form = PositionForm(request.POST or None, initial={"unit": person.home_unit.code}, user=request.user)
    if submit(
        request,
        form,
        lambda data: actions.do_add_position(person, acting_user=request.user, **data),
        _("Đã thêm chức vụ."),
    ):
        return redirect("person_detail", pk=person.pk)
    return render(request, "people/position_form.html", {"form": form, "person": person})


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    events = AuditEvent.objects.filter(
        object_type="people.person", object_id=str(person.pk)
    ) | AuditEvent.objects.filter(object_type="people.position", after__person=person.pk)
    page = Paginator(events.select_related("actor").order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    lines = describe(redact(request.user, list(page.object_list)))
    return render(
        request,
        "audit/history.html",
        {
            "subject": person,
            "page": page,
            "lines": lines,
            "crumbs": [*breadcrumbs(request.user, person.home_unit), person.home_unit],
            "back": f"/people/{person.pk}/",
        },
    )


def person_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a person box: "Họ tên [id]" options for a <datalist>."""
    query = next((v for v in request.GET.values() if v.strip()), "")
    people = Person.objects.visible_to(request.user).active().search(query).select_related("home_unit")[:20]
    return render(request, "people/person_lookup.html", {"people": people if query else []})


@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = access_position(request.user, pk, write=True)
    form = PositionEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày kết thúc không hợp lệ; hãy nhập ngày/tháng/năm."))
    else:
        try:
            actions.do_end_position(position, end_date=form.cleaned_data["end_date"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi ngày thôi giữ chức vụ."))
    return redirect("person_detail", pk=position.person_id)
