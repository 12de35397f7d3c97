"""The register of incoming documents as an .xlsx, laid out as offices keep it."""

from django.utils.translation import gettext as _

from hienthuc.incoming.models import IncomingDocument
from hienthuc.lib.sheets import write_table

# The register's columns, as the paper register has them (the file's format: not UI text).
HEADERS = [
    "Số đến", "Ngày đến", "Nơi gửi", "Số, ký hiệu", "Ngày văn bản", "Trích yếu", "Độ khẩn", "Độ mật",  # not UI text
    "Hạn xử lý", "Ý kiến chỉ đạo", "Người cho ý kiến", "Cơ quan được giao", "Thời hạn", "Tình trạng",  # not UI text
]  # fmt: skip


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def register_xlsx(rows, user) -> bytes:
    """`rows`: IncomingDocument.objects.visible_to(user), filtered as the page lists them."""
    lines = []
    for row in rows:
        assert isinstance(row, IncomingDocument)
        task = row.task
        lines.append(
            [
                f"{row.receipt_number}/{row.year}", _day(row.received_on), row.sender, row.number_text,
                _day(row.original_date), row.summary, row.get_urgency_display() if row.urgency else "",
                row.get_confidentiality_display(), _day(row.processing_due), row.direction, row.directed_by,
                row.assigned_unit.name if row.assigned_unit else "", task.deadline_text if task else "",
                row.get_status_display(),
            ]
        )  # fmt: skip
    return write_table(_("SỔ VĂN BẢN ĐẾN"), HEADERS, lines, sheet_name=_("Văn bản đến"))
