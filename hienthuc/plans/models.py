"""Plans (action programs, implementation plans …) and their tasks.

A plan is issued as a Document (so it has a number) by a unit; each task has a lead unit,
cooperating units, an output and a deadline as written. A task's status is derived at read
time from its deadline's last day and its completion date (`with_status`), never stored.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hienthuc.lib import deadlines


class PlanKind(models.TextChoices):
    ACTION_PROGRAM = "action_program", _("Chương trình hành động")
    IMPLEMENTATION_PLAN = "implementation_plan", _("Kế hoạch thực hiện")
    WORK_PROGRAM = "work_program", _("Chương trình làm việc toàn khóa")
    STUDY_PLAN = "study_plan", _("Kế hoạch học tập, quán triệt")
    INSPECTION_PROGRAM = "inspection_program", _("Chương trình kiểm tra, giám sát")
    # A running register, not a decision: the directions given on incoming documents in a year
    # (the incoming app), each a task of the body assigned; it is open from its first day and
    # takes tasks without amendments.
    DIRECTIONS = "directions", _("Sổ theo dõi ý kiến chỉ đạo")


RUNNING_KINDS = (PlanKind.DIRECTIONS,)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        """The user's subtrees' plans, and issued plans from above that concern them: they are
        required to implement it, or lead or cooperate on one of its tasks. A plan is a document:
        a secret one only with a grant, like any other (docs/architecture.md, "References")."""
        from hienthuc.documents.models import readable_q
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self.filter(readable_q(user, "document__"))
        own = subtree_q(user, "unit__path")
        required = Q(pk__in=PlanRequirement.objects.filter(subtree_q(user, "unit__path")).values("plan_id"))
        tasked = Q(pk__in=Task.objects.filter(subtree_q(user, "lead_path")).values("plan_id")) | Q(
            pk__in=TaskCooperation.objects.filter(subtree_q(user, "unit__path")).values("task__plan_id")
        )
        return self.filter(own | (Q(status=PlanStatus.ISSUED) & (required | tasked))).filter(
            readable_q(user, "document__")
        )


class Plan(models.Model):
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="plan")
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("loại kế hoạch"), max_length=24, choices=PlanKind.choices)
    title = models.CharField(_("tên"), max_length=500)
    source_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản được thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementing_plans",
    )
    parent_plan = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_plans",
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The lines above the task table's header as the office wrote them ("PHỤ LỤC", "(Kèm theo
    # Chương trình hành động số 01-CTr/TU …)"): kept from an import, written back on export.
    appendix_title = models.TextField(_("tiêu đề phụ lục"), blank=True, default="", db_default="")
    issued_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every recorded amendment of an issued plan.
    amendment = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document.number_normalized or ''}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plan_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == PlanStatus.ISSUED


class PlanRequirementQuerySet(models.QuerySet):
    def unmet(self) -> "PlanRequirementQuerySet":
        """Requirements the unit has not answered with an issued plan (whatever the date)."""
        answered = Plan.objects.filter(
            parent_plan=models.OuterRef("plan"), unit=models.OuterRef("unit"), status=PlanStatus.ISSUED
        )
        return self.exclude(models.Exists(answered))


class PlanRequirement(models.Model):
    """A plan requires a unit below to issue its own plan for it by a date (the cascade)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="requirements")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="plan_requirements")
    due_on = models.DateField(_("hạn ban hành"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanRequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu ban hành kế hoạch")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="plan_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.unit.name}"


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskQuerySet":
        """Tasks of visible plans where the plan is the user's own, and every task in which a
        unit of theirs leads or cooperates; never the tasks of a secret plan without a grant."""
        from hienthuc.documents.models import readable_q
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self.filter(readable_q(user, "plan__document__"))
        own_plans = subtree_q(user, "plan__unit__path")
        leading = subtree_q(user, "lead_path")
        cooperating = Q(pk__in=TaskCooperation.objects.filter(subtree_q(user, "unit__path")).values("task_id"))
        return self.filter(own_plans | (Q(plan__status=PlanStatus.ISSUED) & (leading | cooperating))).filter(
            readable_q(user, "plan__document__")
        )

    def with_status(self, today: datetime.date | None = None, *, past: bool = False) -> "TaskQuerySet":
        """Annotate `status_code`, derived from the deadline's last day as of today. `past`:
        `today` is a past day, on which a task completed later was still open."""
        today = today or timezone.localdate()
        done = Q(completed_on__lte=today) if past else Q(completed_on__isnull=False)
        return self.annotate(
            status_code=Case(
                When(deadline_last_day__isnull=True, then=Value(deadlines.STATUS_ONGOING)),
                When(done & Q(completed_on__lte=F("deadline_last_day")), then=Value(deadlines.DONE_ON_TIME)),
                When(done, then=Value(deadlines.DONE_LATE)),
                When(deadline_last_day__gte=today, then=Value(deadlines.OPEN_IN_TIME)),
                default=Value(deadlines.OPEN_OVERDUE),
                output_field=models.CharField(),
            )
        )

    def led_in_subtree(self, org) -> "TaskQuerySet":
        return self.filter(lead_path__startswith=org.path)

    def status_counts(self, today: datetime.date | None = None) -> dict[str, int]:
        """{status code: number of tasks} in one query."""
        counts = dict(self.with_status(today).order_by().values_list("status_code").annotate(n=models.Count("pk")))
        return {code: counts.get(code, 0) for code in deadlines.STATUS_LABELS}

    def overdue(self, today: datetime.date | None = None) -> "TaskQuerySet":
        today = today or timezone.localdate()
        return self.filter(completed_on__isnull=True, deadline_last_day__lt=today)

    def due_in_month(self, today: datetime.date | None = None) -> "TaskQuerySet":
        today = today or timezone.localdate()
        return self.filter(
            completed_on__isnull=True, deadline_last_day__year=today.year, deadline_last_day__month=today.month
        )


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks", verbose_name=_("nhiệm vụ cha")
    )
    # The headings above the task, outermost first, joined by SECTION_SEPARATOR
    # ("I. CÔNG TÁC XÂY DỰNG ĐẢNG › 1. Công tác chính trị, tư tưởng").
    section = models.CharField(_("mục"), max_length=1000, blank=True)
    # The task table's row: tasks made from one row (a group of lead bodies) share it.
    order = models.PositiveIntegerField(default=0)
    # STT as written in the table ("1", "1.1", "a)"): exports write it back, never renumber.
    # Database defaults on the task table's newer columns: the bench generators write tasks with
    # raw COPY/INSERT naming the columns they know.
    number_text = models.CharField(_("số thứ tự"), max_length=20, blank=True, default="", db_default="")
    content = models.TextField(_("nội dung nhiệm vụ"))
    lead_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    # The lead unit's path, copied so that a subtree's tasks are one range scan of this table
    # (the dashboard's overdue list, the task list "under a unit"). Kept by the actions and by
    # unit moves; tests compare it with the unit's path.
    lead_path = models.CharField(max_length=255, editable=False, default="")
    # The lead cell as written when it named more than this unit ("Các huyện ủy, thành ủy …",
    # "Đảng ủy Quân sự tỉnh; Đảng ủy Công an tỉnh") or a body outside the tree.
    lead_text = models.CharField(
        _("cơ quan chủ trì (như ghi trong bảng)"), max_length=500, blank=True, default="", db_default=""
    )
    # The lead is a body outside the Party tree ("Sở Kế hoạch và Đầu tư"), named in lead_text;
    # lead_unit is then the plan's unit, which follows the task up.
    lead_outside = models.BooleanField(default=False, db_default=False)
    cooperating_units = models.ManyToManyField(
        "orgs.Organization", through="TaskCooperation", related_name="cooperating_tasks", blank=True
    )
    # The cooperating cell as written, bodies outside the tree included ("Sở Tài chính; các cơ
    # quan, đơn vị liên quan"); cooperating_units holds those found in the tree.
    cooperating_text = models.CharField(
        _("cơ quan phối hợp (như ghi trong bảng)"), max_length=1000, blank=True, default="", db_default=""
    )
    leader = models.ForeignKey(
        "people.Person", verbose_name=_("lãnh đạo phụ trách"), null=True, blank=True, on_delete=models.SET_NULL
    )
    output = models.CharField(_("sản phẩm"), max_length=500, blank=True)
    deadline_text = models.CharField(_("thời gian hoàn thành"), max_length=100)
    deadline_kind = models.CharField(max_length=12)
    deadline_last_day = models.DateField(null=True, blank=True, db_index=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    from_task = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_tasks",
        verbose_name=_("nhiệm vụ cấp trên"),
    )  # fmt: skip
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    output_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("văn bản sản phẩm"),
    )  # fmt: skip
    output_link = models.URLField(_("đường dẫn sản phẩm"), max_length=500, blank=True)
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]
        indexes = [
            models.Index(fields=["lead_unit", "deadline_last_day"]),
            # The dashboard's overdue list: open tasks in deadline order, the first 20 found at
            # once for the whole country, and a subtree's open tasks by one range scan.
            models.Index(
                fields=["deadline_last_day", "id"], condition=Q(completed_on__isnull=True), name="task_open_by_deadline"
            ),
            models.Index(
                fields=["lead_path", "deadline_last_day"],
                condition=Q(completed_on__isnull=True),
                name="task_open_by_lead_path",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            # A subtree's tasks, done ones too, by one range scan: a past day's figures
            # (tallies.tasks_on) and the task list of a subtree.
            models.Index(fields=["lead_path"], name="task_by_lead_path", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
            models.CheckConstraint(condition=~Q(content=""), name="task_content_not_empty"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(progress=100), name="task_completed_at_100"
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("task_detail", args=[self.pk])

    def current_status(self) -> str:
        """The status as of today (lists use `with_status()`, which computes it in SQL)."""
        annotated = self.__dict__.get("status_code")
        return annotated or deadlines.status(self.deadline_last_day, self.completed_on, timezone.localdate())

    @property
    def status_label(self) -> str:
        return deadlines.STATUS_LABELS[self.current_status()]

    @property
    def lead_label(self) -> str:
        """Who leads, as a person reads it: the body outside the tree by its name, else the unit."""
        return self.lead_text if self.lead_outside else self.lead_unit.name

    @property
    def cooperating_label(self) -> str:
        """The cooperating bodies as written, else the units (prefetch cooperating_units)."""
        return self.cooperating_text or "; ".join(u.name for u in self.cooperating_units.all())

    @property
    def sections(self) -> list[str]:
        return self.section.split(SECTION_SEPARATOR) if self.section else []


SECTION_SEPARATOR = " › "


class TaskCooperation(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="cooperations")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_cooperation_unique")]


class ProgressUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("nội dung báo cáo"), blank=True)
    evidence_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_link = models.URLField(max_length=500, blank=True)
    completed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_update_max_100")]

    def __str__(self) -> str:
        return f"{self.task} — {self.percent}%"


class ExplanationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExplanationQuerySet":
        """Requests about a task the user sees, or addressed to a unit in their subtrees."""
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self
        return self.filter(Q(task__in=Task.objects.visible_to(user)) | subtree_q(user, "unit__path"))


class ExplanationRequest(models.Model):
    """A leader asks a unit to explain an overdue task, or a unit's results (yêu cầu giải trình)."""

    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="explanations")
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị giải trình"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("nội dung yêu cầu"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ExplanationQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        ordering = ["-requested_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(question=""), name="explanation_question_not_empty")]

    def __str__(self) -> str:
        return _("Yêu cầu giải trình: %(unit)s") % {"unit": self.unit}


class GoalKind(models.TextChoices):
    GENERAL = "general", _("Mục tiêu tổng quát")
    STAGED = "staged", _("Mục tiêu theo giai đoạn")
    KEY_TASK = "key_task", _("Nhiệm vụ trọng tâm")
    BREAKTHROUGH = "breakthrough", _("Khâu đột phá")


class Goal(models.Model):
    """What a resolution sets out: its general goal, staged goals (2025 / 2030 / 2045), key tasks
    and breakthroughs. Numeric targets (chỉ tiêu) come with indicators, in their own model."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("loại"), max_length=16, choices=GoalKind.choices)
    year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    text = models.TextField(_("nội dung"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mục tiêu")
        ordering = ["document", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="goal_text_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="goal_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ReminderKind(models.TextChoices):
    BEFORE_7 = "before_7", _("Còn 7 ngày đến hạn")
    BEFORE_3 = "before_3", _("Còn 3 ngày đến hạn")
    BEFORE_1 = "before_1", _("Còn 1 ngày đến hạn")
    AFTER_1 = "after_1", _("Đã quá hạn 1 ngày")
    # A task already past its "after_1" day when reminders first ran for it (reminders turned
    # on late, a server down that day, data brought in): said once, so no overdue task is silent.
    OVERDUE = "overdue", _("Đã quá hạn")


# Days from the deadline's last day to the day each reminder goes out.
REMINDER_OFFSETS = {
    ReminderKind.BEFORE_7: -7,
    ReminderKind.BEFORE_3: -3,
    ReminderKind.BEFORE_1: -1,
    ReminderKind.AFTER_1: 1,
}


class Reminder(models.Model):
    """A reminder (đôn đốc) about a task, sent once per kind to each responsible user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhắc việc")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "task", "kind"], name="reminder_once")]


class ReminderMute(models.Model):
    """A user's choice not to be reminded: of one task, or (task empty) of all."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mutes")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tắt nhắc việc")
        constraints = [
            models.UniqueConstraint(fields=["user", "task"], name="reminder_mute_unique"),
            # NULLs never clash in a unique index: the "mute all" row needs its own constraint.
            models.UniqueConstraint(fields=["user"], condition=Q(task__isnull=True), name="reminder_mute_all_once"),
        ]

    def __str__(self) -> str:
        return _("Tắt nhắc việc: %(task)s") % {"task": self.task or _("mọi nhiệm vụ")}


# Tallies: counts kept in step with every write so that dashboards and coverage read a few
# hundred rows, not millions of tasks (see tallies.py). The day a tally row carries only
# matters for open items, whose status turns at that day; other rows carry NO_DAY so they
# collapse into one row per unit and state (a unique key cannot hold NULL).
NO_DAY = datetime.date(9999, 12, 31)


class TallyState(models.TextChoices):
    ONGOING = "ongoing"  # tasks with no deadline ("Thường xuyên")
    OPEN = "open"  # tasks not completed / units that have not issued their plan
    ON_TIME = "on_time"
    LATE = "late"


class TaskTally(models.Model):
    """Tasks of issued plans led in `unit`'s subtree (the unit itself included), by state and,
    for open tasks, deadline day. Kept for units at AGGREGATE_MIN_DEPTH and below."""

    unit = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=TallyState.choices)
    due = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "state", "due"], name="task_tally_key")]


class CoverageTally(models.Model):
    """Requirements to issue a plan for `document` (the source document of the cascade) on
    units in `unit`'s subtree (the unit itself included): issued on time, late, or still open
    with its due day."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=TallyState.choices)
    due = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "document", "state", "due"], name="coverage_tally_key")]
