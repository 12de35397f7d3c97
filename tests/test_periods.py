import datetime

import pytest

from hienthuc.lib import periods
from hienthuc.lib.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "key", "label"),
    [
        ("2021-Q1", "2021-Q1", "Quý I/2021"),
        ("Quý III/2021", "2021-Q3", "Quý III/2021"),
        ("quy 4 nam 2021", "2021-Q4", "Quý IV/2021"),
        ("2021-t03", "2021-T03", "Tháng 3/2021"),
        ("Tháng 12/2021", "2021-T12", "Tháng 12/2021"),
        ("6 tháng đầu năm 2021", "2021-H1", "6 tháng đầu năm 2021"),
        ("2021-H2", "2021-H2", "6 tháng cuối năm 2021"),
        ("9 tháng đầu năm 2021", "2021-9T", "9 tháng năm 2021"),
        ("2021", "2021", "Năm 2021"),
        ("Năm 2021", "2021", "Năm 2021"),
    ],
)
def test_it_reads_keys_and_labels_as_offices_write_them(text, key, label):
    period = periods.parse(text)
    assert (period.key, period.label) == (key, label)
    assert periods.parse(period.key) == period


def test_it_knows_first_and_last_days_and_the_due_date():
    quarter = Period(2021, periods.QUARTER, 2)
    assert (quarter.start, quarter.end) == (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))
    assert quarter.due(15) == datetime.date(2021, 7, 15)
    assert Period(2021, periods.NINE_MONTHS, 1).end == datetime.date(2021, 9, 30)
    assert Period(2024, periods.MONTH, 2).end == datetime.date(2024, 2, 29)


def test_it_lists_the_closed_periods_latest_first():
    closed = periods.closed_periods(periods.QUARTER, 2021, datetime.date(2021, 10, 2))
    assert [p.key for p in closed] == ["2021-Q3", "2021-Q2", "2021-Q1"]


@pytest.mark.parametrize("text", ["", "Quý V/2021", "2021-T13", "Thường xuyên", "2021–2025", "30/6/2021", "abc"])
def test_it_refuses_what_is_not_a_period_and_lists_the_accepted_forms(text):
    with pytest.raises(PeriodError) as error:
        periods.parse(text)
    assert "kỳ" in str(error.value).lower() or "Quý" in str(error.value)
