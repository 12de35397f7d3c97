from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TermQuerySet":
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "unit__path"))

    def current_for(self, unit) -> "Term | None":
        """The term running this year, else the latest one."""
        year = timezone.localdate().year
        terms = self.filter(unit=unit)
        running = terms.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year")
        return running.first() or terms.order_by("-start_year").first()


class Term(models.Model):
    """A unit's committee term (nhiệm kỳ, khóa): number XX, years 2020–2025."""

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("khóa (số)"))
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    # The day the congress closed, when known: in a congress year it tells which term a
    # document dated that year belongs to (its numbers start again at 01).
    began_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm kỳ")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="term_unique_number"),
            models.CheckConstraint(condition=Q(end_year__gt=models.F("start_year")), name="term_years_ordered"),
            models.CheckConstraint(condition=Q(start_year__gte=1930, end_year__lte=2200), name="term_years_range"),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self) -> str:
        return _("Khóa %(roman)s, nhiệm kỳ %(start)s–%(end)s") % {
            "roman": self.roman,
            "start": self.start_year,
            "end": self.end_year,
        }

    @property
    def roman(self) -> str:
        from hienthuc.lib.roman import to_roman

        return to_roman(self.number)


class Body(models.TextChoices):
    EXECUTIVE = "bch", _("Ban Chấp hành")
    STANDING = "btv", _("Ban Thường vụ")
    STANDING_OFFICE = "tt", _("Thường trực")
    INSPECTION = "ubkt", _("Ủy ban Kiểm tra")


class SeatRole(models.TextChoices):
    SECRETARY = "bi_thu", _("Bí thư")
    STANDING_DEPUTY = "pho_bi_thu_tt", _("Phó Bí thư Thường trực")
    DEPUTY = "pho_bi_thu", _("Phó Bí thư")
    STANDING_MEMBER = "uv_btv", _("Ủy viên Ban Thường vụ")
    MEMBER = "uy_vien", _("Ủy viên")
    CHAIR = "chu_nhiem", _("Chủ nhiệm")
    VICE_CHAIR = "pho_chu_nhiem", _("Phó Chủ nhiệm")


class SeatSource(models.TextChoices):
    ELECTED = "elected", _("Bầu tại đại hội")
    ADDED = "added", _("Bầu bổ sung")
    APPOINTED = "appointed", _("Chỉ định")


class SeatQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SeatQuerySet":
        return self.filter(term__in=Term.objects.visible_to(user))


class CommitteeSeat(models.Model):
    """A person's seat in one body of a term's committee."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="seats")
    body = models.CharField(_("cơ quan"), max_length=8, choices=Body.choices)
    role = models.CharField(_("chức danh"), max_length=16, choices=SeatRole.choices)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    # How the seat was taken and left, with the decision or record that says so (its number as
    # written: the committee sits below the document register).
    how = models.CharField(
        _("hình thức"), max_length=10, choices=SeatSource.choices, default=SeatSource.ELECTED,
        db_default=SeatSource.ELECTED,
    )  # fmt: skip
    decision = models.CharField(_("quyết định, biên bản"), max_length=300, blank=True, db_default="")
    left_decision = models.CharField(_("quyết định thôi tham gia"), max_length=300, blank=True, db_default="")

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy viên cấp ủy")
        ordering = ["term", "body", "role", "person__search_name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person", "body"], name="seat_unique_per_body"),
            models.CheckConstraint(condition=Q(body__in=Body.values), name="seat_body_valid"),
            models.CheckConstraint(condition=Q(role__in=SeatRole.values), name="seat_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} {self.get_body_display()}"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """The term's subtree, plus assignments to a unit in the user's subtree (work from above)."""
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "term__unit__path") | subtree_q(user, "unit__path"))


class Assignment(models.Model):
    """A committee member put in charge of a field (lĩnh vực) or a unit (địa bàn)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assignments")
    field = models.CharField(_("lĩnh vực"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("địa bàn, đơn vị phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_members",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    # The day the member stopped being in charge: the assignment stays as history.
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        ordering = ["term", "person__search_name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(field="") | Q(unit__isnull=False), name="assignment_has_target"),
        ]

    def __str__(self) -> str:
        target = self.field or str(self.unit)
        return _("%(person)s phụ trách %(target)s") % {"person": self.person, "target": target}
