"""Uploaded files: their type told by content, never by the file name, and their text."""

import io
import zipfile

PDF, DOCX, XLSX = "pdf", "docx", "xlsx"


CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The main part each Office type must declare in [Content_Types].xml: a macro-enabled file
# (.docm, .xlsm) declares another one and is refused, like anything else that only looks right.
_MAIN_PARTS = {
    DOCX: ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


def detect_type(data: bytes) -> str | None:
    """'pdf', 'docx', 'xlsx' from the whole structure of the bytes, or None for anything else.
    A first line is not enough: "%PDF-" followed by HTML is not a PDF. A PDF must end with its
    trailer and open with at least one page; an Office file must be a zip whose content types
    declare its main part, with no macros."""
    if data.startswith(b"%PDF-"):
        return PDF if _is_pdf(data) else None
    if not (data.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data))):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    for file_type, (part, content_type) in _MAIN_PARTS.items():
        if part in names and content_type in types:
            return file_type
    return None


def _is_pdf(data: bytes) -> bool:
    if b"%%EOF" not in data[-2048:]:
        return False
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except Exception:
        return False


def extract_text(data: bytes, file_type: str, *, limit: int = 200_000) -> str:
    """The readable text of a PDF, DOCX or XLSX; an empty string when it cannot be read."""
    try:
        if file_type == DOCX:
            import docx

            document = docx.Document(io.BytesIO(data))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append(" | ".join(cell.text for cell in row.cells))
            text = "\n".join(parts)
        elif file_type == XLSX:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            parts = []
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    cells = [str(v) for v in row if v is not None]
                    if cells:
                        parts.append(" | ".join(cells))
            text = "\n".join(parts)
        elif file_type == PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:200])
        else:
            return ""
    except Exception:
        # A damaged or unusual file still attaches; it just adds no searchable text.
        return ""
    return text.replace("\x00", "")[:limit]
