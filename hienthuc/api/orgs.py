"""The API's units: the tree as the caller may see it."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hienthuc.api.common import Id, Pages, Text
from hienthuc.orgs import aggregates
from hienthuc.orgs.access import access_organization
from hienthuc.orgs.models import Organization

router = Router()


class KindOut(Schema):
    code: str
    name: str
    level: str = Field(..., alias="level.name")
    is_body: bool


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: KindOut
    depth: int
    is_active: bool
    parent_id: int | None = None


class UnitCountsOut(UnitOut):
    units_below: int
    people_below: int


def _with_parents(units: list[Organization]) -> list[Organization]:
    """Attach parent_id to each unit with one query (the tree stores paths, not parent ids)."""
    parent_paths = {u.path[: -u.steplen] for u in units if u.depth > 1}
    parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    for unit in units:
        unit.parent_id = parents.get(unit.path[: -unit.steplen])
    return units


class UnitFilter(Schema):
    parent: Id | None = Field(None, description="Chỉ lấy đơn vị trực thuộc trực tiếp đơn vị này")
    q: Text | None = Field(None, max_length=200, description="Tìm theo tên hoặc mã, không cần dấu")
    active: bool | None = None


@router.get("/units", response=list[UnitOut], tags=["units"])
@paginate(Pages, page_size=50)
def list_units(request, filters: Query[UnitFilter]):
    units = Organization.objects.visible_to(request.user).select_related("kind__level")
    if filters.parent is not None:
        parent = access_organization(request.user, filters.parent)
        units = units.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if filters.q:
        units = units.search(filters.q)
    if filters.active is not None:
        units = units.filter(is_active=filters.active)
    return _PagedUnits(units.order_by("path"))


@router.get("/units/{unit_id}", response=UnitCountsOut, tags=["units"])
def get_unit(request, unit_id: Id):
    unit = access_organization(request.user, unit_id)
    _with_parents([unit])
    unit.units_below, unit.people_below = aggregates.subtree_totals(unit)
    return unit


@router.get("/units/{unit_id}/children", response=list[UnitCountsOut], tags=["units"])
def unit_children(request, unit_id: Id):
    """The unit's direct children with the number of units and people below each."""
    unit = access_organization(request.user, unit_id)
    children = list(Organization.objects.children_of(unit).select_related("kind__level").order_by("name"))
    for child in children:
        child.parent_id = unit.pk
    return children


class _PagedUnits:
    """A queryset wrapper that adds parent ids to just the page being returned."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return _with_parents(list(self.queryset[item]))
