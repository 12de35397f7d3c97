"""Fetching units for a request (docs/architecture.md, "Who sees what"): the same 404 for a
unit that does not exist and for one outside the user's subtrees; 403 for a change the user's
role does not allow. Pages and the API both call these."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.orgs.models import FormerName, Organization
from hienthuc.scope import AnyUser, require_admin, require_edit


def access_organization(user: AnyUser, pk: int, *, write: bool = False, admin: bool = False) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(user).select_related("kind__level"), pk=pk)
    if admin:
        require_admin(user, org)
    elif write:
        require_edit(user, org, _("Bạn chỉ có quyền xem đơn vị này."))
    return org


def breadcrumbs(user: AnyUser, org: Organization) -> list[Organization]:
    """The unit's ancestors that the user may see, top first."""
    return list(Organization.objects.visible_to(user).filter(path__in=org.ancestor_paths).order_by("depth"))


def children_of(org: Organization, *, include_inactive: bool = False, on=None):
    """The unit's children as rows for a page (name, kind, counts); with a day `on`, those that
    existed that day (the tree as it stood before or after a reorganization)."""
    children = Organization.objects.children_of(org)
    if on is None:
        return children.rows() if include_inactive else children.filter(is_active=True).rows()
    return FormerName.objects.name_rows_on(list(children.as_of(on).rows()), on)


def tree_day(request) -> datetime.date | None:
    """The day a tree page shows (?on=YYYY-MM-DD), or None for today's tree."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return None
    return day if day.year >= 1930 else None


def past_day(day: datetime.date | None) -> datetime.date | None:
    """`day` when it is before today, else None: today's figures come from the live tallies, a
    past day's are read from the rows on the tree of that day."""
    return day if day is not None and day < timezone.localdate() else None


def unit_asked(user: AnyUser, query) -> Organization | None:
    """The unit a page is about: ?unit=<id> when the user sees it (404 otherwise), else the
    top of what they see (None when they see nothing)."""
    if query.get("unit", "").isdigit():
        return access_organization(user, int(query["unit"]))
    tops = Organization.objects.tops_for(user)
    return tops[0] if tops else None
