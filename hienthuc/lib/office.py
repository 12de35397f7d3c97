"""A PDF of a .docx made by LibreOffice when the server has it (the minutes of a count are
printed and signed as PDF too). Django-free."""

import os
import shutil
import subprocess
import tempfile


def to_pdf(data: bytes, name: str) -> bytes | None:
    """The PDF of a .docx or .xlsx, or None when LibreOffice is not installed."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, name)
        with open(source, "wb") as out:
            out.write(data)
        subprocess.run(
            [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", folder, source],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        with open(os.path.join(folder, os.path.splitext(name)[0] + ".pdf"), "rb") as result:
            return result.read()
