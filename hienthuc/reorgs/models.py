"""Reorganizations: a dated decision that merges, splits, dissolves, renames or moves units.

A unit that ceases keeps its place in the tree and everything it did (valid_to is set); its
successors are new units (a merged or split unit, or the continuation of a moved one under its
new parent, with the same code) or an existing unit that takes it over. Open work and duties
pass to the successor (orgs/succession.py); the past stays on the tree as it stood.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReorgStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    # Handed to the background worker (reorgs/background.py): a country-wide decision takes
    # minutes, longer than a web request may run.
    APPLYING = "applying", _("Đang áp dụng")
    APPLIED = "applied", _("Đã áp dụng")
    UNDOING = "undoing", _("Đang hủy áp dụng")
    UNDONE = "undone", _("Đã hủy áp dụng")


# The status a background run goes back to when it fails or its worker dies: its one transaction
# was rolled back with it.
RUNNING_FROM = {ReorgStatus.APPLYING: ReorgStatus.DRAFT, ReorgStatus.UNDOING: ReorgStatus.APPLIED}


STALLED_MESSAGE = _(
    "Tiến trình nền đã dừng giữa chừng (máy chủ khởi động lại hoặc gặp lỗi). Việc áp dụng diễn ra trong một "
    "giao dịch nên chưa có dữ liệu nào được ghi; hãy bấm lại."
)


class ReorganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReorganizationQuerySet":
        """Decisions of the user's subtrees, and those from above that change a unit in them."""
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self
        concerning = OperationUnit.objects.filter(subtree_q(user, "unit__path")).values("reorganization")
        return self.filter(subtree_q(user, "unit__path") | Q(pk__in=concerning))

    def running(self) -> "ReorganizationQuerySet":
        return self.filter(status__in=list(RUNNING_FROM))

    def fail_stalled(self) -> int:
        """Put back the background runs whose worker died (a crash, a restart) or never came,
        with a message: their one transaction was rolled back, nothing was written.

        A worker holds its decision's row locked for the whole run, so on PostgreSQL a locked row
        is alive however long it takes (SKIP LOCKED passes it by); SQLite has no row locks and
        relies on REORG_STALE_MINUTES alone."""
        from django.conf import settings
        from django.db import connection, transaction
        from django.utils import timezone

        limit = timezone.now() - datetime.timedelta(minutes=settings.REORG_STALE_MINUTES)
        stalled = self.running().filter(queued_at__lt=limit)
        with transaction.atomic():
            if connection.features.has_select_for_update_skip_locked:
                stalled = stalled.select_for_update(skip_locked=True)
            rows = list(stalled.only("status"))
            for reorg in rows:
                reorg.status = RUNNING_FROM[ReorgStatus(reorg.status)]
                reorg.message = str(STALLED_MESSAGE)
                reorg.save(update_fields=["status", "message"])
        return len(rows)


class Reorganization(models.Model):
    # The unit whose subtree the decision changes: its admins prepare and apply it.
    unit = models.ForeignKey("orgs.Organization", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("nội dung"), max_length=500)
    decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    effective_on = models.DateField(_("ngày có hiệu lực"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReorgStatus.choices, default=ReorgStatus.DRAFT)
    # What carries forward (orgs/succession.py keys → bool; a key not named carries) and whether
    # accounts' roles on ceasing units move to the successors.
    carry = models.JSONField(default=dict, blank=True)
    move_roles = models.BooleanField(_("chuyển vai trò tài khoản sang đơn vị kế tục"), default=True)
    # Accepted reports of ceasing units for periods ending on or after the effective date: the
    # admin must confirm the date knowingly, and the reason is kept.
    reports_confirmed = models.TextField(_("xác nhận khi đã có báo cáo được duyệt sau ngày hiệu lực"), blank=True)
    # None: made by the system (the demo, a command).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # The last hand-over to the background worker, and why its run failed (nothing written).
    queued_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)

    objects = ReorganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định sắp xếp đơn vị")
        ordering = ["-effective_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(status__in=ReorgStatus.values), name="reorg_status_valid")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reorg_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_FROM

    def carries(self, key: str) -> bool:
        return bool(self.carry.get(key, True))


class OperationKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVE = "dissolve", _("Giải thể")
    RENAME = "rename", _("Đổi tên, đổi loại")
    MOVE = "move", _("Chuyển sang đơn vị cấp trên khác")


class Operation(models.Model):
    """One change of a decision. Its units (OperationUnit) are, by kind: the units merged; the
    unit split, dissolved, renamed or moved."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.CASCADE, related_name="operations")
    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=OperationKind.choices)
    # Merge into an existing unit; the unit taking over a dissolved one's children and work.
    target = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị tiếp nhận"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # A new unit (merge into a new one), the new name or kind (rename), the new parent (move, and
    # merge into a new one).
    new_code = models.CharField(_("mã đơn vị mới"), max_length=32, blank=True)
    new_name = models.CharField(_("tên mới"), max_length=255, blank=True)
    new_short_name = models.CharField(_("tên viết tắt mới"), max_length=100, blank=True)
    new_kind = models.ForeignKey(
        "orgs.OrgKind", verbose_name=_("loại đơn vị mới"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    new_parent = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị cấp trên mới"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # What a rename replaced, to undo it.
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("thay đổi")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=OperationKind.values), name="reorg_op_kind_valid")]

    def __str__(self) -> str:
        return self.get_kind_display()


class OperationUnit(models.Model):
    """A unit an operation concerns; a unit takes part in one operation of a decision."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.CASCADE, related_name="+")
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["reorganization", "unit"], name="reorg_unit_in_one_operation"),
        ]


class SplitPart(models.Model):
    """A unit a split makes: its code, name and kind, the split unit's children that go to it,
    and whether the split unit's members and open work go to it (else to the first part)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("mã đơn vị"), max_length=32)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.ForeignKey("orgs.OrgKind", verbose_name=_("loại đơn vị"), on_delete=models.PROTECT, related_name="+")
    children = models.ManyToManyField("orgs.Organization", blank=True, related_name="+")
    takes_work = models.BooleanField(_("nhận đảng viên và công việc đang dở"), default=False)

    class Meta:
        ordering = ["id"]


class CreatedUnit(models.Model):
    """A unit the reorganization made (merged, split, continued): removed again by an undo."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.CASCADE, related_name="created")
    unit = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="+")


class CarriedRow(models.Model):
    """Rows one carrier handed from a ceasing unit to its successor (orgs/succession.py): their
    ids, kept to undo — one row per pair of units, not per moved row (a national merger moves
    millions of members)."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.CASCADE, related_name="carried")
    carrier = models.CharField(max_length=40)
    from_unit_id = models.BigIntegerField()
    to_unit_id = models.BigIntegerField()
    row_ids = models.JSONField(default=list)
