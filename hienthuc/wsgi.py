import os
import sys

from django.core.wsgi import get_wsgi_application

from hienthuc.lib.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
try:
    application = get_wsgi_application()
except ConfigurationError as exc:
    # The application server prints this line instead of a traceback, then stops.
    sys.exit(f"Cấu hình chưa đúng / configuration error: {exc}")
