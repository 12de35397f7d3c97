"""Figures a report need not ask for: counted from the tasks and cascades, the tree of units and
the register of people the system holds ("report once"). A form cell whose indicator has a
source is filled from here, not typed."""

from decimal import Decimal

from django.utils import timezone

from hienthuc.indicators.models import Source
from hienthuc.lib import deadlines
from hienthuc.orgs.models import Organization


def system_value(source: str, unit: Organization) -> Decimal | None:
    """The figure for `unit`'s subtree as of today, from the tallies (a few small queries)."""
    from hienthuc.plans import tallies as plan_tallies

    today = timezone.localdate()
    if source in (Source.TASKS_DONE, Source.TASKS_OVERDUE, Source.TASKS_DONE_SHARE):
        totals, _ = plan_tallies.task_rollup(unit, today)
        done = totals[deadlines.DONE_ON_TIME] + totals[deadlines.DONE_LATE]
        if source == Source.TASKS_DONE:
            return Decimal(done)
        if source == Source.TASKS_OVERDUE:
            return Decimal(totals[deadlines.OPEN_OVERDUE])
        return deadlines.completion_share(totals)
    if source in (Source.PLANS_ISSUED, Source.PLANS_OVERDUE):
        by_document = plan_tallies.coverage_rollup(unit, today)
        counts = [c for children in by_document.values() for c in children.values()]
        if source == Source.PLANS_ISSUED:
            return Decimal(sum(c[plan_tallies.COVERAGE_ON_TIME] + c[plan_tallies.COVERAGE_LATE] for c in counts))
        return Decimal(sum(c[plan_tallies.COVERAGE_OVERDUE] for c in counts))
    if source == Source.PARTY_ORGS:
        # The party organizations directly under the unit that are active today (not its bodies).
        below = Organization.objects.children_of(unit).filter(is_active=True, kind__is_body=False)
        return Decimal(below.count())
    if source == Source.PARTY_MEMBERS:
        from hienthuc.people.models import Person

        return Decimal(Person.objects.active().in_subtree(unit).filter(party_joined_on__isnull=False).count())
    return None
