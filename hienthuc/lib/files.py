"""Uploaded files: their type told by content, never by the file name, and their text."""

import io
import zipfile

PDF, DOCX, XLSX = "pdf", "docx", "xlsx"


def detect_type(data: bytes) -> str | None:
    """'pdf', 'docx', 'xlsx' from the bytes themselves, or None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


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
