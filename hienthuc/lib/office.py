"""A PDF of a .docx made by LibreOffice when the server has it (the minutes of a count are
printed and signed as PDF too). Django-free."""

import os
import shutil
import subprocess
import tempfile


def installed() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(data: bytes, name: str) -> bytes | None:
    """The PDF of a .docx or .xlsx, or None when LibreOffice is not installed."""
    return convert(data, name, "pdf") if installed() else None


def convert(data: bytes, name: str, to: str, *, target: str = "") -> bytes:
    """What LibreOffice makes of a file in the format `to` (its filter given as `target` when
    the extension is not enough)."""
    office = installed()
    if office is None:
        raise FileNotFoundError("LibreOffice")
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, name)
        with open(source, "wb") as out:
            out.write(data)
        subprocess.run(
            [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", target or to,
             "--outdir", folder, source],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        with open(os.path.join(folder, os.path.splitext(name)[0] + "." + to), "rb") as result:
            return result.read()
