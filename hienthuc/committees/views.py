from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.committees import actions
from hienthuc.committees.access import access_assignment, access_seat, access_term, seat_order
from hienthuc.committees.forms import AssignmentForm, EndForm, SeatForm, TermForm
from hienthuc.committees.models import Assignment, Body, CommitteeSeat
from hienthuc.forms import submit
from hienthuc.orgs.access import access_organization, breadcrumbs
from hienthuc.people.access import readable_people
from hienthuc.scope import can_edit


def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_organization(request.user, pk)
    if not can_edit(request.user, unit):
        raise PermissionDenied(_("Bạn chỉ có quyền xem đơn vị này."))
    form = TermForm(request.POST or None)
    term = submit(
        request,
        form,
        lambda data: actions.do_create_term(unit, acting_user=request.user, **data),
        lambda term: _("Đã thêm %(term)s.") % {"term": term},
    )
    if term:
        return redirect("term_detail", pk=term.pk)
    return render(
        request,
        "committees/term_form.html",
        {"form": form, "unit": unit, "crumbs": [*breadcrumbs(request.user, unit), unit]},
    )


def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term = access_term(request.user, pk)
    editable = can_edit(request.user, term.unit)
    seats = sorted(CommitteeSeat.objects.filter(term=term).select_related("person__home_unit"), key=seat_order)
    seat_form = SeatForm(user=request.user, prefix="seat")
    assignment_form = AssignmentForm(user=request.user, prefix="asg")
    if request.method == "POST":
        access_term(request.user, term.pk, write=True)
        if "seat-person" in request.POST:
            seat_form = SeatForm(request.POST, user=request.user, prefix="seat")
            done = submit(
                request,
                seat_form,
                lambda data: actions.do_add_seat(term, acting_user=request.user, **data),
                _("Đã thêm cấp ủy viên."),
            )
        else:
            assignment_form = AssignmentForm(request.POST, user=request.user, prefix="asg")
            assignment_form.fields["seat"].choices = _seat_choices(seats)
            members = {str(s.pk): s.person for s in seats}
            done = submit(
                request,
                assignment_form,
                lambda data: actions.do_add_assignment(
                    term,
                    person=members[data["seat"]],
                    field=data["field"],
                    unit=data["unit"],
                    note=data["note"],
                    acting_user=request.user,
                ),
                _("Đã phân công."),
            )
        if done:
            return redirect("term_detail", pk=term.pk)
    assignment_form.fields["seat"].choices = _seat_choices(seats)
    by_body = [(b.label, [s for s in seats if s.body == b.value]) for b in Body]
    by_body = [(label, members, sum(s.end_date is None for s in members)) for label, members in by_body]
    assignments = list(Assignment.objects.filter(term=term).select_related("person", "unit"))
    context = {
        "term": term,
        "crumbs": [*breadcrumbs(request.user, term.unit), term.unit],
        "crumb_current": str(term),
        "by_body": [(label, members, sitting) for label, members, sitting in by_body if members],
        "assignments": assignments,
        "readable": readable_people(request.user, [s.person_id for s in seats] + [a.person_id for a in assignments]),
        "can_edit": editable,
        "seat_form": seat_form,
        "assignment_form": assignment_form,
    }
    return render(request, "committees/term_detail.html", context)


def _seat_choices(seats) -> list[tuple[str, str]]:
    seen, choices = set(), []
    for seat in seats:
        if seat.person_id not in seen and seat.end_date is None:  # those who left take no new work
            seen.add(seat.person_id)
            choices.append((str(seat.pk), seat.person.full_name))
    return choices


@require_POST
def seat_end(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access_seat(request.user, pk, write=True)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày thôi tham gia không hợp lệ; hãy nhập ngày/tháng/năm."))
    else:
        try:
            actions.do_end_seat(seat, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi ngày thôi tham gia; quá trình vẫn được giữ."))
    return redirect("term_detail", pk=seat.term_id)


@require_POST
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access_seat(request.user, pk, write=True)
    actions.do_remove_seat(seat, acting_user=request.user)
    messages.success(request, _("Đã bỏ cấp ủy viên khỏi danh sách."))
    return redirect("term_detail", pk=seat.term_id)


@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk, write=True)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày kết thúc không hợp lệ; hãy nhập ngày/tháng/năm."))
    else:
        try:
            actions.do_end_assignment(assignment, end_date=form.cleaned_data["end_date"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi ngày kết thúc phân công; quá trình vẫn được giữ."))
    return redirect("term_detail", pk=assignment.term_id)


@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk, write=True)
    actions.do_remove_assignment(assignment, acting_user=request.user)
    messages.success(request, _("Đã bỏ phân công."))
    return redirect("term_detail", pk=assignment.term_id)
