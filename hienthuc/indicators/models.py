"""Indicators (chỉ tiêu), their targets, and the periodic reports that feed them.

A figure is entered once, by the unit that owns it: a Value is keyed by indicator, unit and
period, whichever report form carried it, so every form asking for the same figure shows it
filled. Submissions move draft → submitted → accepted (locked) or returned with a comment.
Tallies keep live rollups (values up the tree, who submitted) as tasks do (see tallies.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hienthuc.lib import periods


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    AVERAGE = "avg", _("Trung bình")
    WEIGHTED = "weighted", _("Bình quân gia quyền theo chỉ tiêu khác")
    NONE = "none", _("Không cộng dồn")


class TimeAggregation(models.TextChoices):
    SUM = "sum", _("Cộng các kỳ")
    LAST = "last", _("Số kỳ cuối")
    AVERAGE = "avg", _("Trung bình các kỳ")


class PeriodKind(models.TextChoices):
    MONTH = periods.MONTH, _("Tháng")
    QUARTER = periods.QUARTER, _("Quý")
    HALF = periods.HALF, _("6 tháng")
    NINE_MONTHS = periods.NINE_MONTHS, _("9 tháng")
    YEAR = periods.YEAR, _("Năm")
    ONE_OFF = periods.ONE_OFF, _("Theo đợt")


def _from_here_or_above(user, field: str) -> Q:
    """Defined in the user's subtrees or by a unit above them: what comes from above applies below."""
    from hienthuc.scope import above_q, subtree_q

    return subtree_q(user, field) | above_q(user, field)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        return self if user.is_superuser else self.filter(_from_here_or_above(user, "owner__path"))


class Source(models.TextChoices):
    """Where a figure comes from: typed by the unit, or counted from what the system already holds."""

    ENTERED = "", _("Đơn vị nhập")
    TASKS_DONE = "tasks_done", _("Số nhiệm vụ đã hoàn thành (tính từ hệ thống)")
    TASKS_OVERDUE = "tasks_overdue", _("Số nhiệm vụ quá hạn chưa hoàn thành (tính từ hệ thống)")
    TASKS_DONE_SHARE = "tasks_done_share", _("Tỷ lệ nhiệm vụ đến hạn đã hoàn thành (tính từ hệ thống)")
    PLANS_ISSUED = "plans_issued", _("Số đơn vị trực thuộc đã ban hành kế hoạch thực hiện (tính từ hệ thống)")
    PLANS_OVERDUE = "plans_overdue", _("Số đơn vị trực thuộc quá hạn chưa ban hành kế hoạch (tính từ hệ thống)")
    PARTY_ORGS = "party_orgs", _("Số tổ chức đảng trực thuộc (tính từ cây tổ chức)")
    PARTY_MEMBERS = "party_members", _("Số đảng viên (tính từ danh sách cán bộ, đảng viên)")


class Indicator(models.Model):
    code = models.CharField(_("mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    measure = models.CharField(_("đơn vị tính"), max_length=40)
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    aggregation = models.CharField(
        _("cộng dồn theo đơn vị"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    weight = models.ForeignKey(
        "self",
        verbose_name=_("trọng số (chỉ tiêu)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="weighted",
    )
    time_aggregation = models.CharField(
        _("cộng dồn trong năm"), max_length=4, choices=TimeAggregation.choices, default=TimeAggregation.SUM
    )
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=0)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=20, decimal_places=6, null=True, blank=True)
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị xác định"), on_delete=models.PROTECT, related_name="indicators"
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản đề ra"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    order = models.PositiveIntegerField(default=0)

    source = models.CharField(_("nguồn số liệu"), max_length=20, choices=Source.choices, default="", blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_empty"),
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_max_6"),
            models.CheckConstraint(
                condition=Q(aggregation="weighted", weight__isnull=False) | ~Q(aggregation="weighted"),
                name="indicator_weighted_has_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicator_detail", args=[self.pk])


class TargetKind(models.TextChoices):
    YEAR = "year", _("Chỉ tiêu năm")
    TERM = "term", _("Chỉ tiêu cuối nhiệm kỳ")


class TargetOrigin(models.TextChoices):
    ASSIGNED = "assigned", _("Cấp trên giao")
    OWN = "own", _("Đơn vị tự đặt (phấn đấu)")


class TargetBasis(models.TextChoices):
    """What a term target measures: the level reached, a yearly average over the term, or the
    term's total."""

    LEVEL = "level", _("Mức đạt được")
    AVERAGE = "average", _("Bình quân mỗi năm của nhiệm kỳ")
    TOTAL = "total", _("Cộng dồn cả nhiệm kỳ")


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TargetQuerySet":
        return self if user.is_superuser else self.filter(_from_here_or_above(user, "unit__path"))

    def assigned(self) -> "TargetQuerySet":
        """The targets lights judge against: those the level above assigned."""
        return self.filter(origin=TargetOrigin.ASSIGNED)


class Target(models.Model):
    """A target for an indicator at a unit: a year's, or the term-end one (kind TERM, its year
    the term's last), assigned by the level above or the unit's own (higher) one — both kept.

    Kept as written ("8,5–9", "≥ 90", "dưới 1", "bình quân 7 %/năm": `text`) with its bounds
    (`low`, `high`, either open); `value` is the bound the figure is judged against — the low
    one where higher is better, the high one where lower is — so every reader compares one
    number (lib/targets.py reads what offices write)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=TargetKind.choices, default=TargetKind.YEAR)
    year = models.PositiveSmallIntegerField(_("năm"))
    origin = models.CharField(max_length=8, choices=TargetOrigin.choices, default=TargetOrigin.ASSIGNED)
    basis = models.CharField(max_length=8, choices=TargetBasis.choices, default=TargetBasis.LEVEL)
    value = models.DecimalField(_("chỉ tiêu"), max_digits=20, decimal_places=6)
    low = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    high = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    text = models.CharField(_("chỉ tiêu như văn bản ghi"), max_length=120, blank=True)

    # Raised by every change: a client sending the version it read cannot overwrite a newer one.
    version = models.PositiveIntegerField(default=1)
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu phấn đấu")
        ordering = ["indicator", "kind", "year", "origin"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "kind", "year", "origin"], name="target_unique"),
            models.CheckConstraint(condition=Q(year__gte=1930, year__lte=2200), name="target_year_range"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="target_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} — {self.unit.name}, {self.get_kind_display().lower()} {self.year}"


class ReportFormQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportFormQuerySet":
        return self if user.is_superuser else self.filter(_from_here_or_above(user, "owner__path"))


class ReportForm(models.Model):
    """A report form (mẫu báo cáo): the indicators and narrative sections some units report
    each period, by a number of days after the period ends."""

    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị ban hành mẫu"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên mẫu báo cáo"), max_length=300)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=12, choices=PeriodKind.choices)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    # Days after the period's end; negative: before it ends (-16: the quarter's report is due on
    # the 15th of its last month), figures for what is left of the period then being estimates.
    deadline_days = models.SmallIntegerField(_("hạn nộp (số ngày sau khi hết kỳ; số âm: trước khi hết kỳ)"), default=15)
    # One narrative section title per line ("Kết quả", "Hạn chế", "Nguyên nhân", "Kiến nghị, đề
    # xuất", …), asked for each field (lĩnh vực, one per line: "Xây dựng Đảng", "Phát triển kinh
    # tế - xã hội", …) when the form names fields; the yearly report composes them (narrative.py).
    sections = models.TextField(_("các phần thuyết minh"), blank=True)
    fields = models.TextField(_("các lĩnh vực"), blank=True)
    indicators = models.ManyToManyField(Indicator, through="FormIndicator", related_name="forms")
    units = models.ManyToManyField("orgs.Organization", through="FormUnit", related_name="report_forms")
    is_active = models.BooleanField(default=True)

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu báo cáo")
        ordering = ["owner", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="report_form_name_not_empty"),
            models.CheckConstraint(condition=Q(period_kind__in=PeriodKind.values), name="report_form_period_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("report_form_detail", args=[self.pk])

    @property
    def section_titles(self) -> list[str]:
        return [line.strip() for line in self.sections.splitlines() if line.strip()]

    @property
    def field_names(self) -> list[str]:
        return [line.strip() for line in self.fields.splitlines() if line.strip()]

    @property
    def narrative_parts(self) -> list[tuple[str, str, str]]:
        """(field, section, key) of each narrative part a unit writes: every section of every
        field ("Xây dựng Đảng — Kết quả"), or the sections alone when the form names no field.
        The key is how Submission.narrative stores the text."""
        fields = self.field_names or [""]
        return [(f, t, f"{f} — {t}" if f else t) for f in fields for t in self.section_titles]

    def periods_due(self, today) -> list[periods.Period]:
        """The periods whose report is owed by `today` (ended, or due before they end), from
        the form's first year, latest first; a one-off form's own periods."""
        if self.period_kind == PeriodKind.ONE_OFF:
            found = [p.period for p in self.one_off_periods.all()]
            found = [p for p in found if p.end < today or p.due(self.deadline_days) < today]
            return sorted(found, key=lambda p: p.end, reverse=True)
        return periods.closed_periods(self.period_kind, self.first_year, today, self.deadline_days)

    def periods_open(self, today) -> list[periods.Period]:
        """The periods a unit may report on by `today` — every one begun — latest first."""
        if self.period_kind == PeriodKind.ONE_OFF:
            found = [p.period for p in self.one_off_periods.all() if p.first_day <= today]
            return sorted(found, key=lambda p: p.end, reverse=True)
        found = [
            p for y in range(self.first_year, today.year + 1) for p in periods.periods_of_year(self.period_kind, y)
        ]
        return sorted((p for p in found if p.start <= today), key=lambda p: p.end, reverse=True)

    @property
    def deadline_label(self) -> str:
        if self.deadline_days < 0:
            return _("hạn nộp %(n)s ngày trước khi hết kỳ") % {"n": -self.deadline_days}
        return _("hạn nộp %(n)s ngày sau khi hết kỳ") % {"n": self.deadline_days}

    def periods_of_year(self, year: int) -> list[periods.Period]:
        """The form's periods ending in `year`."""
        if self.period_kind == PeriodKind.ONE_OFF:
            return [p.period for p in self.one_off_periods.all() if p.last_day.year == year]
        if year < self.first_year:
            return []
        return periods.periods_of_year(self.period_kind, year)


class OneOffPeriod(models.Model):
    """A period of a one-off form (báo cáo theo đợt): a campaign, a study drive, between two
    days; a form's periods never overlap, so a day belongs to one of them at most."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="one_off_periods")
    name = models.CharField(_("tên đợt"), max_length=200)
    first_day = models.DateField(_("từ ngày"))
    last_day = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("đợt báo cáo")
        ordering = ["form", "first_day"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="one_off_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period.label})"

    @property
    def period(self) -> periods.Period:
        return periods.one_off(self.first_day, self.last_day)


class FormIndicator(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "indicator"], name="form_indicator_unique")]


class FormUnitQuerySet(models.QuerySet):
    def undated(self) -> "FormUnitQuerySet":
        """Duties for every period, the ones the tallies count."""
        return self.filter(valid_from__isnull=True, valid_to__isnull=True)

    def dated(self) -> "FormUnitQuerySet":
        return self.exclude(valid_from__isnull=True, valid_to__isnull=True)


class FormUnit(models.Model):
    """A unit that must submit the form every period — or, once a reorganization has passed the
    duty on, the periods ending within [valid_from, valid_to] (the ceased unit keeps its past
    duty, the successor owes from the effective date)."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="required")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = FormUnitQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "unit"], name="form_unit_unique")]

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Comparison(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    GE = ">=", "≥"
    GT = ">", ">"
    EQ = "=", "="


class FormRule(models.Model):
    """A rule between two values of a form, e.g. "đảng viên mới ≤ tổng số đảng viên"."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("quy tắc kiểm tra")

    def __str__(self) -> str:
        return f"{self.left.name} {self.get_comparison_display()} {self.right.name}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã duyệt")


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SubmissionQuerySet":
        from hienthuc.scope import subtree_q

        return self if user.is_superuser else self.filter(subtree_q(user, "unit__path"))


class Submission(models.Model):
    """One unit's report on one form for one period."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ báo cáo"), max_length=periods.KEY_MAX)
    status = models.CharField(max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    narrative = models.JSONField(default=dict, blank=True)
    # The first time it was sent (its history); timeliness follows `submitted_at`, the version
    # now waiting for review or accepted (indicators/tallies.py, submission_state).
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        ordering = ["-period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period"], name="submission_unique"),
            models.CheckConstraint(condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.form.name} — {self.unit.name}, {self.period_obj.label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("submission_detail", args=[self.pk])

    @property
    def period_obj(self) -> periods.Period:
        return periods.parse(self.period)

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class ValueQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ValueQuerySet":
        from hienthuc.scope import subtree_q

        return self if user.is_superuser else self.filter(subtree_q(user, "unit__path"))


class Value(models.Model):
    """An indicator's value for a unit and a period, entered once by the unit that owns it."""

    # This table holds tens of millions of rows written in bulk (`make bench`), so its keys are
    # lean: no index but the unique key, which starts with the unit and serves every read; and no
    # database-level check of the indicator, unit and author per row, which costs PostgreSQL more
    # than writing the row itself (the import would run at half the speed). Every writer — the
    # report actions and the import — resolves the indicator and unit first, nothing deletes
    # either, and the ORM still protects them (PROTECT) and clears the author (SET_NULL).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=periods.KEY_MAX)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        # Unit and period first: one index serves the uniqueness, a unit's figures for some
        # years (dashboards) and the import's matching, and a bulk import maintains one index less.
        verbose_name = _("số liệu")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator"], name="value_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.name} — {self.unit.name}, {periods.parse(self.period).label}"


class EstimateQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EstimateQuerySet":
        from hienthuc.scope import subtree_q

        return self if user.is_superuser else self.filter(subtree_q(user, "unit__path"))


class Estimate(models.Model):
    """An estimate (số ước) of an indicator for a unit and a period not yet over — the December
    report's "ước cả năm" — kept after the official figure (Value) replaces it. A unit's own
    statement: estimates are not rolled up the tree; where a unit has no official figure for a
    period, pages and reports show its estimate, marked as one (figures.py)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="estimates")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=periods.KEY_MAX)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EstimateQuerySet.as_manager()

    class Meta:
        verbose_name = _("số ước")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator"], name="estimate_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.name} — {self.unit.name}, {periods.parse(self.period).label}"


# Tallies (see tallies.py): live rollups read by dashboards, kept by every write.


class ValueTally(models.Model):
    """Values of an indicator and period reported in `unit`'s subtree (itself included) by
    units at `depth`: how many, their sum, and for weighted averages Σ value×weight and Σ weight."""

    # Written only by tallies.py, from units and indicators it has just read, in bulk by an
    # import: as for Value, no index but the unique key and no per-row check of the keys.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=periods.KEY_MAX)
    unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    depth = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=30, decimal_places=6, default=0)
    wsum = models.DecimalField(max_digits=38, decimal_places=6, default=0)
    wtotal = models.DecimalField(max_digits=30, decimal_places=6, default=0)

    class Meta:
        # Unit then period: a panel reads a few years of every indicator of each child unit.
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator", "depth"], name="value_tally_key")]


class FormUnitTally(models.Model):
    """How many units of `unit`'s subtree (itself included) must submit `form`."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "form"], name="form_unit_tally_key")]


class SubmissionTally(models.Model):
    """Submissions of `form` for `period` sent from `unit`'s subtree: on time or late."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=periods.KEY_MAX)
    unit = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8)  # on_time, late
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "form", "period", "state"], name="submission_tally_key")]
