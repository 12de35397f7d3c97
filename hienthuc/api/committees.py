"""The API's terms, committee seats and assignments."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from hienthuc.api.common import Id, Pages
from hienthuc.committees.access import access_term
from hienthuc.committees.models import Assignment, CommitteeSeat, Term

router = Router()


class TermOut(Schema):
    id: int
    unit_id: int
    number: int
    roman: str
    start_year: int
    end_year: int


class SeatOut(Schema):
    id: int
    term_id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    body: str
    role: str
    how: str
    decision: str
    start_date: datetime.date | None
    end_date: datetime.date | None = Field(..., description="the day the member left the body; empty while sitting")
    left_decision: str


class AssignmentOut(Schema):
    id: int
    term_id: int
    person_id: int
    field: str
    unit_id: int | None
    note: str
    end_date: datetime.date | None = Field(..., description="the day the assignment ended; empty while it runs")


@router.get("/terms", response=list[TermOut], tags=["committees"])
@paginate(Pages, page_size=50)
def list_terms(request, unit: Id | None = None):
    terms = Term.objects.visible_to(request.user)
    if unit is not None:
        terms = terms.filter(unit_id=unit)
    return terms.order_by("-start_year", "pk")


@router.get("/terms/{term_id}", response=TermOut, tags=["committees"])
def get_term(request, term_id: Id):
    return access_term(request.user, term_id)


@router.get("/terms/{term_id}/seats", response=list[SeatOut], tags=["committees"])
def term_seats(request, term_id: Id):
    term = access_term(request.user, term_id)
    return CommitteeSeat.objects.filter(term=term).select_related("person")


@router.get("/terms/{term_id}/assignments", response=list[AssignmentOut], tags=["committees"])
def term_assignments(request, term_id: Id):
    term = access_term(request.user, term_id)
    return Assignment.objects.filter(term=term)
