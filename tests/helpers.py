import io

import openpyxl


def xlsx(rows: list[list], *, title: str | None = None) -> bytes:
    """A real .xlsx file with the given rows (and an optional title row above them)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
