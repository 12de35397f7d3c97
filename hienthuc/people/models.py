from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hienthuc.lib.text import fold


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "home_unit__path"))

    def active(self) -> "PersonQuerySet":
        return self.filter(is_active=True)

    def in_subtree(self, org) -> "PersonQuerySet":
        return self.filter(home_unit__path__startswith=org.path)

    def search(self, text: str) -> "PersonQuerySet":
        result = self
        for word in fold(text).split()[:8]:
            result = result.filter(search_name__contains=word)
        return result


class Person(models.Model):
    """A party member or cadre; the home unit is where they belong (sinh hoạt)."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    home_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("đơn vị sinh hoạt"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)
    # The login of this person, if they have one: "my tasks" are those they lead in person.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    search_name = models.CharField(max_length=150, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ, đảng viên")
        ordering = ["search_name", "id"]
        indexes = [models.Index(fields=["home_unit", "is_active"])]
        constraints = [
            models.CheckConstraint(condition=~Q(full_name=""), name="person_name_not_empty"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_range",
            ),
            models.CheckConstraint(condition=Q(gender__in=["", *Gender.values]), name="person_gender_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)[:150]
        super().save(*args, **kwargs)


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PositionQuerySet":
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "person__home_unit__path"))

    def current(self, on=None) -> "PositionQuerySet":
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Position(models.Model):
    """A title a person held at a unit over a period (chức vụ)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=200)
    unit = models.ForeignKey("orgs.Organization", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="position_title_not_empty"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"
