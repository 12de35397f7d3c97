"""Receiving documents, directing them and answering them: atomic and audited."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.documents.models import Confidentiality, Document, DocumentKind, Status, Urgency
from hienthuc.incoming.models import IncomingDocument, IncomingStatus, processing_due
from hienthuc.lib import docnumbers
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.plans.actions import do_add_task, do_open_directions, do_record_progress
from hienthuc.scope import can_issue

AUDIT_FIELDS = [
    "year", "receipt_number", "received_on", "sender", "number_text", "original_date", "kind", "summary",
    "document", "urgency", "confidentiality", "processing_due", "status", "direction", "directed_by",
    "directed_on", "assigned_unit", "task",
]  # fmt: skip
SUMMARY_MAX = 2000


def _rank(level: str) -> int:
    return Confidentiality.values.index(level)


def next_receipt_number(unit: Organization, year: int) -> int:
    used = IncomingDocument.objects.filter(unit=unit, year=year).aggregate(Max("receipt_number"))
    return (used["receipt_number__max"] or 0) + 1


def find_original(user, number_text: str, original_date: datetime.date | None) -> Document | None:
    """The original in the register the user may read, by its number (and date when two bear it)."""
    try:
        normalized = docnumbers.parse(number_text).normalized
    except docnumbers.NumberError:
        return None
    found = list(
        Document.objects.visible_to(user).filter(number_normalized=normalized).exclude(status=Status.DRAFT)[:5]
    )
    if len(found) > 1 and original_date is not None:
        found = [d for d in found if d.issued_on == original_date]
    return found[0] if len(found) == 1 else None


def _check_receipt(
    *,
    unit: Organization,
    received_on: datetime.date | None,
    sender: str,
    summary: str,
    urgency: str,
    confidentiality: str,
    original_date: datetime.date | None,
) -> None:
    if received_on is None:
        raise ValidationError({"received_on": _("Hãy nhập ngày đến.")})
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("Ngày đến không thể sau hôm nay.")})
    if original_date is not None and original_date > received_on:
        raise ValidationError({"original_date": _("Ngày văn bản không thể sau ngày đến.")})
    if not sender:
        raise ValidationError({"sender": _("Hãy ghi nơi gửi, ví dụ Ban Bí thư Trung ương Đảng.")})
    if not summary:
        raise ValidationError({"summary": _("Trích yếu không được để trống.")})
    if len(summary) > SUMMARY_MAX:
        raise ValidationError({"summary": _("Trích yếu dài tối đa %(max)s ký tự.") % {"max": SUMMARY_MAX}})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Độ khẩn “%(value)s” không hợp lệ.") % {"value": urgency}})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Độ mật “%(value)s” không hợp lệ.") % {"value": confidentiality}})


@transaction.atomic
def do_receive_document(
    unit: Organization,
    *,
    received_on: datetime.date,
    sender: str,
    summary: str,
    number_text: str = "",
    original_date: datetime.date | None = None,
    kind: DocumentKind | None = None,
    urgency: str = "",
    confidentiality: str = Confidentiality.NORMAL,
    receipt_number: int | None = None,
    acting_user: User,
) -> IncomingDocument:
    """Register a document the unit received, under the next receipt number of the year (or the
    one written on it), linked to the original when the register holds it."""
    if not can_issue(acting_user, unit):
        raise ValidationError({"unit": _("Bạn không có quyền vào sổ văn bản đến của %(unit)s.") % {"unit": unit.name}})
    sender, summary, number_text = clean(sender)[:255], (summary or "").strip(), clean(number_text)[:60]
    urgency, confidentiality = urgency or "", confidentiality or Confidentiality.NORMAL
    _check_receipt(
        unit=unit, received_on=received_on, sender=sender, summary=summary, urgency=urgency,
        confidentiality=confidentiality, original_date=original_date,
    )  # fmt: skip
    normalized = ""
    if number_text:
        try:
            normalized = docnumbers.parse(number_text).normalized
        except docnumbers.NumberError as exc:
            raise ValidationError({"number_text": str(exc)}) from None
    # Receipt numbers run per calendar year; the row lock keeps two clerks from taking one number.
    Organization.objects.select_for_update().filter(pk=unit.pk).first()
    year = received_on.year
    if receipt_number is None:
        receipt_number = next_receipt_number(unit, year)
    elif receipt_number < 1:
        raise ValidationError({"receipt_number": _("Số đến bắt đầu từ 1.")})
    else:
        taken = IncomingDocument.objects.filter(unit=unit, year=year, receipt_number=receipt_number).first()
        if taken is not None:
            raise ValidationError(
                {
                    "receipt_number": _(
                        "Số đến %(number)s năm %(year)s đã dùng cho “%(summary)s” (ngày đến %(day)s); số tiếp theo "
                        "còn trống là %(next)s."
                    )
                    % {
                        "number": receipt_number,
                        "year": year,
                        "summary": taken.summary[:80],
                        "day": taken.received_on.strftime("%d/%m/%Y"),
                        "next": next_receipt_number(unit, year),
                    }  # fmt: skip
                }
            )
    original = find_original(acting_user, number_text, original_date) if number_text else None
    if original is not None and _rank(original.confidentiality) > _rank(confidentiality):
        confidentiality = original.confidentiality  # a receipt never tells more than its original
    incoming = IncomingDocument.objects.create(
        unit=unit, year=year, receipt_number=receipt_number, received_on=received_on, sender=sender,
        number_text=number_text, number_normalized=normalized, original_date=original_date, kind=kind,
        summary=summary, document=original, urgency=urgency, confidentiality=confidentiality,
        processing_due=processing_due(received_on, urgency),
        created_by=acting_user if acting_user.pk else None,
    )  # fmt: skip
    record(acting_user, "create", incoming, organization=unit, after=snapshot(incoming, AUDIT_FIELDS))
    return incoming


@transaction.atomic
def do_direct_incoming(
    incoming: IncomingDocument,
    *,
    direction: str,
    directed_by: str,
    directed_on: datetime.date | None,
    assigned_unit: Organization | None = None,
    deadline_text: str = "",
    acting_user: User,
) -> IncomingDocument:
    """Write the leader's direction from the processing slip. With a body assigned and a
    deadline it becomes a task of that body in the unit's register of directions, tracked,
    reminded and counted like any task; without one, the document is filed."""
    incoming = IncomingDocument.objects.select_for_update().select_related("unit").get(pk=incoming.pk)
    unit = incoming.unit
    if not can_issue(acting_user, unit):
        raise ValidationError(
            _("Bạn không có quyền ghi ý kiến chỉ đạo cho văn bản đến của %(unit)s.") % {"unit": unit.name}
        )
    if incoming.status != IncomingStatus.UNPROCESSED:
        raise ValidationError(_("Văn bản đến này đã có ý kiến chỉ đạo."))
    direction, directed_by = (direction or "").strip(), clean(directed_by)[:150]
    if not direction:
        raise ValidationError({"direction": _("Hãy ghi ý kiến chỉ đạo như trên phiếu xử lý.")})
    if not directed_by:
        raise ValidationError({"directed_by": _("Hãy ghi người cho ý kiến, ví dụ Bí thư Tỉnh ủy.")})
    directed_on = directed_on or timezone.localdate()
    if directed_on < incoming.received_on or directed_on > timezone.localdate():
        raise ValidationError(
            {"directed_on": _("Ngày cho ý kiến phải từ ngày đến (%(day)s) đến hôm nay.")
             % {"day": incoming.received_on.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    before = snapshot(incoming, AUDIT_FIELDS)
    incoming.direction, incoming.directed_by, incoming.directed_on = direction, directed_by, directed_on
    if assigned_unit is None:
        if clean(deadline_text):
            raise ValidationError({"assigned_unit": _("Có thời hạn thì phải có cơ quan được giao.")})
        incoming.status = IncomingStatus.FILED
    else:
        # The leader directs the bodies and units of the committee they lead, nothing beyond.
        if not assigned_unit.path.startswith(unit.path):
            raise ValidationError(
                {
                    "assigned_unit": _(
                        "“%(assigned)s” không thuộc %(unit)s: ý kiến chỉ đạo chỉ giao cho các cơ quan, đơn vị "
                        "thuộc quyền của cấp ủy nhận văn bản."
                    )
                    % {"assigned": assigned_unit.name, "unit": unit.name}
                }
            )
        if not clean(deadline_text):
            raise ValidationError({"deadline_text": _("Hãy ghi thời hạn, ví dụ 15/11/2026 hoặc Quý I/2027.")})
        register = do_open_directions(unit, year=directed_on.year, acting_user=acting_user)
        original = incoming.number_text or _("văn bản đến số %(number)s") % {"number": incoming.receipt_number}
        incoming.task = do_add_task(
            register,
            content=_("%(direction)s (%(original)s: %(summary)s)")
            % {"direction": direction, "original": original, "summary": incoming.summary[:300]},
            lead_unit=assigned_unit,
            deadline_text=deadline_text,
            output=_("Văn bản tham mưu, thực hiện"),
            notes=_("Ý kiến của %(who)s ngày %(day)s trên phiếu xử lý văn bản đến số %(number)s/%(year)s.")
            % {
                "who": directed_by,
                "day": directed_on.strftime("%d/%m/%Y"),
                "number": incoming.receipt_number,
                "year": incoming.year,
            },  # fmt: skip
            acting_user=acting_user,
        )
        incoming.assigned_unit = assigned_unit
        incoming.status = IncomingStatus.ASSIGNED
    incoming.save()
    record(acting_user, "update", incoming, organization=unit, before=before, after=snapshot(incoming, AUDIT_FIELDS))
    return incoming


@transaction.atomic
def do_answer_incoming(incoming: IncomingDocument, document: Document, *, acting_user: User) -> IncomingDocument:
    """Record a document issued in answer (the implementing plan, a report). The first one
    completes the direction's task on its issue date, with the document as its output."""
    # Lock the receipt only: the body assigned and the task are outer joins, read not locked.
    related = IncomingDocument.objects.select_related("unit", "assigned_unit", "task")
    incoming = related.select_for_update(of=("self",)).get(pk=incoming.pk)
    units = [incoming.unit, *([incoming.assigned_unit] if incoming.assigned_unit else [])]
    if not any(can_issue(acting_user, u) for u in units):
        raise ValidationError(_("Chỉ đơn vị nhận hoặc cơ quan được giao mới ghi văn bản trả lời."))
    if document.status == Status.DRAFT or document.issued_on is None:
        raise ValidationError({"document": _("Văn bản trả lời phải là văn bản đã ban hành.")})
    if not any(document.issuing_unit.path.startswith(u.path) for u in [incoming.unit]):
        raise ValidationError(
            {
                "document": _("Văn bản trả lời phải do %(unit)s hoặc đơn vị trực thuộc ban hành.")
                % {"unit": incoming.unit.name}
            }
        )
    if document.issued_on < incoming.received_on:
        raise ValidationError({"document": _("Văn bản trả lời ban hành trước ngày nhận văn bản đến.")})
    if incoming.answers.filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Văn bản này đã được ghi là trả lời.")})
    incoming.answers.add(document)
    before_status = incoming.status
    incoming.status = IncomingStatus.ANSWERED
    incoming.save(update_fields=["status"])
    task = incoming.task
    if task is not None and task.completed_on is None:
        do_record_progress(
            task, percent=100, version=task.version, complete=True, completed_on=document.issued_on,
            evidence_document=document, text=_("Đã ban hành %(document)s.") % {"document": document},
            acting_user=acting_user,
        )  # fmt: skip
    record(
        acting_user, "update", incoming, organization=incoming.unit,
        before={"status": before_status}, after={"status": incoming.status, "answer": document.pk},
    )  # fmt: skip
    return incoming
