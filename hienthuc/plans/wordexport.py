"""A plan as a Party document (.docx): header, title, the task table, signature, recipients."""

import re

from django.utils import translation

from hienthuc.committees.models import Body, CommitteeSeat, SeatRole, Term
from hienthuc.documents.models import is_visible
from hienthuc.lib.partydoc import Appendix, PartyDocument, Table, body_date, render
from hienthuc.orgs.models import Organization
from hienthuc.plans.importing import HEADERS, table_rows
from hienthuc.plans.models import Plan, Task

# "Tỉnh ủy Thái Bình" -> "Đảng bộ tỉnh Thái Bình" (the superior line of a lower committee's header).
_COMMITTEE_TO_PARTY = [
    (r"^Tỉnh ủy\s+", "Đảng bộ tỉnh "),
    (r"^Thành ủy\s+", "Đảng bộ thành phố "),
    (r"^Huyện ủy\s+", "Đảng bộ huyện "),
    (r"^Thị ủy\s+", "Đảng bộ thị xã "),
    (r"^Đảng ủy\s+", "Đảng bộ "),
]
_PLACE = re.compile(r"^(Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|Đảng ủy( xã| phường| khối)?)\s+", re.I)


def party_name(unit: Organization) -> str:
    for pattern, replacement in _COMMITTEE_TO_PARTY:
        if re.match(pattern, unit.name):
            return re.sub(pattern, replacement, unit.name)
    return unit.name


def place_of(unit: Organization) -> str:
    return _PLACE.sub("", unit.name)


def secretary_name(unit: Organization) -> str:
    term = Term.objects.current_for(unit)
    if term is None:
        return ""
    seat = (
        CommitteeSeat.objects.filter(term=term, body=Body.STANDING, role=SeatRole.SECRETARY)
        .select_related("person")
        .first()
    )
    return seat.person.full_name if seat else ""


_COMMITTEE_WORD = re.compile(r"^(Tỉnh ủy|Thành ủy|Huyện ủy|Thị ủy|Đảng ủy)\b")


def signing_for(body: str, unit: Organization) -> tuple[str, str]:
    """(authority, position) of the signature block by the issuing body (36-HD/VPTW): a
    committee signs collectively, "T/M" its executive committee ("T/M TỈNH ỦY"), its standing
    committee or standing members; the office's chief signs the office's documents."""
    if body == "bch":
        word = _COMMITTEE_WORD.match(unit.name)
        return (f"T/M {word.group(1).upper()}" if word else "T/M BAN CHẤP HÀNH"), "BÍ THƯ"
    if body == "tt":
        return "T/M THƯỜNG TRỰC", "BÍ THƯ"
    if body in ("dh", "dcd"):
        return "T/M ĐOÀN CHỦ TỊCH", ""
    if body == "vp":
        return "", "CHÁNH VĂN PHÒNG"
    return "T/M BAN THƯỜNG VỤ", "BÍ THƯ"


def recipients_above(unit: Organization) -> list[str]:
    """Who a unit reports to at the head of its recipients: the Secretariat for a committee
    under the Centre, else the standing committee of the level above — "(b/c)", for report."""
    parent = Organization.objects.get_parent(unit)
    if parent is None:
        return []
    if parent.kind.code == "trung_uong":
        return ["Ban Bí thư Trung ương Đảng (b/c)", "Văn phòng Trung ương Đảng (b/c)"]
    if parent.kind.is_body:
        return [f"{parent.name} (b/c)"]
    return [f"Ban Thường vụ {parent.name} (b/c)"]


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def export_plan(plan: Plan, user) -> bytes:
    """The plan as `user` sees it: the tasks they may open, the source document only if they may.
    The task table is its appendix, after the signature, with every column of the import's
    table — the file reads back as it was written (plans/importing.py)."""
    document = plan.document
    unit = plan.unit
    parent = Organization.objects.get_parent(unit)
    superior = party_name(parent) if parent is not None and parent.depth >= 2 else ""
    kind = document.kind.name
    summary = plan.title
    if summary.lower().startswith(kind.lower()):
        summary = summary[len(kind) :].strip()
    paragraphs = []
    if plan.source_document and is_visible(user, plan.source_document):
        source = plan.source_document
        date = f", ngày {body_date(source.issued_on)}" if source.issued_on else ""
        paragraphs.append(
            ("body", f"Thực hiện {source.kind.name} số {source.number_normalized}{date} {source.summary}, "
                     f"{unit.name} ban hành {kind.lower()} {summary} như sau:")
        )  # fmt: skip
    tasks = list(
        Task.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("order", "id")
    )
    leads = sorted({t.lead_label for t in tasks})
    paragraphs += [
        ("heading", "I. MỤC ĐÍCH, YÊU CẦU"),
        ("body", "[Cơ quan soạn thảo bổ sung mục đích, yêu cầu.]"),
        ("heading", "II. NHIỆM VỤ, GIẢI PHÁP"),
        ("body", "Các nhiệm vụ cụ thể, cơ quan chủ trì, phối hợp, sản phẩm và thời gian hoàn thành tại Phụ lục "
                 f"kèm theo {kind.lower()} này."),
        ("heading", "III. TỔ CHỨC THỰC HIỆN"),
        ("body", f"Các cơ quan chủ trì ({', '.join(leads)}) cụ thể hóa nhiệm vụ được giao, báo cáo tiến độ và kết quả "
                 f"trên hệ thống theo dõi; Văn phòng {unit.name} theo dõi, đôn đốc, tổng hợp, báo cáo."),
    ]  # fmt: skip
    # The same rows as the Excel export; a heading row spans the table (one cell).
    rows = [[str(r[0]), *r[1:]] if any(r[2:]) else [f"{r[0]} {r[1]}".strip()] for r in table_rows(tasks)]
    required = [r.unit.name for r in plan.requirements.select_related("unit")]
    recipients = recipients_above(unit)
    recipients += required if len(required) <= 5 else ["Các đơn vị trực thuộc"]
    authority, position = signing_for(document.issuing_body, unit)
    numbered = f" số {document.number_normalized}" if document.number_normalized else ""
    dated = f", ngày {body_date(document.issued_on)}" if document.issued_on else ""
    doc = PartyDocument(
        issuer=unit.name,
        superior=superior,
        number=document.number_normalized,
        place=document.place or place_of(unit),
        date=document.issued_on,
        kind=kind,
        summary=summary,
        paragraphs=paragraphs,
        appendices=[
            Appendix(
                Table(
                    "NHIỆM VỤ CỤ THỂ",
                    HEADERS,
                    rows,
                    # Wider than a portrait page: the appendix turns landscape.
                    [12, 80, 35, 35, 30, 30, 30],
                ),
                attached_to=f"(Kèm theo {kind}{numbered}{dated} của {document.get_issuing_body_display()} {unit.name})",
            )
        ],
        signing_authority=authority,
        signer_position=position,
        signer_name=document.signer or secretary_name(unit),
        recipients=recipients,
        archive=f"Lưu Văn phòng {unit.name}",
    )
    return render(doc)
