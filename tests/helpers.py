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


def converted_to_pdf(data: bytes, name: str) -> bytes:
    """The PDF LibreOffice makes of a .docx or .xlsx: proof a real office suite opens the file."""
    return converted(data, name, "pdf")


def converted(data: bytes, name: str, to: str) -> bytes:
    """What LibreOffice makes of a file: "pdf", or "csv" (a sheet's cells as Calc shows them)."""
    from hienthuc.lib import office

    assert office.installed(), "LibreOffice is not installed (make test installs libreoffice-writer-nogui)"
    # CSV in UTF-8 (76), cells as Calc shows them (the last option).
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true" if to == "csv" else to
    return office.convert(data, name, to, target=target)


def api_call(client, user, method: str, url: str, payload: dict | None = None):
    """An API request with a fresh token of `user` (JSON body when given)."""
    from hienthuc.accounts.actions import do_create_api_token

    raw = do_create_api_token(user, name="tích hợp", acting_user=user)[1]
    kwargs: dict = {"headers": {"Authorization": f"Bearer {raw}"}}
    if payload is not None:
        kwargs.update(data=payload, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line (headers included)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for section in document.sections for p in section.header.paragraphs]
    lines += [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(lines)


def fresh_database(testcase, folder, suffix: str) -> dict[str, str]:
    """The environment of a `manage.py` (or a server) pointed at a new, empty database and
    media folder beside the tests' own: a file under `folder` on SQLite, a database named
    `<test database>_<suffix>` on PostgreSQL, dropped when the test ends."""
    from django.db import connection

    media = str(folder / f"{suffix}-media")
    if connection.vendor == "sqlite":
        return {"VAR_DIR": str(folder / suffix), "MEDIA_DIR": media, "DATABASE_URL": ""}
    name = f"{connection.settings_dict['NAME']}_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    testcase.addCleanup(drop)
    params = connection.get_connection_params()
    host = f"?host={params['host']}" if params.get("host") else ""
    port = f":{params['port']}" if params.get("port") else ""
    password = f":{params['password']}" if params.get("password") else ""
    return {"DATABASE_URL": f"postgres://{params['user']}{password}@{port}/{name}{host}", "MEDIA_DIR": media}
