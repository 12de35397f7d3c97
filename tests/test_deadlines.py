import datetime

from django.test import SimpleTestCase

from hienthuc.lib import deadlines
from hienthuc.lib.deadlines import DeadlineError, parse, status
from tests.base import BaseTestCase

D = datetime.date


class DeadlineTestCase(SimpleTestCase):
    def test_it_parses_deadlines_as_offices_write_them(self):
        cases = {
            "Thường xuyên": (deadlines.ONGOING, None),
            "thuong xuyen": (deadlines.ONGOING, None),
            "Hằng năm": (deadlines.ONGOING, None),
            "Tháng 6/2026": (deadlines.MONTH, D(2026, 6, 30)),
            "tháng 02/2028": (deadlines.MONTH, D(2028, 2, 29)),
            "Tháng 6 năm 2026": (deadlines.MONTH, D(2026, 6, 30)),
            "T12/2025": (deadlines.MONTH, D(2025, 12, 31)),
            "6/2026": (deadlines.MONTH, D(2026, 6, 30)),
            "Quý III/2027": (deadlines.QUARTER, D(2027, 9, 30)),
            "quý 1/2026": (deadlines.QUARTER, D(2026, 3, 31)),
            "Quý IV năm 2026": (deadlines.QUARTER, D(2026, 12, 31)),
            "6 tháng đầu năm 2026": (deadlines.HALF, D(2026, 6, 30)),
            "6 tháng cuối năm 2026": (deadlines.HALF, D(2026, 12, 31)),
            "9 tháng đầu năm 2026": (deadlines.NINE_MONTHS, D(2026, 9, 30)),
            "Năm 2030": (deadlines.YEAR, D(2030, 12, 31)),
            "2030": (deadlines.YEAR, D(2030, 12, 31)),
            "2026–2027": (deadlines.YEARS, D(2027, 12, 31)),
            "2026 - 2027": (deadlines.YEARS, D(2027, 12, 31)),
            "Giai đoạn 2021-2025": (deadlines.YEARS, D(2025, 12, 31)),
            "30/6/2026": (deadlines.DATE, D(2026, 6, 30)),
            "Trước ngày 15/3/2026": (deadlines.DATE, D(2026, 3, 15)),
            "15-03-2026": (deadlines.DATE, D(2026, 3, 15)),
        }
        for text, (kind, last_day) in cases.items():
            deadline = parse(text)
            self.assertEqual((deadline.kind, deadline.last_day), (kind, last_day), text)
            self.assertEqual(deadline.text, text)

    def test_it_lists_the_accepted_forms_for_what_it_cannot_read(self):
        for text in ("sớm", "Quý V/2026", "Tháng 13/2026", "31/2/2026", "2027-2026", "Năm 1800", ""):
            with self.assertRaises(DeadlineError, msg=text) as ctx:
                parse(text)
            self.assertIn("hời hạn", str(ctx.exception), text)  # names the deadline in Vietnamese
        with self.assertRaises(DeadlineError) as ctx:
            parse("đầu năm sau")
        self.assertIn("Các cách ghi được chấp nhận: Thường xuyên; Tháng 6/2026; Quý III/2027", str(ctx.exception))

    def test_it_computes_the_four_statuses_from_the_last_day(self):
        last = D(2026, 6, 30)
        self.assertEqual(status(last, D(2026, 6, 30), D(2026, 7, 5)), deadlines.DONE_ON_TIME)
        self.assertEqual(status(last, D(2026, 7, 1), D(2026, 7, 5)), deadlines.DONE_LATE)
        self.assertEqual(status(last, None, D(2026, 6, 30)), deadlines.OPEN_IN_TIME)
        self.assertEqual(status(last, None, D(2026, 7, 1)), deadlines.OPEN_OVERDUE)
        self.assertEqual(status(None, None, D(2026, 7, 1)), deadlines.STATUS_ONGOING)


class StatusFormsTestCase(BaseTestCase):
    """The task status rule is written four times — Python (its definition), the ORM Case, the
    tally keys and the recount's SQL — and all four must agree on every case: no deadline,
    open before, on and after the deadline's last day, done before, on and after it."""

    def test_the_four_forms_of_the_status_rule_agree_over_the_whole_grid(self):
        from django.db import connection

        from hienthuc.plans import tallies
        from hienthuc.plans.actions import do_add_task, do_create_plan
        from hienthuc.plans.models import NO_DAY, Task

        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="Lưới", acting_user=self.alice)
        last = D(2026, 6, 30)
        cases = []
        for deadline in ("Thường xuyên", "30/6/2026"):
            for completed in (None, last - datetime.timedelta(days=1), last, last + datetime.timedelta(days=1)):
                task = do_add_task(
                    plan, content=f"{deadline} {completed}", lead_unit=self.huyen_a1, deadline_text=deadline,
                    acting_user=self.alice,
                )  # fmt: skip
                if completed:
                    Task.objects.filter(pk=task.pk).update(completed_on=completed, progress=100)
                cases.append(task.pk)
        checked = 0
        for today in (last - datetime.timedelta(days=1), last, last + datetime.timedelta(days=1)):
            orm = dict(Task.objects.filter(pk__in=cases).with_status(today).values_list("pk", "status_code"))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT t.id, {tallies.STATE_SQL}, {tallies.DUE_SQL} FROM plans_task t WHERE t.plan_id = %s",
                    [NO_DAY, plan.pk],
                )
                sql = {pk: tallies.status_of(state, tallies._day(due), today) for pk, state, due in cursor.fetchall()}
            # A past day's figures: a task completed after that day was still open on it.
            past = dict(
                Task.objects.filter(pk__in=cases).with_status(today, past=True).values_list("pk", "status_code")
            )
            for task in Task.objects.filter(pk__in=cases):
                python = status(task.deadline_last_day, task.completed_on, today)
                tally = tallies.status_of(*tallies.task_key(task.deadline_last_day, task.completed_on), today)
                with self.subTest(task=task.content, today=today):
                    self.assertEqual({python, orm[task.pk], tally, sql[task.pk]}, {python})
                    done_by_then = task.completed_on if task.completed_on and task.completed_on <= today else None
                    self.assertEqual(past[task.pk], status(task.deadline_last_day, done_by_then, today))
                    checked += 1
        self.assertEqual(checked, 24)
        self.assertEqual(
            {status(last, None, d) for d in (last, last + datetime.timedelta(days=1))},
            {deadlines.OPEN_IN_TIME, deadlines.OPEN_OVERDUE},  # the last day itself is still in time
        )

    def test_completion_share_counts_only_what_is_due(self):
        share = deadlines.completion_share(
            {deadlines.DONE_ON_TIME: 2, deadlines.DONE_LATE: 1, deadlines.OPEN_OVERDUE: 1, deadlines.OPEN_IN_TIME: 9}
        )
        self.assertEqual(str(share), "75.0")
        self.assertIsNone(deadlines.completion_share({deadlines.OPEN_IN_TIME: 3, deadlines.STATUS_ONGOING: 2}))
