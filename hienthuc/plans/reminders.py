"""Reminders (đôn đốc) 7, 3 and 1 days before a task's deadline and the day after it.

Sent once a day by a background task that schedules its next run itself (Django's Tasks API
has no clock of its own); each responsible user gets each reminder once, in the app and by
e-mail when the account has an address, unless they muted it.
"""

import datetime
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from hienthuc.accounts.models import Role
from hienthuc.plans.models import REMINDER_OFFSETS, PlanStatus, Reminder, ReminderKind, ReminderMute, Task

SEND_HOUR = 7
# Other apps' daily reminders, run by the same background job after the tasks' (an app above
# registers its sender from its AppConfig.ready(): `register_daily(fn)`, fn(today) -> count).
_DAILY: list[Callable[[datetime.date], int]] = []


def register_daily(sender: Callable[[datetime.date], int]) -> None:
    if sender not in _DAILY:
        _DAILY.append(sender)


def send_all_due(today: datetime.date) -> int:
    """The tasks' reminders and every registered app's, for `today`."""
    return send_due_reminders(today) + sum(sender(today) for sender in _DAILY)


def due_reminders(today: datetime.date) -> list[tuple[Task, str]]:
    """(task, reminder kind) for every open task whose reminder day is today, and every open
    task further overdue than that (reminded once as overdue: send_due_reminders skips those
    already told)."""
    by_day = {today - datetime.timedelta(days=offset): kind for kind, offset in REMINDER_OFFSETS.items()}
    open_tasks = Task.objects.filter(plan__status=PlanStatus.ISSUED, completed_on__isnull=True).select_related(
        "lead_unit", "plan"
    )
    due = [(t, by_day[t.deadline_last_day]) for t in open_tasks.filter(deadline_last_day__in=list(by_day))]
    last_after = today - datetime.timedelta(days=REMINDER_OFFSETS[ReminderKind.AFTER_1])
    due += [(t, ReminderKind.OVERDUE) for t in open_tasks.filter(deadline_last_day__lt=last_after)]
    return due


def recipients(tasks: list[Task]) -> dict[int, list]:
    """Users holding an editor or admin role on each task's lead unit itself."""
    return Role.objects.editors_by_unit({t.lead_unit_id for t in tasks})


@transaction.atomic
def send_due_reminders(today: datetime.date) -> int:
    due = due_reminders(today)
    if not due:
        return 0
    users_by_unit = recipients([t for t, _kind in due])
    muted = set(ReminderMute.objects.values_list("user_id", "task_id"))
    already = set(Reminder.objects.filter(task__in=[t for t, _ in due]).values_list("user_id", "task_id", "kind"))
    sent = 0
    for task_obj, kind in due:
        for user in users_by_unit.get(task_obj.lead_unit_id, []):
            if (user.pk, None) in muted or (user.pk, task_obj.pk) in muted or (user.pk, task_obj.pk, kind) in already:
                continue
            if kind == ReminderKind.OVERDUE and (user.pk, task_obj.pk, ReminderKind.AFTER_1) in already:
                continue  # told on its day already
            reminder = Reminder.objects.create(user=user, task=task_obj, kind=kind)
            if user.email and not user.email.endswith(".invalid"):  # RFC 2606: never delivered (the demo's)
                # Mail leaves only once the reminders are committed: a rolled-back run sends nothing.
                transaction.on_commit(partial(_mail, reminder, task_obj, user.email))
            sent += 1
    return sent


def _mail(reminder: Reminder, task_obj: Task, address: str) -> None:
    delivered = send_mail(
        _("[Hiện Thực] %(kind)s: %(content)s")
        % {"kind": reminder.get_kind_display(), "content": task_obj.content[:80]},
        _("Nhiệm vụ: %(content)s\nCơ quan chủ trì: %(lead_label)s\nThời gian hoàn thành: %(deadline_text)s\n")
        % {"content": task_obj.content, "lead_label": task_obj.lead_label, "deadline_text": task_obj.deadline_text},
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )
    if delivered:
        Reminder.objects.filter(pk=reminder.pk).update(emailed=True)


def next_run(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=SEND_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


@task()
def send_reminders_daily() -> int:
    sent = send_all_due(timezone.localdate())
    schedule_next()
    return sent


def schedule_next() -> bool:
    """Queue the next daily run unless one is queued already (or the backend cannot defer)."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=send_reminders_daily.module_path, status="READY").exists():
        return False
    send_reminders_daily.using(run_after=next_run(timezone.now())).enqueue()
    return True
