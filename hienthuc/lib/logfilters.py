"""Filters for the server log (settings.LOGGING)."""

import logging


class ShortForbidden(logging.Filter):
    """A refused request (403) is expected — someone opened what their role does not allow —
    so it is one line in the log, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
