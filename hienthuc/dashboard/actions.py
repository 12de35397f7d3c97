"""Registering a unit's yearly report as a draft document (atomic, audited): the office then
edits the .docx, and the register numbers and dates it when issued."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hienthuc.audit.record import record
from hienthuc.dashboard import yearly
from hienthuc.dashboard.models import YearlyReportDraft
from hienthuc.documents.actions import do_draft_generated
from hienthuc.documents.models import Status
from hienthuc.lib.text import file_name
from hienthuc.orgs.models import Organization

REPORT_KIND = "bao_cao"


@transaction.atomic
def do_draft_yearly_report(unit: Organization, year: int, *, acting_user: User) -> YearlyReportDraft:
    """The yearly report as composed now, attached to the unit's draft document of the year
    (registered the first time, a newer version attached after); refused once issued."""
    held = YearlyReportDraft.objects.select_for_update().filter(unit=unit, year=year).select_related("document")
    draft = held.first()
    if draft is not None and draft.document.status != Status.DRAFT:
        raise ValidationError(
            _("Báo cáo năm %(year)s của %(unit)s đã ban hành (số %(number)s); không lập lại dự thảo được.")
            % {"year": year, "unit": unit.name, "number": draft.document.number_text or "—"}
        )
    report = yearly.build(unit, year, acting_user)
    document = do_draft_generated(
        issuing_unit=unit,
        kind_code=REPORT_KIND,
        summary=report.title[0].upper() + report.title[1:],
        data=yearly.to_docx(report),
        filename=file_name("du thao bao cao nam", year, unit.name, extension="docx"),
        acting_user=acting_user,
        document=draft.document if draft else None,
    )
    if draft is None:
        draft = YearlyReportDraft.objects.create(unit=unit, year=year, document=document, created_by=acting_user)
    record(
        acting_user,
        "create",
        draft,
        organization=unit,
        after={"year": year, "proposals": len(report.narrative.proposals)},
    )
    return draft
