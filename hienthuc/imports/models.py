import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Đã xem trước")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")


STALLED_MESSAGE = _(
    "Tiến trình nền đã dừng giữa chừng (máy chủ khởi động lại hoặc gặp lỗi). Việc nhập diễn ra trong một "
    "giao dịch nên chưa có dữ liệu nào được ghi; hãy bấm “Chạy lại”."
)


class PendingImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PendingImportQuerySet":
        """An uploaded file is its uploader's alone, between preview and apply and after."""
        return self.filter(created_by_id=user.pk)

    def fail_stalled(self) -> int:
        """Mark failed the running imports whose worker has not reported for
        IMPORT_STALE_MINUTES (it died: a crash, a restart). Their one transaction was rolled
        back with it, so the message can say that nothing was written."""
        limit = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
        return self.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=limit).update(
            status=ImportStatus.FAILED, message=STALLED_MESSAGE
        )

    def previewed(self, *, kind: str, user, filename: str, data: bytes, rows: int) -> "PendingImport":
        """Keep a checked, clean file until it is applied. Each upload also clears the
        forgotten ones (stale)."""
        self.stale().delete()
        return self.create(kind=kind, created_by=user, filename=filename[:255], payload=data, rows=rows)

    def stale(self) -> "PendingImportQuerySet":
        """Files previewed a day ago and never applied, failed ones after a week: a file can
        weigh UPLOAD_MAX_MB, and nothing else would remove it."""
        now = timezone.now()
        return self.filter(
            Q(status=ImportStatus.PREVIEWED, created_at__lt=now - datetime.timedelta(days=1))
            | Q(status=ImportStatus.FAILED, created_at__lt=now - datetime.timedelta(days=7))
        )


class PendingImport(models.Model):
    """An uploaded file between its preview and its application.

    Kept in the database (not in a process) so any app server, or the background worker,
    can apply it; the file is re-validated when applied.
    """

    kind = models.CharField(max_length=32)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    payload = models.BinaryField()
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Set when the import is queued and at each progress report: a running import whose
    # heartbeat stops is failed by fail_stalled().
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Rows the preview found to write: decides foreground or background without parsing again.
    rows = models.PositiveIntegerField(default=0, db_default=0)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    def mark_done(self, message: str) -> None:
        """Applied: the file is dropped (it is in the data now), the outcome kept for its page."""
        self.status, self.payload, self.message = ImportStatus.DONE, b"", message[:5000]
        self.progress_done = self.progress_total = self.rows
        self.save(update_fields=["status", "payload", "message", "progress_done", "progress_total"])

    @property
    def is_running(self) -> bool:
        return self.status == ImportStatus.RUNNING

    @property
    def is_stalled(self) -> bool:
        """Running, but its worker has not reported for IMPORT_STALE_MINUTES (it died)."""
        limit = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
        return self.is_running and self.heartbeat_at is not None and self.heartbeat_at < limit

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return int(100 * self.progress_done / self.progress_total)
