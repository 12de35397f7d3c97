"""Inspection and supervision (kiểm tra, giám sát) under Quy định 296-QĐ/TW: the program's
items, each inspection with its decision, team, findings and conclusion, the recommendations
that become tracked tasks, and discipline (docs/architecture.md, "Inspection and supervision").

An item of the whole-term or yearly program is an `Inspection` in the state "planned" linked to
its task in the program (a plan of kind INSPECTION_PROGRAM): the task carries the quarter as its
deadline and is completed by the conclusion, so the program's done, late and not started are
the task statuses every dashboard already counts. An inspection outside the program (on signs
of a violation, say) has no task."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SIGNS = "signs", _("Kiểm tra khi có dấu hiệu vi phạm")
    THEMATIC = "thematic", _("Giám sát chuyên đề")
    REGULAR = "regular", _("Giám sát thường xuyên")


class Body(models.TextChoices):
    """Who conducts it for the committee (chủ thể tiến hành)."""

    EXECUTIVE = "bch", _("Ban Chấp hành")
    STANDING = "btv", _("Ban Thường vụ")
    COMMISSION = "ubkt", _("Ủy ban Kiểm tra")


class Status(models.TextChoices):
    PLANNED = "planned", _("Chưa tiến hành")
    ONGOING = "ongoing", _("Đang tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")


class TeamRole(models.TextChoices):
    HEAD = "head", _("Trưởng đoàn")
    DEPUTY = "deputy", _("Phó trưởng đoàn")
    MEMBER = "member", _("Thành viên")


class Penalty(models.TextChoices):
    """Forms of discipline (hình thức kỷ luật): the first two for an organization or a member,
    dismissal and expulsion for a member, dissolution for an organization."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


PERSON_PENALTIES = (Penalty.REPRIMAND, Penalty.WARNING, Penalty.DISMISSAL, Penalty.EXPULSION)
UNIT_PENALTIES = (Penalty.REPRIMAND, Penalty.WARNING, Penalty.DISSOLUTION)


def _subject_q(user, prefix: str = "") -> Q:
    """Rows conducted by a unit of the user's subtrees, or whose subject lies in them: a unit
    learns it is inspected from the decision, and sees what was concluded about it."""
    from hienthuc.scope import subtree_q

    return subtree_q(user, f"{prefix}unit__path") | subtree_q(user, f"{prefix}subject_path")


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionQuerySet":
        return self if user.is_superuser else self.filter(_subject_q(user))

    def findings_readable_by(self, user) -> "InspectionQuerySet":
        """Those whose findings the user may read: see `Inspection.findings_readable`."""
        from hienthuc.scope import EDIT_KINDS, RoleKind, subtree_q

        if user.is_superuser:
            return self
        readers = subtree_q(user, "unit__path", (RoleKind.INSPECTOR, *EDIT_KINDS))
        team = Q(team__person__user=user) if user.is_authenticated else Q(pk__in=[])
        return self.filter(Q(confidential=False) | readers | team).distinct()


class Inspection(models.Model):
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("cấp ủy tiến hành"), on_delete=models.PROTECT, related_name="inspections"
    )
    body = models.CharField(_("chủ thể tiến hành"), max_length=4, choices=Body.choices)
    form = models.CharField(_("hình thức"), max_length=12, choices=Form.choices)
    subject_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("tổ chức đảng được kiểm tra, giám sát"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspections_as_subject",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "people.Person", verbose_name=_("đảng viên được kiểm tra, giám sát"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspections",
    )  # fmt: skip
    # The subject unit's path, or the person's home unit's when recorded: scoping reads it.
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)
    content = models.TextField(_("nội dung"))
    period_text = models.CharField(_("thời gian"), max_length=100, blank=True)
    # The program's item, when the inspection is one: its deadline is the period planned.
    task = models.OneToOneField(
        "plans.Task", verbose_name=_("mục trong chương trình"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inspection",
    )  # fmt: skip
    decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    findings = models.TextField(_("kết quả kiểm tra, giám sát"), blank=True)
    # Findings are for the conducting side until it chooses otherwise (Quy định 296-QĐ/TW).
    confidential = models.BooleanField(_("kết quả chỉ lưu hành nội bộ"), default=True)
    conclusion = models.ForeignKey(
        "documents.Document", verbose_name=_("thông báo kết luận"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=True, subject_person__isnull=False)
                | Q(subject_unit__isnull=False, subject_person__isnull=True),
                name="inspection_one_subject",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="inspection_content_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="concluded") | Q(concluded_on__isnull=False), name="inspection_concluded_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.subject_label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspection_detail", args=[self.pk])

    @property
    def subject_label(self) -> str:
        if self.subject_person_id is not None:
            return self.subject_person.full_name
        return self.subject_unit.name if self.subject_unit_id else ""

    def findings_readable(self, user) -> bool:
        """Findings are read by the inspectors, editors and admins whose roles cover the
        conducting unit, by the team's members, and by everyone who sees the inspection once
        the conducting side has made them non-confidential."""
        from hienthuc.scope import EDIT_KINDS, RoleKind, covers

        if not self.confidential or covers(user, self.unit.path, (RoleKind.INSPECTOR, *EDIT_KINDS)):
            return True
        # Over the team as loaded (a list prefetches it with its people): no query per row.
        return user.is_authenticated and any(m.person.user_id == user.pk for m in self.team.all())


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey("people.Person", verbose_name=_("người"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("nhiệm vụ trong đoàn"), max_length=8, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("thành viên đoàn")
        ordering = ["inspection", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "person"], name="team_member_once"),
            models.UniqueConstraint(fields=["inspection"], condition=Q(role="head"), name="team_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.get_role_display()})"


class Recommendation(models.Model):
    """A recommendation of the conclusion, followed up as a task of the conducting unit's
    register of directions (PlanKind.DIRECTIONS), led by the subject's unit."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    task = models.OneToOneField("plans.Task", on_delete=models.PROTECT, related_name="recommendation")

    class Meta:
        verbose_name = _("kiến nghị")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return str(self.task)


class DisciplineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DisciplineQuerySet":
        """Discipline is read where its inspection's findings are: by the conducting side
        (the deciding unit's inspectors, editors and admins) and by the subject's unit."""
        from hienthuc.scope import EDIT_KINDS, RoleKind, subtree_q

        if user.is_superuser:
            return self
        return self.filter(
            subtree_q(user, "unit__path", (RoleKind.INSPECTOR, *EDIT_KINDS)) | subtree_q(user, "subject_path")
        )


class Discipline(models.Model):
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("cấp ủy quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="disciplines",
        verbose_name=_("cuộc kiểm tra"),
    )  # fmt: skip
    subject_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("tổ chức đảng bị kỷ luật"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="disciplines",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "people.Person", verbose_name=_("đảng viên bị kỷ luật"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="disciplines",
    )  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False, db_index=True)
    penalty = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=Penalty.choices)
    # No discipline without its decision (quyết định kỷ luật), registered as a document.
    decision = models.ForeignKey(
        "documents.Document", verbose_name=_("quyết định kỷ luật"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("nội dung vi phạm"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỷ luật")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=True, subject_person__isnull=False)
                | Q(subject_unit__isnull=False, subject_person__isnull=True),
                name="discipline_one_subject",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="discipline_reason_not_empty"),
        ]

    def __str__(self) -> str:
        subject = self.subject_person.full_name if self.subject_person_id else self.subject_unit.name
        return f"{self.get_penalty_display()}: {subject}"
