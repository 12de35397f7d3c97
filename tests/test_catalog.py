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


# Modules whose Vietnamese is content, not interface: it stays Vietnamese in any language.
VIETNAMESE_CONTENT = {
    "hienthuc/demo": "the demo's story (units, people, documents of the source reports)",
    "hienthuc/lib/names.py": "Vietnamese family and given names, for the name matcher",
    "hienthuc/lib/partydoc.py": "the Party's document format (36-HD/VPTW) prints in Vietnamese",
    "hienthuc/plans/wordexport.py": "a plan's Word file is a Party document",
    "hienthuc/dashboard/yearly.py": "the yearly report is a Party document",
    "hienthuc/reviews/wordexport.py": "a review report is a Party document",
    "hienthuc/urging/letter.py": "the urging letter is a Party document",
    "hienthuc/elections/minutes.py": "the minutes of a count are a Party document",
    "hienthuc/documents/kinds.py": "document kinds are data (seeded rows, 399-QĐ/TW names)",
    "hienthuc/orgs/kinds.py": "unit levels and kinds are data (seeded rows)",
    "hienthuc/settings.py": "the language's own name",
    "hienthuc/wsgi.py": "a start-up error for the operator, in both languages",
    "management/commands": "console output for the operator running manage.py",
}
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
VIETNAMESE_LETTER = re.compile(r"[À-ỹĐđ]")
NOTATION_MARK = "not UI text"  # a trailing comment on a literal that is office notation or data


def unmarked_vietnamese(path: Path) -> list[tuple[int, str]]:
    """Vietnamese string literals of a module that do not go through gettext."""
    import ast

    source = path.read_text(encoding="utf-8")
    api_schema = "/api/" in path.as_posix()
    lines = source.splitlines()
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT_CALLS:
                exempt.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))  # docstrings are for developers
        if isinstance(node, ast.Compare):
            exempt.update(id(sub) for sub in ast.walk(node))  # matching what people typed or stored
        if isinstance(node, ast.Dict):
            for key in filter(None, node.keys):
                exempt.update(id(sub) for sub in ast.walk(key))
        if isinstance(node, ast.JoinedStr):
            exempt.update(id(sub) for sub in ast.walk(node) if sub is not node)
        if api_schema and isinstance(node, ast.keyword) and node.arg in ("title", "description"):
            exempt.update(id(sub) for sub in ast.walk(node.value))  # the OpenAPI schema, built once at start
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        else:
            continue
        if not VIETNAMESE_LETTER.search(text):
            continue
        if isinstance(node, ast.Constant) and (text == text.upper() and len(text) <= 10 or len(text.strip()) <= 1):
            continue  # a code (QĐ, ĐUK) or a letter: notation
        if lines[node.lineno - 1].encode()[node.col_offset : node.col_offset + 1] in (b"r", b"R"):
            continue  # a regular expression matching Vietnamese input
        span = lines[node.lineno - 1 : node.end_lineno]
        if any(NOTATION_MARK in line for line in span):
            continue
        found.append((node.lineno, text))
    return found


class PythonStringsTestCase(SimpleTestCase):
    def test_every_vietnamese_string_in_python_goes_through_gettext(self):
        unmarked = []
        for path in sorted((ROOT / "hienthuc").rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or any(part in relative for part in VIETNAMESE_CONTENT):
                continue
            unmarked += [f"{relative}:{line}: {text[:80]}" for line, text in unmarked_vietnamese(path)]
        self.assertEqual(unmarked, [], "wrap these in gettext, or mark office notation with “# not UI text”")
