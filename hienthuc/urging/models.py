"""Urging (đôn đốc): how a unit's reports and plans are chased (UrgingSetting, per unit, for
it and every unit below that sets none), and every message sent (Notice) — the in-app inbox
and the log of what went out by which channel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UrgingSetting(models.Model):
    unit = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    days_before = models.SmallIntegerField(_("nhắc trước hạn (ngày)"), default=3)
    repeat_every = models.SmallIntegerField(_("nhắc lại khi quá hạn, mỗi (ngày)"), default=7)
    escalate_after = models.SmallIntegerField(
        _("báo người đứng đầu và văn phòng cấp trên sau (ngày quá hạn)"), default=15
    )
    stop_after = models.SmallIntegerField(_("thôi nhắc sau (ngày quá hạn)"), default=90)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cài đặt đôn đốc")
        constraints = [
            models.CheckConstraint(
                condition=Q(days_before__gte=0, repeat_every__gte=1, escalate_after__gte=1, stop_after__gte=1),
                name="urging_setting_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)


class NoticeKind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    ESCALATED = "escalated", _("Quá hạn lâu, báo người đứng đầu")
    EXPLANATION_ASKED = "asked", _("Yêu cầu giải trình")
    EXPLANATION_ANSWERED = "answered", _("Đã giải trình")


class NoticeQuerySet(models.QuerySet):
    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One message to one user: shown in the app, and sent by the configured channels
    (`channels` lists those that delivered it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    # What it is about, stable across days: "report:<form>:<period>:<unit>", "plan:<requirement>",
    # "explanation:<id>" — one notice of a kind per user, thing and day.
    key = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    sent_on = models.DateField()
    channels = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "kind", "sent_on"], name="notice_once_a_day"),
        ]

    def __str__(self) -> str:
        return self.subject
