"""Text helpers shared by search, imports and matching of names as people type them."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ to d: "Đảng ủy" -> "dang uy".

    Used for diacritics-insensitive matching; collapses runs of whitespace too.
    """
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D")
    return " ".join(text.lower().split())


def clean(text: str | None) -> str:
    """NFC-normalize and trim what a user or a spreadsheet cell gave us."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def file_name(*parts: object, extension: str) -> str:
    """An ASCII-safe download name from what the file is, not a database id:
    ("Kế hoạch", "05-KH/HU", "Huyện ủy Đông Hưng", 2021) -> "ke-hoach-05-kh-hu-huyen-uy-dong-hung-2021"."""
    import re

    words = re.sub(r"[^a-z0-9]+", "-", fold(" ".join(str(p) for p in parts if p))).strip("-")
    return f"{words[:120].rstrip('-') or 'tep'}.{extension}"


def max_length(model, name: str) -> int:
    """A text field's max_length: the limit an action checks and names in its message."""
    length = model._meta.get_field(name).max_length
    if length is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return length


def choice_of(text, choices, default: str | None = None) -> str | None:
    """The value of a model's choices a cell names by its value or its label, in any case and
    with or without diacritics; `default` for an empty cell, None for one that names none."""
    if not clean(text):
        return default
    wanted = fold(clean(text))
    for value, label in choices:
        if wanted in (fold(value), fold(str(label))):
            return value
    return None
