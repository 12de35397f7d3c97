"""Reviews: create and write, atomic and audited; the unit's editors (or its office) write them."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.committees.models import Term
from hienthuc.lib.text import clean
from hienthuc.meetings.models import Meeting
from hienthuc.orgs.models import Organization
from hienthuc.plans.models import Plan
from hienthuc.reviews.models import Review, ReviewKind
from hienthuc.scope import can_issue

FIELDS = ["unit", "kind", "title", "period_text", "meeting", "plan", "term", "year", "results", "shortcomings",
          "causes", "lessons"]  # fmt: skip
TEXTS = ("results", "shortcomings", "causes", "lessons")


def _check_subject(
    unit: Organization, kind: str, meeting: Meeting | None, plan: Plan | None, term: Term | None, year: int | None
) -> None:
    """What is reviewed must be named for its kind and belong to the unit or its tree."""
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": _("Loại sơ kết, tổng kết không hợp lệ.")})
    named = {ReviewKind.MEETING: meeting, ReviewKind.PLAN: plan, ReviewKind.TERM: term, ReviewKind.YEAR: year}
    if named[ReviewKind(kind)] is None:
        labels = {
            ReviewKind.MEETING: _("Hãy chọn đại hội, hội nghị được tổng kết."),
            ReviewKind.PLAN: _("Hãy chọn kế hoạch được sơ kết, tổng kết."),
            ReviewKind.TERM: _("Hãy chọn nhiệm kỳ được tổng kết."),
            ReviewKind.YEAR: _("Hãy ghi năm được tổng kết."),
        }
        raise ValidationError({kind: labels[ReviewKind(kind)]})
    for obj, path in ((meeting, "unit"), (plan, "unit"), (term, "unit")):
        if obj is not None and not getattr(obj, path).path.startswith(unit.path):
            raise ValidationError(
                _("“%(obj)s” không thuộc %(unit)s: chỉ tổng kết việc của đơn vị mình.")
                % {"obj": obj, "unit": unit.name}
            )
    if year is not None and not 1930 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Năm tổng kết không hợp lệ.")})


@transaction.atomic
def do_create_review(
    unit: Organization,
    *,
    kind: str,
    title: str,
    period_text: str = "",
    meeting: Meeting | None = None,
    plan: Plan | None = None,
    term: Term | None = None,
    year: int | None = None,
    acting_user: User,
    **texts: str,
) -> Review:
    if not can_issue(acting_user, unit):
        raise ValidationError(_("Chỉ %(unit)s mới viết được sơ kết, tổng kết của mình.") % {"unit": unit.name})
    title = clean(title)[:500]
    if not title:
        raise ValidationError({"title": _("Hãy ghi tên báo cáo sơ kết, tổng kết.")})
    _check_subject(unit, kind, meeting, plan, term, year)
    review = Review.objects.create(
        unit=unit, kind=kind, title=title, period_text=clean(period_text)[:100], meeting=meeting, plan=plan,
        term=term, year=year, **{k: (texts.get(k) or "").strip() for k in TEXTS},
    )  # fmt: skip
    record(acting_user, "create", review, organization=unit, after=snapshot(review, FIELDS))
    return review


@transaction.atomic
def do_update_review(review: Review, *, acting_user: User, **texts: str) -> Review:
    """Write the review's results, shortcomings, causes and lessons."""
    review = Review.objects.select_for_update().select_related("unit").get(pk=review.pk)
    if not can_issue(acting_user, review.unit):
        raise ValidationError(_("Chỉ %(unit)s mới viết được sơ kết, tổng kết của mình.") % {"unit": review.unit.name})
    before = snapshot(review, FIELDS)
    for name, value in texts.items():
        if name not in TEXTS:
            raise ValidationError(_("Không có phần “%(name)s”.") % {"name": name})
        setattr(review, name, (value or "").strip())
    review.save()
    record(acting_user, "update", review, organization=review.unit, before=before, after=snapshot(review, FIELDS))
    return review
