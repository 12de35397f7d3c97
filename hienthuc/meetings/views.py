from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.documents.access import access_document, resolve_target
from hienthuc.forms import submit
from hienthuc.meetings import actions, figures, program
from hienthuc.meetings.access import access_attendee, access_item, access_meeting, access_point
from hienthuc.meetings.forms import (
    AttendanceForm,
    CheckInForm,
    DraftReceivedForm,
    HeadcountForm,
    ItemForm,
    ItemRecordForm,
    MakeUpForm,
    MeetingForm,
    PointForm,
    RecordForm,
)
from hienthuc.meetings.models import BODY_OF_KIND, CheckIn, Invitation, Meeting, MeetingKind
from hienthuc.orgs.access import access_organization
from hienthuc.people.models import Person
from hienthuc.scope import can_edit, can_issue, edits_anywhere, require_edits_somewhere

CHECKIN_SALT = "hienthuc.meetings.checkin"


def checkin_code(person: Person) -> str:
    """What a member's personal QR code holds: their id, signed, so a code cannot be made up."""
    return signing.dumps(person.pk, salt=CHECKIN_SALT)


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.visible_to(request.user).select_related("unit")
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {"page": page, "kinds": MeetingKind.choices, "kind": kind})


def meeting_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới tổ chức hội nghị."))
    form = MeetingForm(request.POST or None, user=request.user)
    meeting = submit(
        request,
        form,
        lambda data: actions.do_create_meeting(data.pop("unit"), acting_user=request.user, **data),
        lambda meeting: _("Đã tạo “%(title)s”.") % {"title": meeting.title},
    )
    if meeting:
        return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


def _detail(request: HttpRequest, meeting: Meeting, forms: dict | None = None, status: int = 200) -> HttpResponse:
    organizer = can_issue(request.user, meeting.unit)
    forms = forms or {}
    points = meeting.points.all()
    if not organizer and not request.user.is_superuser:
        from hienthuc.scope import subtree_q

        points = points.filter(subtree_q(request.user, "path") | subtree_q(request.user, "meeting__unit__path"))
    members = []
    if meeting.is_session:
        from hienthuc.committees.models import CommitteeSeat

        attendance = {a.person_id: a for a in meeting.member_attendance.all()}
        seats = CommitteeSeat.objects.filter(term=meeting.term, body=BODY_OF_KIND[MeetingKind(meeting.kind)])
        members = [(s.person, attendance.get(s.person_id)) for s in seats.select_related("person")]
    context = {
        "meeting": meeting,
        "organizer": organizer,
        "items": meeting.items.select_related(
            "document__kind", "document__issuing_unit", "preparing_unit", "planned_task"
        ),
        # The organizer sees every point; a unit down the tree its own (access_point's rule).
        "points": points.select_related("unit", "operator")[:200],
        "point_count": points.count(),
        "documents": meeting.documents.select_related("kind", "issuing_unit"),
        "members": members,
        "record_form": forms.get("record")
        or RecordForm(initial={"status": meeting.status, "minutes": meeting.minutes}),
        "item_form": forms.get("item") or ItemForm(user=request.user, tasks=program.program_tasks(meeting.unit)),
        "planned": program.planned_not_taken(meeting),
        "late": set(program.late_drafts(timezone.localdate()).filter(meeting=meeting).values_list("pk", flat=True)),
        "attendance_form": forms.get("attendance") or AttendanceForm(user=request.user),
        "point_form": forms.get("point") or PointForm(user=request.user),
        # A unit below the organizer holds a make-up session for its members who missed the study.
        "make_up_form": forms.get("make_up") or MakeUpForm(user=request.user)
        if meeting.makes_up_id is None and edits_anywhere(request.user)
        else None,
        "make_ups": meeting.make_ups.select_related("unit").order_by("starts_at"),
        "item_record_form": ItemRecordForm(),
    }
    return render(request, "meetings/detail.html", context, status=status)


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    if request.method != "POST":
        return _detail(request, meeting)
    what = request.POST.get("form", "")
    if what == "record":
        form = RecordForm(request.POST)
        done = submit(request, form, lambda d: _record(request, meeting, d), _("Đã ghi kết quả hội nghị."))
    elif what == "item":
        form = ItemForm(request.POST, user=request.user, tasks=program.program_tasks(meeting.unit))
        done = submit(request, form, lambda d: _add_item(request, meeting, d, form), _("Đã thêm nội dung."))
    elif what == "attendance":
        form = AttendanceForm(request.POST, user=request.user)
        done = submit(
            request, form, lambda d: actions.do_record_member_attendance(meeting, acting_user=request.user, **d),
            _("Đã ghi dự họp."),
        )  # fmt: skip
    elif what == "draft":
        form = DraftReceivedForm(request.POST)
        done = submit(
            request, form,
            lambda d: actions.do_record_draft_received(
                access_item(request.user, d["item"]), received_on=d["received_on"], acting_user=request.user
            ),
            _("Đã ghi ngày nhận dự thảo."),
        )  # fmt: skip
    elif what == "point":
        form = PointForm(request.POST, user=request.user)
        done = submit(request, form, lambda d: _add_point(request, meeting, d), _("Đã thêm điểm cầu."))
    elif what == "make_up":
        form = MakeUpForm(request.POST, user=request.user)
        make_up = submit(
            request, form, lambda d: actions.do_create_make_up(meeting, acting_user=request.user, **d),
            lambda m: _("Đã lập buổi học bù và triệu tập %(n)s người chưa học.") % {"n": m.points.get().expected},
        )  # fmt: skip
        if make_up:
            return redirect("meeting_detail", pk=make_up.pk)
        return _detail(request, meeting, {what: form}, status=400)
    else:
        return HttpResponse(status=400)
    if done:
        return redirect("meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, {what: form}, status=400)


def _record(request, meeting, data):
    text = data.pop("conclusion")
    conclusion = resolve_target(request.user, text) if text else None
    return actions.do_record_meeting(meeting, conclusion=conclusion, acting_user=request.user, **data)


def _add_item(request, meeting, data, form):
    text = data.pop("document")
    document = resolve_target(request.user, text) if text else None
    return actions.do_add_agenda_item(meeting, document=document, acting_user=request.user, **data)


@transaction.atomic  # the point and its invitations, or neither
def _add_point(request, meeting, data):
    username = (data.pop("operator") or "").strip().lower()
    operator = None
    if username:
        operator = get_user_model().objects.filter(username=username).first()
        if operator is None:
            raise ValidationError({"operator": _("Không tìm thấy tài khoản “%(name)s”.") % {"name": username}})
    invite, title = data.pop("invite_members"), data.pop("invite_title")
    point = actions.do_add_bridge_point(meeting, operator=operator, acting_user=request.user, **data)
    if invite:
        actions.do_invite_unit(meeting, point=point, acting_user=request.user)
    elif title:
        actions.do_invite_positions(meeting, point=point, title=title, acting_user=request.user)
    return point


@require_POST
def item_record(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_item(request.user, pk)
    form = ItemRecordForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_item(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi kết quả."))
    else:
        messages.error(request, _("Hãy ghi kết quả hợp lệ."))
    return redirect("meeting_detail", pk=item.meeting_id)


def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's page: find an invited person and check them in, or scan their QR code,
    or enter a headcount."""
    point = access_point(request.user, pk)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        invited = Invitation.objects.filter(point=point).values("person_id")
        people = Person.objects.filter(pk__in=invited).search(query).select_related("home_unit")[:30]
        done = set(CheckIn.objects.filter(meeting=point.meeting, person__in=people).values_list("person_id", flat=True))
        absent = dict(
            Invitation.objects.filter(meeting=point.meeting, person__in=people)
            .exclude(absence="")
            .values_list("person_id", "absence")
        )
        found = [(p, p.pk in done, absent.get(p.pk, "")) for p in people]
    context = {
        "point": point,
        "meeting": point.meeting,
        "runs": actions.runs_point(request.user, point),
        "query": query,
        "found": found,
        "checkin_form": CheckInForm(),
        "headcount_form": HeadcountForm(initial={"count": point.headcount}),
        "recent": CheckIn.objects.filter(point=point).select_related("person").order_by("-at")[:20],
    }
    template = "meetings/point.html#found" if request.htmx else "meetings/point.html"
    return render(request, template, context)


@require_POST
def point_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(request.user, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn người hoặc quét mã QR."))
        return redirect("point_detail", pk=point.pk)
    person_id = form.cleaned_data["person"]
    if form.cleaned_data["code"]:
        try:
            person_id = signing.loads(form.cleaned_data["code"].strip(), salt=CHECKIN_SALT)
        except signing.BadSignature:
            messages.error(request, _("Mã QR không hợp lệ: không phải mã điểm danh do hệ thống cấp."))
            return redirect("point_detail", pk=point.pk)
    person = access_attendee(request.user, point.meeting, person_id)
    if person is None:
        messages.error(request, _("Không tìm thấy người dự này."))
        return redirect("point_detail", pk=point.pk)
    try:
        created = actions.do_check_in(
            point_id=point.pk,
            person_id=person.pk,
            arrival=form.cleaned_data["arrival"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Đã điểm danh %(name)s.") % {"name": person.full_name})
        else:
            messages.info(request, _("%(name)s đã được điểm danh trước đó.") % {"name": person.full_name})
    return redirect("point_detail", pk=point.pk)


def _point_person(request: HttpRequest, point) -> Person | None:
    person_id = request.POST.get("person", "")
    return access_attendee(request.user, point.meeting, int(person_id)) if person_id.isdigit() else None


@require_POST
def point_absence(request: HttpRequest, pk: int) -> HttpResponse:
    """A person summoned here who did not come: excused with a reason, or not."""
    point = access_point(request.user, pk)
    person = _point_person(request, point)
    try:
        if person is None:
            raise ValidationError(_("Không tìm thấy người dự này."))
        actions.do_record_absence(
            point.meeting, person=person, absence=request.POST.get("absence", ""),
            reason=request.POST.get("reason", ""), acting_user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi vắng mặt."))
    return redirect(f"{reverse('point_detail', args=[point.pk])}?q={request.POST.get('q', '')}")


@require_POST
def point_left(request: HttpRequest, pk: int) -> HttpResponse:
    """A person checked in who left before the end."""
    point = access_point(request.user, pk)
    person = _point_person(request, point)
    try:
        if person is None:
            raise ValidationError(_("Không tìm thấy người dự này."))
        actions.do_mark_left_early(point.meeting, person=person, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi về sớm."))
    return redirect("point_detail", pk=point.pk)


@require_POST
def point_headcount(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(request.user, pk)
    form = HeadcountForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_headcount(point, count=form.cleaned_data["count"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi số người có mặt."))
    else:
        messages.error(request, _("Số người có mặt phải là số nguyên."))
    return redirect("point_detail", pk=point.pk)


def meeting_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The live board: expected, present and share for the user's part of the conference, per
    unit below; the fragment refreshes itself (htmx polling) without reloading the page."""
    meeting = access_meeting(request.user, pk)
    unit_id = request.GET.get("unit", "")
    org = access_organization(request.user, int(unit_id)) if unit_id.isdigit() else meeting.unit
    if not org.path.startswith(meeting.unit.path):
        org = meeting.unit
    context = {"meeting": meeting, "org": org, **figures.board(meeting, org)}
    template = "meetings/board.html#board" if request.htmx else "meetings/board.html"
    return render(request, template, context)


def document_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has studied a document: members who did over those who must, per unit below."""
    document = access_document(request.user, pk)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        org = access_organization(request.user, int(unit_id))
    else:
        from hienthuc.orgs.models import Organization

        tops = list(Organization.objects.tops_for(request.user))
        org = tops[0] if tops else None
        if org is None:
            return render(request, "meetings/completion.html", {"document": document, "org": None})
    context = {"document": document, "org": org, **figures.completion(document.pk, org)}
    return render(request, "meetings/completion.html", context)


def document_reflections(request: HttpRequest, pk: int) -> HttpResponse:
    """Reflections on a document: counts per unit below, the unit's own members' reflections to
    mark and who has not submitted; a member submits their own here."""
    from hienthuc.meetings.forms import MarkForm, ReflectionForm
    from hienthuc.orgs.models import Organization

    document = access_document(request.user, pk)
    unit_id = request.GET.get("unit", "")
    tops = [] if unit_id.isdigit() else list(Organization.objects.tops_for(request.user))
    org = access_organization(request.user, int(unit_id)) if unit_id.isdigit() else (tops[0] if tops else None)
    me = getattr(request.user, "person", None)
    form = ReflectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and me is not None and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            actions.do_submit_reflection(
                document, person=me, text=form.cleaned_data["text"], data=upload.read() if upload else None,
                filename=upload.name if upload else "", acting_user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã nộp bài thu hoạch."))
            return redirect(request.get_full_path())
    context = {
        "document": document,
        "org": org,
        "me": me,
        "form": form,
        "mark_form": MarkForm(),
        "can_mark": org is not None and can_edit(request.user, org),
        **(figures.reflections(document.pk, org) if org else {}),
    }
    return render(request, "meetings/reflections.html", context)


@require_POST
def reflection_mark(request: HttpRequest, pk: int) -> HttpResponse:
    from hienthuc.meetings.forms import MarkForm
    from hienthuc.meetings.models import Reflection
    from hienthuc.scope import subtree_q

    reflection = get_object_or_404(
        Reflection.objects.filter(subtree_q(request.user, "path")).select_related("person__home_unit"), pk=pk
    )
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            actions.do_mark_reflection(reflection, mark=form.cleaned_data["mark"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xếp loại."))
    return redirect(
        f"{reverse('document_reflections', args=[reflection.document_id])}?unit={reflection.person.home_unit_id}"
    )


def person_code(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's personal check-in QR code (SVG), for their card."""
    import io

    import segno

    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("home_unit"), pk=pk)
    # The member's own, or their unit's to print on cards: not every reader's.
    if person.user_id != request.user.pk and not can_edit(request.user, person.home_unit):
        return HttpResponse(status=403)
    out = io.BytesIO()
    segno.make(checkin_code(person), error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def unit_meetings_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's meetings panel (htmx), or a page of its own."""
    from hienthuc.meetings.panel import meetings_panel
    from hienthuc.orgs.access import breadcrumbs

    org = access_organization(request.user, pk)
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        **meetings_panel(org, request.user, timezone.now()),
    }
    template = "meetings/panel.html#panel" if request.htmx else "meetings/panel.html"
    return render(request, template, context)
