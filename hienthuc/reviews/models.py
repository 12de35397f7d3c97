"""Reviews (sơ kết, tổng kết): of a congress or conference, a plan or a resolution's
implementation, a term or a year — results, shortcomings, causes and lessons (bài học kinh
nghiệm), linked to what they review, and the review report as a Party-format .docx."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewKind(models.TextChoices):
    MEETING = "meeting", _("Tổng kết đại hội, hội nghị")
    PLAN = "plan", _("Sơ kết, tổng kết kế hoạch, nghị quyết")
    TERM = "term", _("Tổng kết nhiệm kỳ")
    YEAR = "year", _("Tổng kết năm")


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReviewQuerySet":
        """A unit's reviews are read in its subtree; a review drawing lessons is meant for the
        units below it."""
        from hienthuc.scope import subtree_q

        return self if user.is_superuser else self.filter(subtree_q(user, "unit__path"))


class Review(models.Model):
    unit = models.ForeignKey("orgs.Organization", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=8, choices=ReviewKind.choices)
    title = models.CharField(_("tên"), max_length=500)
    period_text = models.CharField(_("thời gian"), max_length=100, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("đại hội, hội nghị"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reviews",
    )  # fmt: skip
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    term = models.ForeignKey(
        "committees.Term", verbose_name=_("nhiệm kỳ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reviews",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    shortcomings = models.TextField(_("hạn chế, khuyết điểm"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    # The report, once issued, registered as a document.
    report = models.ForeignKey(
        "documents.Document", verbose_name=_("báo cáo tổng kết"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("sơ kết, tổng kết")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="review_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(kind="meeting") | Q(meeting__isnull=False), name="review_meeting_named"
            ),
            models.CheckConstraint(condition=~Q(kind="plan") | Q(plan__isnull=False), name="review_plan_named"),
            models.CheckConstraint(condition=~Q(kind="term") | Q(term__isnull=False), name="review_term_named"),
            models.CheckConstraint(condition=~Q(kind="year") | Q(year__isnull=False), name="review_year_named"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("review_detail", args=[self.pk])
