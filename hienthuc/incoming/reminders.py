"""Reminders to process incoming documents: on the processing day, to those who keep the
receiving unit's register — its own editors and admins, and the editors of a body acting for it
(the office, by its mandate). Sent by the daily reminders job (plans.reminders.register_daily)."""

import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from hienthuc.accounts.models import Role
from hienthuc.incoming.models import IncomingDocument, IncomingStatus, ProcessingReminder
from hienthuc.orgs.models import Mandate
from hienthuc.scope import MandateKind


def keepers(unit_ids: set[int], today: datetime.date) -> dict[int, list]:
    """Active users who keep each unit's register: their editing role on the unit itself, or on
    a body holding the office's mandate for it."""
    agents: dict[int, set[int]] = {}
    mandates = Mandate.objects.active(today).filter(principal_id__in=unit_ids, kind=MandateKind.OFFICE)
    for agent_id, principal_id in mandates.values_list("agent_id", "principal_id"):
        agents.setdefault(agent_id, set()).add(principal_id)
    found: dict[int, list] = {}
    for unit_id, users in Role.objects.editors_by_unit(unit_ids | set(agents)).items():
        for principal_id in ({unit_id} & unit_ids) | agents.get(unit_id, set()):
            bucket = found.setdefault(principal_id, [])
            bucket += [u for u in users if u not in bucket]
    return found


@transaction.atomic
def send_processing_reminders(today: datetime.date) -> int:
    waiting = list(
        IncomingDocument.objects.filter(status=IncomingStatus.UNPROCESSED, processing_due__lte=today).select_related(
            "unit"
        )
    )
    if not waiting:
        return 0
    users = keepers({i.unit_id for i in waiting}, today)
    already = set(ProcessingReminder.objects.filter(incoming__in=waiting).values_list("user_id", "incoming_id"))
    sent = 0
    for incoming in waiting:
        for user in users.get(incoming.unit_id, []):
            if (user.pk, incoming.pk) in already:
                continue
            reminder = ProcessingReminder.objects.create(user=user, incoming=incoming)
            if user.email and not user.email.endswith(".invalid"):  # RFC 2606: the demo's never go out
                transaction.on_commit(partial(_mail, reminder, incoming, user.email))
            sent += 1
    return sent


def _mail(reminder: ProcessingReminder, incoming: IncomingDocument, address: str) -> None:
    urgency = incoming.get_urgency_display() if incoming.urgency else _("Thường")
    delivered = send_mail(
        _("[Hiện Thực] Văn bản đến chờ xử lý: %(summary)s") % {"summary": incoming.summary[:80]},
        _(
            "Văn bản đến số %(number)s/%(year)s của %(unit)s (%(sender)s, %(original)s), độ khẩn: %(urgency)s.\n"
            "Hạn xử lý: %(due)s.\n"
        )
        % {
            "number": incoming.receipt_number,
            "year": incoming.year,
            "unit": incoming.unit.name,
            "sender": incoming.sender,
            "original": incoming.number_text or "—",
            "urgency": urgency,
            "due": incoming.processing_due.strftime("%d/%m/%Y"),
        },  # fmt: skip
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )
    if delivered:
        ProcessingReminder.objects.filter(pk=reminder.pk).update(emailed=True)
