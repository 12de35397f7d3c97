"""Official document numbers, parsed from what people actually type (Django-free).

Party documents: ``number-KIND/ISSUER`` — 21-KL/TW, 01-NQ/TU, 37-QĐ/TW, 147-CTHĐ/TU
(Hướng dẫn 36-HD/VPTW). State documents: ``number/[year/]KIND-ISSUER`` — 30/2020/NĐ-CP,
123/QĐ-UBND. People type "Số 21 - kl/tw", "so 01-NQ/TU", "37-QD/TW" or decomposed Unicode;
all of these parse to one normalized form, and local variants are kept as written.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARTY = "party"
STATE = "state"

# Kind abbreviations on Party documents and the kinds they stand for (REFERENCE §2).
PARTY_KINDS = {
    "NQ": gettext_lazy("Nghị quyết"),
    "CT": gettext_lazy("Chỉ thị"),
    "KL": gettext_lazy("Kết luận"),
    "QĐ": gettext_lazy("Quyết định, Quy định"),
    "QĐi": gettext_lazy("Quy định"),
    "QC": gettext_lazy("Quy chế"),
    "HD": gettext_lazy("Hướng dẫn"),
    "TT": gettext_lazy("Thông tri"),
    "TB": gettext_lazy("Thông báo"),
    "TC": gettext_lazy("Thông cáo"),
    "BC": gettext_lazy("Báo cáo"),
    "KH": gettext_lazy("Kế hoạch"),
    "CTr": gettext_lazy("Chương trình"),
    "CV": gettext_lazy("Công văn"),
    "TTr": gettext_lazy("Tờ trình"),
    "ĐA": gettext_lazy("Đề án"),
    "PA": gettext_lazy("Phương án"),
    "DA": gettext_lazy("Dự án"),
    "QH": gettext_lazy("Quy hoạch"),
    "BB": gettext_lazy("Biên bản"),
    "CL": gettext_lazy("Cương lĩnh"),
    "ĐL": gettext_lazy("Điều lệ"),
}
# Forms seen in print that stand for a known one ("01-HĐ/TW" in press copies of Hướng dẫn).
PARTY_ALIASES = {"HĐ": "HD"}
PARTY_ISSUERS = {
    "TW", "TU", "HU", "ĐU", "TƯ", "VPTW", "BTCTW", "BTGDVTW", "BTGTW", "BDVTW", "UBKTTW",
    "VPTU", "BTCTU", "BTGDVTU", "BTGTU", "BDVTU", "UBKTTU", "ĐUK", "ĐUKCCQ", "ĐUKDN", "QUTW",
    "ĐUQS", "ĐUCA", "ĐUBĐBP", "CB", "ĐH",
}  # fmt: skip
STATE_KINDS = {
    "NĐ": gettext_lazy("Nghị định"),
    "QĐ": gettext_lazy("Quyết định"),
    "TT": gettext_lazy("Thông tư"),
    "NQ": gettext_lazy("Nghị quyết"),
    "CT": gettext_lazy("Chỉ thị"),
    "CV": gettext_lazy("Công văn"),
    "KH": gettext_lazy("Kế hoạch"),
    "TB": gettext_lazy("Thông báo"),
    "BC": gettext_lazy("Báo cáo"),
    "TTr": gettext_lazy("Tờ trình"),
    "HD": gettext_lazy("Hướng dẫn"),
    "L": gettext_lazy("Luật"),
    "TTLT": gettext_lazy("Thông tư liên tịch"),
}
# Mixed-case issuers that must keep their case (Thủ tướng Chính phủ).
STATE_ISSUER_CASE = {"TTG": "TTg"}

EXPECTED = gettext_lazy(
    "Văn bản của Đảng ghi theo dạng số-loại/cơ quan ban hành, ví dụ 21-KL/TW hoặc 01-NQ/TU; "
    "văn bản nhà nước theo dạng 30/2020/NĐ-CP hoặc 123/QĐ-UBND."
)


class NumberError(ValueError):
    pass


@dataclass(frozen=True)
class DocumentNumber:
    system: str  # PARTY or STATE
    number: int
    kind: str  # normalized abbreviation: KL, QĐ, CTr, CTHĐ …
    issuer: str  # TW, TU, ĐU … or CP, UBND …
    year: int | None = None  # state numbers only
    known_kind: bool = True

    @property
    def normalized(self) -> str:
        if self.system == PARTY:
            return f"{self.number:02d}-{self.kind}/{self.issuer}"
        year = f"{self.year}/" if self.year else ""
        return f"{self.number}/{year}{self.kind}-{self.issuer}"

    @property
    def kind_name(self) -> str | None:
        kinds = PARTY_KINDS if self.system == PARTY else STATE_KINDS
        return kinds.get(self.kind)

    def __str__(self) -> str:
        return self.normalized


_LETTERS = r"A-Za-zĐđ"
_PREFIX = r"^(?:s[oố]\s*(?:hi[eệ]u)?\s*[:.]?\s*)?"
_PARTY_RE = re.compile(_PREFIX + rf"(\d{{1,5}})\s*-\s*([{_LETTERS}]{{1,10}})\s*/\s*([{_LETTERS}]{{1,12}})$", re.I)
_STATE_ISSUER = rf"[{_LETTERS}0-9]{{1,16}}(?:-[{_LETTERS}0-9]{{1,16}})*"
_STATE_RE = re.compile(
    _PREFIX + rf"(\d{{1,6}})\s*/\s*(?:(\d{{4}})\s*/\s*)?([{_LETTERS}]{{1,8}})\s*-\s*({_STATE_ISSUER})$", re.I
)


def _upper(text: str) -> str:
    return text.upper().replace("đ", "Đ")


def _with_dj(code: str, known) -> str:
    """People type D for Đ: take the Đ form where that is the known one (QD -> QĐ, DU -> ĐU)."""
    if code in known:
        return code
    if "D" in code:
        # Try each D on its own, then all of them (ĐUBĐBP).
        candidates = [code[:i] + "Đ" + code[i + 1 :] for i, ch in enumerate(code) if ch == "D"]
        candidates.append(code.replace("D", "Đ"))
        for candidate in candidates:
            if candidate in known:
                return candidate
    return code


def _party_kind(raw: str) -> tuple[str, bool]:
    upper = _upper(raw)
    by_upper = {k.upper(): k for k in PARTY_KINDS}
    code = _with_dj(upper, by_upper)
    code = PARTY_ALIASES.get(code, code)
    if code in by_upper:
        return by_upper[code], True
    # A local variant (147-CTHĐ/TU) is kept as written, in capitals.
    return code, False


def _state_kind(raw: str) -> tuple[str, bool]:
    upper = _upper(raw)
    by_upper = {k.upper(): k for k in STATE_KINDS}
    code = _with_dj(upper, by_upper)
    if code in by_upper:
        return by_upper[code], True
    return code, False


def parse(text: str) -> DocumentNumber:
    """Parse a Party or state document number; raise NumberError saying what was expected."""
    cleaned = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not cleaned:
        raise NumberError(_("Chưa nhập số hiệu văn bản. ") + EXPECTED)
    match = _PARTY_RE.match(cleaned)
    if match:
        number, kind, issuer = match.groups()
        kind, known = _party_kind(kind)
        issuer = _with_dj(_upper(issuer), PARTY_ISSUERS)
        if int(number) == 0:
            raise NumberError(_("Số hiệu “%(number)s” có số thứ tự 0; số văn bản bắt đầu từ 01.") % {"number": cleaned})
        return DocumentNumber(PARTY, int(number), kind, issuer, known_kind=known)
    match = _STATE_RE.match(cleaned)
    if match:
        number, year, kind, issuer = match.groups()
        kind, known = _state_kind(kind)
        issuer = "-".join(STATE_ISSUER_CASE.get(part, part) for part in _upper(issuer).split("-"))
        if int(number) == 0:
            raise NumberError(_("Số hiệu “%(number)s” có số thứ tự 0.") % {"number": cleaned})
        return DocumentNumber(STATE, int(number), kind, issuer, year=int(year) if year else None, known_kind=known)
    raise NumberError(_("Số hiệu “%(number)s” không đúng dạng. ") % {"number": cleaned} + EXPECTED)


# Numbers mentioned in running text: "Kết luận số 21-KL/TW, ngày 25-10-2021".
_MENTION_RE = re.compile(
    rf"(?<![\w/-])(\d{{1,5}}\s?-\s?[{_LETTERS}]{{1,10}}/[{_LETTERS}]{{1,12}}"
    rf"|\d{{1,6}}/(?:\d{{4}}/)?[{_LETTERS}]{{1,8}}-[{_LETTERS}0-9]{{1,16}}(?:-[{_LETTERS}0-9]{{1,16}})*)"
    r"(?:\s*,?\s*ngày\s+(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}))?"
)


@dataclass(frozen=True)
class Mention:
    number: DocumentNumber
    text: str
    date: tuple[int, int, int] | None  # (year, month, day) when the text gives it


def mentions(text: str) -> list[Mention]:
    """Every document number written in a text, with the date that follows it if any."""
    found: dict[str, Mention] = {}
    for match in _MENTION_RE.finditer(unicodedata.normalize("NFC", text or "")):
        try:
            number = parse(match.group(1))
        except NumberError:
            continue
        day, month, year = match.group(2), match.group(3), match.group(4)
        date = (int(year), int(month), int(day)) if year else None
        found.setdefault(number.normalized, Mention(number, match.group(0), date))
    return list(found.values())
