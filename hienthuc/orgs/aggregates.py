"""Subtree counts kept in step with every write (DESIGN §3, "live figures").

Each unit at depth ≥ AGGREGATE_MIN_DEPTH stores how many active units lie below it and how
many active people belong to its subtree. A write bumps the stored counts of the unit's
ancestors in the same transaction; shallower units (the Centre) add up their children at
read time, so no single row near the root is updated by every write in the country.
"""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum

from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization


def bump(paths: list[str], *, units: int = 0, people: int = 0) -> None:
    if not paths or (units == 0 and people == 0):
        return
    Organization.objects.filter(path__in=paths, depth__gte=AGGREGATE_MIN_DEPTH).update(
        units_below=F("units_below") + units, people_below=F("people_below") + people
    )


def chain(org: Organization) -> list[str]:
    """The unit's own path and all its ancestors' paths."""
    return [*org.ancestor_paths, org.path]


def subtree_totals(org: Organization) -> tuple[int, int]:
    """(active units below, active people in the subtree) of any unit, from stored counts."""
    if org.has_aggregates:
        fresh = Organization.objects.values_list("units_below", "people_below").get(pk=org.pk)
        return fresh[0], fresh[1]
    from hienthuc.people.models import Person

    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    sums = children.aggregate(
        units=Sum("units_below"), people=Sum("people_below"), active=Count("pk", filter=Q(is_active=True))
    )
    direct_people = Person.objects.filter(home_unit=org, is_active=True).count()
    return (sums["units"] or 0) + sums["active"], (sums["people"] or 0) + direct_people


def compute_from_scratch() -> dict[str, tuple[int, int]]:
    """Recount every stored aggregate from the rows themselves (for checks and rebuilds)."""
    from hienthuc.people.models import Person

    units: dict[str, int] = defaultdict(int)
    people: dict[str, int] = defaultdict(int)
    step = Organization.steplen
    rows = Organization.objects.values_list("path", "depth", "is_active").order_by()
    for path, depth, is_active in rows.iterator(chunk_size=10_000):
        units.setdefault(path, 0)
        if is_active:
            for i in range(AGGREGATE_MIN_DEPTH, depth):
                units[path[: i * step]] += 1
    per_unit = Person.objects.filter(is_active=True).values_list("home_unit__path").annotate(n=Count("pk")).order_by()
    for path, n in per_unit:
        depth = len(path) // step
        for i in range(AGGREGATE_MIN_DEPTH, depth + 1):
            people[path[: i * step]] += n
    return {path: (units[path], people.get(path, 0)) for path in units if len(path) // step >= AGGREGATE_MIN_DEPTH}


def rebuild() -> int:
    """Rewrite the stored aggregates that differ from a fresh count; return how many changed."""
    expected = compute_from_scratch()
    stale = []
    rows = Organization.objects.filter(depth__gte=AGGREGATE_MIN_DEPTH).values_list(
        "pk", "path", "units_below", "people_below"
    )
    for pk, path, u, p in rows.iterator(chunk_size=10_000):
        if expected.get(path, (0, 0)) != (u, p):
            stale.append(Organization(pk=pk, units_below=expected[path][0], people_below=expected[path][1]))
    Organization.objects.bulk_update(stale, ["units_below", "people_below"], batch_size=1000)
    return len(stale)
