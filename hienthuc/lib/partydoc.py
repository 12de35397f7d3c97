"""Word (.docx) documents in the Party's format (Hướng dẫn 36-HD/VPTW, REFERENCE §3). Django-free.

All the measurements live in FORMAT, in one place: a newer guidance may change the margins.
The order is the guidance's: header, kind and summary, body, signature and recipients, then
each appendix on a page of its own ("PHỤ LỤC … (Kèm theo …)"), landscape when its table is
wider than a portrait page.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FORMAT = {
    "font": "Times New Roman",
    "margins_mm": {"top": 20, "bottom": 20, "left": 30, "right": 15},
    "header_pt": 14,
    "party_pt": 15,
    "kind_pt": 16,
    "summary_pt": 14,
    "body_pt": 14,
    "table_pt": 12,
    "recipients_pt": 12,
    "first_line_indent_mm": 10,
    "paragraph_space_pt": 6,
    "page_mm": (210, 297),  # A4
}


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]  # a row of one cell is a section row spanning the table
    widths_mm: list[int] = field(default_factory=list)


@dataclass
class Appendix:
    """A table after the signature, on a page of its own: "PHỤ LỤC" (numbered when there are
    several), what it is attached to, its title."""

    table: Table
    attached_to: str = ""  # "(Kèm theo Chương trình số 05-CTr/TU, ngày 01-11-2021 của …)"


@dataclass
class PartyDocument:
    issuer: str  # "HUYỆN ỦY ĐÔNG HƯNG"
    number: str  # "04-CTr/TU" (without "Số")
    place: str
    date: datetime.date | None
    kind: str  # "CHƯƠNG TRÌNH"; empty for a letter (công văn)
    summary: str  # "hành động thực hiện Nghị quyết …"
    superior: str = ""  # "ĐẢNG BỘ TỈNH THÁI BÌNH"; empty for a provincial committee
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (style: heading|body, text)
    # Paragraphs ((style, text)) and Tables in order after `paragraphs` (a report's figures sit
    # in its body); appendices come after the signature.
    blocks: list = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    signing_authority: str = "T/M BAN THƯỜNG VỤ"
    signer_position: str = "BÍ THƯ"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    archive: str = ""  # "Lưu Văn phòng Tỉnh ủy", always the last recipient


def body_date(day: datetime.date) -> str:
    """A date inside a Party document's text: "10-11-2021" (36-HD/VPTW), never "10/11/2021"."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def date_line(place: str, day: datetime.date | None) -> str:
    """ "Thái Bình, ngày 04 tháng 10 năm 2021": a leading zero for days under 10 and months 1–2."""
    if day is None:
        return f"{place}, ngày     tháng     năm     "
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _run(paragraph, text: str, *, size: int, bold=False, italic=False, underline=False, caps=False):
    run = paragraph.add_run(text.upper() if caps else text)
    run.font.name = FORMAT["font"]
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FORMAT["font"])
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _paragraph(container, *, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _page_number_header(section) -> None:
    """Page numbers centred at the top, none on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(paragraph, "", size=FORMAT["header_pt"])
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _body(document, paragraphs: list[tuple[str, str]]) -> None:
    for kind, text in paragraphs:
        paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=FORMAT["paragraph_space_pt"])
        paragraph.paragraph_format.first_line_indent = Mm(FORMAT["first_line_indent_mm"])
        _run(paragraph, text, size=FORMAT["body_pt"], bold=kind == "heading")


def _table(document, table_data: "Table") -> None:
    if table_data.title:
        _run(_paragraph(document, space_after=6), table_data.title, size=FORMAT["body_pt"], bold=True, caps=True)
    table = document.add_table(rows=1, cols=len(table_data.headers))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, table_data.headers, strict=True):
        _run(cell.paragraphs[0], title, size=FORMAT["table_pt"], bold=True)
    for values in table_data.rows:
        cells = table.add_row().cells
        if len(values) == 1:  # a section row spans the table
            merged = cells[0].merge(cells[-1])
            _run(merged.paragraphs[0], values[0], size=FORMAT["table_pt"], bold=True)
            continue
        for cell, value in zip(cells, values, strict=True):
            _run(cell.paragraphs[0], str(value if value is not None else ""), size=FORMAT["table_pt"])
    if table_data.widths_mm:
        table.autofit = False
        # LibreOffice reads the grid's column widths, Word the cells': set both.
        for column, width in zip(table.columns, table_data.widths_mm, strict=False):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, table_data.widths_mm, strict=False):
                cell.width = Mm(width)
    _paragraph(document, space_after=6)


def _usable_width_mm(landscape: bool) -> int:
    width, height = FORMAT["page_mm"]
    margins = FORMAT["margins_mm"]
    return (height if landscape else width) - margins["left"] - margins["right"]


def _appendix(document, appendix: Appendix, number: int | None) -> None:
    """A new section, landscape when the table is wider than a portrait page, its page numbers
    going on; the table keeps its header row on each page."""
    landscape = sum(appendix.table.widths_mm) > _usable_width_mm(False)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = FORMAT["page_mm"]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(height), Mm(width)) if landscape else (Mm(width), Mm(height))
    section.different_first_page_header_footer = False
    heading = "PHỤ LỤC" if number is None else f"PHỤ LỤC {number}"
    _run(_paragraph(document), heading, size=FORMAT["kind_pt"] - 2, bold=True)
    if appendix.table.title:
        _run(_paragraph(document), appendix.table.title, size=FORMAT["summary_pt"], bold=True)
    if appendix.attached_to:
        _run(_paragraph(document, space_after=6), appendix.attached_to, size=FORMAT["body_pt"], italic=True)
    _table(document, Table("", appendix.table.headers, appendix.table.rows, appendix.table.widths_mm))
    _repeat_header(document.tables[-1])


def _repeat_header(table) -> None:
    """The header row repeats at the top of each page the table runs over."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def render(doc: PartyDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins = FORMAT["margins_mm"]
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    _page_number_header(section)
    style = document.styles["Normal"]
    style.font.name = FORMAT["font"]
    style.font.size = Pt(FORMAT["body_pt"])

    # Header: issuing body and number on the left, the Party's name, place and date on the right.
    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Mm(75), Mm(90)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    first = left.paragraphs[0]
    if doc.superior:
        _run(first, doc.superior, size=FORMAT["header_pt"], caps=True)
        first = _paragraph(left)
    _run(first, doc.issuer, size=FORMAT["header_pt"], bold=True, caps=True)
    _run(_paragraph(left), "*", size=FORMAT["header_pt"])
    _run(_paragraph(left), f"Số {doc.number}" if doc.number else "Số       ", size=FORMAT["header_pt"])
    if not doc.kind:
        # A letter (công văn) has no kind: its summary sits under the number ("V/v …", 36-HD/VPTW).
        _run(_paragraph(left), f"V/v {doc.summary}", size=FORMAT["recipients_pt"], italic=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", size=FORMAT["party_pt"], bold=True, underline=True)
    _run(_paragraph(right, space_after=0), "", size=FORMAT["header_pt"])
    _run(_paragraph(right), date_line(doc.place, doc.date), size=FORMAT["header_pt"], italic=True)

    _paragraph(document, space_after=6)
    if doc.kind:
        _run(_paragraph(document), doc.kind, size=FORMAT["kind_pt"], bold=True, caps=True)
        _run(_paragraph(document), doc.summary, size=FORMAT["summary_pt"], bold=True)
        _run(_paragraph(document, space_after=FORMAT["paragraph_space_pt"]), "-----", size=FORMAT["summary_pt"])

    _body(document, doc.paragraphs)
    for block in doc.blocks:
        if isinstance(block, Table):
            _table(document, block)
        else:
            _body(document, [block])

    # Signature on the right, recipients on the left.
    _paragraph(document, space_after=6)
    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    recipients_cell, signature_cell = closing.rows[0].cells
    paragraph = recipients_cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    # Upright and underlined, 14 pt (36-HD/VPTW); the recipients below in 12 pt.
    _run(paragraph, "Nơi nhận:", size=FORMAT["header_pt"], underline=True)
    recipients = [*doc.recipients, *([doc.archive] if doc.archive else [])]
    for index, name in enumerate(recipients):
        line = f"- {name}" + (";" if index < len(recipients) - 1 else ".")
        _run(_paragraph(recipients_cell, align=WD_ALIGN_PARAGRAPH.LEFT), line, size=FORMAT["recipients_pt"])
    signature_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(signature_cell.paragraphs[0], doc.signing_authority, size=FORMAT["body_pt"], bold=True, caps=True)
    _run(_paragraph(signature_cell), doc.signer_position, size=FORMAT["body_pt"], caps=True)
    for _ in range(3):
        _paragraph(signature_cell)
    _run(_paragraph(signature_cell), doc.signer_name, size=FORMAT["body_pt"], bold=True)

    several = len(doc.appendices) > 1
    for number, appendix in enumerate(doc.appendices, start=1):
        _appendix(document, appendix, number if several else None)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
