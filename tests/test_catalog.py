"""The English catalog covers every string the pages and models mark for translation: a string
added or changed without its English fails here (run `make messages`, then translate)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "hienthuc" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> dict[tuple[str, str], tuple[str, bool]]:
    """{(context, msgid): (first msgstr, fuzzy)} of a .po file's live entries."""
    found = {}
    for block in text.split("\n\n"):
        lines = block.strip().split("\n")
        if any(line.startswith("#~") for line in lines):
            continue
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr\[0\]|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            translated = fields.get("msgstr", fields.get("msgstr[0]", ""))
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
            found[(fields.get("msgctxt", ""), fields["msgid"])] = (translated, fuzzy)
    return found


def all_of(entry: tuple[str, bool]) -> bool:
    """Translated, and not left fuzzy by a changed source string."""
    translated, fuzzy = entry
    return bool(translated) and not fuzzy


@pytest.mark.gettext
class CatalogTestCase(SimpleTestCase):
    def test_every_marked_string_has_its_english(self):
        if shutil.which("xgettext") is None:
            self.fail("GNU gettext is not installed (make test installs Debian's gettext)")
        committed = entries(CATALOG.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "hienthuc"
            shutil.copytree(ROOT / "hienthuc", copy, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
            shutil.rmtree(copy / "locale" / "en" / "LC_MESSAGES")
            (copy / "locale" / "en" / "LC_MESSAGES").mkdir()
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-location"],
                cwd=copy, check=True, capture_output=True, env={**os.environ, "DEBUG": "1"},
            )  # fmt: skip
            marked = entries((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
        missing = sorted(key[1] for key in marked if key not in committed or not all_of(committed[key]))
        self.assertEqual(missing, [], "untranslated or fuzzy in hienthuc/locale/en: run `make messages` and translate")
