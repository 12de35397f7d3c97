"""Terms, committee seats and assignments: one function per change, atomic and audited."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.committees import rules
from hienthuc.committees.models import Assignment, Body, CommitteeSeat, SeatRole, SeatSource, Term
from hienthuc.lib.roman import from_roman
from hienthuc.lib.text import clean, max_length
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person
from hienthuc.scope import can_edit, can_view

TERM_FIELDS = ["unit", "number", "start_year", "end_year", "began_on"]
SEAT_FIELDS = ["term", "person", "body", "role", "start_date", "end_date", "how", "decision", "left_decision"]
ASSIGNMENT_FIELDS = ["term", "person", "field", "unit", "note", "end_date"]
FIELD_MAX = max_length(Assignment, "field")


def parse_term_number(text: str) -> int:
    try:
        return from_roman(text)
    except ValueError:
        raise ValidationError({"number": _("Khóa phải là số La Mã (ví dụ XX) hoặc số nguyên dương.")}) from None


@transaction.atomic
def do_create_term(
    unit: Organization, *, number: str | int, start_year: int, end_year: int, began_on=None, acting_user: User
) -> Term:
    if not can_edit(acting_user, unit):
        raise ValidationError(_("Bạn không có quyền thêm nhiệm kỳ cho đơn vị này."))
    value = number if isinstance(number, int) else parse_term_number(number)
    if value < 1:
        raise ValidationError({"number": _("Khóa phải là số dương.")})
    if not (1930 <= start_year <= 2200):
        raise ValidationError({"start_year": _("Năm bắt đầu phải từ 1930 đến 2200.")})
    if not (start_year < end_year <= start_year + 10):
        raise ValidationError({"end_year": _("Năm kết thúc phải sau năm bắt đầu và không quá 10 năm.")})
    if began_on is not None and began_on.year != start_year:
        raise ValidationError({"began_on": _("Ngày bắt đầu phải thuộc năm bắt đầu của nhiệm kỳ.")})
    if Term.objects.filter(unit=unit, number=value).exists():
        raise ValidationError({"number": _("Đơn vị đã có nhiệm kỳ khóa này.")})
    # Terms follow one another: the congress year closes one and opens the next.
    overlapping = Term.objects.filter(unit=unit, start_year__lt=end_year, end_year__gt=start_year).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "start_year": _("Trùng thời gian với nhiệm kỳ khóa %(roman)s (%(start)s–%(end)s) của đơn vị.")
                % {"roman": overlapping.roman, "start": overlapping.start_year, "end": overlapping.end_year}
            }
        )
    term = Term.objects.create(unit=unit, number=value, start_year=start_year, end_year=end_year, began_on=began_on)
    record(acting_user, "create", term, organization=unit, after=snapshot(term, TERM_FIELDS))
    return term


@transaction.atomic
def do_add_seat(
    term: Term,
    *,
    person: Person,
    body: str,
    role: str,
    start_date=None,
    end_date=None,
    how: str = SeatSource.ELECTED,
    decision: str = "",
    acting_user: User,
) -> CommitteeSeat:
    if not can_edit(acting_user, term.unit):
        raise ValidationError(_("Bạn không có quyền sửa cấp ủy của đơn vị này."))
    if not can_view(acting_user, person.home_unit):
        raise ValidationError({"person": _("Người này không nằm trong phạm vi của bạn.")})
    if body not in Body.values:
        raise ValidationError({"body": _("Cơ quan không hợp lệ.")})
    if role not in SeatRole.values:
        raise ValidationError({"role": _("Chức danh không hợp lệ.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if how not in SeatSource.values:
        raise ValidationError({"how": _("Hình thức không hợp lệ.")})
    if how != SeatSource.ELECTED and not clean(decision):
        raise ValidationError(
            {"decision": _("Hãy ghi quyết định hoặc biên bản bầu bổ sung, chỉ định (số hiệu, ngày).")}
        )
    if CommitteeSeat.objects.filter(term=term, person=person, body=body).exists():
        raise ValidationError({"person": _("Người này đã có trong cơ quan này của nhiệm kỳ.")})
    _check_composition(term, person=person, body=body, role=role, start_date=start_date, end_date=end_date)
    seat = CommitteeSeat.objects.create(
        term=term, person=person, body=body, role=role, start_date=start_date, end_date=end_date, how=how,
        decision=clean(decision)[:300],
    )  # fmt: skip
    record(acting_user, "create", seat, organization=term.unit, after=snapshot(seat, SEAT_FIELDS))
    return seat


def _check_composition(term: Term, *, person: Person, body: str, role: str, start_date, end_date) -> None:
    """The composition rules (committees/rules.py) against the term's seats, each refused with
    what it says."""
    seats = [
        SeatLine(s.person_id, s.person.full_name, s.body, s.role, s.start_date, s.end_date)
        for s in CommitteeSeat.objects.filter(term=term).select_related("person")
    ]
    problem = composition_problem(seats, SeatLine(person.pk, person.full_name, body, role, start_date, end_date))
    if problem is not None:
        raise ValidationError({problem[0]: problem[1]})


@dataclass(frozen=True)
class SeatLine:
    person_id: int
    name: str
    body: str
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None


def composition_problem(seats: list[SeatLine], new: SeatLine) -> tuple[str, str] | None:
    """(field, message) of the first composition rule `new` breaks beside `seats`, or None. The
    form, the API and the seat import (committees/importing.py, which adds a file's rows one by
    one to the seats already there) all judge by this."""
    body_label, role_label = Body(new.body).label, SeatRole(new.role).label
    if new.role not in rules.ROLES_BY_BODY[new.body]:
        allowed = ", ".join(str(SeatRole(r).label) for r in SeatRole.values if r in rules.ROLES_BY_BODY[new.body])
        return "role", _("%(body)s không có chức danh “%(role)s”; chọn một trong: %(allowed)s.") % {
            "body": body_label, "role": role_label, "allowed": allowed,
        }  # fmt: skip
    if new.role in rules.SINGLE_ROLES:
        for seat in seats:
            if seat.body != new.body or seat.role != new.role:
                continue
            # Two holders in turn (one left, the next was elected) do not overlap.
            if (seat.end_date is None or new.start_date is None or seat.end_date >= new.start_date) and (
                new.end_date is None or seat.start_date is None or new.end_date >= seat.start_date
            ):
                return "role", _(
                    "%(body)s đã có %(role)s trong cùng thời gian: %(name)s. Hãy ghi ngày thôi giữ chức của người "
                    "trước, rồi thêm người mới."
                ) % {"body": body_label, "role": role_label, "name": seat.name}  # fmt: skip
    source = rules.ELECTED_FROM.get(new.body)
    if source is not None and not any(s.person_id == new.person_id and s.body == source for s in seats):
        return "person", _("%(name)s chưa có trong %(source)s của nhiệm kỳ; %(body)s được bầu từ %(source)s.") % {
            "name": new.name, "source": Body(source).label, "body": body_label,
        }  # fmt: skip
    return None


@transaction.atomic
def do_end_seat(seat: CommitteeSeat, *, end_date, decision: str = "", acting_user: User) -> CommitteeSeat:
    """A member leaves a body (moved, retired, disciplined): the seat stays, dated, so the
    person's and the committee's pages keep the history. Removing is for a seat entered by
    mistake."""
    seat = CommitteeSeat.objects.select_for_update().select_related("term__unit").get(pk=seat.pk)
    if not can_edit(acting_user, seat.term.unit):
        raise ValidationError(_("Bạn không có quyền sửa cấp ủy của đơn vị này."))
    if seat.end_date is not None:
        raise ValidationError(_("Đã ghi ngày thôi tham gia."))
    if seat.start_date and end_date < seat.start_date:
        raise ValidationError({"end_date": _("Ngày thôi tham gia phải sau ngày bắt đầu.")})
    before = snapshot(seat, SEAT_FIELDS)
    seat.end_date, seat.left_decision = end_date, clean(decision)[:300]
    seat.save(update_fields=["end_date", "left_decision"])
    record(acting_user, "update", seat, organization=seat.term.unit, before=before, after=snapshot(seat, SEAT_FIELDS))
    return seat


@transaction.atomic
def do_remove_seat(seat: CommitteeSeat, *, acting_user: User) -> None:
    if not can_edit(acting_user, seat.term.unit):
        raise ValidationError(_("Bạn không có quyền sửa cấp ủy của đơn vị này."))
    before = snapshot(seat, SEAT_FIELDS)
    record(acting_user, "delete", seat, organization=seat.term.unit, before=before)
    seat.delete()


@transaction.atomic
def do_add_assignment(
    term: Term, *, person: Person, field: str = "", unit: Organization | None = None, note: str = "", acting_user: User
) -> Assignment:
    if not can_edit(acting_user, term.unit):
        raise ValidationError(_("Bạn không có quyền phân công trong nhiệm kỳ này."))
    field, note = clean(field), clean(note)
    if not field and unit is None:
        raise ValidationError(_("Hãy nhập lĩnh vực hoặc chọn đơn vị phụ trách."))
    if len(field) > FIELD_MAX:
        raise ValidationError({"field": _("Lĩnh vực dài tối đa %(FIELD_MAX)s ký tự.") % {"FIELD_MAX": FIELD_MAX}})
    if unit is not None and not unit.path.startswith(term.unit.path):
        raise ValidationError({"unit": _("Đơn vị phụ trách phải thuộc đơn vị của nhiệm kỳ.")})
    if not CommitteeSeat.objects.filter(term=term, person=person).exists():
        raise ValidationError({"person": _("Chỉ phân công được cấp ủy viên của nhiệm kỳ này.")})
    assignment = Assignment.objects.create(term=term, person=person, field=field, unit=unit, note=note[:300])
    record(acting_user, "create", assignment, organization=term.unit, after=snapshot(assignment, ASSIGNMENT_FIELDS))
    return assignment


@transaction.atomic
def do_end_assignment(assignment: Assignment, *, end_date, acting_user: User) -> Assignment:
    """The member is no longer in charge of the field or unit: the assignment stays, dated."""
    assignment = Assignment.objects.select_for_update().select_related("term__unit").get(pk=assignment.pk)
    if not can_edit(acting_user, assignment.term.unit):
        raise ValidationError(_("Bạn không có quyền phân công trong nhiệm kỳ này."))
    if assignment.end_date is not None:
        raise ValidationError(_("Phân công này đã kết thúc."))
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    after = snapshot(assignment, ASSIGNMENT_FIELDS)
    record(acting_user, "update", assignment, organization=assignment.term.unit, before=before, after=after)
    return assignment


@transaction.atomic
def do_remove_assignment(assignment: Assignment, *, acting_user: User) -> None:
    if not can_edit(acting_user, assignment.term.unit):
        raise ValidationError(_("Bạn không có quyền phân công trong nhiệm kỳ này."))
    record(
        acting_user,
        "delete",
        assignment,
        organization=assignment.term.unit,
        before=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    assignment.delete()
