import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from hienthuc.lib.env import ConfigurationError, env_bool, env_int
from hienthuc.lib.roman import from_roman, to_roman
from hienthuc.lib.text import fold

ROOT = Path(__file__).resolve().parent.parent


def import_settings(**env) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import hienthuc.settings"], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )


class SettingsTestCase(SimpleTestCase):
    def test_it_refuses_to_start_in_production_without_a_secret_key(self):
        result = import_settings(ALLOWED_HOSTS="example.org")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is required", result.stderr)

    def test_it_refuses_to_start_in_production_without_allowed_hosts(self):
        result = import_settings(SECRET_KEY="s3cret")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ALLOWED_HOSTS is required", result.stderr)

    def test_it_starts_in_production_when_configured(self):
        self.assertEqual(import_settings(SECRET_KEY="s3cret", ALLOWED_HOSTS="example.org").returncode, 0)

    def test_it_rejects_malformed_environment_values(self):
        os.environ["HT_TEST_FLAG"] = "maybe"
        os.environ["HT_TEST_INT"] = "ten"
        try:
            with self.assertRaises(ConfigurationError):
                env_bool("HT_TEST_FLAG")
            with self.assertRaises(ConfigurationError):
                env_int("HT_TEST_INT", 1)
        finally:
            del os.environ["HT_TEST_FLAG"], os.environ["HT_TEST_INT"]

    def test_it_formats_dates_and_numbers_the_vietnamese_way(self):
        with translation.override("vi"):
            out = Template('{% load humanize %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ n }} {{ big|intcomma }}').render(
                Context({"d": datetime.date(2026, 11, 23), "n": 1234.5, "big": 1234567})
            )
        self.assertEqual(out, "23/11/2026 1.234,5 1.234.567")


class LibTestCase(SimpleTestCase):
    def test_it_folds_vietnamese_for_search(self):
        self.assertEqual(fold("Đảng ủy  Quán Triệt"), "dang uy quan triet")
        self.assertEqual(fold("Hue\u0301"), "hue")  # decomposed accents too

    def test_it_reads_and_writes_roman_numerals(self):
        self.assertEqual(from_roman("xx"), 20)
        self.assertEqual(from_roman("XXVIII"), 28)
        self.assertEqual(to_roman(24), "XXIV")
        for bad in ("IIII", "", "ABC", "0"):
            with self.assertRaises(ValueError):
                from_roman(bad)


class LanguageTestCase(SimpleTestCase):
    def test_it_speaks_vietnamese_by_default_and_english_on_request(self):
        from django.utils.translation import gettext

        with translation.override("vi"):
            self.assertEqual(gettext("Cây đơn vị"), "Cây đơn vị")
        with translation.override("en"):
            self.assertEqual(gettext("Cây đơn vị"), "Unit tree")
