#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
    from hienthuc.lib.env import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigurationError as exc:
        # A missing or malformed setting is the operator's to fix: one line, no traceback.
        sys.exit(f"Cấu hình chưa đúng / configuration error: {exc}")
