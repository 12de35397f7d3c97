"""What the evaluation pages count: the bands given per unit right below, for units and for
members, and the share rated good or better against the aim of Resolution 21-NQ/TW (over 90%),
each one grouped query; and the commendation proposals drawn from the decisions."""

from decimal import Decimal

from django.db.models import Case, Count, Q, Value, When
from django.db.models.functions import Substr

from hienthuc.evaluations.models import GOOD_OR_BETTER, Band, Commendation, Evaluation, EvaluationRule, Stage
from hienthuc.lib.tree import PATH_STEP
from hienthuc.orgs.models import Organization


def _share(good: int, rated: int) -> Decimal | None:
    return (Decimal(100 * good) / rated).quantize(Decimal("0.01")) if rated else None


def band_counts(org: Organization, year: int) -> dict:
    """Decided bands in `org`'s subtree (itself excluded): totals for units and for members, and
    per unit right below."""
    width = org.depth * PATH_STEP + PATH_STEP
    rows = (
        Evaluation.objects.filter(year=year, term__isnull=True, stage=Stage.DECIDED, subject_path__startswith=org.path)
        .exclude(subject_unit=org)
        .annotate(
            branch=Substr("subject_path", 1, width),
            who=Case(When(subject_person__isnull=True, then=Value("units")), default=Value("people")),
        )
        .order_by()
        .values_list("branch", "who", "final_band")
        .annotate(n=Count("pk"))
    )
    empty = {"units": dict.fromkeys(Band.values, 0), "people": dict.fromkeys(Band.values, 0)}
    totals = {"units": dict.fromkeys(Band.values, 0), "people": dict.fromkeys(Band.values, 0)}
    by_branch: dict[str, dict] = {}
    for branch, who, band, n in rows:
        totals[who][band] += n
        if len(branch) == width:
            entry = by_branch.setdefault(branch, {k: dict(v) for k, v in empty.items()})
            entry[who][band] += n
    aim = EvaluationRule.objects.filter(is_active=True).values_list("aim_good", flat=True).first() or 90

    def summary(counts: dict) -> dict:
        rated = sum(counts.values())
        good = sum(counts[b] for b in GOOD_OR_BETTER)
        share = _share(good, rated)
        return {
            "counts": counts,
            "rated": rated,
            "good": good,
            "share": share,
            "meets": share is not None and share > aim,
        }

    units = Organization.objects.filter(path__in=list(by_branch)).order_by("path")
    return {
        "aim": aim,
        "units": summary(totals["units"]),
        "people": summary(totals["people"]),
        "below": [
            {"unit": u, "units": summary(by_branch[u.path]["units"]), "people": summary(by_branch[u.path]["people"])}
            for u in units
        ],
    }


def stage_counts(org: Organization, year: int, evaluations) -> dict[str, int]:
    found = dict(
        evaluations.filter(year=year, unit__path__startswith=org.path)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return {code: found.get(code, 0) for code in Stage.values}


def commendation_proposals(org: Organization, year: int, user):
    """Units and members of `org`'s tree rated excellent for `year` and not yet commended for it."""
    commended = Commendation.objects.filter(year=year).values("evaluation_id")
    return (
        Evaluation.objects.visible_to(user)
        .filter(year=year, stage=Stage.DECIDED, final_band=Band.EXCELLENT, subject_path__startswith=org.path)
        .exclude(pk__in=commended)
        .select_related("subject_unit", "subject_person__home_unit")
        .order_by("subject_person", "subject_path")
    )


def decision_counts(commendations) -> list[dict]:
    """Per decision: collectives and individuals commended ("22 tập thể, 35 cá nhân")."""
    rows = (
        commendations.order_by()
        .values("decision_id", "kind", "year", "unit__name")
        .annotate(
            collectives=Count("pk", filter=Q(subject_unit__isnull=False)),
            individuals=Count("pk", filter=Q(subject_person__isnull=False)),
        )
        .order_by("-year", "decision_id")
    )
    return list(rows)
