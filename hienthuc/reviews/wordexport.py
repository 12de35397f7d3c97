"""The review report as a Party-format .docx (lib/partydoc.py): results, shortcomings, causes
and lessons under the usual headings, signed by the unit's standing committee."""

from django.utils import translation

from hienthuc.lib.partydoc import PartyDocument, render
from hienthuc.orgs.models import Organization
from hienthuc.plans.wordexport import party_name, place_of, recipients_above, secretary_name
from hienthuc.reviews.models import Review

HEADINGS = [
    ("results", "I. KẾT QUẢ ĐẠT ĐƯỢC"),
    ("shortcomings", "II. HẠN CHẾ, KHUYẾT ĐIỂM"),
    ("causes", "III. NGUYÊN NHÂN"),
    ("lessons", "IV. BÀI HỌC KINH NGHIỆM"),
]


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def review_docx(review: Review) -> bytes:
    unit = review.unit
    paragraphs: list[tuple[str, str]] = []
    if review.period_text:
        paragraphs.append(("body", f"Thời gian: {review.period_text}."))
    for field, heading in HEADINGS:
        paragraphs.append(("heading", heading))
        text = getattr(review, field).strip()
        lines = [line.strip() for line in text.splitlines() if line.strip()] or ["(Chưa ghi.)"]
        paragraphs.extend(("body", line) for line in lines)
    parent = Organization.objects.get_parent(unit)
    doc = PartyDocument(
        issuer=unit.name,
        superior=party_name(parent) if parent is not None and parent.depth >= 2 else "",
        number=review.report.number_text if review.report_id else "",
        place=place_of(unit),
        date=review.report.issued_on if review.report_id else None,
        kind="BÁO CÁO",
        summary=review.title,
        paragraphs=paragraphs,
        signer_name=secretary_name(unit),
        recipients=[*recipients_above(unit), "Các đồng chí cấp ủy viên"],
        archive=f"Lưu Văn phòng {unit.name}",
    )
    return render(doc)
