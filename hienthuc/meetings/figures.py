"""A conference's live board and study completion, added up through the tree by path.

Points and studies carry their unit's path, so each figure is one grouped query over an index
range ("path LIKE prefix%"), however many points or members there are."""

from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, Greatest, Substr

from hienthuc.lib.tree import PATH_STEP
from hienthuc.meetings.models import BridgePoint, Meeting, Reflection, Study
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person


@dataclass
class Line:
    unit: Organization | None
    label: str
    expected: int
    attended: int
    excused: int = 0
    absent: int = 0

    @property
    def share(self) -> float | None:
        return 100 * self.attended / self.expected if self.expected else None


SUMS = ("sum_expected", "sum_present", "sum_attended", "n", "sum_excused", "sum_absent")


def board(meeting: Meeting, org: Organization) -> dict:
    """Expected, present and share at `org` (all the points in its subtree) and for each unit
    right below it that hosts points; the points of `org` itself are listed by name."""
    points = BridgePoint.objects.filter(meeting=meeting, path__startswith=org.path)
    # A counted room where names are not kept; NULL would win on SQLite's max(): coalesce it.
    attended = Greatest("present", Coalesce("headcount", 0))
    summoned = Greatest("expected", Coalesce("planned", 0))
    # One pass over the points, grouped by the branch right below `org` (its own points form the
    # group of its own path); the total is the groups' sum. Unordered, so the database hashes the
    # groups instead of sorting every point: the board is polled during the whole conference.
    width = org.depth * PATH_STEP + PATH_STEP
    groups = sorted(
        points.annotate(branch=Substr("path", 1, width))
        .values("branch")
        .annotate(
            sum_expected=Sum(summoned),
            sum_present=Sum("present"),
            sum_attended=Sum(attended),
            n=Count("pk"),
            sum_excused=Sum("excused"),
            sum_absent=Sum("absent"),
        )  # fmt: skip
        .order_by(),
        key=lambda group: group["branch"],
    )
    total = {key: sum(group[key] or 0 for group in groups) for key in SUMS}
    below = [group for group in groups if group["branch"] != org.path]
    units = Organization.objects.in_bulk([b["branch"] for b in below], field_name="path")
    lines = [Line(units.get(b["branch"]), units[b["branch"]].name if b["branch"] in units else b["branch"],
                  b["sum_expected"] or 0, b["sum_attended"] or 0, b["sum_excused"] or 0, b["sum_absent"] or 0)
             for b in below]  # fmt: skip
    own = [Line(None, p.name, p.summoned, p.attended, p.excused, p.absent) for p in points.filter(path=org.path)]
    return {
        "expected": total["sum_expected"],
        "attended": total["sum_attended"],
        "present": total["sum_present"],
        "excused": total["sum_excused"],
        "absent": total["sum_absent"],
        "points": total["n"],
        "share": 100 * total["sum_attended"] / total["sum_expected"] if total["sum_expected"] else None,
        "lines": own + lines,
    }


@dataclass
class Completion:
    unit: Organization
    studied: int
    members: int

    @property
    def share(self) -> float | None:
        return 100 * self.studied / self.members if self.members else None

    def complete(self, threshold: float = 100.0) -> bool:
        return self.members == 0 or self.share is not None and self.share >= threshold


def completion(document_id: int, org: Organization, threshold: float = 100.0) -> dict:
    """Members who studied the document over the members who must, at `org` and for each unit
    right below it; how many of those units are complete (all, or `threshold` %). Who must are
    the active members living there now — the tree's stored counts, so a national root reads
    34 rows, not millions of people (orgs/aggregates.py) — and those who studied there and have
    moved since (a reorganization moved a province's members: they studied where they were)."""
    width = org.depth * PATH_STEP + PATH_STEP
    studies = Study.objects.filter(document_id=document_id, path__startswith=org.path, path__gt=org.path).annotate(
        branch=Substr("path", 1, width)
    )
    studied = _by_branch(studies)
    moved = _by_branch(studies.exclude(person__home_unit__path__startswith=F("branch")))
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
    children = [c for c in children if c.people_below or c.path in studied]
    own = Study.objects.filter(document_id=document_id, path=org.path)
    own_studied = own.count()
    own_members = org.people_here + own.exclude(person__home_unit=org).count()
    rows = [Completion(c, studied.get(c.path, 0), c.people_below + moved.get(c.path, 0)) for c in children]
    total = Completion(org, own_studied + sum(studied.values()), own_members + sum(r.members for r in rows))
    done = sum(1 for r in rows if r.complete(threshold))
    return {"total": total, "rows": rows, "complete_units": done, "units": len(rows), "threshold": threshold}


def _by_branch(rows) -> dict[str, int]:
    return dict(rows.values_list("branch").annotate(n=Count("pk")).values_list("branch", "n"))


def reflections(document_id: int, org: Organization) -> dict:
    """Reflections on a document: submitted and marked over the members who must, per unit
    right below `org`; and the members of `org` itself who have not submitted one."""
    width = org.depth * PATH_STEP + PATH_STEP
    below = Reflection.objects.filter(document_id=document_id, path__startswith=org.path, path__gt=org.path).annotate(
        branch=Substr("path", 1, width)
    )
    submitted = _by_branch(below)
    marked = _by_branch(below.exclude(mark=""))
    # Members from the tree's stored counts, as completion() reads them.
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
    rows = [
        {"unit": c, "submitted": submitted.get(c.path, 0), "marked": marked.get(c.path, 0), "members": c.people_below}
        for c in children
        if c.people_below or c.path in submitted
    ]
    own = Reflection.objects.filter(document_id=document_id, person__home_unit=org).select_related("person")
    missing = (
        Person.objects.active()
        .filter(home_unit=org)
        .exclude(pk__in=Reflection.objects.filter(document_id=document_id).values("person_id"))
        .order_by("search_name")
    )
    return {"rows": rows, "own": list(own.order_by("person__search_name")[:500]), "missing": list(missing[:500])}
