"""Reporting periods (kỳ báo cáo): month, quarter, six months, nine months, year, and one-off
periods (đợt: a campaign, a study drive) between two days.

A period has a stable key for storage and files ("2021-Q1", "2021-T03", "2021-H1", "2021-H2",
"2021-9T", "2021", "20210315-20210430" for a one-off period) and a Vietnamese label ("Quý
I/2021"). `parse` reads the key or the label as offices write it, through the deadline parser
(the same phrases name the same periods). Keys of a year sort between the year's key and the
next year's ("2021" < "2021-Q1" < "20210315-…" < "2022"), which range reads rely on.
Django-free.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hienthuc.lib import deadlines
from hienthuc.lib.roman import to_roman

MONTH, QUARTER, HALF, NINE_MONTHS, YEAR = "month", "quarter", "half", "nine_months", "year"
ONE_OFF = "one_off"
KIND_LABELS = {
    MONTH: "Tháng",  # notation, not UI text
    QUARTER: "Quý",  # notation, not UI text
    HALF: "6 tháng",  # notation, not UI text
    NINE_MONTHS: "9 tháng",  # notation, not UI text
    YEAR: "Năm",  # notation, not UI text
    ONE_OFF: "Đợt",  # notation, not UI text
}
# How far before its end a period's report may fall due (a deadline of -16 days: the 15th of a
# 31-day month): no earlier than the period's first day.
SHORTEST_DAYS = {MONTH: 28, QUARTER: 90, HALF: 181, NINE_MONTHS: 273, YEAR: 365}
DEADLINE_MAX = 120
KEY_MAX = 17  # "20210315-20210430"
ACCEPTED = (
    "2021-Q1, Quý I/2021, 2021-T03, Tháng 3/2021, 2021-H1, 6 tháng đầu năm 2021, 2021-9T, 2021"  # notation, not UI text
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    number: int  # month 1–12, quarter 1–4, half 1–2; 1 for nine months and year; 0 one-off
    first_day: datetime.date | None = None  # a one-off period's days
    last_day: datetime.date | None = None

    @property
    def key(self) -> str:
        if self.kind == ONE_OFF:
            return f"{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"
        return {
            MONTH: f"{self.year}-T{self.number:02d}",
            QUARTER: f"{self.year}-Q{self.number}",
            HALF: f"{self.year}-H{self.number}",
            NINE_MONTHS: f"{self.year}-9T",
            YEAR: f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        # The office notation of a period, in Vietnamese whatever the reader's language: the
        # parser reads it back from exported files and the Party's documents print it.
        half = "đầu" if self.number == 1 else "cuối"  # notation, not UI text
        if self.kind == ONE_OFF:
            return f"Đợt {self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"  # notation, not UI text
        return {
            MONTH: f"Tháng {self.number}/{self.year}",  # notation, not UI text
            QUARTER: f"Quý {to_roman(self.number)}/{self.year}",  # notation, not UI text
            HALF: f"6 tháng {half} năm {self.year}",  # notation, not UI text
            NINE_MONTHS: f"9 tháng năm {self.year}",  # notation, not UI text
            YEAR: f"Năm {self.year}",  # notation, not UI text
        }[self.kind]

    @property
    def first_month(self) -> int:
        return {MONTH: self.number, QUARTER: 3 * self.number - 2, HALF: 6 * self.number - 5}.get(self.kind, 1)

    @property
    def last_month(self) -> int:
        return {MONTH: self.number, QUARTER: 3 * self.number, HALF: 6 * self.number, NINE_MONTHS: 9}.get(self.kind, 12)

    @property
    def start(self) -> datetime.date:
        if self.first_day is not None:
            return self.first_day
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.last_day is not None:
            return self.last_day
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def due(self, days_after: int) -> datetime.date:
        """The submission deadline: `days_after` days after the period ends (day 15 of the next
        month), or before it ends when negative (the 15th of its last month: -16 for a quarter
        ending on the 31st) — never before its first day."""
        return max(self.end + datetime.timedelta(days=days_after), self.start)

    def parts(self) -> list[list["Period"]]:
        """The ways this period is made of shorter ones, finest last: a year of its quarters,
        halves or months; nine months of its quarters or months; a half of its quarters or
        months; a quarter of its months. A figure not reported for the period itself is
        composed from the first way reported in full."""
        if self.kind == YEAR:
            kinds = [QUARTER, HALF, MONTH]
        elif self.kind in (HALF, NINE_MONTHS):
            kinds = [QUARTER, MONTH]
        elif self.kind == QUARTER:
            kinds = [MONTH]
        else:
            return []
        return [
            [p for p in periods_of_year(kind, self.year) if self.start <= p.start and p.end <= self.end]
            for kind in kinds
        ]

    def __str__(self) -> str:
        return self.label


def periods_of_year(kind: str, year: int) -> list[Period]:
    if kind == ONE_OFF:
        return []  # a form's own days (indicators.models.OneOffPeriod), not the calendar's
    count = {MONTH: 12, QUARTER: 4, HALF: 2}.get(kind, 1)
    return [Period(year, kind, n) for n in range(1, count + 1)]


def closed_periods(kind: str, first_year: int, today: datetime.date, deadline_days: int = 0) -> list[Period]:
    """Every period of a kind from `first_year` that has ended by `today`, or whose report fell
    due before it ended (`deadline_days` < 0), latest first."""
    result = []
    for year in range(first_year, today.year + 1):
        result.extend(p for p in periods_of_year(kind, year) if p.end < today or p.due(deadline_days) < today)
    return sorted(result, key=lambda p: p.end, reverse=True)


def one_off(first_day: datetime.date, last_day: datetime.date) -> Period:
    return Period(last_day.year, ONE_OFF, 0, first_day, last_day)


def deadline_floor(kind: str) -> int:
    """The earliest deadline (in days from the period's end, negative) a form of `kind` may set."""
    return -(SHORTEST_DAYS.get(kind, 1) - 1)


_KEY = re.compile(r"^(\d{4})(?:-(T\d{1,2}|Q[1-4]|H[12]|9T))?$", re.IGNORECASE)
_ONE_OFF_KEY = re.compile(r"^(\d{8})-(\d{8})$")


def parse(text: str) -> Period:
    """A period from its key or as written ("Quý I/2021", "6 tháng đầu năm 2021", "Năm 2021")."""
    written = (text or "").strip()
    if match := _ONE_OFF_KEY.match(written):
        try:
            first, last = (datetime.datetime.strptime(g, "%Y%m%d").date() for g in match.groups())
        except ValueError:
            raise PeriodError(_("Kỳ “%(written)s”: ngày không có thật.") % {"written": written}) from None
        if last < first:
            raise PeriodError(_("Kỳ “%(written)s”: ngày kết thúc trước ngày bắt đầu.") % {"written": written})
        return one_off(first, last)
    if match := _KEY.match(written):
        year, part = int(match.group(1)), (match.group(2) or "").upper()
        if not deadlines.YEAR_MIN <= year <= deadlines.YEAR_MAX:
            raise PeriodError(
                _("Kỳ “%(written)s”: năm %(year)s nằm ngoài khoảng %(YEAR_MIN)s–%(YEAR_MAX)s.")
                % {"written": written, "year": year, "YEAR_MIN": deadlines.YEAR_MIN, "YEAR_MAX": deadlines.YEAR_MAX}
            )
        if not part:
            return Period(year, YEAR, 1)
        if part == "9T":
            return Period(year, NINE_MONTHS, 1)
        number = int(part[1:])
        kind = {"T": MONTH, "Q": QUARTER, "H": HALF}[part[0]]
        if kind == MONTH and not 1 <= number <= 12:
            raise PeriodError(_("Kỳ “%(written)s”: tháng phải từ 1 đến 12.") % {"written": written})
        return Period(year, kind, number)
    try:
        deadline = deadlines.parse(written)
    except deadlines.DeadlineError:
        raise PeriodError(
            _("Không hiểu kỳ báo cáo “%(written)s”. Các cách ghi được chấp nhận: %(accepted)s.")
            % {"written": written, "accepted": ACCEPTED}
        ) from None
    day = deadline.last_day
    if deadline.kind == deadlines.MONTH:
        return Period(day.year, MONTH, day.month)
    if deadline.kind == deadlines.QUARTER:
        return Period(day.year, QUARTER, day.month // 3)
    if deadline.kind == deadlines.HALF:
        return Period(day.year, HALF, 1 if day.month == 6 else 2)
    if deadline.kind == deadlines.NINE_MONTHS:
        return Period(day.year, NINE_MONTHS, 1)
    if deadline.kind == deadlines.YEAR:
        return Period(day.year, YEAR, 1)
    raise PeriodError(
        _("“%(written)s” không phải một kỳ báo cáo. Các cách ghi được chấp nhận: %(accepted)s.")
        % {"written": written, "accepted": ACCEPTED}
    )
