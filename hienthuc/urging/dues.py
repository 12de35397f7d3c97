"""What units owe their level above and have not delivered: reports not sent (of forms they
must submit) and plans not issued (that a plan above requires), with the deadline of each —
read by the daily urging, the list of late units and the urging letter."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from hienthuc.documents.refs import reference_text
from hienthuc.indicators.models import FormUnit, Submission
from hienthuc.indicators.tallies import SENT_STATUSES
from hienthuc.orgs.models import Organization
from hienthuc.plans.models import PlanRequirement


@dataclass
class Owed:
    unit: Organization
    what: str  # "report" or "plan"
    label: str  # what is owed, as a letter names it
    due: datetime.date
    key: str  # stable across days (Notice.key)
    link: str
    owner: Organization  # the unit that asked for it

    def days_late(self, today: datetime.date) -> int:
        """Days past the deadline; negative: days still left."""
        return (today - self.due).days


def owed(under: Organization | None, first_due: datetime.date, last_due: datetime.date, user=None) -> list[Owed]:
    """Everything due between two days (inclusive) and not yet delivered, by units strictly
    below `under` (every unit when None), earliest deadline first. A few queries: the duties,
    the reports sent for them, the unmet plan requirements."""
    items = _reports(under, first_due, last_due) + _plans(under, first_due, last_due, user)
    return sorted(items, key=lambda o: (o.due, o.unit.search_text, o.label))


LOOK_BACK_DAYS = 365  # the late list: what fell due in the last year and is still not delivered


def late(under: Organization, today: datetime.date, user=None) -> list[Owed]:
    """What the units below `under` owe and have not delivered, due in the last year — the late
    list, its export, the urging letter and the API read this."""
    return owed(under, today - datetime.timedelta(days=LOOK_BACK_DAYS), today - datetime.timedelta(days=1), user)


def _below(field: str, under: Organization | None) -> dict:
    if under is None:
        return {}
    return {f"{field}__path__startswith": under.path, f"{field}__depth__gt": under.depth}


def _reports(under, first_due, last_due) -> list[Owed]:
    duties = list(
        FormUnit.objects.filter(form__is_active=True, unit__is_active=True, **_below("unit", under))
        .select_related("form__owner", "unit")
        .prefetch_related("form__one_off_periods")
    )
    wanted = []
    for duty in duties:
        form = duty.form
        for year in range(max(first_due.year - 1, form.first_year), last_due.year + 1):
            for period in form.periods_of_year(year):
                due = period.due(form.deadline_days)
                if first_due <= due <= last_due and duty.covers(period.end):
                    wanted.append((duty, period, due))
    sent = set(
        Submission.objects.filter(
            form_id__in={d.form_id for d, _p, _d in wanted},
            unit_id__in={d.unit_id for d, _p, _d in wanted},
            period__in={p.key for _d, p, _due in wanted},
            status__in=SENT_STATUSES,
        ).values_list("form_id", "unit_id", "period")
    )
    found = []
    for duty, period, due in wanted:
        if (duty.form_id, duty.unit_id, period.key) in sent:
            continue
        url = reverse("report_fill", args=[duty.form_id])
        found.append(
            Owed(
                unit=duty.unit,
                what="report",
                label=_("%(form)s, %(period)s") % {"form": duty.form.name, "period": period.label},
                due=due,
                key=f"report:{duty.form_id}:{period.key}:{duty.unit_id}",
                link=f"{url}?unit={duty.unit_id}&period={period.key}",
                owner=duty.form.owner,
            )
        )
    return found


def _plans(under, first_due, last_due, user) -> list[Owed]:
    requirements = (
        PlanRequirement.objects.unmet()
        .filter(due_on__gte=first_due, due_on__lte=last_due, unit__is_active=True, **_below("unit", under))
        .select_related(
            "unit",
            "plan__unit",
            "plan__document__kind",
            "plan__document__issuing_unit",
            "plan__source_document__kind",
            "plan__source_document__issuing_unit",
        )
    )
    found = []
    for requirement in requirements:
        plan = requirement.plan
        source = plan.source_document or plan.document
        # A reader who may not read the source document reads its hidden label (documents.refs);
        # the daily job writes to the unit that must implement it, which reads it.
        if user is not None:
            name = reference_text(user, source)
        else:
            name = f"{source.kind.name} {source.number_normalized}" if source.number_normalized else source.summary[:60]
        found.append(
            Owed(
                unit=requirement.unit,
                what="plan",
                label=_("Kế hoạch thực hiện %(source)s") % {"source": name},
                due=requirement.due_on,
                key=f"plan:{requirement.pk}",
                link=plan.get_absolute_url(),
                owner=plan.unit,
            )
        )
    return found
