"""The urging letter (công văn đôn đốc) of a unit to its late units, in Party format, ready to
sign and register; and the list of late units as a workbook."""

import datetime
from collections import defaultdict

from django.utils import translation

from hienthuc.lib.partydoc import PartyDocument, Table, body_date, render
from hienthuc.lib.sheets import DayCell, write_tables
from hienthuc.orgs.models import Organization
from hienthuc.urging.dues import Owed

HEADERS = ["STT", "Đơn vị", "Việc chưa thực hiện", "Hạn", "Số ngày quá hạn"]


def rows(items: list[Owed], today: datetime.date) -> list[list]:
    """One row per thing owed, grouped by unit (the most overdue unit first)."""
    by_unit: dict[int, list[Owed]] = defaultdict(list)
    for item in items:
        by_unit[item.unit.pk].append(item)
    ordered = sorted(by_unit.values(), key=lambda owed: (min(o.due for o in owed), owed[0].unit.search_text))
    found, number = [], 0
    for owed in ordered:
        number += 1
        for index, item in enumerate(sorted(owed, key=lambda o: o.due)):
            found.append(
                [number if index == 0 else "", item.unit.name if index == 0 else "", item.label,
                 DayCell(item.due), item.days_late(today)]
            )  # fmt: skip
    return found


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def to_docx(unit: Organization, items: list[Owed], today: datetime.date) -> bytes:
    from hienthuc.plans.wordexport import party_name, place_of, secretary_name

    parent = Organization.objects.get_parent(unit)
    late_units = sorted({item.unit.name for item in items})
    body = [
        ("body", "Kính gửi: " + "; ".join(late_units) + "."),
        ("body", f"Theo dõi của {unit.name} đến ngày {body_date(today)}, các đơn vị sau chưa thực hiện "
                 "đúng thời hạn các báo cáo, kế hoạch theo yêu cầu (chi tiết tại bảng dưới đây):"),
        Table("", HEADERS, rows(items, today), [12, 45, 75, 25, 25]),
        ("body", f"{unit.name} đề nghị các đơn vị khẩn trương hoàn thành, gửi về {unit.name} (qua Văn phòng) "
                 "trước ngày [ghi hạn]; trường hợp chưa thực hiện được, báo cáo rõ lý do."),
    ]  # fmt: skip
    doc = PartyDocument(
        issuer=unit.name,
        superior=party_name(parent) if parent is not None and parent.depth >= 2 else "",
        number="",
        place=place_of(unit),
        date=None,
        kind="",
        summary="đôn đốc thực hiện báo cáo, kế hoạch",
        blocks=body,
        signing_authority="T/L BAN THƯỜNG VỤ",
        signer_position="CHÁNH VĂN PHÒNG",
        signer_name="",
        recipients=[*late_units, f"Đồng chí Bí thư {unit.name} (b/c)" if secretary_name(unit) else "Thường trực (b/c)"],
        archive=f"Lưu Văn phòng {unit.name}",
    )
    return render(doc)


@translation.override("vi")
def to_xlsx(unit: Organization, items: list[Owed], today: datetime.date) -> bytes:
    title = f"{unit.name} — Các đơn vị chậm thực hiện báo cáo, kế hoạch (đến ngày {today:%d/%m/%Y})"
    return write_tables([("Đơn vị chậm", title, HEADERS, rows(items, today))])
