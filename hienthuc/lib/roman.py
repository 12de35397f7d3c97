"""Roman numerals, as Party terms are numbered ("khóa XX")."""

import re

_VALUES = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
_PATTERN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def to_roman(value: int) -> str:
    if not 0 < value < 4000:
        raise ValueError("out of range")
    out = []
    for number, letters in _VALUES:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def from_roman(text: str) -> int:
    """Parse "XX" (or a plain "20") into 20; raise ValueError for anything else."""
    text = (text or "").strip().upper()
    if text.isdigit():
        value = int(text)
        if not 0 < value < 4000:
            raise ValueError("out of range")
        return value
    if not text or not _PATTERN.match(text):
        raise ValueError("not a roman numeral")
    total, i = 0, 0
    for number, letters in _VALUES:
        while text.startswith(letters, i):
            total += number
            i += len(letters)
    return total
