"""Reminders to a preparing body whose draft for a session is late to the office: once, to the
editors and admins of the body, by the daily reminders job (plans.reminders.register_daily)."""

import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from hienthuc.accounts.models import Role
from hienthuc.meetings.models import AgendaItem, DraftReminder
from hienthuc.meetings.program import late_drafts


@transaction.atomic
def send_draft_reminders(today: datetime.date) -> int:
    items = list(late_drafts(today).select_related("meeting", "preparing_unit"))
    if not items:
        return 0
    users = Role.objects.editors_by_unit({i.preparing_unit_id for i in items})
    already = set(DraftReminder.objects.filter(item__in=items).values_list("user_id", "item_id"))
    sent = 0
    for item in items:
        for user in users.get(item.preparing_unit_id, []):
            if (user.pk, item.pk) in already:
                continue
            DraftReminder.objects.create(user=user, item=item)
            if user.email and not user.email.endswith(".invalid"):
                transaction.on_commit(partial(_mail, item, user.email))
            sent += 1
    return sent


def _mail(item: AgendaItem, address: str) -> None:
    send_mail(
        _("[Hiện Thực] Dự thảo chậm gửi: %(matter)s") % {"matter": item.matter[:80]},
        _("Nội dung: %(matter)s\nHội nghị: %(meeting)s\nHạn gửi dự thảo về Văn phòng: %(due)s\n")
        % {"matter": item.matter, "meeting": item.meeting.title, "due": item.draft_due.strftime("%d/%m/%Y")},
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )
