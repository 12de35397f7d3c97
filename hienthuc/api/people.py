"""The API's people."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hienthuc.api.common import Id, Pages, Text
from hienthuc.orgs.access import access_organization
from hienthuc.people.access import access_person
from hienthuc.people.models import Person

router = Router()


class PersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    gender: str
    party_joined_on: datetime.date | None
    home_unit_id: int
    is_active: bool


class PersonFilter(Schema):
    unit: Id | None = Field(None, description="Những người sinh hoạt trong cây đơn vị này")
    q: Text | None = Field(None, max_length=200)


@router.get("/people", response=list[PersonOut], tags=["people"])
@paginate(Pages, page_size=50)
def list_people(request, filters: Query[PersonFilter]):
    people = Person.objects.visible_to(request.user)
    if filters.unit is not None:
        unit = access_organization(request.user, filters.unit)
        people = people.in_subtree(unit)
    if filters.q:
        people = people.search(filters.q)
    return people.order_by("search_name", "pk")


@router.get("/people/{person_id}", response=PersonOut, tags=["people"])
def get_person(request, person_id: Id):
    return access_person(request.user, person_id)
