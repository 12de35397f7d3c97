from decimal import Decimal

import pytest

from hienthuc.lib.numbers import NumberError, decimals_of, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", "1234.5"),
        ("1234,5", "1234.5"),
        ("3,23", "3.23"),
        ("3.23", "3.23"),
        ("12.345.678", "12345678"),
        ("-12", "-12"),
        (" 95 ", "95"),
        (7, "7"),
    ],
)
def test_it_reads_numbers_as_offices_type_them(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2,3.4", "NaN", "Infinity", "12%"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(NumberError):
        parse_number(text)


def test_it_counts_decimals_and_formats_the_vietnamese_way():
    assert decimals_of(Decimal("3.230")) == 2
    assert format_number(Decimal("1234567.891"), 2) == "1.234.567,89"
    assert format_number(None) == ""
