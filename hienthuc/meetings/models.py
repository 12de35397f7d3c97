"""Meetings: the committee's sessions and conferences, their agenda, the members' attendance,
and the study conferences held at many bridge points at once, with who was invited, who came,
and who has studied each document (docs/architecture.md, "Meetings").

A check-in is its own record of who recorded it and when (`CheckIn.by`, `at`): a national
conference writes two million of them, and each is append-only, so the audit trail of a
conference is its check-ins plus the audited changes to the meeting and its points."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    CONGRESS = "congress", _("Đại hội")
    EXECUTIVE = "executive", _("Hội nghị Ban Chấp hành")
    STANDING = "standing", _("Hội nghị Ban Thường vụ")
    STANDING_OFFICE = "standing_office", _("Họp Thường trực")
    STUDY = "study", _("Hội nghị học tập, quán triệt")
    REVIEW = "review", _("Hội nghị sơ kết, tổng kết")
    CELL = "cell", _("Sinh hoạt chi bộ")


# A session of a committee body: numbered within the term ("Hội nghị Ban Chấp hành lần thứ 12"),
# its members' attendance kept, its items voted.
SESSION_KINDS = (MeetingKind.EXECUTIVE, MeetingKind.STANDING, MeetingKind.STANDING_OFFICE)
# The committee body (committees.models.Body) whose members a session summons.
BODY_OF_KIND = {MeetingKind.EXECUTIVE: "bch", MeetingKind.STANDING: "btv", MeetingKind.STANDING_OFFICE: "tt"}


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    HYBRID = "hybrid", _("Trực tiếp kết hợp trực tuyến")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Hoãn, hủy")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Meetings held by a unit of the user's subtrees, and those above them that reach down
        to them (a conference with a bridge point in their subtree)."""
        from hienthuc.scope import subtree_q

        if user.is_superuser:
            return self
        hosting = BridgePoint.objects.filter(subtree_q(user, "unit__path")).values("meeting_id")
        return self.filter(subtree_q(user, "unit__path") | Q(pk__in=hosting))


class Meeting(models.Model):
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=MeetingKind.choices)
    term = models.ForeignKey(
        "committees.Term", verbose_name=_("nhiệm kỳ"), null=True, blank=True, on_delete=models.PROTECT
    )
    number = models.PositiveSmallIntegerField(_("lần thứ"), null=True, blank=True)
    title = models.CharField(_("tên hội nghị"), max_length=500)
    starts_at = models.DateTimeField(_("thời gian bắt đầu"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    format = models.CharField(
        _("hình thức"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("kết quả, biên bản tóm tắt"), blank=True)
    # The notice of the session's conclusions (thông báo kết luận), registered as a document: its
    # follow-up tasks are plans implementing it, tracked like any.
    conclusion = models.ForeignKey(
        "documents.Document",
        verbose_name=_("thông báo kết luận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concluding",
    )
    # Check-in closes with the meeting: later arrivals are made up in another session (học bù).
    checkin_closed = models.BooleanField(_("đã khóa điểm danh"), default=False)
    allow_guests = models.BooleanField(_("cho điểm danh khách mời ngoài danh sách"), default=False)
    # A make-up session (học bù) of a study conference, held by a unit below its organizer for
    # those who missed it: the same documents, and its attendance is recorded as made-up study.
    makes_up = models.ForeignKey(
        "self", verbose_name=_("học bù cho hội nghị"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="make_ups",
    )  # fmt: skip
    # The documents a study conference studies; its attendance counts as having studied them.
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("văn bản học tập, quán triệt"), blank=True, related_name="studied_at"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội nghị")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="meeting_title_not_empty"),
            # One "Hội nghị Ban Chấp hành lần thứ 12" per term.
            models.UniqueConstraint(
                fields=["unit", "term", "kind", "number"],
                condition=Q(number__isnull=False, term__isnull=False),
                name="meeting_session_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meeting_detail", args=[self.pk])

    @property
    def is_session(self) -> bool:
        return self.kind in SESSION_KINDS


class AgendaItem(models.Model):
    """A matter on a session's agenda: the document submitted, who prepares it and by when it
    is due to the office, who presents it, and after the session whether it was taken and the
    vote. Planned from a task of the work program, it shows what the program planned."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    matter = models.TextField(_("nội dung"))
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    preparing_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("cơ quan chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    draft_due = models.DateField(_("hạn gửi dự thảo về Văn phòng"), null=True, blank=True)
    draft_received_on = models.DateField(_("ngày nhận dự thảo"), null=True, blank=True)
    presenter = models.CharField(_("người trình bày, báo cáo viên"), max_length=200, blank=True)
    time_slot = models.CharField(_("thời gian"), max_length=60, blank=True)
    planned_task = models.ForeignKey(
        "plans.Task",
        verbose_name=_("nhiệm vụ trong chương trình công tác"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    taken = models.BooleanField(_("đã xem xét tại hội nghị"), null=True, blank=True)
    outcome = models.TextField(_("kết quả"), blank=True)
    votes_for = models.PositiveIntegerField(_("tán thành"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("không tán thành"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    summoned = models.PositiveIntegerField(_("số được triệu tập"), null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung hội nghị")
        ordering = ["meeting", "order", "id"]


class Presence(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng không lý do")


class MemberAttendance(models.Model):
    """A committee member's attendance at a session of their body."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="member_attendance")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("tình hình dự họp"), max_length=8, choices=Presence.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dự họp của cấp ủy viên")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="member_attendance_once")]


class BridgePoint(models.Model):
    """A location of a conference (điểm cầu): hosted by a unit, run by an operator account,
    with the people expected there and the room's capacity. One is the main point."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="points")
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị chủ trì điểm cầu"), on_delete=models.PROTECT, related_name="+"
    )
    # The unit's path, copied: the live board adds points up by their place in the tree.
    path = models.CharField(max_length=255, editable=False)
    name = models.CharField(_("tên điểm cầu"), max_length=255)
    is_main = models.BooleanField(_("điểm cầu chính"), default=False)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều hành điểm cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bridge_points",
    )
    capacity = models.PositiveIntegerField(_("sức chứa"), null=True, blank=True)
    # Kept by the actions: who is invited here, who checked in, and a headcount entered by the
    # operator when names are not kept (the board shows the larger of the two).
    expected = models.PositiveIntegerField(_("số được triệu tập"), default=0)
    # The number summoned to a point that keeps no names (set by the organizer); the board
    # expects the larger of the two.
    planned = models.PositiveIntegerField(_("số dự kiến (không theo danh sách)"), null=True, blank=True)
    present = models.PositiveIntegerField(_("số có mặt (điểm danh)"), default=0)
    headcount = models.PositiveIntegerField(_("số có mặt (đếm)"), null=True, blank=True)
    # Those summoned here recorded absent, by kind (Absence): kept with the invitations, so the
    # board reads them with the other counters.
    excused = models.PositiveIntegerField(_("vắng có lý do"), default=0)
    absent = models.PositiveIntegerField(_("vắng không lý do"), default=0)

    class Meta:
        verbose_name = _("điểm cầu")
        ordering = ["meeting", "-is_main", "path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="bridge_point_one_per_unit"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(is_main=True), name="bridge_point_one_main"),
        ]
        indexes = [
            models.Index(
                fields=["meeting", "path"], name="bridge_point_by_path", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def attended(self) -> int:
        return max(self.present, self.headcount or 0)

    @property
    def summoned(self) -> int:
        return max(self.expected, self.planned or 0)


class Absence(models.TextChoices):
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng không lý do")


class Invitation(models.Model):
    """A person summoned to a conference, at a bridge point; absent with or without a reason
    when they did not come (a check-in and an absence exclude each other)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="invitations")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="invitations")
    absence = models.CharField(_("vắng mặt"), max_length=8, choices=Absence.choices, blank=True)
    reason = models.CharField(_("lý do vắng"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("giấy mời")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="invitation_once")]


class Arrival(models.TextChoices):
    ON_TIME = "on_time", _("Đúng giờ")
    LATE = "late", _("Đến muộn")


class CheckIn(models.Model):
    """A person present at a conference, recorded once (a second check-in of the same person
    changes nothing): by the operator's search, by the person's QR code, at a point."""

    # The conference and its documents are referenced by every check-in at once: a database
    # foreign key would make each check-in lock those few rows (FOR KEY SHARE, which PostgreSQL
    # shares between transactions through "multixacts", a serialization point that halved the
    # national check-in rate: docs/performance.md). So these references are kept by the
    # application: the check-in writes only ids it read in the same statement, and meetings and
    # documents are never deleted (annulled, cancelled), while Django still cascades in Python.
    # No index of its own either: checkin_once begins with the meeting.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="checkins", db_index=False, db_constraint=False
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField(auto_now_add=True)
    arrival = models.CharField(max_length=8, choices=Arrival.choices, default=Arrival.ON_TIME)
    left_early = models.BooleanField(default=False)
    guest = models.BooleanField(default=False)  # not invited, admitted as the organizer allows
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("điểm danh")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="checkin_once")]


class Study(models.Model):
    """A member has studied a document: at a conference (its check-in) or made up later (học bù)."""

    # Written with each check-in: no database foreign key to the document or the meeting, as for
    # CheckIn.meeting (why there). No index of the document's own (study_once and study_by_path
    # begin with it) nor of the meeting's (nothing looks studies up by meeting, and meetings are
    # not deleted): each index costs every check-in one entry per document.
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="studies", db_index=False, db_constraint=False
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="studies")
    # The member's home unit path when recorded: completion adds up by it.
    path = models.CharField(max_length=255, editable=False)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False
    )
    made_up = models.BooleanField(_("học bù"), default=False)
    studied_on = models.DateField(_("ngày học tập"))

    class Meta:
        verbose_name = _("học tập, quán triệt")
        constraints = [models.UniqueConstraint(fields=["document", "person"], name="study_once")]
        indexes = [
            models.Index(
                fields=["document", "path"], name="study_by_path", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
        ]


class Mark(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Chưa đạt")


class Reflection(models.Model):
    """A member's reflection on a document studied (bài thu hoạch): text or a file, marked by
    their cell (the editors of their home unit)."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="reflections")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reflections")
    path = models.CharField(max_length=255, editable=False)  # the home unit's path when submitted
    text = models.TextField(_("nội dung"), blank=True)
    file = models.FileField(upload_to="reflections/%Y/", blank=True)
    file_type = models.CharField(max_length=8, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mark = models.CharField(_("xếp loại"), max_length=10, choices=Mark.choices, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bài thu hoạch")
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="reflection_once"),
            models.CheckConstraint(condition=~Q(text="") | ~Q(file=""), name="reflection_not_empty"),
        ]
        indexes = [
            models.Index(
                fields=["document", "path"], name="reflection_by_path", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
        ]


class DraftReminder(models.Model):
    """A reminder to a preparing body that its draft for a session is late to the office: once
    per item and person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc gửi dự thảo")
        constraints = [models.UniqueConstraint(fields=["user", "item"], name="draft_reminder_once")]
