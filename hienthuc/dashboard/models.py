"""A unit's yearly report registered as a draft document: numbered and dated when the register
issues it, after which the report prints that number and day (yearly.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearlyReportDraft(models.Model):
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dự thảo báo cáo năm")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="yearly_report_draft_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.year}"
