"""Deadlines as offices write them (DESIGN §3), parsed into a period with a last day.

"Thường xuyên" (ongoing), "Tháng 6/2026", "Quý III/2027", "6 tháng đầu năm 2026",
"9 tháng đầu năm 2026", "Năm 2030", "2026–2027", "30/6/2026": the text is kept as written and
statuses are computed from the last day. Django-free.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.lib.roman import from_roman
from hienthuc.lib.text import fold

ONGOING = "ongoing"
DATE = "date"
MONTH = "month"
QUARTER = "quarter"
HALF = "half"
NINE_MONTHS = "nine_months"
YEAR = "year"
YEARS = "years"

# Examples of the notation the parser reads; they stay Vietnamese in any interface language.
ACCEPTED = (
    "Thường xuyên; Tháng 6/2026; Quý III/2027; 6 tháng đầu năm 2026; 6 tháng cuối năm 2026; "  # notation, not UI text
    "9 tháng đầu năm 2026; Năm 2030; 2026–2027; 30/6/2026"  # notation, not UI text
)
YEAR_MIN, YEAR_MAX = 1930, 2200


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class Deadline:
    kind: str
    text: str  # as written
    last_day: datetime.date | None  # None for ongoing tasks

    @property
    def is_ongoing(self) -> bool:
        return self.kind == ONGOING


def _year(text: str) -> int:
    value = int(text)
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise DeadlineError(
            _("Năm %(value)s nằm ngoài khoảng %(YEAR_MIN)s–%(YEAR_MAX)s.")
            % {"value": value, "YEAR_MIN": YEAR_MIN, "YEAR_MAX": YEAR_MAX}
        )
    return value


def _month_end(year: int, month: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise DeadlineError(_("Tháng %(month)s không có; tháng phải từ 1 đến 12.") % {"month": month})
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


_PREFIX = r"^(?:(?:truoc|cham nhat|han|hoan thanh|trong|den|cuoi|vao)\s+)*(?:ngay\s+)?"
_DATE = re.compile(_PREFIX + r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_MONTH = re.compile(_PREFIX + r"(?:thang|t)\s*(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})$")
_BARE_MONTH = re.compile(_PREFIX + r"(\d{1,2})\s*/\s*(\d{4})$")
_QUARTER = re.compile(_PREFIX + r"quy\s*([ivx]+|[1-4])\s*(?:/|-|nam)\s*(\d{4})$")
# "Quý III, IV/2021": the last quarter named, without its own "Quý".
_BARE_QUARTER = re.compile(r"^(i{1,3}|iv)\s*/\s*(\d{4})$")
_HALF = re.compile(_PREFIX + r"(6|9)\s*thang\s*(dau|cuoi)\s*(?:nam)?\s*(\d{4})$")
_YEAR = re.compile(_PREFIX + r"(?:nam\s*)?(\d{4})$")
_YEARS = re.compile(
    _PREFIX + r"(?:(?:ca|toan|trong)\s+)?(?:giai doan|nam|nhiem ky)?\s*(\d{4})\s*(?:-|den|–)\s*(?:nam\s*)?(\d{4})$"
)
_ONGOING = {"thuong xuyen", "hang nam", "hang thang", "hang quy", "lien tuc", "thuong xuyen, hang nam"}
# Words that make a deadline recurring wherever they appear ("Năm 2021 và những năm tiếp theo",
# "Định kỳ hằng năm", "Thường xuyên, liên tục", "Cả nhiệm kỳ").
_ONGOING_WORDS = re.compile(
    r"thuong xuyen|hang (?:nam|thang|quy|tuan)|dinh ky|lien tuc|(?:cac|nhung) nam tiep theo|"
    r"^(?:ca|toan|trong) nhiem ky$|^tu (?:nam )?\d{4}(?: tro di)?$"
)


def parse(text: str) -> Deadline:
    """Parse a deadline as written; raise DeadlineError listing the accepted forms."""
    written = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not written:
        raise DeadlineError(_("Chưa ghi thời hạn. Các cách ghi được chấp nhận: ") + ACCEPTED + ".")
    # Dashes of every kind (2026–2027) read as a hyphen.
    key = fold(re.sub(r"[\u2010-\u2015]", "-", written)).rstrip(".;,")
    if key in _ONGOING or _ONGOING_WORDS.search(key):
        return Deadline(ONGOING, written, None)
    try:
        return _parse_key(key, written)
    except DeadlineError:
        # A phrase that ends with a period ("Quý I và Quý II/2021", "Tháng 5, 6/2021", "Sau Đại
        # hội, trong Quý III/2021"): the task is due by the last period it names.
        words = key.split()
        for start in range(1, len(words)):
            try:
                found = _parse_key(" ".join(words[start:]), written)
            except DeadlineError:
                continue
            return found
        raise


def _parse_key(key: str, written: str) -> Deadline:
    try:
        if match := _DATE.match(key):
            day, month, year = (int(g) for g in match.groups())
            _year(str(year))
            try:
                return Deadline(DATE, written, datetime.date(year, month, day))
            except ValueError:
                raise DeadlineError(
                    _("Ngày %(day)s/%(month)s/%(year)s không có trong lịch.")
                    % {"day": day, "month": month, "year": year}
                ) from None
        if match := _MONTH.match(key) or _BARE_MONTH.match(key):
            month, year = int(match.group(1)), _year(match.group(2))
            return Deadline(MONTH, written, _month_end(year, month))
        if match := _QUARTER.match(key) or _BARE_QUARTER.match(key):
            raw, year = match.group(1), _year(match.group(2))
            quarter = int(raw) if raw.isdigit() else from_roman(raw)
            if not 1 <= quarter <= 4:
                raise DeadlineError(_("Quý %(quarter)s không có; quý phải từ I đến IV.") % {"quarter": raw.upper()})
            return Deadline(QUARTER, written, _month_end(year, quarter * 3))
        if match := _HALF.match(key):
            months, part, year = int(match.group(1)), match.group(2), _year(match.group(3))
            if months == 9 and part == "cuoi":
                raise DeadlineError(_("“9 tháng cuối năm” không phải một kỳ báo cáo; hãy ghi Quý IV hoặc Năm."))
            kind = NINE_MONTHS if months == 9 else HALF
            last_month = 12 if part == "cuoi" else months
            return Deadline(kind, written, _month_end(year, last_month))
        if match := _YEARS.match(key):
            first, last = _year(match.group(1)), _year(match.group(2))
            if last < first:
                raise DeadlineError(
                    _("Giai đoạn %(first)s–%(last)s: năm cuối phải sau năm đầu.") % {"first": first, "last": last}
                )
            return Deadline(YEARS, written, datetime.date(last, 12, 31))
        if match := _YEAR.match(key):
            return Deadline(YEAR, written, datetime.date(_year(match.group(1)), 12, 31))
    except DeadlineError as exc:
        raise DeadlineError(_("Thời hạn “%(written)s”: %(exc)s") % {"written": written, "exc": exc}) from None
    except ValueError:
        pass
    raise DeadlineError(
        _("Không hiểu thời hạn “%(written)s”. Các cách ghi được chấp nhận: %(accepted)s.")
        % {"written": written, "accepted": ACCEPTED}
    )


# The four statuses of government task tracking (REFERENCE §4), and ongoing tasks.
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_IN_TIME = "open_in_time"
OPEN_OVERDUE = "open_overdue"
STATUS_ONGOING = "ongoing"
STATUS_LABELS = {
    DONE_ON_TIME: gettext_lazy("Hoàn thành đúng hạn"),
    DONE_LATE: gettext_lazy("Hoàn thành quá hạn"),
    OPEN_IN_TIME: gettext_lazy("Chưa hoàn thành (trong hạn)"),
    OPEN_OVERDUE: gettext_lazy("Chưa hoàn thành (quá hạn)"),
    STATUS_ONGOING: gettext_lazy("Thường xuyên"),
}


def status(last_day: datetime.date | None, completed_on: datetime.date | None, today: datetime.date) -> str:
    """A task's status from its deadline's last day and completion date, as of `today`.

    The rule's definition. Three other forms must stay hand-written for speed — the ORM `Case`
    of TaskQuerySet.with_status, the tally keys (plans/tallies.task_key, read back by
    _add_state) and the SQL CASE of the tally recount — and tests/test_deadlines.py checks all
    four agree over the whole grid, boundary days included."""
    if last_day is None:
        return STATUS_ONGOING
    if completed_on is not None:
        return DONE_ON_TIME if completed_on <= last_day else DONE_LATE
    return OPEN_IN_TIME if today <= last_day else OPEN_OVERDUE


def completion_share(counts: dict[str, int]):
    """The share of tasks done among those due (done on time, done late, overdue), in percent
    to one decimal, or None when none is due yet: the dashboard's and the reports' figure.
    Ongoing and not-yet-due tasks do not count either way."""
    from decimal import Decimal

    done = counts.get(DONE_ON_TIME, 0) + counts.get(DONE_LATE, 0)
    due = done + counts.get(OPEN_OVERDUE, 0)
    return (Decimal(100 * done) / due).quantize(Decimal("0.1")) if due else None
