"""Incoming documents (văn bản đến): what a unit receives, the leader's direction on its
processing slip (phiếu xử lý), the body assigned and its deadline — a task in the unit's
register of directions (plans.PlanKind.DIRECTIONS) — and the documents issued in answer."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hienthuc.documents.models import Confidentiality, Urgency

# Public holidays with a fixed solar date (Bộ luật Lao động 2019, Điều 112). Tết and the Hùng
# Kings' day follow the lunar calendar and are not counted: a deadline falling on them is a
# day early, never late.
HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}


def next_working_day(day: datetime.date, days: int = 1) -> datetime.date:
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            days -= 1
    return day


def processing_due(received_on: datetime.date, urgency: str) -> datetime.date:
    """By when a received document must be processed (its direction given, its tasks
    registered): an urgent one the same day, an ordinary one within a working day (REFERENCE
    §4, the rule of Thanh Hóa's offices)."""
    if urgency:
        return received_on
    return next_working_day(received_on)


class IncomingStatus(models.TextChoices):
    UNPROCESSED = "unprocessed", _("Chưa xử lý")
    ASSIGNED = "assigned", _("Đã giao, đang thực hiện")
    ANSWERED = "answered", _("Đã có văn bản trả lời, thực hiện")
    FILED = "filed", _("Lưu, không phải xử lý")


class IncomingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IncomingQuerySet":
        """The receiving unit's subtree, and the bodies assigned to process one. A secret
        document (any level above Thường) only for the receiving unit's editors — who keep the
        register — and for holders of a grant on the original when it is in the register."""
        from hienthuc.documents.models import readable_q
        from hienthuc.scope import EDIT_KINDS, subtree_q

        if user.is_superuser:
            scoped = self
            clerks = Q()
        else:
            scoped = self.filter(subtree_q(user, "unit__path") | subtree_q(user, "assigned_unit__path"))
            clerks = subtree_q(user, "unit__path", EDIT_KINDS)
        granted = Q(document__isnull=False) & readable_q(user, "document__")
        return scoped.filter(Q(confidentiality=Confidentiality.NORMAL) | clerks | granted)

    def with_status(self) -> "IncomingQuerySet":
        return self.annotate(answer_count=models.Count("answers", distinct=True))

    def unprocessed(self) -> "IncomingQuerySet":
        return self.filter(status=IncomingStatus.UNPROCESSED)

    def overdue(self, today: datetime.date) -> "IncomingQuerySet":
        """Not processed past its processing day, or assigned and its task late."""
        return self.filter(
            Q(status=IncomingStatus.UNPROCESSED, processing_due__lt=today)
            | Q(
                status=IncomingStatus.ASSIGNED,
                task__completed_on__isnull=True,
                task__deadline_last_day__lt=today,
            )
        )


class IncomingDocument(models.Model):
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị nhận"), on_delete=models.PROTECT, related_name="incoming"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    receipt_number = models.PositiveIntegerField(_("số đến"))
    received_on = models.DateField(_("ngày đến"))
    sender = models.CharField(_("nơi gửi"), max_length=255)
    number_text = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    number_normalized = models.CharField(max_length=60, blank=True, db_index=True)
    original_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    kind = models.ForeignKey(
        "documents.DocumentKind", verbose_name=_("loại văn bản"), null=True, blank=True, on_delete=models.PROTECT
    )
    summary = models.TextField(_("trích yếu"))
    # The original in the register, when it is there (21-KL/TW reaching the province).
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản trong sổ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receipts",
    )
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default="", blank=True)
    confidentiality = models.CharField(
        _("độ mật"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    processing_due = models.DateField(_("hạn xử lý"))
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=IncomingStatus.choices, default=IncomingStatus.UNPROCESSED
    )
    # The processing slip.
    direction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    directed_by = models.CharField(_("người cho ý kiến"), max_length=150, blank=True)
    directed_on = models.DateField(_("ngày cho ý kiến"), null=True, blank=True)
    assigned_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("cơ quan được giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_assigned",
    )
    task = models.OneToOneField("plans.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming")
    answers = models.ManyToManyField(
        "documents.Document", verbose_name=_("văn bản trả lời, thực hiện"), blank=True, related_name="answering"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncomingQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đến")
        ordering = ["-year", "-receipt_number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "receipt_number"], name="incoming_receipt_unique"),
            models.CheckConstraint(condition=~Q(summary=""), name="incoming_summary_not_empty"),
            models.CheckConstraint(condition=Q(receipt_number__gte=1), name="incoming_receipt_positive"),
        ]
        indexes = [models.Index(fields=["unit", "status", "processing_due"])]

    def __str__(self) -> str:
        return f"{self.receipt_number}/{self.year} — {self.number_text or self.summary[:60]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("incoming_detail", args=[self.pk])


class ProcessingReminder(models.Model):
    """A reminder to a register keeper that an incoming document waits for processing: sent
    once, on its processing day (the day it came for an urgent one) or the first day after."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    incoming = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("nhắc xử lý văn bản đến")
        constraints = [models.UniqueConstraint(fields=["user", "incoming"], name="processing_reminder_once")]
