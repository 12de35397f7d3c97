"""Yearly evaluation by results (đánh giá, xếp loại chất lượng) under Quy định 366-QĐ/TW, and
the commendations (khen thưởng) drawn from it (docs/architecture.md, "Evaluation").

An evaluation of a unit or a member for a year carries the evidence the system computed (tasks
on time, late, overdue, outputs, reports on time, indicators met, study completion), the score
and band the configured rule proposes from it, and the three human stages: the subject's own
assessment, the proposal of the level above, the decision. The system's figure is always a
proposal: each stage confirms it or changes the band with a reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
    FAILED = "failed", _("Không hoàn thành nhiệm vụ")


GOOD_OR_BETTER = (Band.EXCELLENT, Band.GOOD)


class Stage(models.TextChoices):
    COMPUTED = "computed", _("Hệ thống đề xuất")
    SELF = "self", _("Đã tự đánh giá")
    PROPOSED = "proposed", _("Cấp trên đã đề xuất")
    DECIDED = "decided", _("Đã quyết định")


# The rule's name and sources, for the default row (migration 0002 and a database without one):
# data, as the seeded kind names are, edited on the rule's page.
DEFAULT_RULE = {
    "name": "Quy định 366-QĐ/TW",  # not UI text
    "source": (
        "Quy định 366-QĐ/TW ngày 30/8/2025 (các mức xếp loại); "  # not UI text
        "Nghị định 335/2025/NĐ-CP (trừ 25% điểm tiến độ của sản phẩm chậm); "  # not UI text
        "Nghị quyết 21-NQ/TW (mục tiêu trên 90% hoàn thành tốt trở lên)"  # not UI text
    ),
}


class EvaluationRule(models.Model):
    """How the evidence becomes a score and a band: the bands of 366-QĐ/TW, the late penalty of
    Decree 335/2025/NĐ-CP, the weights of each part. Evaluations keep the rule they were scored
    by; the active one scores new ones."""

    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=300)
    excellent_min = models.PositiveSmallIntegerField(_("điểm tối thiểu: hoàn thành xuất sắc"), default=90)
    good_min = models.PositiveSmallIntegerField(_("điểm tối thiểu: hoàn thành tốt"), default=70)
    complete_min = models.PositiveSmallIntegerField(_("điểm tối thiểu: hoàn thành"), default=50)
    # A product delivered late loses this share of its progress points.
    late_penalty = models.PositiveSmallIntegerField(_("trừ điểm sản phẩm chậm (%)"), default=25)
    # "Hoàn thành": all done, at most this share of the tasks behind schedule.
    complete_max_late = models.PositiveSmallIntegerField(_("tỷ lệ chậm tối đa để hoàn thành (%)"), default=20)
    weight_tasks = models.PositiveSmallIntegerField(_("trọng số nhiệm vụ"), default=60)
    weight_reports = models.PositiveSmallIntegerField(_("trọng số báo cáo đúng hạn"), default=15)
    weight_indicators = models.PositiveSmallIntegerField(_("trọng số chỉ tiêu đạt"), default=15)
    weight_study = models.PositiveSmallIntegerField(_("trọng số học tập, quán triệt"), default=10)
    # The share of units and members rated good or better that Resolution 21-NQ/TW aims at.
    aim_good = models.PositiveSmallIntegerField(_("mục tiêu tỷ lệ hoàn thành tốt trở lên (%)"), default=90)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách tính điểm đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_min__lte=100, excellent_min__gt=models.F("good_min"))
                & Q(good_min__gt=models.F("complete_min")),
                name="rule_bands_ordered",
            ),
            models.CheckConstraint(condition=Q(late_penalty__lte=100, complete_max_late__lte=100), name="rule_shares"),
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="rule_one_active"),
        ]

    def __str__(self) -> str:
        return self.name


def _visible_q(user, prefix: str = "") -> Q:
    """A unit sees the evaluations in its subtree, its own included, and those it makes."""
    from hienthuc.scope import subtree_q

    return subtree_q(user, f"{prefix}subject_path") | subtree_q(user, f"{prefix}unit__path")


def term_years(term) -> range:
    from django.utils import timezone

    return range(term.start_year, max(term.start_year, min(term.end_year, timezone.localdate().year)) + 1)


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvaluationQuerySet":
        return self if user.is_superuser else self.filter(_visible_q(user))


class Evaluation(models.Model):
    # The unit that proposes and decides: the level above a unit evaluated; a member's own unit.
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("cấp đánh giá"), on_delete=models.PROTECT, related_name="evaluations_made"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # A term's evaluation (đánh giá cả nhiệm kỳ) over the evaluating unit's term; its year is the
    # term's last. None: the year's.
    term = models.ForeignKey(
        "committees.Term", verbose_name=_("nhiệm kỳ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    subject_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evaluations",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "people.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evaluations",
    )  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)
    rule = models.ForeignKey(EvaluationRule, on_delete=models.PROTECT, related_name="+")
    evidence = models.JSONField(default=dict)
    computed_score = models.DecimalField(_("điểm hệ thống đề xuất"), max_digits=5, decimal_places=2, null=True)
    computed_band = models.CharField(_("xếp loại hệ thống đề xuất"), max_length=10, choices=Band.choices, blank=True)
    computed_on = models.DateField(_("ngày tính"))
    self_score = models.DecimalField(_("điểm tự đánh giá"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_band = models.CharField(_("tự xếp loại"), max_length=10, choices=Band.choices, blank=True)
    self_reason = models.TextField(_("lý do tự đánh giá khác đề xuất"), blank=True)
    proposed_score = models.DecimalField(
        _("điểm cấp trên đề xuất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proposed_band = models.CharField(_("xếp loại cấp trên đề xuất"), max_length=10, choices=Band.choices, blank=True)
    proposed_reason = models.TextField(_("lý do đề xuất khác hệ thống"), blank=True)
    final_score = models.DecimalField(_("điểm quyết định"), max_digits=5, decimal_places=2, null=True, blank=True)
    final_band = models.CharField(_("xếp loại quyết định"), max_length=10, choices=Band.choices, blank=True)
    final_reason = models.TextField(_("lý do quyết định khác đề xuất"), blank=True)
    decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.COMPUTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        ordering = ["-year", "subject_path", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=True, subject_person__isnull=False)
                | Q(subject_unit__isnull=False, subject_person__isnull=True),
                name="evaluation_one_subject",
            ),
            models.UniqueConstraint(
                fields=["year", "subject_unit"],
                condition=Q(subject_unit__isnull=False, term__isnull=True),
                name="evaluation_unit_year",
            ),
            models.UniqueConstraint(
                fields=["year", "subject_person"],
                condition=Q(subject_person__isnull=False, term__isnull=True),
                name="evaluation_person_year",
            ),
            models.UniqueConstraint(
                fields=["term", "subject_unit"],
                condition=Q(subject_unit__isnull=False, term__isnull=False),
                name="evaluation_unit_term",
            ),
            models.UniqueConstraint(
                fields=["term", "subject_person"],
                condition=Q(subject_person__isnull=False, term__isnull=False),
                name="evaluation_person_term",
            ),  # fmt: skip
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0, f"{f}__lte": 100}),
                    name=f"evaluation_{f}_range",
                )
                for f in ("computed_score", "self_score", "proposed_score", "final_score")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} — {self.period_label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.term_id is not None:
            return _("nhiệm kỳ %(start)s - %(end)s") % {"start": self.term.start_year, "end": self.term.end_year}
        return str(self.year)

    @property
    def years(self) -> range:
        """The years its evidence covers: the year, or the term's up to this year."""
        if self.term_id is None:
            return range(self.year, self.year + 1)
        return term_years(self.term)

    @property
    def subject_label(self) -> str:
        return self.subject_person.full_name if self.subject_person_id else self.subject_unit.name

    @property
    def current_band(self) -> str:
        """The latest stage's band: the decision's, else the proposal's, else the system's."""
        return self.final_band or self.proposed_band or self.self_band or self.computed_band


class CommendationKind(models.TextChoices):
    BANG_KHEN = "bang_khen", _("Bằng khen")
    GIAY_KHEN = "giay_khen", _("Giấy khen")
    CO_THI_DUA = "co_thi_dua", _("Cờ thi đua")
    OTHER = "other", _("Hình thức khác")


class CommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommendationQuerySet":
        return self if user.is_superuser else self.filter(_visible_q(user))


class Commendation(models.Model):
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("cấp khen thưởng"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định khen thưởng"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("hình thức"), max_length=12, choices=CommendationKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="commendations",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "people.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="commendations",
    )  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)
    reason = models.TextField(_("thành tích"))
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="commendations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        ordering = ["decision", "subject_unit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=True, subject_person__isnull=False)
                | Q(subject_unit__isnull=False, subject_person__isnull=True),
                name="commendation_one_subject",
            ),
            models.UniqueConstraint(
                fields=["decision", "subject_unit"],
                condition=Q(subject_unit__isnull=False),
                name="commendation_unit_once",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["decision", "subject_person"],
                condition=Q(subject_person__isnull=False),
                name="commendation_person_once",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        subject = self.subject_person.full_name if self.subject_person_id else self.subject_unit.name
        return f"{self.get_kind_display()}: {subject}"
