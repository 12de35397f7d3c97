"""Reading and writing the spreadsheets offices exchange (.xlsx), without Django.

Every problem is reported in Vietnamese with the row and column a person sees in Excel.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from hienthuc.lib.numbers import format_number
from hienthuc.lib.text import clean, fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, too big, wrong header)."""


@dataclass
class CellError:
    row: int
    column: int
    header: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s, cột %(column)s (%(header)s): %(message)s") % {
            "row": self.row,
            "column": get_column_letter(self.column),
            "header": self.header,
            "message": self.message,
        }


@dataclass
class Sheet:
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)  # (Excel row number, cell values)


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        shown = f"{size / 1048576:.1f}".replace(".", ",")
        limit = f"{max_bytes / 1048576:g}".replace(".", ",")
        raise FileProblem(_("Tệp quá lớn (%(shown)s MB); giới hạn là %(limit)s MB.") % {"shown": shown, "limit": limit})


def load_workbook_bytes(data: bytes, *, max_bytes: int, data_only: bool = True):
    check_size(len(data), max_bytes)
    if not data:
        raise FileProblem(_("Tệp rỗng."))
    # An .xlsx is a zip archive; checking content, not the file name, stops renamed files.
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(_("Tệp không phải là tệp Excel .xlsx (hãy lưu lại bằng Excel dưới dạng .xlsx)."))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:
        raise FileProblem(_("Không đọc được tệp Excel .xlsx: tệp bị hỏng hoặc không đúng định dạng.")) from None


def too_many_rows(max_rows: int) -> FileProblem:
    shown = f"{max_rows:,}".replace(",", ".")
    return FileProblem(
        _(
            "Tệp có hơn %(shown)s dòng dữ liệu; mỗi lần nhập loại này nhận tối đa %(shown)s dòng. Hãy chia thành "
            "nhiều tệp rồi nhập lần lượt."
        )
        % {"shown": shown}
    )


def _sheet_rows(workbook, formulas, min_row: int = 1, index: int = 0):
    """A sheet's rows of values (the first sheet unless `index`). A formula cell reads as the value Excel last computed;
    one never computed (a file written by a program) reads as its formula text — text, never
    evaluated."""
    pairs = zip(
        workbook.worksheets[index].iter_rows(min_row=min_row, values_only=True),
        formulas.worksheets[index].iter_rows(min_row=min_row, values_only=True),
        strict=False,
    )
    for values, written in pairs:
        yield [
            f if v is None and isinstance(f, str) and f.startswith("=") else v
            for v, f in zip(values, list(written) + [None] * (len(values) - len(written)), strict=False)
        ]


def cell_text(value) -> str:
    """A cell as the person sees it: 1 not "1.0", a date as 30/06/2021."""
    import datetime

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    return clean(value)


def read_grids(data: bytes, *, max_bytes: int, max_rows: int) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every sheet as text, for tables whose layout a reader must work out (a task table as an
    office wrote it, not always on the first sheet): (sheet name, [(Excel row number, cell
    texts) of each row holding something]). A sheet stating more than `max_rows` rows (plus room
    for titles and a signature) is refused unread."""
    workbook = load_workbook_bytes(data, max_bytes=max_bytes)
    formulas = load_workbook_bytes(data, max_bytes=max_bytes, data_only=False)
    grids = []
    for index, sheet in enumerate(workbook.worksheets):
        if (sheet.max_row or 0) > max_rows + 60:
            raise too_many_rows(max_rows)
        grid = []
        for number, values in enumerate(_sheet_rows(workbook, formulas, index=index), start=1):
            cells = [cell_text(v) for v in values]
            if any(cells):
                grid.append((number, cells))
                if len(grid) > max_rows + 60:
                    raise too_many_rows(max_rows)
        grids.append((sheet.title, grid))
    workbook.close()
    formulas.close()
    return grids


def read_docx_grids(data: bytes, *, max_bytes: int) -> list[tuple[list[str], list[tuple[int, list[str]]]]]:
    """Each table of a Word file as (the paragraphs just above it, its rows of cell texts);
    rows are numbered from 1 as a person counts them in Word. Merged cells repeat their text."""
    import docx

    check_size(len(data), max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise FileProblem(_("Không đọc được tệp Word .docx: tệp bị hỏng hoặc không đúng định dạng.")) from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    tables, above = [], []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = clean(Paragraph(element, document).text)
            above = [*above, text][-6:] if text else above
        elif element.tag.endswith("}tbl"):
            table = Table(element, document)
            rows = [(n, [clean(c.text) for c in row.cells]) for n, row in enumerate(table.rows, start=1)]
            tables.append((above, [(n, cells) for n, cells in rows if any(cells)]))
            above = []
    return tables


def cell_date(value) -> datetime.date:
    """A date cell as typed in an office file: a real date, or day/month/year text (ValueError)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_table(
    data: bytes, headers: list[str], *, max_bytes: int, optional: tuple[str, ...] = (), max_rows: int | None = None
) -> Sheet:
    """Find the header row (title rows above it are allowed) and return the rows below it.

    Columns must appear in the given order; `optional` headers may be missing at the end.
    More than `max_rows` data rows is refused at once from the sheet's stated size, before any
    row is read (a file of 60,000 rows must not hold the page for minutes), and again while
    reading for files that state none.
    """
    workbook = load_workbook_bytes(data, max_bytes=max_bytes)
    formulas = load_workbook_bytes(data, max_bytes=max_bytes, data_only=False)
    sheet = workbook.worksheets[0]
    if max_rows is not None and (sheet.max_row or 0) > max_rows + 20:
        raise too_many_rows(max_rows)

    def rows(min_row: int = 1):
        return _sheet_rows(workbook, formulas, min_row)

    required = [fold(h) for h in headers if h not in optional]
    found = None
    for number, values in enumerate(rows(), start=1):
        cells = [fold(clean(v)) for v in values]
        if cells[: len(required)] == required:
            found = number
            break
        if number >= 20:
            break
    if found is None:
        expected = " | ".join(headers)
        raise FileProblem(
            _("Không tìm thấy dòng tiêu đề. Dòng tiêu đề phải có các cột theo thứ tự: %(expected)s.")
            % {"expected": expected}
        )
    result = Sheet(header_row=found)
    for number, values in enumerate(rows(found + 1), start=found + 1):
        values = (list(values) + [None] * len(headers))[: len(headers)]
        if all(clean(v) == "" for v in values):
            continue
        result.rows.append((number, values))
        if max_rows is not None and len(result.rows) > max_rows:
            raise too_many_rows(max_rows)
    workbook.close()
    formulas.close()
    return result


# Number formats with the Vietnamese locale (LCID 042A): Calc shows 1.234,5 whatever its own
# language; Excel uses the machine's separators, Vietnamese on an office's Windows.
VI = "[$-42A]"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Number:
    """A figure of a report: a number in a workbook (with its decimals and, for a share, as a
    percentage), the same figure in Vietnamese notation wherever it is text (Word, pages)."""

    value: Decimal | int | float | None
    decimals: int = 0
    percent: bool = False  # `value` is a percentage (95.3 for 95,3 %)

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        text = format_number(Decimal(str(self.value)), self.decimals)
        return f"{text}%" if self.percent else text

    @property
    def cell_value(self):
        if self.value is None:
            return None
        return Decimal(str(self.value)) / 100 if self.percent else self.value

    @property
    def number_format(self) -> str:
        digits = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return VI + (digits.replace("#,##", "") + "%" if self.percent else digits)


@dataclass(frozen=True)
class DayCell:
    """A day: a date cell in a workbook, dd/mm/yyyy wherever it is text."""

    day: datetime.date

    def __str__(self) -> str:
        return self.day.strftime("%d/%m/%Y")

    @property
    def cell_value(self) -> datetime.date:
        return self.day

    number_format = DATE_FORMAT


def as_text(cell) -> None:
    """Keep user text as text. openpyxl stores a string starting with "=" as a live formula
    (=HYPERLINK(…) a link, =cmd|… a DDE payload); an inline string cell is shown as typed by
    Excel and LibreOffice Calc and never evaluated. Other leading characters that spreadsheet
    programs treat as formulas (+ - @ tab CR) are only dangerous in CSV, where nothing types a
    cell: every string here is written as a typed text cell."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def write_table(title: str, headers: list[str], rows: list[list], *, sheet_name: str = "") -> bytes:
    """A one-sheet workbook: a bold title row, the header row, then the data."""
    return write_tables([(sheet_name or _("Danh sách"), title, headers, rows)])


def _cell(value):
    # Labels may be lazy translations; openpyxl takes only plain values.
    if isinstance(value, Number | DayCell):
        return value.cell_value
    return str(value) if isinstance(value, Promise) else value


def write_tables(sheets: list[tuple[str, str, list[str], list[list]]]) -> bytes:
    """A workbook of several sheets, each (sheet name, title, headers, rows) laid out as write_table's."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_name, title, headers, rows in sheets:
        sheet = workbook.create_sheet(str(sheet_name)[:31])
        # A title of several lines ("PHỤ LỤC" / "(Kèm theo …)") takes a row each above the header.
        titles = [line for line in title.split("\n") if line.strip()] or [""]
        for line in titles:
            sheet.append([str(line)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(name="Times New Roman", bold=True, size=14)
        sheet.append([str(header) for header in headers])
        header_row = len(titles) + 1
        for cell in sheet[header_row]:
            cell.font = Font(name="Times New Roman", bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in rows:
            typed = (Number, DayCell)
            sheet.append([_cell(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, typed):
                    cell.number_format = value.number_format
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE_FORMAT
        for cells in sheet.iter_rows():
            for cell in cells:
                as_text(cell)
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500] if len(r) >= index])
            width = min(width, 60)
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, width + 2))
        sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
