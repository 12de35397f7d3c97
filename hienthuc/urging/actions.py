"""Urging: the per-unit settings (audited), the daily run that reminds before the deadline,
repeats while overdue and escalates to the unit's head and the office of the unit above, and
the notices of explanations asked and answered. Every message is a Notice row (the in-app
inbox and the log) and goes out by the configured channels once the transaction commits."""

import datetime
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.accounts.models import Role, RoleKind
from hienthuc.audit.record import record
from hienthuc.committees.models import Body, CommitteeSeat, SeatRole, Term
from hienthuc.incoming.reminders import keepers
from hienthuc.orgs.models import Organization
from hienthuc.scope import can_edit
from hienthuc.urging import channels, dues
from hienthuc.urging.models import Notice, NoticeKind, UrgingSetting

DEFAULT = UrgingSetting(days_before=3, repeat_every=7, escalate_after=15, stop_after=90)
LIMITS = {"days_before": (0, 60), "repeat_every": (1, 60), "escalate_after": (1, 365), "stop_after": (1, 730)}


@transaction.atomic
def do_set_urging(unit: Organization, *, acting_user: User, **values) -> UrgingSetting:
    """How `unit` and the units below it that set none are urged."""
    if not can_edit(acting_user, unit):
        raise ValidationError(_("Bạn không có quyền cài đặt đôn đốc cho đơn vị này."))
    errors = {}
    for name, (low, high) in LIMITS.items():
        value = values.get(name, getattr(DEFAULT, name))
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Số ngày phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    setting = UrgingSetting.objects.filter(unit=unit).first()
    before = {name: getattr(setting, name) for name in LIMITS} if setting else None
    setting, _created = UrgingSetting.objects.update_or_create(
        unit=unit, defaults={name: values.get(name, getattr(DEFAULT, name)) for name in LIMITS}
    )
    record(acting_user, "update" if before else "create", setting, organization=unit, before=before,
           after={name: getattr(setting, name) for name in LIMITS})  # fmt: skip
    return setting


def setting_for(unit: Organization, settings: list[UrgingSetting]) -> UrgingSetting:
    """The setting of the unit or of its nearest unit above that has one."""
    found = [s for s in settings if unit.path.startswith(s.unit.path)]
    return max(found, key=lambda s: len(s.unit.path)) if found else DEFAULT


def todays_kind(days_late: int, setting: UrgingSetting) -> str | None:
    """What today brings for a thing `days_late` days past its deadline (negative: before)."""
    if days_late == -setting.days_before and setting.days_before > 0:
        return NoticeKind.BEFORE
    if days_late < 1 or days_late > setting.stop_after:
        return None
    if days_late >= setting.escalate_after and (days_late - setting.escalate_after) % setting.repeat_every == 0:
        return NoticeKind.ESCALATED
    if (days_late - 1) % setting.repeat_every == 0:
        return NoticeKind.OVERDUE
    return None


@transaction.atomic
def send_urgings(today: datetime.date) -> int:
    """Today's urgings for every unit; run once a day (twice sends nothing new)."""
    settings = list(UrgingSetting.objects.select_related("unit"))
    ahead = max([DEFAULT.days_before, *(s.days_before for s in settings)])
    back = max([DEFAULT.stop_after, *(s.stop_after for s in settings)])
    items = dues.owed(None, today - datetime.timedelta(days=back), today + datetime.timedelta(days=ahead))
    todo = []
    for item in items:
        kind = todays_kind(item.days_late(today), setting_for(item.unit, settings))
        if kind is not None:
            todo.append((item, kind))
    if not todo:
        return 0
    units = {item.unit.pk for item, _kind in todo}
    editors = keepers(units, today)
    escalated = {item.unit.pk for item, kind in todo if kind == NoticeKind.ESCALATED}
    above = _heads_and_offices_above(escalated, today)
    sent = 0
    for item, kind in todo:
        users = list(editors.get(item.unit.pk, []))
        if kind == NoticeKind.ESCALATED:
            users += [u for u in above.get(item.unit.pk, []) if u not in users]
        subject, body = _urging_text(item, kind, today)
        for user in users:
            sent += _notify(user, item.unit, kind, item.key, subject, body, item.link, today)
    return sent


def _urging_text(item: dues.Owed, kind: str, today: datetime.date) -> tuple[str, str]:
    late = item.days_late(today)
    if kind == NoticeKind.BEFORE:
        subject = _("[Hiện Thực] Sắp đến hạn: %(what)s") % {"what": item.label}
        state = _("còn %(n)s ngày") % {"n": -late}
    else:
        subject = _("[Hiện Thực] Đôn đốc: %(unit)s chưa thực hiện %(what)s") % {
            "unit": item.unit.name,
            "what": item.label,
        }
        state = _("quá hạn %(n)s ngày") % {"n": late}
    body = _("%(unit)s: %(what)s (theo yêu cầu của %(owner)s), hạn %(due)s, %(state)s.") % {
        "unit": item.unit.name,
        "what": item.label,
        "owner": item.owner.name,
        "due": item.due.strftime("%d/%m/%Y"),
        "state": state,
    }
    return subject, body


def _heads_and_offices_above(unit_ids: set[int], today: datetime.date) -> dict[int, list]:
    """Per unit: its head (its admins, and the secretary of its current committee when the
    secretary has a login) and the office of the unit above (its editors, or the editors of the
    unit above itself when it has no office). A few queries for any number of units."""
    if not unit_ids:
        return {}
    step = Organization.steplen
    units = {u.pk: u for u in Organization.objects.filter(pk__in=unit_ids)}
    parent_paths = {u.path[:-step] for u in units.values() if u.depth > 1}
    parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    offices: dict[str, int] = {}
    if parent_paths:
        below = Q()
        for path in parent_paths:
            below |= Q(path__startswith=path)
        depths = {len(path) // step + 1 for path in parent_paths}
        rows = Organization.objects.filter(below, depth__in=depths, kind__code="van_phong", is_active=True)
        rows = rows.order_by("path")
        for path, pk in rows.values_list("path", "pk"):
            if path[:-step] in parent_paths:
                offices.setdefault(path[:-step], pk)  # an office right below the unit above
    writer_of = {pk: offices.get(u.path[:-step], parents.get(u.path[:-step])) for pk, u in units.items() if u.depth > 1}
    editors = Role.objects.editors_by_unit({w for w in writer_of.values() if w})
    found: dict[int, list] = {pk: [] for pk in units}
    admins = Role.objects.filter(organization_id__in=unit_ids, kind=RoleKind.ADMIN, user__is_active=True)
    for role in admins.select_related("user"):
        found[role.organization_id].append(role.user)
    for pk, user in _secretaries(units, today).items():
        found[pk].append(user)
    for pk, writer in writer_of.items():
        found[pk] += editors.get(writer, []) if writer else []
    return {pk: list(dict.fromkeys(people)) for pk, people in found.items()}


def _secretaries(units: dict[int, Organization], today: datetime.date) -> dict[int, User]:
    """The secretary's login of each unit's current term (the term running this year, else the
    latest: Term.objects.current_for), in two queries."""
    current: dict[int, Term] = {}
    for term in Term.objects.filter(unit_id__in=units).order_by("start_year"):
        running = term.start_year <= today.year <= term.end_year
        held = current.get(term.unit_id)
        if held is None or running or not (held.start_year <= today.year <= held.end_year):
            current[term.unit_id] = term
    seats = CommitteeSeat.objects.filter(
        term__in=current.values(), body=Body.STANDING, role=SeatRole.SECRETARY, person__user__is_active=True
    ).select_related("person__user", "term")
    return {seat.term.unit_id: seat.person.user for seat in seats if seat.person.user is not None}


def _notify(user, unit, kind: str, key: str, subject: str, body: str, link: str, today: datetime.date) -> int:
    """One notice, once per user, thing, kind and day; sent by the channels after commit."""
    notice, created = Notice.objects.get_or_create(
        user=user, key=key[:80], kind=kind, sent_on=today,
        defaults={"unit": unit, "subject": subject[:300], "body": body, "link": link[:300]},
    )  # fmt: skip
    if created:
        transaction.on_commit(partial(_deliver, notice.pk))
    return int(created)


def _deliver(notice_id: int) -> None:
    notice = Notice.objects.select_related("user").get(pk=notice_id)
    delivered = [c.name for c in channels.configured() if c.send(notice.user, notice.subject, notice.body)]
    if delivered:
        Notice.objects.filter(pk=notice_id).update(channels=",".join(delivered))


def notify_explanation(sender, instance, created: bool, **kwargs) -> None:
    """An explanation asked: those who keep the unit's register are told; answered: the one who asked."""
    from hienthuc.plans.models import ExplanationRequest

    request: ExplanationRequest = instance
    today = timezone.localdate()
    link = reverse("explanation_list")
    if created:
        subject = _("[Hiện Thực] Yêu cầu giải trình gửi %(unit)s") % {"unit": request.unit.name}
        for user in keepers({request.unit_id}, today).get(request.unit_id, []):
            _notify(user, request.unit, NoticeKind.EXPLANATION_ASKED, f"explanation:{request.pk}", subject,
                    request.question, link, today)  # fmt: skip
    elif request.answered_at is not None and request.requested_by is not None:
        subject = _("[Hiện Thực] %(unit)s đã giải trình") % {"unit": request.unit.name}
        _notify(request.requested_by, request.unit, NoticeKind.EXPLANATION_ANSWERED, f"explanation:{request.pk}",
                subject, request.answer, link, today)  # fmt: skip


@transaction.atomic
def do_draft_urging_letter(unit: Organization, *, acting_user: User):
    """The urging letter to the units late today, registered as a draft document of `unit`
    (công văn, numbered when issued), the letter attached."""
    from hienthuc.documents.actions import do_draft_generated
    from hienthuc.lib.text import file_name
    from hienthuc.urging import letter

    today = timezone.localdate()
    items = dues.late(unit, today, acting_user)
    if not items:
        raise ValidationError(_("Không có đơn vị nào chậm: không cần công văn đôn đốc."))
    return do_draft_generated(
        issuing_unit=unit,
        kind_code="cong_van",
        summary=_("đôn đốc thực hiện báo cáo, kế hoạch"),
        data=letter.to_docx(unit, items, today),
        filename=file_name("cong van don doc", unit.name, extension="docx"),
        acting_user=acting_user,
    )


@transaction.atomic
def do_mark_notices_read(user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices read (all of them when no ids are given)."""
    notices = Notice.objects.filter(user=user).unread()
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())
