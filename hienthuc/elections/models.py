"""Elections at a congress (a Meeting of kind congress): the list of candidates in ballot order,
the ballots entered twice by two operators and accepted only when both entries match (the
counting committee resolves the rest from the paper ballot), the count by the Party's election
regulation (lib/election.py), and votes by show of hands."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RULE_SOURCE = "Quyết định 190-QĐ/TW ngày 10/10/2024; Hướng dẫn 04-HD/TW ngày 31/12/2024"  # not UI text


class CongressKind(models.TextChoices):
    DELEGATES = "delegates", _("Đại hội đại biểu")
    ALL_MEMBERS = "members", _("Đại hội toàn thể đảng viên")


class ElectionStatus(models.TextChoices):
    PREPARING = "preparing", _("Chuẩn bị")
    COUNTING = "counting", _("Đang kiểm phiếu")
    CLOSED = "closed", _("Đã kết thúc kiểm phiếu")


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ElectionQuerySet":
        from hienthuc.scope import subtree_q

        return self if user.is_superuser else self.filter(subtree_q(user, "meeting__unit__path"))


class Election(models.Model):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="elections")
    title = models.CharField(_("nội dung bầu"), max_length=300)
    seats = models.PositiveSmallIntegerField(_("số người cần bầu"))
    congress_kind = models.CharField(_("loại đại hội"), max_length=10, choices=CongressKind.choices)
    # The base of "more than half": official delegates (or members) summoned, less those the
    # regulation excludes (entered by the counting committee).
    summoned = models.PositiveIntegerField(_("số đại biểu (đảng viên) chính thức được triệu tập"))
    excluded = models.PositiveIntegerField(_("số không tính vào tổng số"), default=0)
    present = models.PositiveIntegerField(_("số có mặt"), null=True, blank=True)
    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"), null=True, blank=True)
    rule_source = models.CharField(_("căn cứ"), max_length=300, default=RULE_SOURCE)
    # The most a list may exceed the seats by, as a share (the regulation's 30 %): an election
    # held under another rule records it here with its source.
    surplus_max = models.DecimalField(
        _("số dư tối đa (tỷ lệ)"), max_digits=4, decimal_places=2, default=Decimal("0.30")
    )
    round = models.PositiveSmallIntegerField(_("lần bầu"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("lần bầu trước"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.PREPARING)
    # The elected, once closed, become the seats of this term's body (committees.CommitteeSeat).
    term = models.ForeignKey("committees.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("cơ quan được bầu"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc bầu cử")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(condition=Q(status__in=ElectionStatus.values), name="election_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("election_detail", args=[self.pk])

    @property
    def base(self) -> int:
        return max(self.summoned - self.excluded, 0)

    @property
    def with_surplus(self) -> bool:
        return self.candidates.count() > self.seats


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField(_("số thứ tự trên phiếu"))
    full_name = models.CharField(_("họ và tên"), max_length=150)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="candidate_number_unique")]

    def __str__(self) -> str:
        return self.full_name


class CounterRole(models.TextChoices):
    COMMITTEE = "committee", _("Thành viên Ban kiểm phiếu")
    OPERATOR = "operator", _("Người nhập phiếu")


class Counter(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="counters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=CounterRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "user", "role"], name="counter_unique")]


class BallotEntry(models.Model):
    """One operator's entry of one paper ballot (its serial number): what it keeps or marks, or
    the committee's reason it is invalid. Two operators enter every ballot."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(_("số phiếu"))
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "number", "entered_at"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number", "operator"], name="ballot_entry_once_per_operator")
        ]


class BallotStatus(models.TextChoices):
    MATCHED = "matched", _("Hai lần nhập khớp nhau")
    RESOLVED = "resolved", _("Ban kiểm phiếu đối chiếu phiếu giấy")


class Ballot(models.Model):
    """A ballot as counted: the entries matched, or the committee resolved it from the paper."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    number = models.PositiveIntegerField(_("số phiếu"))
    content = models.JSONField()
    status = models.CharField(max_length=10, choices=BallotStatus.choices)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="ballot_unique")]


class HandVote(models.Model):
    """A vote by show of hands at a congress (presidium, counting committee, the resolution)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="hand_votes")
    subject = models.CharField(_("nội dung biểu quyết"), max_length=300)
    body = models.PositiveIntegerField(_("số đại biểu được triệu tập"))
    agree = models.PositiveIntegerField(_("tán thành"))
    disagree = models.PositiveIntegerField(_("không tán thành"), default=0)
    abstain = models.PositiveIntegerField(_("không biểu quyết"), default=0)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "recorded_at"]

    @property
    def passed(self) -> bool:
        from hienthuc.lib.election import show_of_hands

        return show_of_hands(self.agree, self.body)
